// The harness of the jit registry tests (jit_registry_test.cpp, one case per
// primitive; jit_registry_chains_test.cpp, chains of them): operands with
// edge values, and a Batch of checks compiled together and compared with
// eager evaluation bit for bit (see jit_registry_test.cpp's top comment).
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"

namespace jit_registry {


namespace fx = fluxion;
namespace prim = fx::prim;
using Arrays = std::vector<fx::Array>;
using Fn = std::function<Arrays(const Arrays&)>;
using Ints = std::vector<int64_t>;

constexpr fx::DType kDTypes[] = {fx::float32, fx::float64, fx::int32, fx::int64, fx::uint32, fx::uint64, fx::bool_};

inline std::string shape_str(const fx::Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}
inline std::string dt(fx::DType t) { return std::string(fx::dtype_name(t)); }
// FNV-1a: seeds from names, the same everywhere.
inline uint64_t fnv(std::string_view text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (char ch : text) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001B3ULL;
  return h;
}
inline int64_t size_of(const fx::Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

// ------------------------------------------------------------------ values

// SplitMix64: the same stream on every platform.
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1)); }
};

template <class T> T from_bits(uint64_t bits) {
  if constexpr (sizeof(T) == 4) return std::bit_cast<T>(static_cast<uint32_t>(bits));
  else return std::bit_cast<T>(bits);
}

// Edge values of each element type.
template <class T> std::vector<T> specials() {
  using L = std::numeric_limits<T>;
  if constexpr (std::is_same_v<T, bool>) {
    return {false, true};
  } else if constexpr (std::is_floating_point_v<T>) {
    const bool f32 = sizeof(T) == 4;
    return {T(0), -T(0), T(1), T(-1), T(0.5), T(-0.5), T(1.5), T(-2.5), T(2.5), T(3), T(-7), T(0.1), T(100),
            L::infinity(), -L::infinity(), L::quiet_NaN(), -L::quiet_NaN(),
            from_bits<T>(f32 ? 0x7FC00ABCULL : 0x7FF8000000000ABCULL),   // NaN with a payload
            from_bits<T>(f32 ? 0xFFC12345ULL : 0xFFF80000DEADBEEFULL),   // negative NaN with a payload
            from_bits<T>(f32 ? 0x7FA00001ULL : 0x7FF4000000000001ULL),   // signalling NaN
            L::max(), L::lowest(), L::min(), L::denorm_min(), -L::denorm_min(), T(1e30), T(-1e30),
            f32 ? T(3e38) : T(1e300), f32 ? T(-3e38) : T(-1e300),
            T(2147483647.0), T(2147483648.0), T(-2147483648.0), T(-2147483904.0), T(4294967295.0),
            T(4294967296.0), T(9.2233720368547758e18), T(-9.2233720368547758e18), T(1.8446744073709552e19),
            T(1e10), T(-1e10), T(89.0), T(-104.0), T(710.0), T(-746.0), T(0.9999999), T(-0.9999999)};
  } else if constexpr (std::is_signed_v<T>) {
    return {T(0), T(1), T(-1), T(2), T(3), T(-3), T(7), T(31), T(32), T(33), T(63), T(64), T(65), T(100), T(-100),
            L::min(), T(L::min() + 1), L::max(), T(L::max() - 1)};
  } else {
    return {T(0), T(1), T(2), T(3), T(7), T(31), T(32), T(33), T(63), T(64), T(65), T(100), L::max(), T(L::max() - 1),
            T(T(1) << (sizeof(T) * 8 - 1)), T((T(1) << (sizeof(T) * 8 - 1)) - 1)};
  }
}

// Where the random (non-edge) floats lie: [lo, hi), and when `wide` also
// magnitudes 2^-60 .. 2^60 of either sign.
struct Domain {
  double lo = -10, hi = 10;
  bool wide = true;
};
constexpr Domain kUnit{-1.1, 1.1, false};

template <class T> T random_value(Rng& r, const Domain& d) {
  if constexpr (std::is_same_v<T, bool>) {
    return (r.next() & 1) != 0;
  } else if constexpr (std::is_floating_point_v<T>) {
    const uint64_t k = r.next() % 10;
    if (k < 6 || !d.wide) return static_cast<T>(d.lo + (d.hi - d.lo) * r.unit());
    if (k < 9) return static_cast<T>((r.next() & 1 ? -1.0 : 1.0) * std::exp2(-60.0 + 120.0 * r.unit()));
    return static_cast<T>(static_cast<double>(r.range(-40, 40)) / 2.0);  // integers and halves
  } else if constexpr (std::is_signed_v<T>) {
    return r.next() & 1 ? static_cast<T>(r.range(-100, 100)) : static_cast<T>(r.next());
  } else {
    return r.next() & 1 ? static_cast<T>(r.range(0, 200)) : static_cast<T>(r.next());
  }
}

// Operand `slot` of a check: arrays of 256 elements or more start with pairs
// of edge values (slot 0 runs fastest, slot 1 next: every pair appears once
// the array is large enough), then random values; small ones mix both.
template <class T> fx::Array values(const fx::Shape& shape, uint64_t seed, size_t slot, const Domain& d) {
  const int64_t n = size_of(shape);
  const std::vector<T> s = specials<T>();
  const uint64_t k = s.size();
  Rng r{seed * 0x2545F4914F6CDD1DULL + slot * 0x9E3779B97F4A7C15ULL + 1};
  std::vector<T> v(static_cast<size_t>(n));
  const uint64_t pairs = n >= 256 ? std::min<uint64_t>(k * k, static_cast<uint64_t>(n) / 2) : 0;
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t u = static_cast<uint64_t>(i);
    if (u < pairs) v[u] = s[slot == 0 ? u % k : slot == 1 ? (u / k) % k : (u * 7 + slot) % k];
    else if (n < 256 && r.next() % 2 == 0) v[u] = s[r.next() % k];
    else v[u] = random_value<T>(r, d);
  }
  return fx::array_of<T>(v, shape);
}

inline fx::Array make_weak(const fx::Array& x) {
  return fx::bind1(prim::convert_element_type_p, {x}, {{"new_dtype", x.dtype()}, {"weak_type", true}});
}

inline fx::Array operand(fx::DType t, const fx::Shape& shape, uint64_t seed, size_t slot, const Domain& d = {},
                  bool weak = false) {
  fx::Array x = fx::visit_dtype(t, [&]<class T>() { return values<T>(shape, seed, slot, d); });
  return weak ? make_weak(x) : x;
}

// int32 selectors for select_n: mostly in [-1, ncases], some far outside.
inline fx::Array selector(const fx::Shape& shape, uint64_t seed, int64_t ncases) {
  Rng r{seed * 31 + 7};
  std::vector<int32_t> v(static_cast<size_t>(size_of(shape)));
  for (int32_t& e : v) {
    const uint64_t k = r.next() % 16;
    e = k == 0 ? std::numeric_limits<int32_t>::min() : k == 1 ? std::numeric_limits<int32_t>::max()
                                                              : static_cast<int32_t>(r.range(-1, ncases));
  }
  return fx::array_of<int32_t>(v, shape);
}

// ------------------------------------------------------------------ printing

inline std::string element(const fx::Array& x, int64_t i) {
  return fx::visit_dtype(x.dtype(), [&]<class T>() -> std::string {
    T v;
    std::memcpy(&v, static_cast<const char*>(x.data()) + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
    char buf[96];
    if constexpr (std::is_same_v<T, bool>) {
      std::snprintf(buf, sizeof buf, "%s", v ? "true" : "false");
    } else if constexpr (std::is_same_v<T, float>) {
      std::snprintf(buf, sizeof buf, "%.9g [0x%08" PRIx32 "]", static_cast<double>(v), std::bit_cast<uint32_t>(v));
    } else if constexpr (std::is_same_v<T, double>) {
      std::snprintf(buf, sizeof buf, "%.17g [0x%016" PRIx64 "]", v, std::bit_cast<uint64_t>(v));
    } else if constexpr (std::is_signed_v<T>) {
      std::snprintf(buf, sizeof buf, "%" PRId64, static_cast<int64_t>(v));
    } else {
      std::snprintf(buf, sizeof buf, "%" PRIu64, static_cast<uint64_t>(v));
    }
    return buf;
  });
}

inline bool is_nan(const fx::Array& x, int64_t i) {
  return fx::visit_dtype(x.dtype(), [&]<class T>() {
    if constexpr (std::is_floating_point_v<T>) {
      T v;
      std::memcpy(&v, static_cast<const char*>(x.data()) + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
      return std::isnan(v);
    } else {
      return false;
    }
  });
}

// Operand x's element that output element i (of `out`) reads under
// elementwise broadcasting, or -1 when x is not broadcast that way.
inline int64_t broadcast_index(const fx::Array& x, const fx::Shape& out, int64_t i) {
  if (x.size() == 1) return 0;
  if (x.shape() == out) return i;
  if (x.ndim() != static_cast<int64_t>(out.size())) return -1;
  int64_t index = 0, stride = 1, rest = i;
  for (size_t d = out.size(); d-- > 0;) {
    const int64_t coord = rest % out[d];
    rest /= out[d];
    if (x.shape()[d] == out[d]) index += coord * stride;
    else if (x.shape()[d] != 1) return -1;
    stride *= x.shape()[d];
  }
  return index;
}

// ------------------------------------------------------------------ checks

struct Check {
  std::string label;
  Arrays operands;
  Fn f;
};

// Checks compiled as one program and compared with eager evaluation.
class Batch {
 public:
  explicit Batch(std::string name) : name_(std::move(name)) {}
  // FLUXION_JIT_REGISTRY_FILTER=text keeps only the checks whose label
  // contains `text` (to reproduce one mismatch in a small program).
  void add(std::string label, Arrays operands, Fn f) {
    static const char* filter = std::getenv("FLUXION_JIT_REGISTRY_FILTER");
    if (filter && label.find(filter) == std::string::npos) return;
    checks_.push_back({std::move(label), std::move(operands), std::move(f)});
  }
  uint64_t seed() { return ++seed_ + fnv(name_) % 100000; }
  size_t size() const { return checks_.size(); }

  // Eager results against the compiled program's; when `applies` is given,
  // the traced program must apply it.
  void verify(const fx::Primitive* applies = nullptr) {
    SCOPED_TRACE("batch " + name_);
    if (checks_.empty()) return;
    // Distinct operands are the program's arguments.
    Arrays args;
    std::vector<std::vector<size_t>> slots;
    std::map<const void*, size_t> index;
    for (const Check& c : checks_) {
      std::vector<size_t> s;
      for (const fx::Array& x : c.operands) {
        const auto [it, fresh] = index.emplace(x.value().get(), args.size());
        if (fresh) args.push_back(x);
        s.push_back(it->second);
      }
      slots.push_back(std::move(s));
    }
    std::vector<Arrays> want;
    for (const Check& c : checks_) {
      try {
        want.push_back(c.f(c.operands));
      } catch (const std::exception& e) {
        ADD_FAILURE() << c.label << ": eager evaluation threw: " << e.what();
        return;
      }
    }
    const std::vector<Check>& checks = checks_;
    const Fn program = [&checks, slots](const Arrays& xs) {
      Arrays out;
      for (size_t c = 0; c < checks.size(); ++c) {
        Arrays in;
        for (size_t k : slots[c]) in.push_back(xs[k]);
        for (fx::Array& y : checks[c].f(in)) out.push_back(std::move(y));
      }
      return out;
    };
    // What fx::jit(g)(args...) does with g's traced arguments (jit.hpp).
    fx::detail::JitCore core("jit_registry");
    Arrays got;
    try {
      got = core.call(program, "", args);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "jit threw: " << e.what() << "\n" << save_source(core, program, args);
      return;
    }
    if (applies) {
      bool found = false;
      for (const fx::JaxprEqn& e : core.lower(program, "", args).jaxpr().jaxpr.eqns) found = found || e.primitive == applies;
      EXPECT_TRUE(found) << "the program does not apply " << applies->name;
    }
    size_t o = 0, failed = 0;
    std::string report;
    for (size_t c = 0; c < checks_.size(); ++c)
      for (const fx::Array& w : want[c]) {
        if (o >= got.size()) {
          ADD_FAILURE() << "jit returned " << got.size() << " outputs, eager more";
          return;
        }
        const std::string msg = compare(checks_[c], w, got[o++]);
        if (!msg.empty()) {
          ++failed;
          report += msg;
        }
      }
    EXPECT_EQ(o, got.size()) << "jit returned more outputs than eager";
    if (failed > 0)
      ADD_FAILURE() << failed << " of " << o << " outputs differ between jit and eager:\n"
                    << report << save_source(core, program, args);
  }

 private:
  static std::string compare(const Check& c, const fx::Array& want, const fx::Array& got) {
    std::ostringstream os;
    const std::string what = "  " + c.label + ": ";
    if (got.dtype() != want.dtype() || got.shape() != want.shape() || got.weak_type() != want.weak_type()) {
      os << what << "type differs: eager " << to_string(want.aval()) << (want.weak_type() ? " weak" : "") << ", jit "
         << to_string(got.aval()) << (got.weak_type() ? " weak" : "") << "\n";
      return os.str();
    }
    const int64_t n = want.size();
    const size_t item = fx::itemsize(want.dtype());
    if (n == 0 || std::memcmp(want.data(), got.data(), static_cast<size_t>(n) * item) == 0) return "";
    int64_t bad = 0, nans = 0;
    for (int64_t i = 0; i < n; ++i) {
      const char* a = static_cast<const char*>(want.data()) + i * static_cast<int64_t>(item);
      const char* b = static_cast<const char*>(got.data()) + i * static_cast<int64_t>(item);
      if (std::memcmp(a, b, item) == 0) continue;
      if (is_nan(want, i) && is_nan(got, i)) {
        ++nans;
        continue;
      }
      if (++bad > 4) continue;
      os << what << dt(want.dtype()) << shape_str(want.shape()) << " element " << i << ": eager " << element(want, i)
         << ", jit " << element(got, i) << "; operands:";
      for (const fx::Array& x : c.operands) {
        const int64_t j = broadcast_index(x, want.shape(), i);
        os << " " << (j < 0 ? std::string("(") + dt(x.dtype()) + shape_str(x.shape()) + ")" : element(x, j));
      }
      os << "\n";
    }
    if (bad == 0) return "";  // only NaNs that differ in sign or payload
    os << what << bad << " of " << n << " elements differ";
    if (nans > 0) os << " (and " << nans << " NaNs that differ only in sign or payload)";
    os << "\n";
    return os.str();
  }

  std::string save_source(fx::detail::JitCore& core, const Fn& program, const Arrays& args) const {
    std::string base = "jit_registry_" + name_ + ".cpp";
    for (char& ch : base)
      if (ch == ' ' || ch == '/' || ch == '(' || ch == ')' || ch == ',') ch = '_';
    const std::string file = ::testing::TempDir() + base;
    try {
      std::ofstream(file) << core.lower(program, "", args).source();
      return "generated source: " + file + "\n";
    } catch (const std::exception& e) {
      return std::string("no generated source: ") + e.what() + "\n";
    }
  }

  std::string name_;
  std::vector<Check> checks_;
  uint64_t seed_ = 0;
};

// Whether p's shape rule accepts operands of these types with these params.
inline bool accepts(const fx::Primitive& p, const std::vector<fx::AbstractValue>& avals, const fx::Params& params) {
  std::vector<const fx::AbstractValue*> refs;
  for (const fx::AbstractValue& a : avals) refs.push_back(&a);
  try {
    p.abstract_eval(p, refs, params);
    return true;
  } catch (const fx::Error&) {
    return false;
  }
}

inline fx::Array un(const fx::Primitive& p, const fx::Array& x) { return fx::bind1(p, {x}); }
inline fx::Array bin(const fx::Primitive& p, const fx::Array& x, const fx::Array& y) { return fx::bind1(p, {x, y}); }

inline Fn bind_fn(const fx::Primitive& p, fx::Params params = {}) {
  return [&p, params](const Arrays& a) { return fx::bind(p, a, params); };
}

// Cases for the primitives that hold programs (jit_registry_subprograms.cpp),
// and their operands: two of each dtype, in dtype order.
// Cases of one primitive: Batch::add each application to check.
using CaseFn = std::function<void(Batch&)>;
using CaseTable = std::map<std::string, CaseFn>;

// Shapes an elementwise primitive is checked on (jit_registry_test.cpp).
struct Config {
  std::string name;
  std::vector<fx::Shape> shapes;
  bool weak = false;
};
std::vector<Config> elementwise_configs(size_t arity, uint64_t seed);
std::vector<fx::Shape> unary_shapes();
// An elementwise primitive of `arity` operands over every dtype and shape of elementwise_configs.
void elementwise(Batch& b, const fx::Primitive& p, size_t arity, const fx::Params& params = {},
                 const Domain& domain = {});
// A structural primitive over every dtype: (operand shapes, params) per application.
void structural(Batch& b, const fx::Primitive& p, const std::vector<std::pair<std::vector<fx::Shape>, fx::Params>>& specs);
fx::Params slice_params(Ints start, Ints limit, std::optional<Ints> strides = std::nullopt);
fx::Params dot_dims(Ints lc, Ints rc, Ints lb = {}, Ints rb = {});

// Families of primitives keep their cases in jit_cases_<family>.cpp.
void add_indexing_cases(CaseTable& c);
void add_special_cases(CaseTable& c);
void add_linalg_cases(CaseTable& c);

Arrays two_of_every_dtype(const fx::Shape& s, uint64_t seed);
void cond_cases(Batch& b);
void custom_call_cases(Batch& b, bool vjp);
void while_cases(Batch& b);
void scan_cases(Batch& b);

}  // namespace jit_registry
