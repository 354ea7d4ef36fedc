// jacfwd and jacrev: Jacobians built from JVPs of basis tangents and from
// pullbacks of basis cotangents. Output shape: out.shape + in.shape (JAX's).
// Both are vmaps over a basis, as in JAX, not loops over rows.
#include <string>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/transforms.hpp"
#include "primitives/batch_helpers.hpp"
#include "transforms/vmap.hpp"

namespace fluxion::detail {
namespace {

std::vector<size_t> checked_positions(const char* name, const std::vector<Array>& args, const std::vector<int>& argnums) {
  std::vector<size_t> positions;
  for (const size_t p : normalize_argnums(argnums, args.size(), name)) {
    if (!is_floating(args[p].dtype()))
      throw TypeError(std::string(name) + " requires real-valued inputs (input dtype that is a sub-dtype of "
                      "floating), but got " + std::string(dtype_name(args[p].dtype())) + " for argument " +
                      std::to_string(p));
    positions.push_back(p);
  }
  return positions;
}

// The standard basis of the space of arrays shaped like x, stacked: shape
// (x.size(),) + x.shape, row j the j-th one-hot array (JAX's _std_basis).
Array std_basis(const Array& x) {
  const int64_t n = x.size();
  Shape shape{n};
  shape.insert(shape.end(), x.shape().begin(), x.shape().end());
  return reshape(eye(n, n, 0, x.dtype()), shape);
}

Shape concat(const Shape& a, const Shape& b) {
  Shape s = a;
  s.insert(s.end(), b.begin(), b.end());
  return s;
}

}  // namespace

// One batched JVP per argument: the basis tangents go through vmap, so the
// Jacobian's columns come out of a single pass of array kernels.
std::vector<std::vector<Array>> jacfwd_core(const Fn& f, const std::vector<Array>& args,
                                            const std::vector<int>& argnums) {
  const std::vector<size_t> positions = checked_positions("jacfwd", args, argnums);
  std::vector<Array> outs;
  std::vector<std::vector<Array>> columns;  // [argument][output]: out.shape + (arg.size(),)
  for (size_t p : positions) {
    if (args[p].size() == 0) {
      if (outs.empty()) outs = f(args);
      std::vector<Array> none;
      for (const Array& out : outs) none.push_back(zeros(concat(out.shape(), {0}), out.dtype()));
      columns.push_back(std::move(none));
      continue;
    }
    const Fn push_forward = [&](const std::vector<Array>& tangent) {
      std::vector<Array> tangents;
      for (size_t i = 0; i < args.size(); ++i) tangents.push_back(i == p ? tangent[0] : zeros_like(args[i]));
      auto [primals_out, tangents_out] = jvp_core(f, args, tangents);
      primals_out.insert(primals_out.end(), tangents_out.begin(), tangents_out.end());
      return primals_out;
    };
    // The primal outputs do not depend on the basis (unmapped); the tangents
    // get the batch axis last, as the Jacobian's trailing input axes.
    BatchedOutputs b = vmap_batched(push_forward, {std_basis(args[p])}, 0, std::nullopt);
    const size_t n = b.values.size() / 2;
    outs.assign(b.values.begin(), b.values.begin() + static_cast<std::ptrdiff_t>(n));
    std::vector<Array> per_output;
    for (size_t o = 0; o < n; ++o) {
      const Array& t = b.values[n + o];
      const int dim = b.dims[n + o];
      const int last = static_cast<int>(t.ndim()) - (dim == not_mapped ? 0 : 1);
      per_output.push_back(prim::move_batch_axis(t, dim, last, b.size));
    }
    columns.push_back(std::move(per_output));
  }
  if (outs.empty()) outs = f(args);
  std::vector<std::vector<Array>> jac(outs.size());
  for (size_t o = 0; o < outs.size(); ++o)
    for (size_t a = 0; a < positions.size(); ++a)
      jac[o].push_back(reshape(columns[a][o], concat(outs[o].shape(), args[positions[a]].shape())));
  return jac;
}

// One linearization, then one batched pullback per output over the basis of
// its cotangents.
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
    std::vector<Array> rows;  // per argument: (out.size(),) + arg.shape
    if (out.size() == 0) {
      for (const Array& x : diff) rows.push_back(zeros(concat({0}, x.shape()), out.dtype()));
    } else {
      const Fn pull_back = [&](const std::vector<Array>& ct) {
        std::vector<Array> cts(r.outputs.size());
        cts[o] = ct[0];
        return pullback(r, cts);
      };
      rows = vmap_core(pull_back, {std_basis(out)}, 0, 0, std::nullopt);
    }
    for (size_t a = 0; a < positions.size(); ++a)
      jac[o].push_back(reshape(rows[a], concat(out.shape(), diff[a].shape())));
  }
  return jac;
}

}  // namespace fluxion::detail
