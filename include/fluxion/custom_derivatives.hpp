/// @file
/// Custom derivative rules, as JAX's jax.custom_jvp and jax.custom_vjp: a
/// function whose derivative is given by the user (a numerically stable form,
/// a singular point's limit, an implicit-function-theorem solve) and that
/// still composes with every transformation.
///
/// ```
///   Python                                     C++
///   @jax.custom_jvp                            auto f = fx::custom_jvp(f_impl, "f")
///   def f(x): ...                                  .defjvp([](auto primals, auto tangents) {
///   @f.defjvp                                        auto [x] = primals;
///   def f_jvp(primals, tangents):                    auto [t] = tangents;
///     x, = primals; t, = tangents                    return std::pair{f_impl(x), t * ...};
///     return f(x), t * ...                         });
///
///   @jax.custom_vjp                            auto g = fx::custom_vjp(g_impl, "g").defvjp(
///   def g(x, y): ...                               [](fx::Array x, fx::Array y) { return std::pair{g_impl(x, y), residuals}; },
///   g.defvjp(g_fwd, g_bwd)                         [](const Residuals& r, fx::Array ct) { return std::tuple{ct_x, ct_y}; });
/// ```
///
/// Arguments, results and residuals are pytrees (include/fluxion/pytree.hpp).
/// The jvp rule receives std::tuple<args...> of the primals and of their
/// tangents (or, when every argument is an Array, std::vector<Array>s; see
/// [docs/ARCHITECTURE.md](docs/ARCHITECTURE.md), "Transformations") and returns std::pair(primal
/// output, tangent output) of the function's structure. fwd takes the
/// function's arguments and returns std::pair(output, residuals); bwd takes
/// (residuals, output cotangent) and returns one cotangent per argument: a
/// std::tuple, a std::vector<Array> for Array arguments, or the bare
/// cotangent when there is one argument; an empty fx::Array() is a zero
/// cotangent.
///
/// Unlike JAX's `f.defjvp(rule)`, which changes f in place, defjvp and
/// defvjp return a new function: in C++ the rules' types become part of the
/// function object's type, which is what lets them take typed pytrees.
///
/// As in JAX: custom_vjp functions support reverse mode only (jvp of one
/// raises fx::TypeError); vmap maps the rules too; jit compiles the function
/// itself. Rules are traced like any function: they must not close over a
/// value another transformation is tracing. Pass such values as arguments.
#pragma once

#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "fluxion/transforms.hpp"

namespace fluxion {

namespace detail {

// Traces f on the arguments and binds custom_jvp_call; `rule` maps
// (argument leaves ++ tangent leaves) to (output leaves ++ tangent leaves).
std::vector<Array> custom_jvp_core(const std::string& name, const Fn& f, const std::string& rule_name, Fn rule,
                                   const std::vector<Array>& args);
// Traces f and binds custom_vjp_call; `fwd` maps argument leaves to output
// leaves ++ residual leaves, `bwd` residual leaves ++ output cotangent leaves
// to argument cotangent leaves.
std::vector<Array> custom_vjp_core(const std::string& name, const Fn& f, const std::string& fwd_name, Fn fwd,
                                   const std::string& bwd_name, Fn bwd, const std::vector<Array>& args);
[[noreturn]] void throw_no_rule(const char* kind, const std::string& name);
[[noreturn]] void throw_rule_structure(const std::string& message);

struct NoRule {};

template <class T> struct is_tuple_like : std::false_type {};
template <class... T> struct is_tuple_like<std::tuple<T...>> : std::true_type {};

}  // namespace detail

template <class F, class Rule = detail::NoRule> class CustomJvpFunction {
 public:
  CustomJvpFunction(F f, std::string name, Rule rule = {}, std::string rule_name = {})
      : f_(std::move(f)), rule_(std::move(rule)), name_(std::move(name)),
        rule_name_(rule_name.empty() ? name_ + "_jvp" : std::move(rule_name)) {}

  /// The function with `rule` as its JVP (JAX's f.defjvp(rule)).
  template <class R> CustomJvpFunction<F, R> defjvp(R rule, std::string rule_name = {}) const {
    return CustomJvpFunction<F, R>(f_, name_, std::move(rule), std::move(rule_name));
  }

  template <class... A>
    requires detail::tree_invocable<F, A...>
  auto operator()(const A&... a) const {
    using Out = detail::tree_result_value_t<F, A...>;
    if constexpr (std::is_same_v<Rule, detail::NoRule>) {
      detail::throw_no_rule("custom_jvp", name_);
      return Out{};
    } else {
      detail::FlatArgs flat = detail::flatten_args(a...);
      auto out_def = std::make_shared<TreeDef>();
      detail::Fn fn = detail::erase_tree<A...>(f_, flat.defs, out_def);
      const size_t n = flat.leaves.size();
      detail::Fn rule = [r = rule_, defs = flat.defs, n, name = rule_name_](const std::vector<Array>& in) {
        std::span<const Array> all(in);
        auto result = [&] {
          using Tuple = std::tuple<tree_value_t<A>...>;
          if constexpr (std::is_invocable_v<const Rule&, Tuple, Tuple>)
            return r(detail::unflatten_args<A...>(defs, all.first(n)), detail::unflatten_args<A...>(defs, all.subspan(n)));
          else  // the form for Array arguments: rule(std::vector<Array>, std::vector<Array>)
            return r(std::vector<Array>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n)),
                     std::vector<Array>(all.begin() + static_cast<std::ptrdiff_t>(n), all.end()));
        }();
        auto [outs, def] = tree_flatten(std::get<0>(result));
        auto [touts, tdef] = tree_flatten(std::get<1>(result));
        if (!(def == tdef))
          detail::throw_rule_structure("Custom JVP rule " + name + " must produce primal and tangent outputs with "
                                       "equal container (pytree) structures, but got " + def.str() + " and " +
                                       tdef.str() + " respectively.");
        outs.insert(outs.end(), touts.begin(), touts.end());
        return outs;
      };
      std::vector<Array> outs = detail::custom_jvp_core(name_, fn, rule_name_, std::move(rule), flat.leaves);
      return tree_unflatten<Out>(*out_def, outs);
    }
  }

 private:
  F f_;
  Rule rule_;
  std::string name_, rule_name_;
};

/// f with a custom JVP rule to come (defjvp). `name` is printed in jaxprs.
template <class F> CustomJvpFunction<F> custom_jvp(F f, std::string name = "f") {
  return CustomJvpFunction<F>(std::move(f), std::move(name));
}

template <class F, class Fwd = detail::NoRule, class Bwd = detail::NoRule> class CustomVjpFunction {
 public:
  CustomVjpFunction(F f, std::string name, Fwd fwd = {}, Bwd bwd = {}, std::string fwd_name = {},
                    std::string bwd_name = {})
      : f_(std::move(f)), fwd_(std::move(fwd)), bwd_(std::move(bwd)), name_(std::move(name)),
        fwd_name_(fwd_name.empty() ? name_ + "_fwd" : std::move(fwd_name)),
        bwd_name_(bwd_name.empty() ? name_ + "_bwd" : std::move(bwd_name)) {}

  /// The function with its VJP given by fwd and bwd (JAX's f.defvjp(fwd, bwd)).
  template <class Fw, class Bw>
  CustomVjpFunction<F, Fw, Bw> defvjp(Fw fwd, Bw bwd, std::string fwd_name = {}, std::string bwd_name = {}) const {
    return CustomVjpFunction<F, Fw, Bw>(f_, name_, std::move(fwd), std::move(bwd), std::move(fwd_name),
                                        std::move(bwd_name));
  }

  template <class... A>
    requires detail::tree_invocable<F, A...>
  auto operator()(const A&... a) const {
    using Out = detail::tree_result_value_t<F, A...>;
    if constexpr (std::is_same_v<Fwd, detail::NoRule>) {
      detail::throw_no_rule("custom_vjp", name_);
      return Out{};
    } else {
      using FwdResult = std::invoke_result_t<const Fwd&, tree_value_t<A>...>;
      using Res = tree_value_t<std::tuple_element_t<1, FwdResult>>;
      detail::FlatArgs flat = detail::flatten_args(a...);
      auto out_def = std::make_shared<TreeDef>();
      auto res_def = std::make_shared<TreeDef>();
      detail::Fn fn = detail::erase_tree<A...>(f_, flat.defs, out_def);
      detail::Fn fwd = [fw = fwd_, defs = flat.defs, out_def, res_def, name = fwd_name_](const std::vector<Array>& in) {
        auto result = std::apply(fw, detail::unflatten_args<A...>(defs, in));
        auto [outs, def] = tree_flatten(std::get<0>(result));
        if (!(def == *out_def))
          detail::throw_rule_structure("Custom VJP fwd rule " + name + " must produce a pair whose first element "
                                       "has the function's output structure " + out_def->str() + ", got " +
                                       def.str());
        auto [res, rdef] = tree_flatten(std::get<1>(result));
        *res_def = std::move(rdef);
        outs.insert(outs.end(), res.begin(), res.end());
        return outs;
      };
      detail::Fn bwd = [bw = bwd_, defs = flat.defs, out_def, res_def, name = bwd_name_](const std::vector<Array>& in) {
        std::span<const Array> all(in);
        const size_t nr = res_def->num_leaves();
        Res res = tree_unflatten<Res>(*res_def, all.first(nr));
        Out ct = tree_unflatten<Out>(*out_def, all.subspan(nr));
        auto cts = bw(res, ct);
        // One cotangent per argument: a tuple, or the cotangent itself for one argument.
        TreeDef want = TreeDef::tuple(defs);
        std::pair<std::vector<Array>, TreeDef> flat_cts;
        using Cts = std::remove_cvref_t<decltype(cts)>;
        if constexpr (detail::is_tuple_like<Cts>::value) {
          flat_cts = tree_flatten(cts);
        } else if constexpr (detail::is_array_vector<Cts>::value && detail::all_arrays_v<A...>) {
          // The form for Array arguments: one cotangent per argument in a vector.
          std::vector<TreeDef> leaves(cts.size());
          flat_cts = {cts, TreeDef::tuple(std::move(leaves))};
        } else if constexpr (sizeof...(A) == 1) {
          flat_cts = tree_flatten(std::tuple(cts));
        }
        else
          static_assert(detail::is_tuple_like<Cts>::value,
                        "fx::custom_vjp: bwd must return a std::tuple with one cotangent per argument");
        if (!(flat_cts.second == want))
          detail::throw_rule_structure("Custom VJP bwd rule " + name + " must produce an output with the same "
                                       "container (pytree) structure as the args tuple of the primal function, "
                                       "and in particular must produce a tuple of length equal to the number of "
                                       "arguments to the primal function, but got bwd output structure " +
                                       flat_cts.second.str() + " for primal input structure " + want.str() + ".");
        return flat_cts.first;
      };
      std::vector<Array> outs = detail::custom_vjp_core(name_, fn, fwd_name_, std::move(fwd), bwd_name_,
                                                        std::move(bwd), flat.leaves);
      return tree_unflatten<Out>(*out_def, outs);
    }
  }

 private:
  F f_;
  Fwd fwd_;
  Bwd bwd_;
  std::string name_, fwd_name_, bwd_name_;
};

/// f with a custom VJP to come (defvjp). `name` is printed in jaxprs.
template <class F> CustomVjpFunction<F> custom_vjp(F f, std::string name = "f") {
  return CustomVjpFunction<F>(std::move(f), std::move(name));
}

}  // namespace fluxion
