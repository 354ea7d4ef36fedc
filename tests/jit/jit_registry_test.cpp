// jit against eager, bit for bit, for every registered primitive
// (docs/NUMERICS.md "jit against eager"). For each primitive in
// fluxion::all_primitives() the case table below builds applications with
// valid parameters over every dtype its shape rule accepts and over shapes
// that take each path of the code generator: 0-d, size 0, a 0-d or
// one-element operand broadcast against a (3,4) one (a hoisted scalar),
// operands with size-1 extents ((3,1), (1,100) against (700,100)), random
// shapes and broadcasts, blocks of 256 (1000 elements), OpenMP loops (70000
// elements), weakly typed operands. Values mix random ones with edge cases
// (±0.0, ±inf, NaNs of both signs with payloads and a signalling one,
// subnormals, huge magnitudes, floats at the integer types' bounds, INT_MIN,
// -1, zero divisors, shift amounts at and past the bit width); arrays of 256
// elements or more hold pairs of edge values (70000: every pair).
//
// Every application of a primitive is one check; the checks of one primitive
// are compiled together as one program (a function returning all their
// results: one compile per primitive rather than one per signature) and
// compared with the same functions evaluated eagerly: identical dtype, shape,
// weak type and bytes (memcmp), except that a NaN equals any NaN: which NaN
// an operation on NaNs returns (sign, payload, quieted or not) is not
// specified (IEEE 754 leaves it open, XLA does not promise it, and eager's own
// scalar and SIMD paths pick different operands of add and mul; see
// docs/NUMERICS.md). Chains of
// primitives follow (fusion, local intermediates, reductions of chains,
// aliased reshapes, literals, outputs that are inputs or duplicated, dropped
// outputs). A primitive added to the registry without a case here fails
// EveryRegisteredPrimitiveHasACase.
//
// A mismatch prints the check, the first differing elements with both bit
// patterns and the operands there, and writes the generated C++ (what
// fx::jit(g).lower(args...).source() returns) to the test's temporary
// directory. FLUXION_JIT_REGISTRY_FILTER=text keeps only the checks whose
// label contains `text`, to reproduce one in a small program.
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
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"

// Loops of 70000 elements and more run on OpenMP threads here, as larger
// ones do by default (FLUXION_JIT_PARALLEL_WORK, read at the first compile):
// so every primitive is also checked in a threaded loop.
[[maybe_unused]] const bool kThreadedLoops = setenv("FLUXION_JIT_PARALLEL_WORK", "70000", 1) == 0;

namespace {

namespace fx = fluxion;
namespace prim = fx::prim;
using Arrays = std::vector<fx::Array>;
using Fn = std::function<Arrays(const Arrays&)>;
using Ints = std::vector<int64_t>;

constexpr fx::DType kDTypes[] = {fx::float32, fx::float64, fx::int32, fx::int64, fx::uint32, fx::uint64, fx::bool_};

std::string shape_str(const fx::Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}
std::string dt(fx::DType t) { return std::string(fx::dtype_name(t)); }
// FNV-1a: seeds from names, the same everywhere.
uint64_t fnv(std::string_view text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (char ch : text) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001B3ULL;
  return h;
}
int64_t size_of(const fx::Shape& s) {
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

fx::Array make_weak(const fx::Array& x) {
  return fx::bind1(prim::convert_element_type_p, {x}, {{"new_dtype", x.dtype()}, {"weak_type", true}});
}

fx::Array operand(fx::DType t, const fx::Shape& shape, uint64_t seed, size_t slot, const Domain& d = {},
                  bool weak = false) {
  fx::Array x = fx::visit_dtype(t, [&]<class T>() { return values<T>(shape, seed, slot, d); });
  return weak ? make_weak(x) : x;
}

// int32 selectors for select_n: mostly in [-1, ncases], some far outside.
fx::Array selector(const fx::Shape& shape, uint64_t seed, int64_t ncases) {
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

std::string element(const fx::Array& x, int64_t i) {
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

bool is_nan(const fx::Array& x, int64_t i) {
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
int64_t broadcast_index(const fx::Array& x, const fx::Shape& out, int64_t i) {
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
bool accepts(const fx::Primitive& p, const std::vector<fx::AbstractValue>& avals, const fx::Params& params) {
  std::vector<const fx::AbstractValue*> refs;
  for (const fx::AbstractValue& a : avals) refs.push_back(&a);
  try {
    p.abstract_eval(p, refs, params);
    return true;
  } catch (const fx::Error&) {
    return false;
  }
}

fx::Array un(const fx::Primitive& p, const fx::Array& x) { return fx::bind1(p, {x}); }
fx::Array bin(const fx::Primitive& p, const fx::Array& x, const fx::Array& y) { return fx::bind1(p, {x, y}); }

Fn bind_fn(const fx::Primitive& p, fx::Params params = {}) {
  return [&p, params](const Arrays& a) { return fx::bind(p, a, params); };
}

// ------------------------------------------------------------------ cases per primitive

struct Config {
  std::string name;
  std::vector<fx::Shape> shapes;
  bool weak = false;
};

// Shapes for an elementwise primitive of `arity` operands.
std::vector<Config> elementwise_configs(size_t arity, uint64_t seed) {
  std::vector<Config> out;
  const auto all = [&](fx::Shape s, bool weak = false) {
    out.push_back({shape_str(s) + (weak ? " weak" : ""), std::vector<fx::Shape>(arity, s), weak});
  };
  all({});
  all({0});
  all({2, 0, 3});
  all({3, 4});
  all({1000});
  all({70000});
  all({3, 4}, true);
  if (arity > 1) {
    const auto with = [&](fx::Shape base, fx::Shape odd, size_t slot) {
      Config c{shape_str(base) + " with " + shape_str(odd) + " at " + std::to_string(slot),
               std::vector<fx::Shape>(arity, base)};
      c.shapes[slot] = odd;
      out.push_back(std::move(c));
    };
    for (size_t s = 0; s < arity; ++s) {
      with({3, 4}, {}, s);
      with({3, 4}, {3, 1}, s);
      with({3, 4}, {1, 1}, s);
    }
    with({1000}, {}, 0);
    with({70000}, {}, arity - 1);
    with({2, 0, 3}, {}, 0);
    with({0}, {1}, arity - 1);
    with({1, 1}, {}, 0);
    with({40, 25}, {40, 1}, 0);
    with({700, 100}, {1, 100}, arity - 1);
  }
  // Random shapes (rank 1 to 4, extents 0 to 6), and for several operands a
  // random broadcast of them: some extents 1, or an operand 0-d.
  Rng r{seed};
  for (int k = 0; k < 2; ++k) {
    fx::Shape shape(static_cast<size_t>(r.range(1, 4)));
    for (int64_t& d : shape) d = r.range(k == 0 ? 0 : 1, 6);
    Config c{"random " + shape_str(shape), std::vector<fx::Shape>(arity, shape)};
    if (arity > 1) {
      c.name += " broadcast";
      for (fx::Shape& s : c.shapes) {
        if (r.next() % 5 == 0) s = {};
        else
          for (int64_t& d : s)
            if (r.next() % 3 == 0) d = 1;
      }
      c.shapes[r.next() % arity] = shape;
      for (const fx::Shape& s : c.shapes) c.name += " " + shape_str(s);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<fx::Shape> unary_shapes() { return {{}, {0}, {2, 0, 3}, {3, 4}, {1000}, {70000}}; }

void elementwise(Batch& b, const fx::Primitive& p, size_t arity, const fx::Params& params = {},
                 const Domain& domain = {}) {
  for (fx::DType t : kDTypes)
    for (const Config& c : elementwise_configs(arity, fnv(p.name) + static_cast<uint64_t>(t))) {
      std::vector<fx::AbstractValue> avals;
      for (const fx::Shape& s : c.shapes) avals.push_back({s, t, c.weak});
      if (!accepts(p, avals, params)) continue;
      const uint64_t seed = b.seed();
      Arrays ops;
      for (size_t s = 0; s < arity; ++s) ops.push_back(operand(t, c.shapes[s], seed, s, domain, c.weak));
      b.add(std::string(p.name) + " " + dt(t) + " " + c.name, ops, bind_fn(p, params));
    }
}

void integer_pow_cases(Batch& b) {
  for (fx::DType t : kDTypes)
    for (const fx::Shape& s : unary_shapes()) {
      const fx::Array x = operand(t, s, b.seed(), 0);
      for (int64_t y : {-3, -2, -1, 0, 1, 2, 3, 4, 5, 7, 8, 13, -4, -7}) {
        const fx::Params params{{"y", y}};
        if (!accepts(prim::integer_pow_p, {{s, t, false}}, params)) continue;
        b.add("integer_pow y=" + std::to_string(y) + " " + dt(t) + " " + shape_str(s), {x},
              bind_fn(prim::integer_pow_p, params));
      }
    }
}

void convert_cases(Batch& b) {
  for (fx::DType from : kDTypes)
    for (const fx::Shape& s : unary_shapes()) {
      const fx::Array x = operand(from, s, b.seed(), 0);
      for (fx::DType to : kDTypes)
        for (bool weak : {false, true}) {
          if (weak && s != fx::Shape{3, 4}) continue;
          b.add("convert_element_type " + dt(from) + "->" + dt(to) + (weak ? " weak " : " ") + shape_str(s), {x},
                bind_fn(prim::convert_element_type_p, {{"new_dtype", to}, {"weak_type", weak}}));
        }
    }
}

void bitcast_cases(Batch& b) {
  for (fx::DType from : kDTypes)
    for (const fx::Shape& s : unary_shapes()) {
      const fx::Array x = operand(from, s, b.seed(), 0);
      for (fx::DType to : kDTypes) {
        const fx::Params params{{"new_dtype", to}};
        if (!accepts(prim::bitcast_convert_type_p, {{s, from, false}}, params)) continue;
        b.add("bitcast_convert_type " + dt(from) + "->" + dt(to) + " " + shape_str(s), {x},
              bind_fn(prim::bitcast_convert_type_p, params));
      }
    }
}

void select_n_cases(Batch& b) {
  struct S {
    fx::Shape which, cases;
    bool boolean;
    int64_t ncases;
  };
  std::vector<S> specs;
  for (const fx::Shape& s : unary_shapes()) {
    specs.push_back({s, s, true, 2});
    specs.push_back({s, s, false, 3});
  }
  for (fx::Shape s : {fx::Shape{3, 4}, fx::Shape{1000}, fx::Shape{70000}}) {
    specs.push_back({{}, s, true, 2});
    specs.push_back({{}, s, false, 3});
  }
  for (fx::Shape s : {fx::Shape{3, 4}, fx::Shape{1000}}) {
    specs.push_back({s, s, true, 1});
    specs.push_back({s, s, false, 1});
    specs.push_back({s, s, false, 2});
    specs.push_back({s, s, false, 4});
  }
  for (fx::DType t : kDTypes)
    for (const S& sp : specs) {
      const uint64_t seed = b.seed();
      Arrays ops{sp.boolean ? operand(fx::bool_, sp.which, seed, 0) : selector(sp.which, seed, sp.ncases)};
      for (int64_t c = 0; c < sp.ncases; ++c) ops.push_back(operand(t, sp.cases, seed, static_cast<size_t>(c) + 1));
      b.add("select_n " + std::string(sp.boolean ? "bool" : "int32") + shape_str(sp.which) + " " +
                std::to_string(sp.ncases) + " case(s) " + dt(t) + shape_str(sp.cases),
            ops, bind_fn(prim::select_n_p));
    }
  // Weakly typed cases.
  const uint64_t seed = b.seed();
  b.add("select_n weak float64 (3,4)",
        {operand(fx::bool_, {3, 4}, seed, 0), operand(fx::float64, {3, 4}, seed, 1, {}, true),
         operand(fx::float64, {3, 4}, seed, 2, {}, true)},
        bind_fn(prim::select_n_p));
}

void reduction_cases(Batch& b, const fx::Primitive& p) {
  const std::vector<std::pair<fx::Shape, Ints>> specs = {
      {{}, {}},          {{0}, {0}},          {{2, 0, 3}, {1}},    {{2, 0, 3}, {0, 2}}, {{2, 0, 3}, {2}},
      {{2, 3, 4}, {}},   {{2, 3, 4}, {0}},    {{2, 3, 4}, {1}},    {{2, 3, 4}, {2}},    {{2, 3, 4}, {0, 1}},
      {{2, 3, 4}, {1, 2}}, {{2, 3, 4}, {0, 2}}, {{2, 3, 4}, {2, 0, 1}}, {{7}, {0}},     {{130}, {0}},
      {{1000}, {0}},     {{70000}, {0}},      {{10, 100}, {1}},    {{10, 100}, {0}},    {{4, 300, 5}, {1}},
      {{300, 3}, {0}}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, axes] : specs) {
      const fx::Params params{{"axes", axes}};
      if (!accepts(p, {{shape, t, false}}, params)) continue;
      std::string label = std::string(p.name) + " " + dt(t) + " " + shape_str(shape) + " axes {";
      for (int64_t a : axes) label += std::to_string(a) + ";";
      b.add(label + "}", {operand(t, shape, b.seed(), 0)}, bind_fn(p, params));
    }
  // A weak operand.
  if (accepts(p, {{{2, 3, 4}, fx::float64, true}}, {{"axes", Ints{1}}}))
    b.add(std::string(p.name) + " weak float64 (2,3,4) axes {1}", {operand(fx::float64, {2, 3, 4}, b.seed(), 0, {}, true)},
          bind_fn(p, {{"axes", Ints{1}}}));
}

// Applications of a structural primitive over every dtype: (operand shapes, params).
void structural(Batch& b, const fx::Primitive& p, const std::vector<std::pair<std::vector<fx::Shape>, fx::Params>>& specs) {
  for (fx::DType t : kDTypes)
    for (size_t i = 0; i < specs.size(); ++i) {
      const auto& [shapes, params] = specs[i];
      std::vector<fx::AbstractValue> avals;
      for (const fx::Shape& s : shapes) avals.push_back({s, t, false});
      if (!accepts(p, avals, params)) {
        ADD_FAILURE() << p.name << " case " << i << " is invalid for " << dt(t);
        continue;
      }
      const uint64_t seed = b.seed();
      Arrays ops;
      std::string label = std::string(p.name) + " " + dt(t) + " case " + std::to_string(i) + ":";
      for (size_t k = 0; k < shapes.size(); ++k) {
        ops.push_back(operand(t, shapes[k], seed, k));
        label += " " + shape_str(shapes[k]);
      }
      b.add(label, ops, bind_fn(p, params));
    }
}

fx::Params bcast(Ints shape, Ints dims) { return {{"shape", std::move(shape)}, {"broadcast_dimensions", std::move(dims)}}; }
fx::Params reshape_to(Ints sizes) { return {{"new_sizes", std::move(sizes)}, {"dimensions", fx::NoneParam{}}}; }
fx::Params slice_params(Ints start, Ints limit, std::optional<Ints> strides = std::nullopt) {
  return {{"start_indices", std::move(start)},
          {"limit_indices", std::move(limit)},
          {"strides", strides ? fx::ParamValue(*strides) : fx::ParamValue(fx::NoneParam{})}};
}
fx::Params dot_dims(Ints lc, Ints rc, Ints lb = {}, Ints rb = {}) {
  return {{"dimension_numbers", fx::DotDimensionNumbers{std::move(lc), std::move(rc), std::move(lb), std::move(rb)}}};
}

void iota_cases(Batch& b) {
  const std::vector<std::pair<fx::Shape, int64_t>> specs = {{{3, 4}, 0}, {{3, 4}, 1}, {{5}, 0},     {{0}, 0},
                                                            {{2, 0, 3}, 2}, {{1000}, 0}, {{70000}, 0}, {{2, 500}, 1}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, dim] : specs) {
      const fx::Params params{{"dtype", t}, {"shape", shape}, {"dimension", dim}};
      if (!accepts(prim::iota_p, {}, params)) continue;
      b.add("iota " + dt(t) + " " + shape_str(shape) + " dimension " + std::to_string(dim), {},
            bind_fn(prim::iota_p, params));
    }
}

void iota_2x32_cases(Batch& b) {
  for (const fx::Shape& s : unary_shapes())
    b.add("iota_2x32_shape " + shape_str(s), {}, bind_fn(prim::iota_2x32_shape_p, {{"shape", s}}));
}

void sort_cases(Batch& b) {
  const std::vector<std::pair<fx::Shape, int64_t>> specs = {{{5}, 0},       {{3, 4}, 0},  {{3, 4}, 1},
                                                            {{0}, 0},       {{2, 0, 3}, 1}, {{2, 3, 4}, 1},
                                                            {{1000}, 0},    {{40, 25}, 1}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, dim] : specs)
      for (int64_t operands : {1, 2})
        for (int64_t keys = 1; keys <= operands; ++keys) {
          const fx::Params params{{"dimension", dim}, {"is_stable", true}, {"num_keys", keys}};
          std::vector<fx::AbstractValue> avals(static_cast<size_t>(operands), fx::AbstractValue{shape, t, false});
          if (!accepts(prim::sort_p, avals, params)) continue;
          const uint64_t seed = b.seed();
          Arrays ops;
          // Two operands: the second is carried along (num_keys 1) or breaks
          // the first key's ties (num_keys 2); the sort is stable.
          ops.push_back(operand(t, shape, seed, 0));
          if (operands == 2) ops.push_back(operand(t, shape, seed, 1));
          b.add("sort " + dt(t) + " " + shape_str(shape) + " dimension " + std::to_string(dim) + " operands " +
                    std::to_string(operands) + " num_keys " + std::to_string(keys),
                ops, bind_fn(prim::sort_p, params));
        }
}

// pjit: a call of a traced program, inlined when jit compiles the caller and
// compiled on its own when called eagerly. One program per shape covers every
// dtype (each program an eager call compiles costs a compile), plus a call
// nested in another and one through fx::jit.
void pjit_cases(Batch& b) {
  const Fn body = [](const Arrays& a) {
    Arrays out;
    for (size_t k = 0; k + 1 < a.size(); k += 2) {
      out.push_back(bin(prim::max_p, a[k], a[k + 1]));
      out.push_back(a[k]);
      out.push_back(fx::bind1(prim::select_n_p, {bin(prim::lt_p, a[k], a[k + 1]), a[k], a[k + 1]}));
    }
    return out;
  };
  for (const fx::Shape& s : unary_shapes()) {
    if (s == fx::Shape{2, 0, 3}) continue;
    const uint64_t seed = b.seed();
    Arrays ops;
    for (fx::DType t : kDTypes) {
      ops.push_back(operand(t, s, seed, 0));
      ops.push_back(operand(t, s, seed, 1));
    }
    const fx::Params inner{{"jaxpr", fx::make_jaxpr_param(fx::detail::make_jaxpr_core(body, ops))},
                           {"name", std::string("inner")}};
    b.add("pjit every dtype " + shape_str(s), ops, bind_fn(prim::pjit_p, inner));
    if (s != fx::Shape{3, 4} && s != fx::Shape{70000}) continue;
    const Fn nested = [inner](const Arrays& a) {
      Arrays swapped;
      for (size_t k = 0; k < a.size(); ++k) swapped.push_back(a[k ^ 1]);
      const Arrays r = fx::bind(prim::pjit_p, swapped, inner);
      Arrays out;
      for (size_t k = 0; k < r.size(); k += 3) out.push_back(bin(prim::min_p, r[k], a[2 * (k / 3)])), out.push_back(r[k + 1]), out.push_back(r[k + 2]);
      return out;
    };
    b.add("pjit nested every dtype " + shape_str(s), ops,
          bind_fn(prim::pjit_p, {{"jaxpr", fx::make_jaxpr_param(fx::detail::make_jaxpr_core(nested, ops))},
                                 {"name", std::string("outer")}}));
  }
  const auto g = fx::jit([](fx::Array x, fx::Array y) { return Arrays{fx::sin(x) * y + x, y, fx::exp(y)}; },
                         {.name = "g"});
  const uint64_t seed = b.seed();
  b.add("pjit through fx::jit float64 (3,4)", {operand(fx::float64, {3, 4}, seed, 0), operand(fx::float64, {3, 4}, seed, 1)},
        [g](const Arrays& a) { return g(a[0], a[1]); });
}

using CaseFn = std::function<void(Batch&)>;

std::map<std::string, CaseFn> case_table() {
  std::map<std::string, CaseFn> c;
  const auto unary = [&](const fx::Primitive& p, Domain d = {}) {
    c[std::string(p.name)] = [&p, d](Batch& b) { elementwise(b, p, 1, {}, d); };
  };
  const auto binary = [&](const fx::Primitive& p) {
    c[std::string(p.name)] = [&p](Batch& b) { elementwise(b, p, 2); };
  };
  for (const fx::Primitive* p : {&prim::sin_p, &prim::cos_p, &prim::tan_p, &prim::tanh_p, &prim::sinh_p, &prim::cosh_p,
                                 &prim::atan_p, &prim::exp_p, &prim::expm1_p, &prim::log_p, &prim::log1p_p,
                                 &prim::sqrt_p, &prim::neg_p, &prim::abs_p, &prim::sign_p, &prim::floor_p,
                                 &prim::ceil_p, &prim::round_p, &prim::square_p, &prim::not_p, &prim::is_finite_p,
                                 &prim::stop_gradient_p})
    unary(*p);
  unary(prim::asin_p, kUnit);
  unary(prim::acos_p, kUnit);
  unary(prim::erf_inv_p, kUnit);
  for (const fx::Primitive* p : {&prim::add_any_p, &prim::add_p, &prim::sub_p, &prim::mul_p, &prim::div_p,
                                 &prim::rem_p, &prim::max_p, &prim::min_p, &prim::pow_p, &prim::atan2_p, &prim::and_p,
                                 &prim::or_p, &prim::xor_p, &prim::eq_p, &prim::ne_p, &prim::lt_p, &prim::le_p,
                                 &prim::gt_p, &prim::ge_p, &prim::shift_left_p, &prim::shift_right_logical_p,
                                 &prim::shift_right_arithmetic_p})
    binary(*p);
  c["integer_pow"] = integer_pow_cases;
  c["convert_element_type"] = convert_cases;
  c["bitcast_convert_type"] = bitcast_cases;
  c["select_n"] = select_n_cases;
  for (const fx::Primitive* p : {&prim::reduce_sum_p, &prim::reduce_prod_p, &prim::reduce_max_p, &prim::reduce_min_p,
                                 &prim::reduce_and_p, &prim::reduce_or_p})
    c[std::string(p->name)] = [p](Batch& b) { reduction_cases(b, *p); };
  c["broadcast_in_dim"] = [](Batch& b) {
    structural(b, prim::broadcast_in_dim_p,
               {{{{3, 1}}, bcast({2, 3, 4}, {1, 2})},
                {{{}}, bcast({3, 4}, {})},
                {{{1, 1}}, bcast({3, 4}, {0, 1})},
                {{{4}}, bcast({3, 4}, {1})},
                {{{3}}, bcast({3, 4}, {0})},
                {{{1}}, bcast({2, 0}, {0})},
                {{{0}}, bcast({2, 0}, {1})},
                {{{}}, bcast({1000}, {})},
                {{{}}, bcast({70000}, {})},
                {{{1}}, bcast({70000}, {0})},
                {{{1000}}, bcast({2, 1000}, {1})},
                {{{2, 3}}, bcast({2, 3}, {0, 1})},
                {{{}}, bcast({}, {})},
                {{{}}, bcast({1, 1}, {})},
                {{{3, 1}}, bcast({3, 1}, {0, 1})},
                {{{1, 3, 1}}, bcast({2, 3, 700}, {0, 1, 2})}});
  };
  c["reshape"] = [](Batch& b) {
    structural(b, prim::reshape_p,
               {{{{3, 4}}, reshape_to({12})},
                {{{3, 4}}, reshape_to({2, 6})},
                {{{12}}, reshape_to({3, 4})},
                {{{}}, reshape_to({1, 1})},
                {{{1, 1}}, reshape_to({})},
                {{{0}}, reshape_to({2, 0})},
                {{{2, 0, 3}}, reshape_to({0, 6})},
                {{{1000}}, reshape_to({10, 100})},
                {{{70000}}, reshape_to({700, 100})},
                {{{3, 4}}, reshape_to({3, 4})}});
  };
  c["squeeze"] = [](Batch& b) {
    const auto dims = [](Ints d) { return fx::Params{{"dimensions", std::move(d)}}; };
    structural(b, prim::squeeze_p,
               {{{{3, 1}}, dims({1})},
                {{{1, 1}}, dims({0, 1})},
                {{{1}}, dims({0})},
                {{{2, 1, 0, 1}}, dims({1, 3})},
                {{{1, 1000}}, dims({0})},
                {{{70000, 1}}, dims({1})},
                {{{3, 4}}, dims({})}});
  };
  c["transpose"] = [](Batch& b) {
    const auto perm = [](Ints p) { return fx::Params{{"permutation", std::move(p)}}; };
    structural(b, prim::transpose_p,
               {{{{2, 3, 4}}, perm({2, 0, 1})},
                {{{2, 3, 4}}, perm({1, 0, 2})},
                {{{3, 4}}, perm({1, 0})},
                {{{}}, perm({})},
                {{{0, 3}}, perm({1, 0})},
                {{{2, 0, 3}}, perm({2, 1, 0})},
                {{{100, 10}}, perm({1, 0})},
                {{{700, 100}}, perm({1, 0})},
                {{{3, 4}}, perm({0, 1})}});
  };
  c["concatenate"] = [](Batch& b) {
    const auto dim = [](int64_t d) { return fx::Params{{"dimension", d}}; };
    structural(b, prim::concatenate_p,
               {{{{2, 3}, {2, 2}}, dim(1)},
                {{{2, 3}, {1, 3}, {0, 3}}, dim(0)},
                {{{0}, {0}}, dim(0)},
                {{{3}, {1000}}, dim(0)},
                {{{5}, {5}, {5}}, dim(0)},
                {{{2, 0, 3}, {2, 1, 3}}, dim(1)},
                {{{70000}, {5}}, dim(0)},
                {{{4}}, dim(0)}});
  };
  c["slice"] = [](Batch& b) {
    structural(b, prim::slice_p,
               {{{{3, 4}}, slice_params({0, 1}, {2, 3})},
                {{{3, 4}}, slice_params({0, 0}, {3, 4}, Ints{2, 3})},
                {{{5}}, slice_params({1}, {1})},
                {{{2, 0, 3}}, slice_params({1, 0, 1}, {2, 0, 3})},
                {{{1000}}, slice_params({3}, {997}, Ints{7})},
                {{{70000}}, slice_params({10}, {70000}, Ints{3})},
                {{{3, 4}}, slice_params({0, 0}, {3, 4})},
                {{{2, 3, 4}}, slice_params({1, 0, 1}, {2, 3, 4}, Ints{1, 2, 2})}});
  };
  c["dot_general"] = [](Batch& b) {
    const std::vector<std::pair<std::vector<fx::Shape>, fx::Params>> specs = {
        {{{2, 3}, {3, 4}}, dot_dims({1}, {0})},
        {{{2, 3, 4}, {2, 4, 5}}, dot_dims({2}, {1}, {0}, {0})},
        {{{5}, {5}}, dot_dims({0}, {0})},
        {{{3}, {4}}, dot_dims({}, {})},
        {{{2, 0}, {0, 3}}, dot_dims({1}, {0})},
        {{{0, 3}, {3, 2}}, dot_dims({1}, {0})},
        {{{30, 40}, {40, 50}}, dot_dims({1}, {0})},
        {{{3, 2}, {4, 3}}, dot_dims({0}, {1})},
        {{{}, {}}, dot_dims({}, {})},
        // gemm reading the operands in place (kernels/gemm.hpp): a batch axis
        // that is not leading and a transposed rhs; several contracting axes;
        // batch axes of extent 1; free axes that do not step as one (copied first).
        {{{4, 3, 5}, {6, 4, 5}}, dot_dims({2}, {2}, {0}, {1})},
        {{{2, 3, 4}, {3, 4, 5}}, dot_dims({1, 2}, {0, 1})},
        {{{2, 1, 3, 4}, {2, 1, 4, 5}}, dot_dims({3}, {2}, {0, 1}, {0, 1})},
        {{{2, 3, 4}, {3, 5}}, dot_dims({1}, {0})}};
    for (fx::DType t : kDTypes)
      for (size_t i = 0; i < specs.size(); ++i) {
        const auto& [shapes, params] = specs[i];
        if (!accepts(prim::dot_general_p, {{shapes[0], t, false}, {shapes[1], t, false}}, params)) continue;
        const uint64_t seed = b.seed();
        b.add("dot_general " + dt(t) + " " + shape_str(shapes[0]) + "x" + shape_str(shapes[1]),
              {operand(t, shapes[0], seed, 0), operand(t, shapes[1], seed, 1)}, bind_fn(prim::dot_general_p, params));
      }
  };
  c["iota"] = iota_cases;
  c["threefry2x32"] = [](Batch& b) { elementwise(b, prim::threefry2x32_p, 4); };
  c["iota_2x32_shape"] = iota_2x32_cases;
  c["sort"] = sort_cases;
  c["pjit"] = pjit_cases;
  return c;
}

std::vector<std::string> registered_names() {
  std::vector<std::string> names;
  for (const fx::Primitive* p : fx::all_primitives()) names.emplace_back(p->name);
  return names;
}

TEST(JitRegistry, EveryRegisteredPrimitiveHasACase) {
  const std::map<std::string, CaseFn> table = case_table();
  for (const fx::Primitive* p : fx::all_primitives())
    EXPECT_TRUE(table.count(std::string(p->name))) << "primitive '" << p->name << "' has no jit case in " << __FILE__;
}

class JitRegistryPrimitive : public ::testing::TestWithParam<std::string> {};

TEST_P(JitRegistryPrimitive, CompiledEqualsEagerBitForBit) {
  const std::string name = GetParam();
  const fx::Primitive* p = nullptr;
  for (const fx::Primitive* q : fx::all_primitives())
    if (q->name == name) p = q;
  ASSERT_NE(p, nullptr);
  const std::map<std::string, CaseFn> table = case_table();
  const auto it = table.find(name);
  ASSERT_NE(it, table.end()) << "primitive '" << name << "' has no jit case in " << __FILE__;
  Batch b(name);
  it->second(b);
  if (!std::getenv("FLUXION_JIT_REGISTRY_FILTER")) {
    ASSERT_GT(b.size(), 0u) << "no dtype or shape of the cases for " << name << " is accepted";
  }
  b.verify(p);
}

INSTANTIATE_TEST_SUITE_P(All, JitRegistryPrimitive, ::testing::ValuesIn(registered_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// ------------------------------------------------------------------ chains

fx::Array convert(const fx::Array& x, fx::DType t) {
  return fx::bind1(prim::convert_element_type_p, {x}, {{"new_dtype", t}, {"weak_type", false}});
}
fx::Array ipow(const fx::Array& x, int64_t y) { return fx::bind1(prim::integer_pow_p, {x}, {{"y", y}}); }
fx::Array reduce(const fx::Primitive& p, const fx::Array& x, Ints axes) { return fx::bind1(p, {x}, {{"axes", std::move(axes)}}); }
Ints all_axes(const fx::Array& x) {
  Ints a;
  for (int64_t i = 0; i < x.ndim(); ++i) a.push_back(i);
  return a;
}

const std::vector<fx::Shape> kChainShapes = {{}, {0}, {3, 4}, {1000}, {70000}};

// Several elementwise primitives fused into one loop (intermediates in
// block-local arrays), in float and integer types.
TEST(JitRegistryChains, Elementwise) {
  Batch b("chains_elementwise");
  for (fx::DType t : {fx::float32, fx::float64})
    for (const fx::Shape& s : kChainShapes) {
      const uint64_t seed = b.seed();
      const Arrays xy{operand(t, s, seed, 0), operand(t, s, seed, 1)};
      const std::string at = " " + dt(t) + " " + shape_str(s);
      b.add("sin(x) * y + exp(x)" + at, xy, [](const Arrays& a) {
        return Arrays{bin(prim::add_p, bin(prim::mul_p, un(prim::sin_p, a[0]), a[1]), un(prim::exp_p, a[0]))};
      });
      b.add("select_n(x > y, x * y, y - x)" + at, xy, [](const Arrays& a) {
        return Arrays{fx::bind1(prim::select_n_p, {bin(prim::gt_p, a[0], a[1]), bin(prim::mul_p, a[0], a[1]),
                                                   bin(prim::sub_p, a[1], a[0])})};
      });
      b.add("convert(x * y) to every type" + at, xy, [](const Arrays& a) {
        Arrays out;
        const fx::Array p = bin(prim::mul_p, a[0], a[1]);
        for (fx::DType to : kDTypes) out.push_back(convert(p, to));
        out.push_back(convert(convert(un(prim::sqrt_p, a[0]), fx::int64), fx::float32));
        return out;
      });
      b.add("integer_pow(x + y, k)" + at, xy, [](const Arrays& a) {
        Arrays out;
        const fx::Array p = bin(prim::add_p, a[0], a[1]);
        for (int64_t k : {-3, -2, -1, 0, 1, 2, 3, 7}) out.push_back(ipow(p, k));
        out.push_back(ipow(ipow(un(prim::cos_p, a[0]), 3), -2));
        return out;
      });
      b.add("max(min(x, y), -x) / (|y| + sqrt|x|), rounding" + at, xy, [](const Arrays& a) {
        const fx::Array q = bin(prim::div_p, bin(prim::max_p, bin(prim::min_p, a[0], a[1]), un(prim::neg_p, a[0])),
                                bin(prim::add_p, un(prim::abs_p, a[1]), un(prim::sqrt_p, un(prim::abs_p, a[0]))));
        return Arrays{un(prim::floor_p, q), un(prim::round_p, bin(prim::mul_p, q, q)), un(prim::sign_p, q),
                      un(prim::ceil_p, un(prim::square_p, q)), un(prim::is_finite_p, q)};
      });
      b.add("rem, pow, atan2, tanh, log1p chain" + at, xy, [](const Arrays& a) {
        const fx::Array r = bin(prim::rem_p, a[0], a[1]);
        return Arrays{bin(prim::pow_p, un(prim::abs_p, r), a[1]), bin(prim::atan2_p, r, un(prim::tanh_p, a[1])),
                      un(prim::log1p_p, bin(prim::sub_p, r, a[0]))};
      });
      b.add("NumPy-layer chain with weak scalars" + at, xy, [](const Arrays& a) {
        return Arrays{fx::sin(a[0]) * 2.0 + 1.0 - a[1] / 3.0, fx::where(a[0] < 0.5, a[1], -0.0)};
      });
    }
  for (fx::DType t : {fx::int32, fx::int64, fx::uint32, fx::uint64})
    for (const fx::Shape& s : kChainShapes) {
      const uint64_t seed = b.seed();
      const Arrays xy{operand(t, s, seed, 0), operand(t, s, seed, 1)};
      const std::string at = " " + dt(t) + " " + shape_str(s);
      b.add("rem(x * y + x / y, y)" + at, xy, [](const Arrays& a) {
        return Arrays{bin(prim::rem_p, bin(prim::add_p, bin(prim::mul_p, a[0], a[1]), bin(prim::div_p, a[0], a[1])), a[1])};
      });
      b.add("select_n(x < y, x, -x), sign, abs" + at, xy, [](const Arrays& a) {
        const fx::Array s = fx::bind1(prim::select_n_p, {bin(prim::lt_p, a[0], a[1]), a[0], un(prim::neg_p, a[0])});
        return Arrays{s, un(prim::sign_p, bin(prim::sub_p, s, a[1])), un(prim::abs_p, bin(prim::mul_p, s, s))};
      });
      b.add("through float and back" + at, xy, [](const Arrays& a) {
        const fx::Array f = bin(prim::mul_p, convert(a[0], fx::float64), convert(a[1], fx::float32).astype(fx::float64));
        return Arrays{convert(f, a[0].dtype()), convert(convert(a[1], fx::float32), a[0].dtype())};
      });
      b.add("bits: (x ^ y) & ~x, shift in a chain" + at, xy, [](const Arrays& a) {
        const fx::Array m = bin(prim::and_p, bin(prim::xor_p, a[0], a[1]), un(prim::not_p, a[0]));
        return Arrays{m, bin(prim::or_p, fx::lax::shift_left(m, a[1]), bin(prim::add_p, a[0], m)),
                      bin(prim::max_p, fx::lax::shift_right_arithmetic(a[0], a[1]), a[1])};
      });
      b.add("integer_pow(x - y, k)" + at, xy, [](const Arrays& a) {
        Arrays out;
        const fx::Array p = bin(prim::sub_p, a[0], a[1]);
        for (int64_t k : {0, 1, 2, 3, 7}) out.push_back(ipow(p, k));
        return out;
      });
    }
  for (const auto& [s, dim] : {std::pair<fx::Shape, int64_t>{{3, 4}, 1}, {{40, 25}, 0}, {{70000}, 0}}) {
    const uint64_t seed = b.seed();
    b.add("iota in a chain " + shape_str(s), {operand(fx::float32, s, seed, 0), operand(fx::int64, s, seed, 1)},
          [s, dim](const Arrays& a) {
            const fx::Params p{{"dtype", fx::int64}, {"shape", s}, {"dimension", dim}};
            const fx::Array i = fx::bind1(prim::iota_p, {}, p);
            return Arrays{bin(prim::mul_p, convert(i, fx::float32), a[0]), bin(prim::sub_p, a[1], i),
                          bin(prim::lt_p, i, a[1])};
          });
  }
  for (const fx::Shape& s : kChainShapes) {
    const uint64_t seed = b.seed();
    b.add("bool: (x < y) & !(x == y) | (p ^ q)" + shape_str(s),
          {operand(fx::float32, s, seed, 0), operand(fx::float32, s, seed, 1), operand(fx::bool_, s, seed, 2),
           operand(fx::bool_, s, seed, 3)},
          [](const Arrays& a) {
            const fx::Array c = bin(prim::and_p, bin(prim::lt_p, a[0], a[1]), un(prim::not_p, bin(prim::eq_p, a[0], a[1])));
            return Arrays{bin(prim::or_p, c, bin(prim::xor_p, a[2], a[3])), bin(prim::max_p, c, a[2]),
                          convert(bin(prim::min_p, c, a[3]), fx::float32)};
          });
  }
  b.verify();
}

// Reductions of elementwise chains: over all axes, a middle axis, axes that
// are not contiguous; reduction results feeding elementwise loops as scalars.
TEST(JitRegistryChains, ReductionsOfChains) {
  Batch b("chains_reductions");
  for (fx::DType t : {fx::float32, fx::float64})
    for (const fx::Shape& s : {fx::Shape{2, 3, 4}, fx::Shape{4, 300, 5}, fx::Shape{1000}, fx::Shape{70000},
                               fx::Shape{2, 0, 3}, fx::Shape{}}) {
      const uint64_t seed = b.seed();
      const Arrays xy{operand(t, s, seed, 0), operand(t, s, seed, 1)};
      const std::string at = " " + dt(t) + " " + shape_str(s);
      b.add("sum(x * y + exp(x)) over all axes" + at, xy, [](const Arrays& a) {
        const fx::Array c = bin(prim::add_p, bin(prim::mul_p, a[0], a[1]), un(prim::exp_p, a[0]));
        return Arrays{reduce(prim::reduce_sum_p, c, all_axes(c)), reduce(prim::reduce_max_p, c, all_axes(c)),
                      reduce(prim::reduce_prod_p, un(prim::cos_p, a[1]), all_axes(c))};
      });
      b.add("softmax-like: exp(x - max(x)) / sum(...)" + at, xy, [](const Arrays& a) {
        const fx::Array m = reduce(prim::reduce_max_p, a[1], all_axes(a[1]));
        const fx::Array e = un(prim::exp_p, bin(prim::sub_p, un(prim::sin_p, a[1]), un(prim::sin_p, m)));
        return Arrays{bin(prim::div_p, e, reduce(prim::reduce_sum_p, e, all_axes(e)))};
      });
      if (s.size() == 3) {
        b.add("reductions of a chain over a middle axis and {0, 2}" + at, xy, [](const Arrays& a) {
          const fx::Array c = bin(prim::sub_p, un(prim::tanh_p, a[0]), bin(prim::mul_p, a[1], a[1]));
          const fx::Array mid = reduce(prim::reduce_sum_p, c, {1});
          return Arrays{mid, un(prim::exp_p, bin(prim::mul_p, mid, mid)), reduce(prim::reduce_min_p, c, {1}),
                        reduce(prim::reduce_max_p, c, {0, 2}), reduce(prim::reduce_sum_p, c, {0, 2}),
                        reduce(prim::reduce_prod_p, c, {2}), reduce(prim::reduce_sum_p, c, {0}),
                        reduce(prim::reduce_or_p, bin(prim::gt_p, a[0], a[1]), {1}),
                        reduce(prim::reduce_and_p, bin(prim::le_p, a[0], a[1]), {0, 1})};
        });
      }
    }
  for (fx::DType t : {fx::int32, fx::uint64, fx::int64})
    for (const fx::Shape& s : {fx::Shape{2, 3, 4}, fx::Shape{70000}, fx::Shape{10, 100}}) {
      const uint64_t seed = b.seed();
      b.add("integer reductions of a chain " + dt(t) + " " + shape_str(s),
            {operand(t, s, seed, 0), operand(t, s, seed, 1)}, [](const Arrays& a) {
              const fx::Array c = bin(prim::add_p, bin(prim::mul_p, a[0], a[1]), a[0]);
              const Ints last{a[0].ndim() - 1};
              return Arrays{reduce(prim::reduce_sum_p, c, all_axes(c)), reduce(prim::reduce_max_p, c, last),
                            reduce(prim::reduce_prod_p, c, {0}), reduce(prim::reduce_min_p, c, all_axes(c))};
            });
    }
  b.verify();
}

// reshape and squeeze of intermediate values read their operand's buffer in
// place in generated code: every reader must see the value, however the
// scratch arena is reused around them.
TEST(JitRegistryChains, AliasedReshapeAndSqueeze) {
  Batch b("chains_aliases");
  for (fx::DType t : {fx::float64, fx::float32, fx::int32})
    for (const auto& [rows, cols] : {std::pair<int64_t, int64_t>{3, 4}, {10, 100}, {700, 100}}) {
      const uint64_t seed = b.seed();
      const int64_t n = rows * cols;
      const Arrays xy{operand(t, {rows, cols}, seed, 0), operand(t, {n}, seed, 1)};
      const std::string at = " " + dt(t) + " (" + std::to_string(rows) + "," + std::to_string(cols) + ")";
      b.add("reshapes and squeezes of intermediates" + at, xy, [rows, cols, n](const Arrays& a) {
        const fx::Array& x = a[0];
        const fx::Array& y = a[1];
        const fx::Array p = bin(prim::mul_p, bin(prim::add_p, x, x), x);                     // (r, c), buffered
        const fx::Array r = fx::lax::reshape(p, {n});                                          // alias of p
        const fx::Array sum = bin(prim::add_p, r, y);                                          // reads p through r
        const fx::Array q = fx::bind1(prim::squeeze_p, {fx::lax::reshape(p, {rows, 1, cols})}, {{"dimensions", Ints{1}}});
        const fx::Array diff = bin(prim::sub_p, q, x);                                         // alias of an alias
        // A step of its own (transpose) and a loop over its result, while p's
        // aliases are still to be read.
        const fx::Array tr = fx::lax::transpose(fx::lax::reshape(y, {rows, cols}), {1, 0});
        const fx::Array u = bin(prim::mul_p, tr, tr);
        const fx::Array back = fx::lax::reshape(bin(prim::max_p, fx::lax::reshape(p, {cols, rows}), u), {n});
        const fx::Array red = reduce(prim::reduce_sum_p, fx::lax::reshape(bin(prim::mul_p, p, p), {cols, rows}), {1});
        const fx::Array of_input = bin(prim::add_p, fx::lax::reshape(x, {n}), y);           // alias of an input
        const fx::Array twice = fx::lax::reshape(fx::lax::reshape(sum, {rows, cols}), {cols, rows});
        return Arrays{sum, diff, back, red, of_input, twice, fx::lax::reshape(diff, {n}), p, r,
                      bin(prim::sub_p, r, fx::lax::reshape(twice, {n}))};
      });
      b.add("a 0-d reduction reshaped to (1,1) feeds a loop" + at, xy, [rows, cols](const Arrays& a) {
        const fx::Array m = reduce(prim::reduce_max_p, bin(prim::mul_p, a[0], a[0]), {0, 1});
        const fx::Array m11 = fx::lax::reshape(m, {1, 1});
        const fx::Array v = fx::lax::reshape(reduce(prim::reduce_sum_p, a[0], {1}), {rows, 1});
        const fx::Array wide = fx::lax::broadcast_in_dim(v, {rows, cols}, {0, 1});
        return Arrays{bin(prim::sub_p, a[0], m11), bin(prim::sub_p, wide, a[0]),
                      fx::bind1(prim::squeeze_p, {v}, {{"dimensions", Ints{1}}})};
      });
    }
  b.verify();
}

// broadcast_in_dim of intermediates: a (3,1) into (2,3,4) (a loop nest), a
// one-element value into a fused loop, and of an input.
TEST(JitRegistryChains, BroadcastInDim) {
  Batch b("chains_broadcast");
  for (fx::DType t : {fx::float64, fx::float32, fx::int64, fx::bool_}) {
    const uint64_t seed = b.seed();
    const Arrays ops{operand(t, {3, 1}, seed, 0), operand(t, {2, 3, 4}, seed, 1), operand(t, {}, seed, 2),
                     operand(t, {1000}, seed, 3), operand(t, {1, 1}, seed, 4)};
    b.add("broadcasts " + dt(t), ops, [](const Arrays& a) {
      const fx::Array c = bin(prim::max_p, a[0], a[0]);
      const fx::Array big = fx::lax::broadcast_in_dim(c, {2, 3, 4}, {1, 2});
      const fx::Array s = bin(prim::min_p, a[2], a[2]);
      const fx::Array wide = fx::lax::broadcast_in_dim(s, {1000}, {});
      const fx::Array one = bin(prim::max_p, a[4], a[4]);
      return Arrays{bin(prim::max_p, big, a[1]), big, bin(prim::min_p, wide, a[3]),
                    fx::lax::broadcast_in_dim(a[0], {2, 3, 4}, {1, 2}),
                    bin(prim::max_p, fx::lax::broadcast_in_dim(one, {3, 4}, {0, 1}),
                        fx::lax::broadcast_in_dim(a[0], {3, 4}, {0, 1})),
                    fx::lax::broadcast_in_dim(s, {70000}, {})};
    });
  }
  b.verify();
}

// Multi-output primitives (threefry2x32, sort, iota_2x32_shape) of which
// the program uses one output: the other is `_` in the jaxpr, yet the eager
// kernel the compiled code calls writes it.
TEST(JitRegistryChains, DroppedOutputs) {
  Batch b("chains_dropped_outputs");
  const uint64_t seed = b.seed();
  const fx::Array k = operand(fx::uint32, {}, seed, 0), c = operand(fx::uint32, {3, 4}, seed, 1);
  const fx::Array f = operand(fx::float64, {5, 4}, seed, 2), i = operand(fx::int32, {5, 4}, seed, 3);
  b.add("threefry2x32: the second output only", {k, c}, [](const Arrays& a) {
    return Arrays{bin(prim::xor_p, fx::lax::threefry2x32(a[0], a[0], a[1], a[1])[1], a[1])};
  });
  b.add("sort: the carried operand only", {f, i}, [](const Arrays& a) { return Arrays{fx::lax::sort({a[0], a[1]}, 0)[1]}; });
  b.add("sort: the first key only", {f, i}, [](const Arrays& a) { return Arrays{fx::lax::sort({a[1], a[0]}, 1, 2)[0]}; });
  b.add("iota_2x32_shape: the low word only", {c}, [](const Arrays& a) {
    return Arrays{bin(prim::add_p, fx::lax::iota_2x32_shape({3, 4})[1], a[0])};
  });
  b.verify();
}

template <class T> fx::Array scalar_of(T v) { return fx::array_of<T>({v}, {}); }

// Outputs that are inputs, literals or the same value twice; literals of
// every type as operands (NaNs with a sign and payload, -0.0, the integer
// bounds), and constants folded at compile time.
TEST(JitRegistryChains, OutputsAndLiterals) {
  Batch b("chains_outputs_literals");
  const uint64_t seed = b.seed();
  const fx::Array x = operand(fx::float64, {3, 4}, seed, 0), y = operand(fx::float32, {1000}, seed, 1);
  const fx::Array i = operand(fx::int32, {}, seed, 2), l = operand(fx::int64, {3, 4}, seed, 3);
  const fx::Array u = operand(fx::uint32, {70000}, seed, 4);
  const fx::Array big = operand(fx::float64, {70000}, seed, 5);
  const double neg_nan = std::bit_cast<double>(0xFFF8000000000123ULL);
  const float nan_f = std::bit_cast<float>(0x7FC00042U);
  b.add("outputs: inputs, duplicates, literals", {x, y, i}, [=](const Arrays& a) {
    const fx::Array s = un(prim::sin_p, a[0]);
    return Arrays{a[0], a[0], a[1], s, s, fx::Array(2.0), scalar_of<float>(-0.0f), scalar_of<double>(neg_nan),
                  scalar_of<float>(nan_f), scalar_of<int32_t>(std::numeric_limits<int32_t>::min()),
                  scalar_of<uint64_t>(std::numeric_limits<uint64_t>::max()),
                  scalar_of<int64_t>(std::numeric_limits<int64_t>::min()), scalar_of<bool>(true), a[2], a[2],
                  bin(prim::add_p, a[2], a[2]), un(prim::stop_gradient_p, a[0])};
  });
  b.add("float64 literals as operands", {x, big}, [=](const Arrays& a) {
    Arrays out;
    for (const fx::Array& v : a) {
      out.push_back(bin(prim::add_p, v, scalar_of<double>(neg_nan)));
      out.push_back(bin(prim::max_p, v, scalar_of<double>(std::numeric_limits<double>::quiet_NaN())));
      out.push_back(bin(prim::mul_p, v, scalar_of<double>(-0.0)));
      out.push_back(bin(prim::sub_p, v, scalar_of<double>(-0.0)));
      out.push_back(bin(prim::add_p, v, scalar_of<double>(0.0)));
      for (double e : {2.0, -1.0, 0.5, 3.0, -2.0, 1.0, 0.0}) out.push_back(bin(prim::pow_p, v, scalar_of<double>(e)));
      out.push_back(bin(prim::pow_p, scalar_of<double>(2.0), v));
      out.push_back(bin(prim::div_p, scalar_of<double>(1.0), v));
      out.push_back(bin(prim::rem_p, v, scalar_of<double>(-0.0)));
      out.push_back(bin(prim::atan2_p, scalar_of<double>(-0.0), v));
      out.push_back(bin(prim::mul_p, v, scalar_of<double>(std::numeric_limits<double>::denorm_min())));
      // Constants folded when compiling: sqrt(-1) is a NaN with its sign bit set.
      out.push_back(bin(prim::add_p, v, un(prim::sqrt_p, scalar_of<double>(-1.0))));
      out.push_back(bin(prim::mul_p, v, bin(prim::mul_p, scalar_of<double>(0.0),
                                            scalar_of<double>(std::numeric_limits<double>::infinity()))));
    }
    return out;
  });
  b.add("float32 literals as operands", {y}, [=](const Arrays& a) {
    const fx::Array& v = a[0];
    return Arrays{bin(prim::add_p, v, scalar_of<float>(nan_f)), bin(prim::pow_p, v, scalar_of<float>(2.0f)),
                  bin(prim::pow_p, v, scalar_of<float>(-1.0f)), bin(prim::atan2_p, v, scalar_of<float>(-0.0f)),
                  bin(prim::mul_p, v, scalar_of<float>(0.1f)), bin(prim::sub_p, scalar_of<float>(1e-45f), v),
                  convert(bin(prim::add_p, v, scalar_of<float>(-0.0f)), fx::int32)};
  });
  b.add("integer literals as operands", {i, l, u}, [](const Arrays& a) {
    return Arrays{bin(prim::mul_p, a[1], scalar_of<int64_t>(std::numeric_limits<int64_t>::min())),
                  bin(prim::add_p, a[1], scalar_of<int64_t>(std::numeric_limits<int64_t>::max())),
                  bin(prim::div_p, a[0], scalar_of<int32_t>(0)),
                  bin(prim::rem_p, a[0], scalar_of<int32_t>(-1)),
                  bin(prim::div_p, scalar_of<int32_t>(std::numeric_limits<int32_t>::min()), a[0]),
                  bin(prim::sub_p, a[2], scalar_of<uint32_t>(std::numeric_limits<uint32_t>::max())),
                  fx::lax::shift_left(a[2], scalar_of<uint32_t>(33)),
                  bin(prim::pow_p, a[1], scalar_of<int64_t>(3)),
                  bin(prim::and_p, a[2], scalar_of<uint32_t>(0x80000001U)),
                  bin(prim::lt_p, a[1], scalar_of<int64_t>(-1)),
                  convert(bin(prim::mul_p, a[2], scalar_of<uint32_t>(3)), fx::float32)};
  });
  b.add("captured constants", {x}, [=](const Arrays& a) {
    const fx::Array c = operand(fx::float64, {3, 4}, 991, 0);  // a constvar
    return Arrays{bin(prim::mul_p, a[0], c), bin(prim::add_p, un(prim::exp_p, c), a[0]), c};
  });
  b.verify();

  // The public entry point, on the same values.
  const auto g = [](fx::Array v, fx::Array w) {
    return Arrays{v, fx::sin(v) * w + fx::exp(v), v, fx::Array(2.0), fx::pow(w, 2)};
  };
  const fx::Array v = operand(fx::float64, {3, 4}, 17, 0), w = operand(fx::float64, {3, 4}, 17, 1);
  const Arrays want = g(v, w), got = fx::jit(g)(v, w);
  ASSERT_EQ(want.size(), got.size());
  for (size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(want[k].aval(), got[k].aval()) << "output " << k;
    for (int64_t i = 0; i < want[k].size(); ++i) {
      if (is_nan(want[k], i) && is_nan(got[k], i)) continue;
      ASSERT_EQ(std::memcmp(static_cast<const char*>(want[k].data()) + i * 8,
                              static_cast<const char*>(got[k].data()) + i * 8, 8), 0)
            << "output " << k << " element " << i << "\n" << fx::jit(g).lower(v, w).source();
    }
  }
}

}  // namespace
