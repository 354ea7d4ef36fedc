// Array handles, concrete storage, and scalar access.
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>

#include "core/alloc.hpp"
#include "core/shape_util.hpp"
#include "core/value.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/ops.hpp"

namespace fluxion {

int64_t AbstractValue::size() const { return detail::shape_size(shape); }

namespace detail {

namespace {
// Deleter of an element buffer: back to buffer_deallocate, which needs the size.
struct BufferFree {
  size_t bytes;
  void operator()(void* p) const noexcept { buffer_deallocate(p, bytes); }
};
}  // namespace

ConcreteValue::ConcreteValue(AbstractValue aval, std::shared_ptr<void> heap, void* data)
    : Value(std::move(aval)), heap_(std::move(heap)), data_(data ? data : inline_) {}

std::shared_ptr<ConcreteValue> ConcreteValue::allocate(AbstractValue aval) {
  // The byte count is checked before anything is allocated: a shape whose
  // elements fit a 64-bit count may still not fit in bytes, and a request
  // the machine cannot satisfy is an fx::Error, not std::bad_alloc.
  int64_t bytes_signed = 0;
  if (__builtin_mul_overflow(aval.size(), static_cast<int64_t>(itemsize(aval.dtype)), &bytes_signed))
    throw ShapeError("an array of shape " + shape_to_string(aval.shape) + " and dtype " +
                     std::string(dtype_name(aval.dtype)) + " has more bytes than a 64-bit count holds");
  const size_t bytes = static_cast<size_t>(bytes_signed);
  // The value and both control blocks come from the small-object pool; only
  // the elements of a large value from buffer_allocate.
  if (bytes <= kInlineBytes)
    return std::allocate_shared<ConcreteValue>(PoolAllocator<ConcreteValue>{}, std::move(aval), nullptr, nullptr);
  void* p = nullptr;
  try {
    p = buffer_allocate(bytes);
  } catch (const std::bad_alloc&) {
    throw Error("out of memory: an array of shape " + shape_to_string(aval.shape) + " and dtype " +
                std::string(dtype_name(aval.dtype)) + " needs " + std::to_string(bytes) +
                " bytes, which this machine could not allocate");
  }
  std::shared_ptr<void> heap(p, BufferFree{bytes}, PoolAllocator<void>{});
  return std::allocate_shared<ConcreteValue>(PoolAllocator<ConcreteValue>{}, std::move(aval), std::move(heap), p);
}

std::shared_ptr<ConcreteValue> ConcreteValue::alias(AbstractValue aval,
                                                    const std::shared_ptr<const ConcreteValue>& base) {
  if (!base->heap_) {  // inline: copying is cheaper than sharing
    auto v = allocate(std::move(aval));
    std::memcpy(v->data_, base->data_, kInlineBytes);
    return v;
  }
  return std::allocate_shared<ConcreteValue>(PoolAllocator<ConcreteValue>{}, std::move(aval), base->heap_,
                                            base->data_);
}

std::shared_ptr<ConcreteValue> allocate(const AbstractValue& aval) {
  return ConcreteValue::allocate(aval);
}

Array convert_scalar(const Array& x, DType dtype, bool weak) {
  const Value* v = x.value().get();
  if (v->is_tracer() || x.ndim() != 0) return Array();
  const DType from = x.dtype();
  if (from == dtype) {
    auto base = std::static_pointer_cast<const ConcreteValue>(x.value());
    return Array(ConcreteValue::alias(AbstractValue{{}, dtype, weak}, base));
  }
  // To a floating type convert_element_type is a static_cast from every
  // dtype (bool and integers included); the other directions saturate or
  // test for zero, so they stay with the primitive.
  if (!is_floating(dtype)) return Array();
  auto out = ConcreteValue::allocate(AbstractValue{{}, dtype, weak});
  visit_dtype(from, [&]<class F>() {
    const F value = *static_cast<const F*>(v->data());
    if (dtype == DType::float64) *static_cast<double*>(out->mutable_data()) = static_cast<double>(value);
    else *static_cast<float*>(out->mutable_data()) = static_cast<float>(value);
  });
  return Array(std::move(out));
}

}  // namespace detail

namespace {

template <class T>
Array scalar(T v, bool weak) {
  auto value = detail::ConcreteValue::allocate(AbstractValue{{}, dtype_of_v<T>, weak});
  std::memcpy(value->mutable_data(), &v, sizeof(T));
  return Array(std::move(value));
}

// An empty handle stands where an array belongs, as None would in JAX (which
// raises TypeError: "Value None ... is not a valid JAX type").
[[noreturn]] void throw_empty_handle() {
  throw TypeError("fx::Array: operation on an empty Array handle (default-constructed); "
                  "assign it a value first");
}

}  // namespace

Array::Array(double v) : Array(scalar<double>(v, true)) {}
Array::Array(float v) : Array(scalar<float>(v, true)) {}
Array::Array(int v) : Array(scalar<int32_t>(v, true)) {}
Array::Array(long v) : Array(scalar<int64_t>(v, true)) {}
Array::Array(long long v) : Array(scalar<int64_t>(v, true)) {}
Array::Array(unsigned v) : Array(scalar<uint32_t>(v, true)) {}
Array::Array(unsigned long v) : Array(scalar<uint64_t>(v, true)) {}
Array::Array(unsigned long long v) : Array(scalar<uint64_t>(v, true)) {}
Array::Array(bool v) : Array(scalar<bool>(v, false)) {}

const AbstractValue& Array::aval() const {
  if (!value_) throw_empty_handle();
  return value_->aval();
}

bool Array::is_concrete() const {
  if (!value_) throw_empty_handle();
  return !value_->is_tracer();
}

const void* Array::data() const {
  if (!value_) throw_empty_handle();
  const void* p = value_->data();
  if (!p && value_->is_tracer())
    throw ConcretizationError(
        "Abstract tracer value encountered where a concrete value is expected: the value " +
        to_string(aval()) +
        " is being transformed (traced), so its elements are not known. Use fx::where "
        "(or fx::cond) instead of reading values inside a transformed function.");
  return p;
}

namespace {
template <class To>
To convert_element(const void* data, DType dtype, int64_t i) {
  return visit_dtype(dtype, [&]<class From>() { return static_cast<To>(static_cast<const From*>(data)[i]); });
}
}  // namespace

template <class T>
T Array::item() const {
  if (size() != 1)
    throw ShapeError("item(): can only convert an array of size 1 to a C++ scalar, got shape " +
                     shape_to_string(shape()) + " (size " + std::to_string(size()) + ")");
  return convert_element<T>(data(), dtype(), 0);
}

template <class T>
std::vector<T> Array::to_vector() const {
  const void* p = data();
  std::vector<T> out(static_cast<size_t>(size()));
  for (int64_t i = 0; i < size(); ++i) out[static_cast<size_t>(i)] = convert_element<T>(p, dtype(), i);
  return out;
}

#define FLUXION_INSTANTIATE_ACCESS(T) \
  template T Array::item<T>() const;  \
  template std::vector<T> Array::to_vector<T>() const;
FLUXION_INSTANTIATE_ACCESS(bool)
FLUXION_INSTANTIATE_ACCESS(int32_t)
FLUXION_INSTANTIATE_ACCESS(int64_t)
FLUXION_INSTANTIATE_ACCESS(uint32_t)
FLUXION_INSTANTIATE_ACCESS(uint64_t)
FLUXION_INSTANTIATE_ACCESS(float)
FLUXION_INSTANTIATE_ACCESS(double)
FLUXION_INSTANTIATE_ACCESS(long long)
FLUXION_INSTANTIATE_ACCESS(unsigned long long)
#undef FLUXION_INSTANTIATE_ACCESS

Array::operator bool() const {
  if (!value_) throw_empty_handle();
  if (value_->is_tracer() && value_->data() == nullptr)
    throw ConcretizationError(
        "Attempted boolean conversion of traced array with shape " + to_string(aval()) +
        ".\nThe truth value of a traced (abstract) array is not known while the function is "
        "being transformed (jit, vmap, make_jaxpr), so native C++ `if`/`while` on it cannot "
        "work. Use fx::where(cond, x, y) to select values elementwise (or fx::cond for "
        "control flow).");
  if (size() != 1)
    throw ShapeError("The truth value of an array with more than one element is ambiguous: "
                     "got shape " + shape_to_string(shape()) + "; use fx::any or fx::all");
  return item<bool>();
}

Array Array::operator[](int64_t i) const {
  if (ndim() == 0)
    throw ShapeError("x[" + std::to_string(i) + "]: too many indices for a 0-d array (shape ())");
  const int64_t n = shape()[0];
  if (i < -n || i >= n)
    throw ShapeError("x[" + std::to_string(i) + "]: index " + std::to_string(i) +
                     " is out of bounds for axis 0 with size " + std::to_string(n) +
                     " (shape " + shape_to_string(shape()) + ")");
  return detail::index_axis0(*this, i < 0 ? i + n : i);
}

Array Array::astype(DType dtype) const { return fluxion::astype(*this, dtype); }
Array Array::reshape(const Shape& shape) const { return fluxion::reshape(*this, shape); }
Array Array::T() const { return fluxion::transpose(*this); }

}  // namespace fluxion
