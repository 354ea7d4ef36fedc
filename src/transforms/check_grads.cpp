// check_grads: jax.test_util.check_grads for Fluxion. The finite differences
// and inner products are computed in plain C++ doubles from the elements, so
// the reference does not depend on the operations being checked.
#include "fluxion/check_grads.hpp"

#include <cmath>
#include <initializer_list>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/ops.hpp"

namespace fluxion::detail {
namespace {

struct Tolerance {
  double atol, rtol, eps;
  double exact;  // bound for <J v, w> == <v, J^T w> with both sides from AD, relative to the terms' size
};

std::string num(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

// "[1, 0]" for flat index 3 of shape (2, 3).
std::string index_string(int64_t flat, const Shape& shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  return "[" + join(idx) + "]";
}

bool close(double expected, double got, double atol, double rtol) {
  if (std::isnan(expected) || std::isnan(got)) return std::isnan(expected) && std::isnan(got);
  if (expected == got) return true;  // equal infinities
  return std::fabs(expected - got) <= atol + rtol * std::fabs(expected);
}

// Every floating value in `groups` is float64: JAX's float64 tolerances; else float32's.
Tolerance tolerance(const CheckGradsOptions& o, std::initializer_list<const std::vector<Array>*> groups) {
  bool single = false;
  for (const auto* g : groups)
    for (const Array& x : *g) single = single || x.dtype() == DType::float32;
  const double dflt = single ? 1e-2 : 1e-5;
  const double rtol = o.rtol.value_or(dflt);
  // Rounding alone separates the two AD sides, so the identity is checked
  // far tighter than the finite differences (1e-9 for float64 by default).
  return {o.atol.value_or(dflt), rtol, o.eps.value_or(1e-4), rtol * (single ? 1e-2 : 1e-4)};
}

// An array of x's dtype and shape holding `values`; a weak 0-d x stays weak
// (as a C++ scalar), so promotion inside f sees the same types.
Array like(const Array& x, const std::vector<double>& values) {
  if (x.ndim() == 0 && x.weak_type()) {
    if (x.dtype() == DType::float32) return Array(static_cast<float>(values[0]));
    if (x.dtype() == DType::float64) return Array(values[0]);
  }
  return array(values, x.shape(), x.dtype());
}

double dot(const std::vector<double>& a, const std::vector<double>& b, double* abs_sum) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    s += a[i] * b[i];
    *abs_sum += std::fabs(a[i] * b[i]);
  }
  return s;
}

class Checker {
 public:
  Checker(GradMode modes, const CheckGradsOptions& options) : modes_(modes), options_(options), rng_(options.seed) {}

  // `chain` names the transformations f already is ("JVP of VJP"); depth
  // is the derivative order the checks of f's derivatives verify.
  void run(const Fn& f, const std::vector<Array>& args, int order, const std::string& chain, int depth) {
    const std::string of = chain.empty() ? "" : " of " + chain;
    if (has_mode(modes_, GradMode::fwd)) {
      const std::string what = "JVP" + of;
      check_jvp(f, args, what, depth);
      if (order > 1) {
        const size_t n = args.size();
        const Fn jvp_fn = [f, n](const std::vector<Array>& xs) {
          auto [outs, touts] = jvp_core(f, {xs.begin(), xs.begin() + n}, {xs.begin() + n, xs.end()});
          outs.insert(outs.end(), touts.begin(), touts.end());
          return outs;
        };
        std::vector<Array> both = args;
        both.insert(both.end(), args.begin(), args.end());
        run(jvp_fn, both, order - 1, what, depth + 1);
      }
    }
    if (has_mode(modes_, GradMode::rev)) {
      const std::string what = "VJP" + of;
      check_vjp(f, args, what, depth);
      if (order > 1) {
        // The outputs themselves serve as cotangents (as JAX's check_grads).
        const Fn vjp_fn = [f](const std::vector<Array>& xs) {
          const VjpResult r = vjp_core(f, xs);
          std::vector<Array> cts;
          for (const Array& o : r.outputs) cts.push_back(is_floating(o.dtype()) ? o : Array());
          return pullback(r, cts);
        };
        run(vjp_fn, args, order - 1, what, depth + 1);
      }
    }
  }

 private:
  [[noreturn]] static void fail(const std::string& what, int depth, const std::string& msg) {
    throw Error("check_grads: " + what + " (derivative order " + std::to_string(depth) + ") failed: " + msg);
  }

  // Standard normal entries for floating arrays, zeros (held fixed) otherwise.
  Array random_like(const Array& x) {
    if (!is_floating(x.dtype())) return zeros_like(x);
    std::vector<double> v(static_cast<size_t>(x.size()));
    for (double& e : v) e = normal_(rng_);
    return array(v, x.shape(), x.dtype());
  }
  std::vector<Array> random_like(const std::vector<Array>& xs) {
    std::vector<Array> out;
    for (const Array& x : xs) out.push_back(random_like(x));
    return out;
  }

  // Central differences of every output along `tangents`; empty for
  // non-floating outputs.
  static std::vector<std::vector<double>> numerical_jvp(const Fn& f, const std::vector<Array>& args,
                                                        const std::vector<Array>& tangents, double eps) {
    std::vector<Array> plus, minus;
    for (size_t i = 0; i < args.size(); ++i) {
      if (!is_floating(args[i].dtype())) {
        plus.push_back(args[i]);
        minus.push_back(args[i]);
        continue;
      }
      std::vector<double> x = args[i].to_vector<double>(), p = x, m = x;
      const std::vector<double> t = tangents[i].to_vector<double>();
      for (size_t k = 0; k < x.size(); ++k) {
        p[k] = x[k] + eps * t[k];
        m[k] = x[k] - eps * t[k];
      }
      plus.push_back(like(args[i], p));
      minus.push_back(like(args[i], m));
    }
    const std::vector<Array> fp = f(plus), fm = f(minus);
    std::vector<std::vector<double>> out(fp.size());
    for (size_t o = 0; o < fp.size(); ++o) {
      if (!is_floating(fp[o].dtype())) continue;
      const std::vector<double> a = fp[o].to_vector<double>(), b = fm[o].to_vector<double>();
      out[o].resize(a.size());
      for (size_t k = 0; k < a.size(); ++k) out[o][k] = (a[k] - b[k]) / (2 * eps);
    }
    return out;
  }

  // The transformation's primal outputs must be f's.
  static void check_primals(const std::vector<Array>& expected, const std::vector<Array>& got, const Tolerance& tol,
                            const std::string& what, int depth) {
    if (expected.size() != got.size())
      fail(what, depth, "f has " + std::to_string(expected.size()) + " outputs but the transformation returned " +
                            std::to_string(got.size()));
    for (size_t o = 0; o < got.size(); ++o) {
      if (got[o].shape() != expected[o].shape() || got[o].dtype() != expected[o].dtype())
        fail(what, depth, "primal output " + std::to_string(o) + " has type " + to_string(got[o].aval()) +
                              ", expected " + to_string(expected[o].aval()) + " (f's output)");
      if (!is_floating(got[o].dtype())) continue;
      const auto e = expected[o].to_vector<double>(), g = got[o].to_vector<double>();
      for (size_t k = 0; k < e.size(); ++k)
        if (!close(e[k], g[k], tol.atol, tol.rtol))
          fail(what, depth, "primal output " + std::to_string(o) + " at " + index_string(int64_t(k), got[o].shape()) +
                                ": expected " + num(e[k]) + " (f), got " + num(g[k]));
    }
  }

  // A derivative of a floating value must have its shape and dtype.
  static void check_type(const Array& d, const Array& of_value, const std::string& kind, size_t i,
                         const std::string& what, int depth) {
    if (!is_floating(of_value.dtype())) return;
    if (!d.valid() || d.shape() != of_value.shape() || d.dtype() != of_value.dtype())
      fail(what, depth, kind + " " + std::to_string(i) + " has type " + (d.valid() ? to_string(d.aval()) : "<empty>") +
                            ", expected " + to_string(AbstractValue{of_value.shape(), of_value.dtype(), false}));
  }

  void check_jvp(const Fn& f, const std::vector<Array>& args, const std::string& what, int depth) {
    const std::vector<Array> tangents = random_like(args);
    const auto [outs, touts] = jvp_core(f, args, tangents);
    const std::vector<Array> expected = f(args);
    const Tolerance tol = tolerance(options_, {&args, &expected});
    check_primals(expected, outs, tol, what, depth);
    for (size_t o = 0; o < outs.size(); ++o) check_type(touts[o], outs[o], "tangent output", o, what, depth);
    const auto numeric = numerical_jvp(f, args, tangents, tol.eps);
    for (size_t o = 0; o < outs.size(); ++o) {
      if (!is_floating(outs[o].dtype())) continue;
      const std::vector<double> got = touts[o].to_vector<double>();
      for (size_t k = 0; k < got.size(); ++k)
        if (!close(numeric[o][k], got[k], tol.atol, tol.rtol))
          fail(what, depth, "tangent output " + std::to_string(o) + " at " +
                                index_string(int64_t(k), outs[o].shape()) + " of shape " +
                                shape_to_string(outs[o].shape()) + ": expected " + num(numeric[o][k]) +
                                " (central differences, eps " + num(tol.eps) + "), got " + num(got[k]) +
                                " (jvp); |difference| " + num(std::fabs(numeric[o][k] - got[k])) + " > atol " +
                                num(tol.atol) + " + rtol " + num(tol.rtol) + " * |expected|");
    }
  }

  void check_vjp(const Fn& f, const std::vector<Array>& args, const std::string& what, int depth) {
    const VjpResult r = vjp_core(f, args);
    const std::vector<Array> expected = f(args);
    const Tolerance tol = tolerance(options_, {&args, &expected});
    check_primals(expected, r.outputs, tol, what, depth);
    std::vector<Array> cts;
    for (const Array& o : r.outputs) cts.push_back(is_floating(o.dtype()) ? random_like(o) : Array());
    const std::vector<Array> in_cts = pullback(r, cts);
    if (in_cts.size() != args.size())
      fail(what, depth, "the pullback returned " + std::to_string(in_cts.size()) + " cotangents for " +
                            std::to_string(args.size()) + " inputs");
    for (size_t i = 0; i < args.size(); ++i) check_type(in_cts[i], args[i], "input cotangent", i, what, depth);

    const std::vector<Array> tangents = random_like(args);
    // <J v, w> by forward mode too, which catches a transpose rule that
    // disagrees with its JVP rule at any precision. A function checked in
    // reverse mode alone may have no forward mode (a custom_vjp function):
    // then only finite differences check it, as JAX's check_vjp does.
    std::vector<Array> touts;
    bool with_jvp = true;
    try {
      touts = jvp_core(f, args, tangents).second;
    } catch (const TypeError&) {
      if (has_mode(modes_, GradMode::fwd)) throw;
      with_jvp = false;
    }
    const auto numeric = numerical_jvp(f, args, tangents, tol.eps);
    double scale = 0, fd_scale = 0;
    double v_jtw = 0, jv_w = 0, fd_w = 0;  // <v, J^T w>, <J v, w> by jvp, <J v, w> by differences
    for (size_t i = 0; i < args.size(); ++i)
      if (is_floating(args[i].dtype()))
        v_jtw += dot(tangents[i].to_vector<double>(), in_cts[i].to_vector<double>(), &scale);
    for (size_t o = 0; o < cts.size(); ++o) {
      if (!cts[o].valid()) continue;
      const std::vector<double> w = cts[o].to_vector<double>();
      if (with_jvp) jv_w += dot(touts[o].to_vector<double>(), w, &scale);
      fd_w += dot(numeric[o], w, &fd_scale);
    }
    const std::string identity = "dot-product identity <J v, w> == <v, J^T w> with random v and w: ";
    // The atol term admits rounding noise where the exact value is 0 but
    // is computed by cancellation (VJP of VJP of sqrt is constant).
    if (with_jvp && !(std::fabs(jv_w - v_jtw) <= tol.exact * (scale + tol.atol)))
      fail(what, depth, identity + "<J v, w> = " + num(jv_w) + " (jvp), but <v, J^T w> = " + num(v_jtw) +
                            " (vjp); |difference| " + num(std::fabs(jv_w - v_jtw)) + " > " + num(tol.exact) +
                            " * (" + num(scale) + " (sum of |terms|) + atol)");
    if (!close(fd_w, v_jtw, tol.atol, tol.rtol))
      fail(what, depth, identity + "expected <J v, w> = " + num(fd_w) + " (central differences, eps " +
                            num(tol.eps) + "), got <v, J^T w> = " + num(v_jtw) + " (vjp); |difference| " +
                            num(std::fabs(fd_w - v_jtw)) + " > atol " + num(tol.atol) + " + rtol " +
                            num(tol.rtol) + " * |expected|");
  }

  GradMode modes_;
  CheckGradsOptions options_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_;
};

}  // namespace

void check_grads_core(const Fn& f, const std::vector<Array>& args, int order, GradMode modes,
                      const CheckGradsOptions& options) {
  if (order < 1) throw ValueError("check_grads: order must be at least 1, got " + std::to_string(order));
  if (!has_mode(modes, GradMode::fwd) && !has_mode(modes, GradMode::rev))
    throw ValueError("check_grads: modes must include fx::fwd or fx::rev");
  for (size_t i = 0; i < args.size(); ++i)
    if (!args[i].valid() || !args[i].is_concrete())
      throw TypeError("check_grads: argument " + std::to_string(i) + " must be a concrete array");
  Checker(modes, options).run(f, args, order, "", 1);
}

}  // namespace fluxion::detail
