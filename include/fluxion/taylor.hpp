/// @file
/// The Taylor toolkit fx::taylor: Taylor coefficients, polynomials, remainders
/// and error tables of one-variable functions through one fx::jet call, and
/// the linear, quadratic and cubic approximations of f: Rⁿ → R from its
/// gradient, Hessian and third-derivative tensor.
///
///     auto sc = [](fx::Array x) { return fx::sin(x) + fx::cos(x); };
///     fx::taylor::coefficients(sc, 0.0, 4);   // {1, 1, -0.5, -1/6, 1/24}
///     fx::taylor::Polynomial T5 = fx::taylor::polynomial(sc, 0.0, 5);
///     T5(fx::linspace(-4, 4, 9));             // Σ_k c_k (x − 0)^k by Horner
///
/// Every result is built from fx operations, so it composes with grad, vmap
/// and jit like any other function (a Polynomial is a differentiable callable).
/// docs/TAYLOR.md walks through each function with its output.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/transforms.hpp"

namespace fluxion::taylor {

/// A function of one Array returning one Array: how the toolkit holds the
/// functions it is given (any callable of that signature converts).
using Function = std::function<Array(Array)>;

// ------------------------------------------------------------ one variable

/// f(x0), f'(x0), ..., f^(order)(x0): order + 1 arrays from ONE fx::jet call
/// along the path x0 + t (series {1, 0, ..., 0}), O(order²) work per
/// primitive where nested grad costs O(2^order). For an array x0 every
/// element moves together; for an elementwise f (sin, tanh, ...) that gives
/// each element's own derivatives. An integer x0 is taken as float64.
/// Throws fx::ValueError for order < 0.
std::vector<Array> derivatives(const Function& f, const Array& x0, int order);

/// d^k/dt^k f(x0 + t·direction) at t = 0 for k = 0..order, one jet call: the
/// directional derivatives of a function of several variables (direction has
/// x0's shape).
std::vector<Array> directional_derivatives(const Function& f, const Array& x0, const Array& direction, int order);

/// The Taylor coefficients f^(k)(x0) / k!, k = 0..order: derivatives()
/// divided by k! in double, as the seeds divide nested grad's derivatives
/// (k! is exact to 22!, and past 170! it overflows and the coefficient is 0).
std::vector<Array> coefficients(const Function& f, const Array& x0, int order);

/// T(x) = Σ_k c_k (x − x0)^k. Evaluated by Horner's rule with fx operations,
/// so grad, vmap and jit apply to it. Coefficients of an array center are
/// per element (x must broadcast against the center).
class Polynomial {
 public:
  /// Throws fx::ValueError when `coefficients` is empty.
  Polynomial(Array center, std::vector<Array> coefficients);

  const Array& center() const { return center_; }
  const std::vector<Array>& coefficients() const { return coefficients_; }
  int degree() const { return static_cast<int>(coefficients_.size()) - 1; }

  Array operator()(const Array& x) const;

  /// T_n from T_N (n ≤ N): the first n + 1 coefficients, so one jet call
  /// serves T₁, T₂, T₅, T₁₀ alike. Throws fx::ValueError for n outside 0..N.
  Polynomial truncated(int degree) const;

  /// The polynomial in ordinary notation with each coefficient's shortest
  /// round-trip digits, powers of (x − x0): "1 + x - 0.5*x^2". Zero
  /// coefficients are left out. Scalar center only (fx::ShapeError otherwise).
  std::string str(std::string_view variable = "x") const;

 private:
  Array center_;
  std::vector<Array> coefficients_;
};

/// The Taylor polynomial of f of the given degree at x0 (coefficients()).
Polynomial polynomial(const Function& f, const Array& x0, int degree);

/// f(x) − p(x): Taylor's remainder R_n(x) when p is f's degree-n polynomial.
template <class F, class P> Array remainder(const F& f, const P& p, const Array& x) { return f(x) - p(x); }

// ------------------------------------------------------- error scaling

/// Seed 000's experiment: how fast an approximation's error falls with the
/// distance h from its center. errors[k] = p(x0 + h_k u) − f(x0 + h_k u) (the
/// seed's diff, approximation minus function, so −remainder). For an order-n
/// approximation the error is O(h^(n+1)): each decade of h divides it by
/// about 10^(n+1), until it meets f's rounding (~1e-16 relative).
struct ErrorScaling {
  Array scales;    ///< h_k, shape (m,)
  Array errors;    ///< p(x0 + h_k u) − f(x0 + h_k u), shape (m,)
  int order = -1;  ///< n, the approximation's order; -1 when not given

  /// errors[k−1] / errors[k] for k = 1..m−1: ≈ 10^(n+1) per decade.
  std::vector<double> ratios() const;
  /// (h_{k−1} / h_k)^(n+1) for k = 1..m−1, what Taylor's theorem predicts
  /// for ratios(); empty when the order is not known.
  std::vector<double> expected_ratios() const;
  /// log(errors[k−1] / errors[k]) / log(h_{k−1} / h_k) − 1 for k = 1..m−1:
  /// the order the errors show (≈ n while the Taylor term dominates); NaN
  /// where the error changes sign or vanishes (rounding, not a Taylor term).
  std::vector<double> observed_orders() const;
  /// The table the tour prints: one row per scale with the step (%.0e), the
  /// error (%.8e), "previous / this" (%.1f) and the observed order (%.2f,
  /// "-" where NaN), right-aligned columns, rows ending in '\n', then a line
  /// with Taylor's prediction when the order is known.
  std::string table() const;
};

namespace detail {
ErrorScaling error_scaling(const Function& f, const Function& approx, const Array& x0, const Array& direction,
                           const Array& scales, int order);
}  // namespace detail

/// The errors of `approx` against f at x0 + h_k·direction for each h_k in
/// `scales`, all in one vmap call (the seed's
/// `vmap(diff, in_axes=(0, None))(xs, xo)`). f and approx return one number
/// per point (fx::ValueError otherwise); `order`, when given, is approx's n.
template <class F, class P>
ErrorScaling error_scaling(F f, P approx, const Array& x0, const Array& direction, const Array& scales,
                           int order = -1) {
  return detail::error_scaling(Function(std::move(f)), Function(std::move(approx)), x0, direction, scales, order);
}

/// The same for f's own degree-`order` Taylor polynomial at a scalar x0,
/// stepping to x0 + h (scales 10⁻¹ … 10⁻⁵ unless given).
ErrorScaling error_scaling(const Function& f, const Array& x0, int order, const Array& scales = logspace(-1, -5, 5));

// ------------------------------------------------------- several variables

/// The order-1, -2 or -3 Taylor approximation of f: Rⁿ → R at x0:
///     T(x) = f(x0) + ∇f(x0)·δ + ½ δᵀ Hf(x0) δ + ⅙ D³f(x0)[δ, δ, δ],  δ = x − x0,
/// truncated at `order`. The derivatives are exact (grad, hessian, and jacfwd
/// of hessian for the third), computed once when the approximation is built.
class Multivariate {
 public:
  Multivariate(Array center, int order, Array value, Array gradient, Array hessian, Array third);

  const Array& center() const { return center_; }
  int order() const { return order_; }
  const Array& value() const { return value_; }        ///< f(x0), 0-d
  const Array& gradient() const { return gradient_; }  ///< ∇f(x0), shape (n,)
  /// Hf(x0), shape (n, n); fx::ValueError below order 2.
  const Array& hessian() const;
  /// D³f(x0), shape (n, n, n); fx::ValueError below order 3.
  const Array& third() const;

  /// T at one point x of shape (n,), or at each row of x of shape (..., n).
  Array operator()(const Array& x) const;

  /// The same approximation to a lower order (T₁ from T₂, say), no new derivatives.
  Multivariate truncated(int order) const;

 private:
  Array center_;
  int order_;
  Array value_, gradient_, hessian_, third_;
};

namespace detail {
Multivariate approximation(const Function& f, const Array& x0, int order);
[[noreturn]] void throw_multivariate_arity(int64_t n);

// f as a function of one vector: a function of one Array already is; one of
// n separate arguments, like MML's g(x, y), reads them from the entries.
template <class F> Function as_vector_function(F f, int64_t n) {
  if constexpr (fluxion::detail::invocable_n<F, 1>) {
    return Function(std::move(f));
  } else {
    fluxion::detail::Fn erased = fluxion::detail::erase_dynamic(f, static_cast<size_t>(n));
    return [erased, n](Array v) {
      std::vector<Array> args;
      for (int64_t i = 0; i < n; ++i) args.push_back(v[i]);
      std::vector<Array> out = erased(args);
      if (out.size() != 1) throw_multivariate_arity(static_cast<int64_t>(out.size()));
      return out[0];
    };
  }
}
}  // namespace detail

/// T of f at x0 (a vector of n entries), order 0 to 3. f takes the vector
/// (f(x) with x of shape (n,)) or n separate scalars (f(x, y) for n = 2);
/// it must return a 0-d value (fx::ValueError otherwise, and for an order
/// outside 0..3). The seed's quadratic_taylor_approx(g, points, (1, 2)) is
/// approximation(g, fx::array({1.0, 2.0}), 2)(points).
template <class F> Multivariate approximation(F f, const Array& x0, int order) {
  return detail::approximation(detail::as_vector_function(std::move(f), x0.ndim() == 1 ? x0.shape()[0] : 1), x0,
                               order);
}

}  // namespace fluxion::taylor
