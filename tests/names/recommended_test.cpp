// Messages that build a function's name at run time ("fx::" + name), which the
// build-time check of string literals cannot see: each is raised here, and the
// function it recommends is called the way the message says.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <regex>
#include <string>

#include "fluxion/fluxion.hpp"
#include "primitives/primitives.hpp"

namespace fx = fluxion;

namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const fx::Error& e) {
    return e.what();
  }
  return "(no error)";
}

bool same_values(const fx::Array& x, const fx::Array& y) { return fx::all(x == y).item<bool>(); }

// The floating-point primitives reject integers and name the NumPy-style
// function that promotes them. Written &fx::name, each entry is itself a
// compile-time check that the function exists.
using Unary = fx::Array (*)(const fx::Array&);
const std::map<std::string, Unary> kFloatingFunctions = {
    {"sin", &fx::sin},       {"cos", &fx::cos},       {"tan", &fx::tan},       {"tanh", &fx::tanh},
    {"sinh", &fx::sinh},     {"cosh", &fx::cosh},     {"arcsin", &fx::arcsin}, {"arccos", &fx::arccos},
    {"arctan", &fx::arctan}, {"exp", &fx::exp},       {"expm1", &fx::expm1},   {"log", &fx::log},
    {"log1p", &fx::log1p},   {"sqrt", &fx::sqrt}};

TEST(RecommendedNames, FloatingPrimitivesNameAFunctionThatTakesIntegers) {
  const fx::Array x = fx::array({0.0, 1.0}, fx::int32);
  size_t family = 0;
  for (const fx::Primitive* p : fx::all_primitives()) {
    if (p->abstract_eval != fx::prim::sin_p.abstract_eval) continue;  // not one of the family
    ++family;
    const std::string message = message_of([&] { fx::bind1(*p, {x}); });
    std::smatch named;
    ASSERT_TRUE(std::regex_search(message, named, std::regex(R"(fx::(\w+) promotes integers to float64 itself)")))
        << p->name << ": " << message;
    const auto function = kFloatingFunctions.find(named[1]);
    ASSERT_TRUE(function != kFloatingFunctions.end()) << p->name << " recommends fx::" << named[1];
    const fx::Array y = function->second(x);
    EXPECT_EQ(y.dtype(), fx::float64) << named[1];
    EXPECT_TRUE(same_values(y, fx::bind1(*p, {x.astype(fx::float64)}))) << named[1] << " is not " << p->name;
  }
  EXPECT_EQ(family, kFloatingFunctions.size());
}

// An argument of another C++ type than argument 0 cannot take the gradient's
// type from argument 0 at run time; the message names the compile-time argnum.
TEST(RecommendedNames, ArgnumOfAnotherTypeNamesTheCompileTimeForm) {
  auto f = [](const fx::Array& a, const std::vector<fx::Array>& b) { return fx::sum(a * b[0]); };
  const fx::Array a = fx::array({1.0, 2.0});
  const std::vector<fx::Array> b = {fx::array({3.0, 4.0})};
  const auto recommends = [](const std::string& message, const std::string& call) {
    return message.find(call) != std::string::npos;
  };

  EXPECT_TRUE(recommends(message_of([&] { fx::grad(f, 1)(a, b); }), "fx::grad<1>(f)"));
  const std::vector<fx::Array> g = fx::grad<1>(f)(a, b);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_TRUE(same_values(g[0], a));

  EXPECT_TRUE(recommends(message_of([&] { fx::value_and_grad(f, 1)(a, b); }), "fx::value_and_grad<1>(f)"));
  const auto [value, vg] = fx::value_and_grad<1>(f)(a, b);
  EXPECT_TRUE(same_values(value, fx::array({11.0})[0]));
  EXPECT_TRUE(same_values(vg[0], a));

  EXPECT_TRUE(recommends(message_of([&] { fx::jacfwd(f, 1)(a, b); }), "fx::jacfwd<1>(f)"));
  EXPECT_TRUE(same_values(fx::jacfwd<1>(f)(a, b)[0], a));
  EXPECT_TRUE(recommends(message_of([&] { fx::jacrev(f, 1)(a, b); }), "fx::jacrev<1>(f)"));
  EXPECT_TRUE(same_values(fx::jacrev<1>(f)(a, b)[0], a));
}

}  // namespace
