// jit against eager, bit for bit, for chains of registered primitives: fusion
// and block-local intermediates, reductions of chains, aliased reshapes,
// broadcasts, dropped outputs, literals and outputs that are inputs or
// duplicated (the harness and its comparison: registry_harness.hpp and
// jit_registry_test.cpp's top comment).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry_harness.hpp"

namespace {

using namespace jit_registry;

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
