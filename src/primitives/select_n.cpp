// select_n(which, *cases): out[i] = cases[which[i]][i]. A bool `which` picks
// between two cases (false -> cases[0]), so where(c, x, y) = select_n(c, y, x).
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> select_n_aval(const Primitive& p, AvalRefs in, const Params&) {
  if (in.size() < 2) throw Error("select_n needs a selector and at least one case");
  const AbstractValue& which = *in[0];
  if (which.dtype != DType::bool_ && which.dtype != DType::int32)
    throw_dtype_error(p.name, which.dtype, kBool | bit(DType::int32), "the selector must be bool or int32");
  if (which.dtype == DType::bool_ && in.size() > 3)
    throw TypeError("select_n: a bool selector chooses between at most two cases, got " + std::to_string(in.size() - 1));
  AbstractValue out = elementwise_aval(p.name, in.subspan(1), kAllTypes);
  if (which.ndim() != 0 && which.shape != out.shape)
    throw ShapeError("select_n: the selector must be 0-d or of the cases' shape " + shape_to_string(out.shape) + ", got " + shape_to_string(which.shape));
  for (const AbstractValue* c : in.subspan(1))
    if (c->shape != out.shape)
      throw ShapeError("select_n: all cases must have the same shape, got " + shape_to_string(c->shape) + " and " + shape_to_string(out.shape));
  return single(std::move(out));
}

std::vector<Array> select_n_impl(const Primitive&, std::span<const Array> operands,
                                 std::span<const AbstractValue> out, const Params&) {
  const std::vector<Array> in = expand_operands(operands, out[0].shape);
  auto result = output(out[0]);
  const int64_t n = out[0].size();
  const int64_t ncases = static_cast<int64_t>(in.size()) - 1;
  visit_dtype(out[0].dtype, [&]<class T>() {
    T* o = out_data<T>(result);
    auto pick = [&](int64_t i, int64_t c) {
      const Array& src = in[1 + c];
      return detail::data_as<T>(src)[src.size() == 1 ? 0 : i];
    };
    const bool scalar_which = in[0].size() == 1 && n != 1;
    if (in[0].dtype() == DType::bool_) {
      const bool* w = detail::data_as<bool>(in[0]);
      for (int64_t i = 0; i < n; ++i) o[i] = pick(i, (ncases > 1 && w[scalar_which ? 0 : i]) ? 1 : 0);
    } else {
      const int32_t* w = detail::data_as<int32_t>(in[0]);
      for (int64_t i = 0; i < n; ++i) {
        int64_t c = w[scalar_which ? 0 : i];
        c = c < 0 ? 0 : c >= ncases ? ncases - 1 : c;  // out-of-range selectors clamp, never read out of bounds
        o[i] = pick(i, c);
      }
    }
  });
  return single(Array(std::move(result)));
}

// The selector is piecewise constant; the chosen case's tangent flows through.
JvpResult select_n_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                       const Params& params) {
  Array ans = bind1(p, primals, params);
  bool any = false;
  for (size_t i = 1; i < tangents.size(); ++i) any = any || tangents[i].valid();
  if (!any || !is_floating(ans.dtype())) return {{ans}, {}};
  std::vector<Array> in{primals[0]};
  for (size_t i = 1; i < primals.size(); ++i) in.push_back(lax::instantiate(tangents[i], primals[i].aval()));
  return {{std::move(ans)}, {bind1(p, in, params)}};
}

// Each linear case receives the cotangent where it was selected, zero elsewhere.
std::vector<Array> select_n_transpose(const Primitive& p, std::span<const Array> cts,
                                      std::span<const TransposeInput> in, const Params& params) {
  if (in[0].is_linear()) throw Error("select_n: the selector cannot be linear");
  std::vector<Array> out(in.size());
  for (size_t i = 1; i < in.size(); ++i) {
    if (!in[i].is_linear()) continue;
    const Array zeros = lax::zeros(AbstractValue{cts[0].shape(), cts[0].dtype()});
    std::vector<Array> cases{in[0].known};
    for (size_t j = 1; j < in.size(); ++j) cases.push_back(j == i ? cts[0] : zeros);
    out[i] = bind1(p, cases, params);
  }
  return out;
}

// The cases must end up with one shape; the selector keeps its 0-d form only
// when it is unmapped (one choice for every example).
BatchResult select_n_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                           const Params& params) {
  bool as_is = dims[1] != not_mapped;
  for (size_t i = 1; i < values.size(); ++i) as_is = as_is && dims[i] == dims[1];
  as_is = as_is && (dims[0] == not_mapped ? values[0].ndim() == 0
                                          : dims[0] == dims[1] && values[0].ndim() == values[1].ndim());
  if (as_is) return {{bind1(p, values, params)}, {dims[1]}};
  const int64_t size = batch_size(values, dims);
  std::vector<Array> operands{Array()};
  for (size_t i = 1; i < values.size(); ++i) operands.push_back(move_batch_axis(values[i], dims[i], 0, size));
  const Shape& shape = operands[1].shape();
  const Array& which = values[0];
  if (dims[0] == not_mapped && which.ndim() == 0) operands[0] = which;
  else if (dims[0] != not_mapped && which.ndim() == 1) operands[0] = lax::broadcast_in_dim(which, shape, {0});
  else operands[0] = move_batch_axis(which, dims[0], 0, size);
  return {{bind1(p, operands, params)}, {0}};
}

// cases[which], as the kernel picks: a bool chooses between two cases, an
// int32 among n, out-of-range selectors clamped.
void select_n_lower(const Primitive&, compiler::Emitter& e) {
  const size_t n = e.num_inputs() - 1;
  const std::string w = e.in(0);
  if (n == 1) return e.assign(e.in(1));
  if (e.in_type(0).dtype == DType::bool_) return e.assign("(" + w + " ? " + e.in(2) + " : " + e.in(1) + ")");
  std::string expr = e.in(n);
  for (size_t k = n - 1; k >= 2; --k) expr = "(" + w + " == " + std::to_string(k - 1) + " ? " + e.in(k) + " : " + expr + ")";
  e.assign("(" + w + " <= 0 ? " + e.in(1) + " : " + expr + ")");
}

}  // namespace

const Primitive select_n_p{.name = "select_n", .abstract_eval = select_n_aval, .impl = select_n_impl,
                           .jvp = select_n_jvp, .transpose = select_n_transpose, .batch = select_n_batch, .jet = taylor_linear,
                           .lower = select_n_lower, .traits = kElementwise};

}  // namespace fluxion::prim
