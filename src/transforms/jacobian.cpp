// jacfwd and jacrev: Jacobians built from JVPs of basis tangents and from
// pullbacks of basis cotangents. Output shape: out.shape + in.shape (JAX's).
// (vmap will batch the basis vectors instead of looping over them.)
#include <string>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/transforms.hpp"

namespace fluxion::detail {
namespace {

std::vector<size_t> checked_positions(const char* name, const std::vector<Array>& args, const std::vector<int>& argnums) {
  std::vector<size_t> positions;
  const int n = static_cast<int>(args.size());
  for (int a : argnums) {
    if (a < -n || a >= n)
      throw Error(std::string(name) + ": argnums " + std::to_string(a) + " is out of bounds for a function of " +
                  std::to_string(n) + " positional argument(s)");
    const size_t p = static_cast<size_t>(a < 0 ? a + n : a);
    if (!is_floating(args[p].dtype()))
      throw TypeError(std::string(name) + " requires real-valued inputs (input dtype that is a sub-dtype of "
                      "floating), but got " + std::string(dtype_name(args[p].dtype())) + " for argument " +
                      std::to_string(p));
    positions.push_back(p);
  }
  return positions;
}

// The j-th standard basis vector of the space of arrays shaped like x.
Array basis(const Array& x, int64_t j) {
  std::vector<double> one_hot(static_cast<size_t>(x.size()), 0.0);
  one_hot[static_cast<size_t>(j)] = 1.0;
  return array(one_hot, x.shape(), x.dtype());
}

Shape concat(const Shape& a, const Shape& b) {
  Shape s = a;
  s.insert(s.end(), b.begin(), b.end());
  return s;
}

// Stacks per-element pieces into an array of shape `shape` (the pieces along
// the flattened trailing axes when `trailing`, else the leading ones).
Array assemble(const std::vector<Array>& pieces, const Shape& shape, bool trailing, DType dtype) {
  if (pieces.empty()) return zeros(shape, dtype);
  return reshape(stack(pieces, trailing ? -1 : 0), shape);
}

}  // namespace

std::vector<std::vector<Array>> jacfwd_core(const Fn& f, const std::vector<Array>& args,
                                            const std::vector<int>& argnums) {
  const std::vector<size_t> positions = checked_positions("jacfwd", args, argnums);
  std::vector<Array> outs;
  std::vector<std::vector<std::vector<Array>>> columns;  // [argnum][output][column]
  for (size_t p : positions) {
    std::vector<std::vector<Array>> per_output;
    for (int64_t j = 0; j < args[p].size(); ++j) {
      std::vector<Array> tangents;
      for (size_t i = 0; i < args.size(); ++i)
        tangents.push_back(i == p ? basis(args[p], j) : zeros_like(args[i]));
      auto [o, t] = jvp_core(f, args, tangents);
      if (outs.empty()) outs = o;
      per_output.resize(t.size());
      for (size_t k = 0; k < t.size(); ++k) per_output[k].push_back(t[k]);
    }
    columns.push_back(std::move(per_output));
  }
  if (outs.empty()) outs = f(args);
  std::vector<std::vector<Array>> jac(outs.size());
  for (size_t o = 0; o < outs.size(); ++o)
    for (size_t a = 0; a < positions.size(); ++a) {
      const std::vector<Array> none;
      const auto& cols = o < columns[a].size() ? columns[a][o] : none;
      jac[o].push_back(assemble(cols, concat(outs[o].shape(), args[positions[a]].shape()), true, outs[o].dtype()));
    }
  return jac;
}

std::vector<std::vector<Array>> jacrev_core(const Fn& f, const std::vector<Array>& args,
                                            const std::vector<int>& argnums) {
  const std::vector<size_t> positions = checked_positions("jacrev", args, argnums);
  std::vector<Array> diff;
  for (size_t p : positions) diff.push_back(args[p]);
  const Fn partial = [&](const std::vector<Array>& xs) {
    std::vector<Array> full = args;
    for (size_t i = 0; i < positions.size(); ++i) full[positions[i]] = xs[i];
    return f(full);
  };
  const VjpResult r = vjp_core(partial, diff);
  std::vector<std::vector<Array>> jac(r.outputs.size());
  for (size_t o = 0; o < r.outputs.size(); ++o) {
    const Array& out = r.outputs[o];
    std::vector<std::vector<Array>> rows(positions.size());
    for (int64_t i = 0; i < out.size(); ++i) {
      std::vector<Array> cts(r.outputs.size());
      cts[o] = basis(out, i);
      std::vector<Array> in_cts = pullback(r, cts);
      for (size_t a = 0; a < positions.size(); ++a) rows[a].push_back(in_cts[a]);
    }
    for (size_t a = 0; a < positions.size(); ++a)
      jac[o].push_back(assemble(rows[a], concat(out.shape(), diff[a].shape()), false, out.dtype()));
  }
  return jac;
}

}  // namespace fluxion::detail
