// dot_general: contraction over paired axes with batch axes, the primitive
// behind dot, matmul, outer and einsum. Output axes are batch, then lhs free,
// then rhs free (JAX's convention). Floats go through CBLAS gemm per batch.
#include <algorithm>
#include <memory>

#include "kernels/gemm.hpp"
#include "kernels/strided_copy.hpp"
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

using Ints = std::vector<int64_t>;

void check_axes(std::string_view op, const Ints& axes, const AbstractValue& x, const char* what,
                std::vector<bool>& used) {
  for (int64_t a : axes) {
    if (a < 0 || a >= x.ndim() || used[a])
      throw ShapeError(std::string(op) + ": invalid " + what + " axes (" + detail::join(axes) +
                       ") for an operand of shape " + shape_to_string(x.shape) +
                       " (each axis at most once, in [0, " + std::to_string(x.ndim()) + "))");
    used[a] = true;
  }
}

Ints free_axes(const std::vector<bool>& used) {
  Ints free;
  for (size_t i = 0; i < used.size(); ++i)
    if (!used[i]) free.push_back(static_cast<int64_t>(i));
  return free;
}

// The parameters of a dot_general derived from one with `params` (its
// transpose, its batched form): new dimension numbers, the same
// preferred_element_type, as JAX's rules carry it.
Params with_dimension_numbers(const Params& params, DotDimensionNumbers dims) {
  if (!params.contains("preferred_element_type")) return Params{{"dimension_numbers", std::move(dims)}};
  return Params{{"dimension_numbers", std::move(dims)},
                {"preferred_element_type", params.at("preferred_element_type")}};
}

std::vector<AbstractValue> dot_general_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue& lhs = *in[0];
  const AbstractValue& rhs = *in[1];
  if (lhs.dtype != rhs.dtype)
    throw TypeError("dot_general requires operands of one dtype, got " + std::string(dtype_name(lhs.dtype)) + " and " + std::string(dtype_name(rhs.dtype)));
  // jnp's dot, matmul and einsum name the result's dtype, which is the
  // operands' here (they promote first); another (accumulating float32 in
  // float64, say) would need kernels of mixed types.
  if (params.contains("preferred_element_type")) {
    const ParamValue& preferred = params.at("preferred_element_type");
    if (const DType* t = std::get_if<DType>(&preferred); t && *t != lhs.dtype)
      throw TypeError("dot_general: preferred_element_type=" + std::string(dtype_name(*t)) +
                      " differs from the operands' dtype " + std::string(dtype_name(lhs.dtype)) +
                      "; convert the operands instead");
  }
  const auto& dn = params.get<DotDimensionNumbers>("dimension_numbers");
  std::vector<bool> lused(lhs.shape.size()), rused(rhs.shape.size());
  check_axes(p.name, dn.lhs_contracting, lhs, "lhs contracting", lused);
  check_axes(p.name, dn.lhs_batch, lhs, "lhs batch", lused);
  check_axes(p.name, dn.rhs_contracting, rhs, "rhs contracting", rused);
  check_axes(p.name, dn.rhs_batch, rhs, "rhs batch", rused);
  auto pair_sizes = [&](const Ints& l, const Ints& r, const char* what) {
    bool ok = l.size() == r.size();
    for (size_t i = 0; ok && i < l.size(); ++i) ok = lhs.shape[l[i]] == rhs.shape[r[i]];
    if (!ok)
      throw ShapeError(std::string(p.name) + ": " + what + " dimensions must match in size: lhs " + shape_to_string(lhs.shape) + " axes (" + detail::join(l) + ") vs rhs " + shape_to_string(rhs.shape) + " axes (" + detail::join(r) + ")");
  };
  pair_sizes(dn.lhs_contracting, dn.rhs_contracting, "contracting");
  pair_sizes(dn.lhs_batch, dn.rhs_batch, "batch");
  AbstractValue out{{}, lhs.dtype, lhs.weak_type && rhs.weak_type};
  for (int64_t a : dn.lhs_batch) out.shape.push_back(lhs.shape[a]);
  for (int64_t a : free_axes(lused)) out.shape.push_back(lhs.shape[a]);
  for (int64_t a : free_axes(rused)) out.shape.push_back(rhs.shape[a]);
  return single(std::move(out));
}

// The operand's elements reordered as `order`, copied only when needed.
template <class T>
const T* arrange(const Array& x, const Ints& order, std::unique_ptr<T[]>& storage) {
  bool identity = true;
  for (size_t i = 0; i < order.size(); ++i) identity = identity && order[i] == static_cast<int64_t>(i);
  if (identity) return detail::data_as<T>(x);
  const auto strides = detail::strides_of(x.shape());
  Ints src, shape;
  for (int64_t a : order) src.push_back(strides[a]), shape.push_back(x.shape()[a]);
  storage.reset(new T[static_cast<size_t>(std::max<int64_t>(x.size(), 1))]);
  kernels::strided_copy(detail::data_as<T>(x), 0, src, shape, storage.get());
  return storage.get();
}

template <class T>
void batched_matmul(const T* a, const T* b, T* c, int64_t batch, int64_t m, int64_t n, int64_t k) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    if (k == 0) {
      std::fill(c, c + batch * m * n, T(0));
      return;
    }
    for (int64_t i = 0; i < batch; ++i)
      kernels::gemm(std::is_same_v<T, float>, false, false, m, n, k, a + i * m * k, k, b + i * k * n,
                    std::max<int64_t>(n, 1), c + i * m * n, std::max<int64_t>(n, 1));
  } else {
    for (int64_t i = 0; i < batch; ++i) {
      const T* A = a + i * m * k;
      const T* B = b + i * k * n;
      T* C = c + i * m * n;
      for (int64_t r = 0; r < m; ++r) {
        T* row = C + r * n;
        std::fill(row, row + n, T(0));
        for (int64_t q = 0; q < k; ++q) {
          const T s = A[r * k + q];
          for (int64_t j = 0; j < n; ++j) {
            if constexpr (std::is_same_v<T, bool>) row[j] = row[j] || (s && B[q * n + j]);
            else {
              using U = std::make_unsigned_t<T>;  // wrap around, as XLA
              using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, U>;
              row[j] = T(U(row[j]) + U(W(s) * W(B[q * n + j])));
            }
          }
        }
      }
    }
  }
}

std::vector<Array> dot_general_impl(const Primitive&, std::span<const Array> in,
                                    std::span<const AbstractValue> out, const Params& params) {
  const auto& dn = params.get<DotDimensionNumbers>("dimension_numbers");
  const Array& lhs = in[0];
  const Array& rhs = in[1];
  std::vector<bool> lused(lhs.shape().size()), rused(rhs.shape().size());
  for (int64_t a : dn.lhs_contracting) lused[a] = true;
  for (int64_t a : dn.lhs_batch) lused[a] = true;
  for (int64_t a : dn.rhs_contracting) rused[a] = true;
  for (int64_t a : dn.rhs_batch) rused[a] = true;
  const Ints lfree = free_axes(lused), rfree = free_axes(rused);
  auto extent = [](const Array& x, const Ints& axes) {
    int64_t n = 1;
    for (int64_t a : axes) n *= x.shape()[a];
    return n;
  };
  const int64_t batch = extent(lhs, dn.lhs_batch), m = extent(lhs, lfree),
                k = extent(lhs, dn.lhs_contracting), n = extent(rhs, rfree);
  Ints lorder = dn.lhs_batch, rorder = dn.rhs_batch;
  lorder.insert(lorder.end(), lfree.begin(), lfree.end());
  lorder.insert(lorder.end(), dn.lhs_contracting.begin(), dn.lhs_contracting.end());
  rorder.insert(rorder.end(), dn.rhs_contracting.begin(), dn.rhs_contracting.end());
  rorder.insert(rorder.end(), rfree.begin(), rfree.end());
  auto result = output(out[0]);
  if (out[0].size() == 0) return single(Array(std::move(result)));
  if (out[0].dtype == DType::float64 || out[0].dtype == DType::float32) {
    // In place where the operands' axes allow it (compiled code plans the same way).
    if (const auto plan = kernels::plan_gemm(lhs.shape(), rhs.shape(), dn.lhs_contracting, dn.rhs_contracting,
                                             dn.lhs_batch, dn.rhs_batch)) {
      kernels::run_gemm_plan(*plan, out[0].dtype == DType::float32, lhs.data(), rhs.data(), result->mutable_data());
      return single(Array(std::move(result)));
    }
  }
  visit_dtype(out[0].dtype, [&]<class T>() {
    std::unique_ptr<T[]> lbuf, rbuf;
    const T* a = arrange<T>(lhs, lorder, lbuf);
    const T* b = arrange<T>(rhs, rorder, rbuf);
    batched_matmul<T>(a, b, out_data<T>(result), batch, m, n, k);
  });
  return single(Array(std::move(result)));
}

// Bilinear: d(l . r) = dl . r + l . dr.
JvpResult dot_general_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                          const Params& params) {
  Array ans = bind1(p, primals, params);
  if (!is_floating(ans.dtype())) return {{ans}, {}};
  Array dl, dr;
  if (tangents[0].valid()) dl = bind1(p, {tangents[0], primals[1]}, params);
  if (tangents[1].valid()) dr = bind1(p, {primals[0], tangents[1]}, params);
  return {{std::move(ans)}, {lax::add_tangents(dl, dr)}};
}

// Bilinear, so the Taylor coefficients are a Cauchy product whose terms are
// dot_generals: c̃_k = Σ_j dot(ã_j, b̃_(k-j)), skipping the operand that does
// not move (one dot per order then).
TaylorResult dot_general_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                             const Params& params) {
  const size_t order = order_of(series);
  Array ans = bind1(p, primals, params);
  if (!is_floating(ans.dtype())) return {{ans}, {}};
  const Series a = coefficients(primals[0], series[0], order), b = coefficients(primals[1], series[1], order);
  Series c(order + 1);
  c[0] = ans;
  for (size_t k = 1; k <= order; ++k)
    for (size_t j = 0; j <= k; ++j)
      if (a[j].valid() && b[k - j].valid()) c[k] = add_terms(c[k], bind1(p, {a[j], b[k - j]}, params));
  return {{std::move(ans)}, {derivative_terms(c)}};
}

Ints remaining(int64_t rank, const Ints& a, const Ints& b) {
  Ints out;
  for (int64_t i = 0; i < rank; ++i)
    if (std::find(a.begin(), a.end(), i) == a.end() && std::find(b.begin(), b.end(), i) == b.end()) out.push_back(i);
  return out;
}

Ints range(int64_t start, size_t n) {
  Ints r(n);
  for (size_t i = 0; i < n; ++i) r[i] = start + static_cast<int64_t>(i);
  return r;
}

Ints argsort(const Ints& v) {
  Ints idx = range(0, v.size());
  std::stable_sort(idx.begin(), idx.end(), [&](int64_t a, int64_t b) { return v[a] < v[b]; });
  return idx;
}

// JAX's _dot_general_transpose_lhs: contract the cotangent with the other
// operand over its kept axes, then permute into x's layout.
Array transpose_lhs(const Primitive& p, const Array& g, const AbstractValue& x, const Array& y,
                    const DotDimensionNumbers& dn, bool swap_ans, const Params& params) {
  const Ints& x_contract = dn.lhs_contracting;
  const Ints& y_contract = dn.rhs_contracting;
  const Ints& x_batch = dn.lhs_batch;
  const Ints& y_batch = dn.rhs_batch;
  const Ints x_kept = remaining(x.ndim(), x_contract, x_batch);
  const Ints y_kept = remaining(y.ndim(), y_contract, y_batch);
  const Ints ans_batch = range(0, x_batch.size());
  const Ints ans_y = swap_ans ? range(static_cast<int64_t>(x_batch.size()), y_kept.size())
                              : range(static_cast<int64_t>(x_batch.size() + x_kept.size()), y_kept.size());
  const DotDimensionNumbers dims{ans_y, y_kept, ans_batch, y_batch};
  Ints x_contract_sorted_by_y;
  for (int64_t i : argsort(y_contract)) x_contract_sorted_by_y.push_back(x_contract[i]);
  Ints order = x_batch;
  order.insert(order.end(), x_kept.begin(), x_kept.end());
  order.insert(order.end(), x_contract_sorted_by_y.begin(), x_contract_sorted_by_y.end());
  const Ints out_axes = argsort(order);
  const Array product = bind1(p, {g, y}, with_dimension_numbers(params, dims));
  bool identity = true;
  for (size_t i = 0; i < out_axes.size(); ++i) identity = identity && out_axes[i] == static_cast<int64_t>(i);
  return identity ? product : bind1(prim::transpose_p, {product}, {{"permutation", out_axes}});
}

std::vector<Array> dot_general_transpose(const Primitive& p, std::span<const Array> cts,
                                         std::span<const TransposeInput> in, const Params& params) {
  const auto& dn = params.get<DotDimensionNumbers>("dimension_numbers");
  if (in[0].is_linear() && in[1].is_linear())
    throw Error("dot_general: transpose with both operands linear (the program is not linear)");
  if (in[0].is_linear()) return {transpose_lhs(p, cts[0], in[0].aval, in[1].known, dn, false, params), Array()};
  const DotDimensionNumbers swapped{dn.rhs_contracting, dn.lhs_contracting, dn.rhs_batch, dn.lhs_batch};
  return {Array(), transpose_lhs(p, cts[0], in[1].aval, in[0].known, swapped, true, params)};
}

// Both operands mapped: their batch axes pair up as a new leading batch
// dimension. One mapped: its batch axis is a free axis, which the output keeps
// in order after the batch axes (and, for the rhs, after the lhs free axes).
BatchResult dot_general_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                              const Params& params) {
  const auto& dn = params.get<DotDimensionNumbers>("dimension_numbers");
  const int ld = dims[0], rd = dims[1];
  auto shift = [](const Ints& axes, int d) {
    Ints out;
    for (int64_t a : axes) out.push_back(batched_axis(a, d));
    return out;
  };
  DotDimensionNumbers b{shift(dn.lhs_contracting, ld), shift(dn.rhs_contracting, rd), shift(dn.lhs_batch, ld),
                        shift(dn.rhs_batch, rd)};
  if (ld != not_mapped && rd != not_mapped) {
    b.lhs_batch.insert(b.lhs_batch.begin(), ld);
    b.rhs_batch.insert(b.rhs_batch.begin(), rd);
    return {{bind1(p, values, with_dimension_numbers(params, b))}, {0}};
  }
  // Free axes of an operand that come before its batch axis `d`.
  auto free_before = [](int d, const Ints& contracting, const Ints& batch) {
    int n = 0;
    for (int a = 0; a < d; ++a)
      if (std::find(contracting.begin(), contracting.end(), a) == contracting.end() &&
          std::find(batch.begin(), batch.end(), a) == batch.end())
        ++n;
    return n;
  };
  const int nbatch = static_cast<int>(dn.lhs_batch.size());
  int out_dim;
  if (ld != not_mapped) {
    out_dim = nbatch + free_before(ld, b.lhs_contracting, b.lhs_batch);
  } else {
    const int lhs_free = static_cast<int>(values[0].ndim() - dn.lhs_contracting.size() - dn.lhs_batch.size());
    out_dim = nbatch + lhs_free + free_before(rd, b.rhs_contracting, b.rhs_batch);
  }
  return {{bind1(p, values, with_dimension_numbers(params, b))}, {out_dim}};
}

}  // namespace

// Floats: gemm on the operands' buffers, planned as eager plans them
// (kernels/gemm.hpp), one product per batch: a CBLAS call, or the small
// products' loop; other dtypes, and operands whose axes gemm cannot read in
// place, call the eager kernel.
void dot_general_lower(const Primitive& p, compiler::Emitter& e) {
  const AbstractValue& out = e.out_type();
  if (out.dtype != DType::float64 && out.dtype != DType::float32) return compiler::lower_via_eager(p, e);
  const auto& dn = e.params().get<DotDimensionNumbers>("dimension_numbers");
  const auto plan = kernels::plan_gemm(e.in_type(0).shape, e.in_type(1).shape, dn.lhs_contracting,
                                       dn.rhs_contracting, dn.lhs_batch, dn.rhs_batch);
  if (!plan) return compiler::lower_via_eager(p, e);
  if (out.size() == 0) return;
  auto s = [](int64_t v) { return std::to_string(v); };
  const auto cbool = [](bool v) { return v ? "true" : "false"; };
  // Small products are the kernel's plain loop, with the sizes fixed here so
  // the compiler unrolls and vectorises it (the same bits: kernels/gemm.hpp).
  const bool small = kernels::is_small_gemm(plan->m, plan->n, plan->k);
  const std::string call =
      small ? "fx_small_gemm<" + compiler::ctype(out.dtype) + ", " + cbool(plan->trans_a) + ", " + cbool(plan->trans_b) +
                ", " + s(plan->m) + ", " + s(plan->n) + ", " + s(plan->k) + ", " + s(plan->lda) + ", " +
                s(plan->ldb) + ">("
          : std::string("fx_rt->gemm(") + (out.dtype == DType::float32 ? "1" : "0") + ", " +
                (plan->trans_a ? "1" : "0") + ", " + (plan->trans_b ? "1" : "0") + ", " + s(plan->m) + ", " +
                s(plan->n) + ", " + s(plan->k) + ", ";
  std::string loops, oa, ob;
  for (size_t d = 0; d < plan->batch_extents.size(); ++d) {
    const std::string j = "j" + s(static_cast<int64_t>(d));
    loops += "for (long long " + j + " = 0; " + j + " < " + s(plan->batch_extents[d]) + "; ++" + j + ") ";
    oa += " + " + j + " * " + s(plan->lhs_batch_strides[d]);
    ob += " + " + j + " * " + s(plan->rhs_batch_strides[d]);
  }
  const std::string a = e.in_buffer(0) + " + 0" + oa, b = e.in_buffer(1) + " + 0" + ob,
                    c = e.out_buffer() + " + (t++) * " + s(plan->m * plan->n);
  e.line("{ long long t = 0; " + loops + call +
         (small ? a + ", " + b + ", " + c : a + ", " + s(plan->lda) + ", " + b + ", " + s(plan->ldb) + ", " + c +
                                                ", " + s(plan->n)) +
         "); }");
}

const Primitive dot_general_p{.name = "dot_general", .abstract_eval = dot_general_aval,
                              .impl = dot_general_impl, .jvp = dot_general_jvp,
                              .transpose = dot_general_transpose, .batch = dot_general_batch, .jet = dot_general_jet,
                              .lower = dot_general_lower};

}  // namespace fluxion::prim
