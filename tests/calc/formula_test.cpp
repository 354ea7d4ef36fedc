// The formula parser of fluxion-calc: what it understands (precedence,
// associativity, signs, functions, numbers), what it computes, and where its
// errors point.
#include <cmath>

#include <gtest/gtest.h>

#include "formula.hpp"

namespace fc = fluxion_calc;
namespace fx = fluxion;

namespace {

std::string tree(const std::string& text) { return fc::Formula::parse(text).tree(); }

double value(const std::string& text, std::vector<std::string> names = {}, std::vector<double> values = {}) {
  std::vector<fx::Array> arrays(values.begin(), values.end());
  return fc::Formula::parse(text).evaluate(names, arrays).item<double>();
}

// The column and message of the ParseError `text` raises.
std::pair<int, std::string> error_of(const std::string& text) {
  try {
    fc::Formula::parse(text);
  } catch (const fc::ParseError& e) {
    return {e.column(), e.message()};
  }
  return {0, "no error"};
}

TEST(FormulaParse, ProductsBindTighterThanSums) {
  EXPECT_EQ(tree("x^2 + 2*x*y + y^3"), "(+ (+ (^ x 2) (* (* 2 x) y)) (^ y 3))");
  EXPECT_EQ(tree("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(value("1 + 2 * 3"), 7);
  EXPECT_EQ(value("(1 + 2) * 3"), 9);
}

TEST(FormulaParse, SumsAndProductsGroupFromTheLeft) {
  EXPECT_EQ(tree("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(value("10 - 4 - 3"), 3);
  EXPECT_EQ(tree("a / b / c"), "(/ (/ a b) c)");
  EXPECT_EQ(value("24 / 4 / 2"), 3);
  EXPECT_EQ(tree("a / b * c"), "(* (/ a b) c)");
}

TEST(FormulaParse, PowersGroupFromTheRight) {
  EXPECT_EQ(tree("2^3^2"), "(^ 2 (^ 3 2))");
  EXPECT_EQ(value("2^3^2"), 512);  // 2^9, not 8^2 = 64
}

TEST(FormulaParse, PowerBindsTighterThanUnaryMinus) {
  EXPECT_EQ(tree("-x^2"), "(- (^ x 2))");
  EXPECT_EQ(value("-x^2", {"x"}, {3}), -9);
  EXPECT_EQ(value("(-x)^2", {"x"}, {3}), 9);
  // A sign in the exponent belongs to the exponent.
  EXPECT_EQ(tree("x^-2"), "(^ x (- 2))");
  EXPECT_EQ(value("2^-2"), 0.25);
  EXPECT_EQ(tree("2 * -x"), "(* 2 (- x))");
  EXPECT_EQ(tree("--x"), "(- (- x))");
  EXPECT_EQ(tree("+x"), "x");
  EXPECT_EQ(tree("-2^2"), "(- (^ 2 2))");
  EXPECT_EQ(value("-2^2"), -4);
}

TEST(FormulaParse, PythonPowerIsASynonym) {
  EXPECT_EQ(tree("x**2"), tree("x^2"));
}

TEST(FormulaParse, Numbers) {
  EXPECT_EQ(value("1e-3"), 1e-3);
  EXPECT_EQ(value("2.5E+2"), 250);
  EXPECT_EQ(value(".5"), 0.5);
  EXPECT_EQ(value("3."), 3);
  EXPECT_EQ(value("1.25e1"), 12.5);
  // "2e" has no exponent digits: the number 2, then the constant e (a product needs '*').
  EXPECT_EQ(value("2*e"), 2 * fx::e);
}

TEST(FormulaParse, ConstantsAreNotVariables) {
  const fc::Formula f = fc::Formula::parse("pi*x + e*y + exp(1)");
  EXPECT_EQ(f.variables(), (std::vector<std::string>{"x", "y"}));
  EXPECT_DOUBLE_EQ(value("pi"), M_PI);
  EXPECT_DOUBLE_EQ(value("e"), std::exp(1.0));
}

TEST(FormulaParse, VariablesAreSortedAndUnique) {
  EXPECT_EQ(fc::Formula::parse("z*y + x + y + z_2 + t1").variables(),
            (std::vector<std::string>{"t1", "x", "y", "z", "z_2"}));
}

TEST(FormulaParse, EveryFunctionComputesWhatItsNameSays) {
  const double x = 0.3;
  const std::vector<std::pair<std::string, double>> cases = {
      {"sin", std::sin(x)},   {"cos", std::cos(x)},   {"tan", std::tan(x)},     {"exp", std::exp(x)},
      {"log", std::log(x)},   {"sqrt", std::sqrt(x)}, {"tanh", std::tanh(x)},   {"sinh", std::sinh(x)},
      {"cosh", std::cosh(x)}, {"asin", std::asin(x)}, {"acos", std::acos(x)},   {"atan", std::atan(x)},
      {"abs", std::abs(x)},   {"erf", std::erf(x)},   {"log1p", std::log1p(x)}, {"expm1", std::expm1(x)},
  };
  ASSERT_EQ(cases.size(), fc::function_names().size());
  for (const auto& [name, expected] : cases) {
    EXPECT_NEAR(value(name + "(x)", {"x"}, {x}), expected, 4e-16) << name;
    EXPECT_EQ(tree(name + "(x)"), "(" + name + " x)");
  }
  EXPECT_EQ(value("abs(-2)"), 2);
}

TEST(FormulaParse, TheIssuesFormulasEvaluate) {
  EXPECT_DOUBLE_EQ(value("sin(x) + cos(x)", {"x"}, {0.5}), std::sin(0.5) + std::cos(0.5));
  EXPECT_DOUBLE_EQ(value("x^2 + 2*x*y + y^3", {"x", "y"}, {1, 2}), 13);
  EXPECT_DOUBLE_EQ(value("(1 - exp(-x)) / (1 + exp(-x))", {"x"}, {0.7}), std::tanh(0.35));
}

TEST(FormulaParse, IntegerExponentsAreIntegerPowers) {
  // x^3 of a negative base is defined (integer_pow), x^0.5 is pow.
  EXPECT_EQ(value("x^3", {"x"}, {-2}), -8);
  EXPECT_EQ(value("x^-1", {"x"}, {-4}), -0.25);
  EXPECT_TRUE(std::isnan(value("x^0.5", {"x"}, {-4})));
  EXPECT_EQ(value("x^0.5", {"x"}, {4}), 2);
  EXPECT_EQ(value("2^x", {"x"}, {10}), 1024);
  const std::string program = fx::make_jaxpr([](const fx::Array& x) {
                                return fc::Formula::parse("x^3").evaluate({"x"}, {x});
                              })(1.0).str();
  EXPECT_NE(program.find("integer_pow[y=3]"), std::string::npos) << program;
}

TEST(FormulaParse, EvaluatesElementwiseAndUnderTransformations) {
  const fc::Formula f = fc::Formula::parse("x^2 * y");
  const fx::Array xs = fx::array({1.0, 2.0, 3.0});
  EXPECT_EQ(f.evaluate({"x", "y"}, {xs, 2.0}).to_vector<double>(), (std::vector<double>{2, 8, 18}));
  auto g = [&](const fx::Array& x, const fx::Array& y) { return f.evaluate({"x", "y"}, {x, y}); };
  EXPECT_EQ(fx::grad(g, 0)(3.0, 2.0).item<double>(), 12);
  EXPECT_EQ(fx::grad(g, 1)(3.0, 2.0).item<double>(), 9);
}

TEST(FormulaParse, ListsOfFormulas) {
  const std::vector<fc::Formula> fs = fc::Formula::parse_list("x*y; x^2 + y;z");
  ASSERT_EQ(fs.size(), 3u);
  EXPECT_EQ(fs[0].tree(), "(* x y)");
  EXPECT_EQ(fs[1].tree(), "(+ (^ x 2) y)");
  EXPECT_EQ(fs[2].variables(), std::vector<std::string>{"z"});
}

TEST(FormulaParse, MissingVariables) {
  const fc::Formula f = fc::Formula::parse("x + 2*zeta");
  EXPECT_EQ(f.first_missing({"x", "zeta"}).first, "");
  EXPECT_EQ(f.first_missing({"x"}), (std::pair<std::string, int>{"zeta", 7}));
}

TEST(FormulaParse, Constants) {
  EXPECT_DOUBLE_EQ(fc::evaluate_constant("pi/4"), M_PI / 4);
  EXPECT_EQ(fc::evaluate_constant("-2"), -2);
  EXPECT_EQ(fc::evaluate_constant("1e-3"), 1e-3);
  EXPECT_THROW(fc::evaluate_constant("x + 1"), fc::ParseError);
}

// ----------------------------------------------------------------- errors

TEST(FormulaErrors, MissingCloseParenthesisPointsAtTheEnd) {
  // "sin(x + cos(x)" is 14 characters: the ')' is missing at column 15.
  EXPECT_EQ(error_of("sin(x + cos(x)"), (std::pair<int, std::string>{15, "expected ')'"}));
  EXPECT_EQ(error_of("(1 + x * 2"), (std::pair<int, std::string>{11, "expected ')'"}));
  // ... or at the token found instead.
  EXPECT_EQ(error_of("sin(x + 1 2)").first, 11);
}

TEST(FormulaErrors, MissingOperand) {
  EXPECT_EQ(error_of("2 + * 3").first, 5);
  EXPECT_EQ(error_of("2 + * 3").second, "expected a number, a variable, a function or '(' instead of '*'");
  EXPECT_EQ(error_of("x^").first, 3);
  EXPECT_EQ(error_of("x^").second, "expected a number, a variable, a function or '(' before the end");
  EXPECT_EQ(error_of("()").first, 2);
}

TEST(FormulaErrors, ImplicitProductsAreExplained) {
  EXPECT_EQ(error_of("2x"), (std::pair<int, std::string>{2, "unexpected 'x' (write 2*x for a product)"}));
  EXPECT_EQ(error_of("x (y)").first, 1);  // a name before ( is a function call
  EXPECT_EQ(error_of("(x+1)(x-1)"), (std::pair<int, std::string>{6, "unexpected '(' (write )*( for a product)"}));
  EXPECT_EQ(error_of("x y").second, "unexpected 'y' (write x*y for a product)");
}

TEST(FormulaErrors, Functions) {
  EXPECT_EQ(error_of("sin x"), (std::pair<int, std::string>{5, "expected '(' after 'sin'"}));
  const auto [column, message] = error_of("1 + foo(x)");
  EXPECT_EQ(column, 5);
  EXPECT_EQ(message.rfind("unknown function 'foo' (the functions are sin cos tan", 0), 0u) << message;
}

TEST(FormulaErrors, Characters) {
  EXPECT_EQ(error_of("x # y"), (std::pair<int, std::string>{3, "unexpected character '#'"}));
  // Columns count characters, not bytes: 'π' is two bytes, one column.
  EXPECT_EQ(error_of("π*x + é"), (std::pair<int, std::string>{1, "unexpected character 'π'"}));
  EXPECT_EQ(error_of("x·y"), (std::pair<int, std::string>{2, "unexpected character '·'"}));
}

TEST(FormulaErrors, EmptyAndSeparators) {
  EXPECT_EQ(error_of(""), (std::pair<int, std::string>{1, "the formula is empty"}));
  EXPECT_EQ(error_of("   ").first, 1);
  EXPECT_EQ(error_of("x; y").first, 2);
  EXPECT_EQ(error_of("x )").second, "unexpected ')'");
  EXPECT_THROW(fc::Formula::parse_list("x;"), fc::ParseError);
}

TEST(FormulaErrors, DescribeDrawsACaretUnderTheColumn) {
  try {
    fc::Formula::parse("sin(x + cos(x)");
    FAIL() << "no error";
  } catch (const fc::ParseError& e) {
    EXPECT_EQ(fc::describe(e, "sin(x + cos(x)"),
              "error: expected ')' at column 15\n"
              "  sin(x + cos(x)\n"
              "                ^\n");
  }
}

}  // namespace
