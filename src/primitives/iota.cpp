// iota[dtype, shape, dimension]: each element is its index along `dimension`.
#include "compiler/emitter.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> iota_aval(const Primitive& p, AvalRefs, const Params& params) {
  const auto& shape = params.get<std::vector<int64_t>>("shape");
  const int64_t dim = params.get<int64_t>("dimension");
  const DType dtype = params.get<DType>("dtype");
  detail::check_shape(shape, p.name);
  if (dim < 0 || dim >= static_cast<int64_t>(shape.size()))
    throw ShapeError("iota: dimension " + std::to_string(dim) + " is out of range for shape " + shape_to_string(shape));
  if (dtype == DType::bool_) throw_dtype_error(p.name, dtype, kNumbers);
  return single(AbstractValue{shape, dtype, false});
}

std::vector<Array> iota_impl(const Primitive&, std::span<const Array>,
                             std::span<const AbstractValue> out, const Params& params) {
  const Shape& shape = out[0].shape;
  const int64_t dim = params.get<int64_t>("dimension");
  int64_t inner = 1;
  for (size_t i = dim + 1; i < shape.size(); ++i) inner *= shape[i];
  const int64_t extent = shape[dim];
  auto result = output(out[0]);
  const int64_t n = out[0].size();
  visit_dtype(out[0].dtype, [&]<class T>() {
    T* o = out_data<T>(result);
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>((i / inner) % extent);
  });
  return single(Array(std::move(result)));
}

// Element i of the output is a function of i alone: a member of the fused
// loop of its shape (the basis matrices of jacfwd and hessian fuse with the
// comparison that builds them).
void iota_lower(const Primitive&, compiler::Emitter& e) {
  const auto dim = static_cast<size_t>(e.params().get<int64_t>("dimension"));
  e.assign("(" + compiler::ctype(e.out_type().dtype) + ")(" + e.coordinate(dim) + ")");
}

}  // namespace

const Primitive iota_p{.name = "iota", .abstract_eval = iota_aval, .impl = iota_impl, .jvp = zero_jvp,
                      .jet = taylor_constant, .lower = iota_lower, .print = print_with_sharding, .traits = kElementwise};

}  // namespace fluxion::prim
