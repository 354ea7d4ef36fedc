#include <algorithm>
#include <cstdio>
#include <new>
#include <string>
#include <utility>

#include "core/alloc.hpp"
#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/jaxpr.hpp"
#include "fluxion/primitive.hpp"

namespace fluxion {

namespace {
using Item = Params::Item;
Item* allocate_items(size_t n) {
  const size_t bytes = n * sizeof(Item);
  if (bytes <= detail::kPoolMaxBytes) return static_cast<Item*>(detail::pool_allocate(bytes));
  return static_cast<Item*>(::operator new(bytes));
}
void deallocate_items(Item* p, size_t n) noexcept {
  const size_t bytes = n * sizeof(Item);
  if (bytes <= detail::kPoolMaxBytes) detail::pool_deallocate(p, bytes);
  else ::operator delete(p);
}
}  // namespace

Params::Params(std::initializer_list<Item> items) {
  copy_from(std::span<const Item>(items.begin(), items.size()));
  // Sorted by key; insertion sort, as there are at most a handful.
  for (size_t i = 1; i < size_; ++i)
    for (size_t j = i; j > 0 && items_[j].first < items_[j - 1].first; --j) std::swap(items_[j], items_[j - 1]);
}

Params::Params(const Params& other) { copy_from(other.items()); }

Params& Params::operator=(const Params& other) {
  if (this != &other) *this = Params(other);
  return *this;
}

Params& Params::operator=(Params&& other) noexcept {
  if (this != &other) {
    if (items_) destroy();
    items_ = std::exchange(other.items_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

// Requires an empty *this.
void Params::copy_from(std::span<const Item> items) {
  if (items.empty()) return;
  Item* dst = allocate_items(items.size());
  size_t built = 0;
  try {
    for (; built < items.size(); ++built) new (dst + built) Item(items[built]);
  } catch (...) {
    while (built > 0) dst[--built].~Item();
    deallocate_items(dst, items.size());
    throw;
  }
  items_ = dst;
  size_ = items.size();
}

void Params::destroy() noexcept {
  for (size_t i = 0; i < size_; ++i) items_[i].~Item();
  deallocate_items(items_, size_);
  items_ = nullptr;
  size_ = 0;
}

bool Params::operator==(const Params& other) const {
  const std::span<const Item> a = items(), b = other.items();
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

bool Params::contains(std::string_view key) const {
  const std::span<const Item> v = items();
  return std::any_of(v.begin(), v.end(), [&](const Item& i) { return i.first == key; });
}

const ParamValue& Params::at(std::string_view key) const {
  for (const Item& i : items())
    if (i.first == key) return i.second;
  throw Error("primitive parameter '" + std::string(key) + "' is missing");
}

void Params::throw_wrong_type(std::string_view key) {
  throw TypeError("primitive parameter '" + std::string(key) + "' has an unexpected type");
}

namespace {
std::string tuple_string(const std::vector<int64_t>& v) {
  if (v.size() == 1) return "(" + std::to_string(v[0]) + ",)";
  return "(" + detail::join(v) + ")";
}

std::string double_string(double d) {
  // Python's repr of a float: shortest round-trip digits, always with a '.' or exponent.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}
}  // namespace

std::string param_to_string(const ParamValue& value) {
  struct Visitor {
    std::string operator()(NoneParam) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return double_string(d); }
    std::string operator()(DType t) const { return std::string(dtype_name(t)); }
    std::string operator()(const std::vector<int64_t>& v) const { return tuple_string(v); }
    // A tuple of Python bools (scan's `linear`).
    std::string operator()(const std::vector<bool>& v) const {
      std::string s = "(";
      for (size_t i = 0; i < v.size(); ++i) s += std::string(i ? ", " : "") + (v[i] ? "True" : "False");
      return s + (v.size() == 1 ? ",)" : ")");
    }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const DotDimensionNumbers& d) const {
      // JAX prints the four axis groups as lists.
      auto list = [](const std::vector<int64_t>& v) { return "[" + detail::join(v) + "]"; };
      return "((" + list(d.lhs_contracting) + ", " + list(d.rhs_contracting) + "), (" +
             list(d.lhs_batch) + ", " + list(d.rhs_batch) + "))";
    }
    std::string operator()(const GatherDimensionNumbers& d) const {
      return "GatherDimensionNumbers(offset_dims=" + tuple_string(d.offset_dims) +
             ", collapsed_slice_dims=" + tuple_string(d.collapsed_slice_dims) +
             ", start_index_map=" + tuple_string(d.start_index_map) +
             ", operand_batching_dims=" + tuple_string(d.operand_batching_dims) +
             ", start_indices_batching_dims=" + tuple_string(d.start_indices_batching_dims) + ")";
    }
    std::string operator()(const ScatterDimensionNumbers& d) const {
      return "ScatterDimensionNumbers(update_window_dims=" + tuple_string(d.update_window_dims) +
             ", inserted_window_dims=" + tuple_string(d.inserted_window_dims) +
             ", scatter_dims_to_operand_dims=" + tuple_string(d.scatter_dims_to_operand_dims) +
             ", operand_batching_dims=" + tuple_string(d.operand_batching_dims) +
             ", scatter_indices_batching_dims=" + tuple_string(d.scatter_indices_batching_dims) + ")";
    }
    std::string operator()(GatherScatterMode m) const {
      switch (m) {
        case GatherScatterMode::clip: return "GatherScatterMode.CLIP";
        case GatherScatterMode::fill_or_drop: return "GatherScatterMode.FILL_OR_DROP";
        case GatherScatterMode::promise_in_bounds: break;
      }
      return "GatherScatterMode.PROMISE_IN_BOUNDS";
    }
    // A tuple of tuples (pad's padding_config).
    std::string operator()(const std::vector<std::vector<int64_t>>& v) const {
      std::string s = "(";
      for (size_t i = 0; i < v.size(); ++i) s += std::string(i ? ", " : "") + tuple_string(v[i]);
      return s + (v.size() == 1 ? ",)" : ")");
    }
    // On its own, with its own variable names; inside a jaxpr the printer
    // names a sub-program's variables after the enclosing program's, as JAX.
    std::string operator()(const JaxprParam& j) const { return j ? j->str() : "None"; }
    std::string operator()(const FunctionParam& f) const { return f ? f->name : "None"; }
    std::string operator()(const JaxprParams& js) const {
      std::string s = "(";
      for (size_t i = 0; i < js.size(); ++i) s += (i ? " " : "") + (*this)(js[i]);
      return s + ")";
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace fluxion
