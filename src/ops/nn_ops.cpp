// The functions of include/fluxion/nn.hpp, with their custom rules written
// as JAX writes them (jax/_src/nn/functions.py, jax/_src/numpy/ufuncs.py).
#include "fluxion/nn.hpp"

#include <cmath>
#include <tuple>
#include <utility>

#include "core/shape_util.hpp"
#include "fluxion/custom_derivatives.hpp"
#include "ops/internal.hpp"

namespace fluxion {

namespace {

Array inexact(const Array& x) { return detail::promote_dtypes_inexact({x})[0]; }

// The result of reducing `axes` of an array of `shape`, with those axes back as size 1.
Array keep_reduced_dims(const Array& reduced, const Shape& shape, const std::vector<int64_t>& axes) {
  Shape kept = shape;
  std::vector<int64_t> dims;
  for (int64_t i = 0, next = 0; i < static_cast<int64_t>(shape.size()); ++i) {
    if (next < static_cast<int64_t>(axes.size()) && axes[next] == i) {
      kept[i] = 1;
      ++next;
    } else {
      dims.push_back(i);
    }
  }
  return detail::broadcast_in_dim(reduced, kept, dims);
}

// x where it is not +inf, 0 where it is (JAX's _replace_inf): e^(x - out) is
// then 0 or 1, not NaN, when both are +inf.
Array replace_inf(const Array& x) { return where(x == inf, zeros_like(x), x); }

Array logaddexp_impl(const Array& a, const Array& b) {
  const Array amax = maximum(a, b);
  const Array delta = a - b;
  // NaN delta: NaNs, or infinities of the same sign (whose sum is the answer).
  return where(delta != delta, a + b, amax + log1p(exp(-abs(delta))));
}

const auto logaddexp_fn = custom_jvp(logaddexp_impl, "logaddexp").defjvp([](auto primals, auto tangents) {
  auto [a, b] = primals;
  auto [ta, tb] = tangents;
  const Array out = logaddexp_impl(a, b);
  return std::pair{out, ta * exp(replace_inf(a) - replace_inf(out)) + tb * exp(replace_inf(b) - replace_inf(out))};
});

// The k-th derivative of sin(x)/x at 0, as a function of x that is that
// constant; its own JVP is the next one's, so every order is exact at 0
// (JAX's _sinc_maclaurin).
Array sinc_maclaurin(int k, const Array& x) {
  const double c = k % 2 ? 0.0 : ((k / 2) % 2 ? -1.0 : 1.0) / (k + 1);
  const auto f = custom_jvp([c](const Array& u) { return u * 0.0 + c; }, "_sinc_maclaurin")
                     .defjvp([k](auto primals, auto tangents) {
                       auto [u] = primals;
                       auto [t] = tangents;
                       return std::pair{sinc_maclaurin(k, u), sinc_maclaurin(k + 1, u) * t};
                     });
  return f(x);
}

const auto relu_fn = custom_jvp([](const Array& x) { return maximum(x, 0.0); }, "relu")
                         .defjvp([](auto primals, auto tangents) {
                           auto [x] = primals;
                           auto [t] = tangents;
                           return std::pair{maximum(x, 0.0), where(x > 0.0, t, zeros_like(t))};
                         });

Array norm_impl(const Array& x, const Axes& axes, bool keepdims) { return sqrt(sum(x * x, axes, keepdims)); }

// jax.nn.logsumexp (jax/_src/ops/special.py): (log|sum(b e^a)|, sign of the
// sum). Elements with b == 0 are left out (a set to -inf there); the max is
// shifted out and held constant for the derivative, 0 where it is not
// finite (all -inf along an axis, or an empty one: no inf - inf); without
// return_sign a negative weighted sum gives NaN.
std::pair<Array, Array> logsumexp_core(const Array& a_in, const Axes& axes, const std::optional<Array>& b_in,
                                       bool keepdims, bool return_sign) {
  Array a, b;
  if (b_in) {
    const std::vector<Array> ab = detail::promote_dtypes_inexact({a_in, *b_in});
    b = ab[1];
    a = where(b != 0.0, ab[0], -inf);
  } else {
    a = inexact(a_in);
  }
  const std::vector<int64_t> dims = detail::normalize_axes(axes, a.ndim(), "logsumexp");
  // reduce_max of an empty axis is -inf, as JAX's max(..., initial=-inf).
  Array amax = dims.empty() ? a : keep_reduced_dims(bind1(prim::reduce_max_p, {a}, {{"axes", dims}}), a.shape(), dims);
  amax = stop_gradient(where(isfinite(amax), amax, zeros_like(amax)));
  Array exp_a = exp(a - amax);
  if (b.valid()) exp_a = exp_a * b;
  Array sumexp = sum(exp_a, Axes(dims), true);
  const Array sign_ = sign(sumexp);
  Array out = log(abs(sumexp)) + amax;
  if (b.valid() && !return_sign) out = where(sign_ < 0.0, full_like(out, nan), out);
  if (keepdims || dims.empty()) return {out, sign_};
  return {squeeze(out, Axes(dims)), squeeze(sign_, Axes(dims))};
}

}  // namespace

Array logaddexp(const Array& a, const Array& b) {
  auto xs = detail::promote_dtypes_inexact({a, b});
  return logaddexp_fn(xs[0], xs[1]);
}

Array sinc(const Array& x_in) {
  const Array x = inexact(x_in);
  const Array eq_zero = x == 0.0;
  const Array pi_x = x * pi;
  const Array safe = where(eq_zero, ones_like(pi_x), pi_x);
  return where(eq_zero, sinc_maclaurin(0, pi_x), sin(safe) / safe);
}

namespace nn {

Array relu(const Array& x) { return relu_fn(x); }

Array softplus(const Array& x) {
  const Array y = inexact(x);
  return logaddexp(y, zeros_like(y));
}

Array sigmoid(const Array& x) {
  const Array y = inexact(x);
  return 1.0 / (1.0 + exp(-y));
}

Array logsumexp(const Array& a, const Axes& axes, bool keepdims) {
  return logsumexp_core(a, axes, std::nullopt, keepdims, false).first;
}

Array logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims) {
  return logsumexp_core(a, axes, b, keepdims, false).first;
}

std::pair<Array, Array> logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims,
                                  ReturnSign) {
  return logsumexp_core(a, axes, b, keepdims, true);
}

Array softmax(const Array& x, const Axes& axes) {
  const Array y = inexact(x);
  const Array shifted = y - stop_gradient(max(y, axes, true));
  const Array e = exp(shifted);
  return e / sum(e, axes, true);
}

Array log_softmax(const Array& x, const Axes& axes) {
  const Array y = inexact(x);
  const Array shifted = y - stop_gradient(max(y, axes, true));
  return shifted - log(sum(exp(shifted), axes, true));
}

}  // namespace nn

namespace linalg {

Array norm(const Array& x_in, const Axes& axes, bool keepdims) {
  const Array x = inexact(x_in);
  const auto f = custom_jvp([axes, keepdims](const Array& u) { return norm_impl(u, axes, keepdims); }, "norm")
                     .defjvp([axes, keepdims](auto primals, auto tangents) {
                       auto [u] = primals;
                       auto [t] = tangents;
                       const Array n = norm_impl(u, axes, keepdims);
                       const Array nk = keepdims ? n : norm_impl(u, axes, true);
                       // x.t / |x|, and 0 where |x| = 0 (a subgradient).
                       const Array safe = where(nk == 0.0, ones_like(nk), nk);
                       Array d = sum(u * t / safe, axes, keepdims);
                       return std::pair{n, d};
                     });
  return f(x);
}

}  // namespace linalg

}  // namespace fluxion
