// The jit registry's cases for primitives that hold programs (cond, while,
// scan, custom_jvp_call, custom_vjp_call): each compiles its sub-programs as
// functions of the same unit, checked bit for bit against eager by
// jit_registry_test.cpp, which lists them in its case table.
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "registry_harness.hpp"

namespace jit_registry {

// Two operands of each dtype, in dtype order.
Arrays two_of_every_dtype(const fx::Shape& s, uint64_t seed) {
  Arrays ops;
  for (fx::DType t : kDTypes) {
    ops.push_back(operand(t, s, seed, 0));
    ops.push_back(operand(t, s, seed, 1));
  }
  return ops;
}

// cond: compiled as a switch calling one function per branch. Both values of
// the predicate with every dtype through the branches; a switch_ whose index
// is below, inside and above its range (clamped); a cond inside a branch.
void cond_cases(Batch& b) {
  const Fn pick_max = [](const Arrays& a) {
    Arrays out;
    for (size_t k = 0; k + 1 < a.size(); k += 2) out.push_back(bin(prim::max_p, a[k], a[k + 1]));
    return out;
  };
  const Fn pick_second = [](const Arrays& a) {
    Arrays out;
    for (size_t k = 0; k + 1 < a.size(); k += 2) out.push_back(a[k + 1]);
    return out;
  };
  for (const fx::Shape& s : {fx::Shape{}, fx::Shape{3, 4}, fx::Shape{0}}) {
    const Arrays ops = two_of_every_dtype(s, b.seed());
    for (bool pred : {false, true}) {
      Arrays args{fx::Array(pred)};
      args.insert(args.end(), ops.begin(), ops.end());
      b.add(std::string("cond ") + (pred ? "true " : "false ") + shape_str(s), args,
            [pick_max, pick_second](const Arrays& a) {
              return fx::detail::cond_core(a[0], pick_max, pick_second, Arrays(a.begin() + 1, a.end()));
            });
    }
  }
  const Fn nested = [](const Arrays& a) {
    const Fn twice = [](const Arrays& u) { return Arrays{u[0] * 2.0}; };
    const Fn inner = [twice](const Arrays& u) { return fx::detail::cond_core(fx::sum(u[0]) > 0.5, twice, twice, u); };
    const Fn square = [](const Arrays& u) { return Arrays{u[0] * u[0]}; };
    return fx::detail::switch_core(a[0], {square, inner, twice}, {a[1]}, "switch_");
  };
  for (int32_t index : {-3, 0, 1, 2, 9}) {
    const uint64_t seed = b.seed();
    b.add("cond switch_ index " + std::to_string(index), {fx::array_of<int32_t>({index}, {}), operand(fx::float64, {5}, seed, 0)},
          nested);
  }
}

// custom_jvp_call and custom_vjp_call: compiled as a call of the function's
// program (the rules matter only to differentiation). Every dtype passed
// through, and a custom function inside another's program.
void custom_call_cases(Batch& b, bool vjp) {
  const Fn body = [](const Arrays& a) {
    Arrays out;
    for (size_t k = 0; k + 1 < a.size(); k += 2) out.push_back(bin(prim::max_p, a[k], a[k + 1]));
    return out;
  };
  const auto wrap = [](const Fn& f) {
    return fx::custom_vjp(f, "f").defvjp([f](const Arrays& a) { return std::pair{f(a), a}; },
                                         [](const Arrays& r, const Arrays&) { return std::tuple{r}; });
  };
  const auto jvp_wrap = [](const Fn& f) {
    return fx::custom_jvp(f, "f").defjvp([f](auto p, auto t) { return std::pair{f(std::get<0>(p)), f(std::get<0>(t))}; });
  };
  for (const fx::Shape& s : {fx::Shape{}, fx::Shape{3, 4}, fx::Shape{0}}) {
    const Arrays ops = two_of_every_dtype(s, b.seed());
    if (vjp) b.add("custom_vjp_call " + shape_str(s), ops, [f = wrap(body)](const Arrays& a) { return f(a); });
    else b.add("custom_jvp_call " + shape_str(s), ops, [f = jvp_wrap(body)](const Arrays& a) { return f(a); });
  }
  const uint64_t seed = b.seed();
  b.add(std::string(vjp ? "custom_vjp_call" : "custom_jvp_call") + " nested",
        {operand(fx::float64, {5}, seed, 0), operand(fx::float64, {5}, seed, 1)}, [vjp, wrap, jvp_wrap](const Arrays& a) {
          const Fn inner = [](const Arrays& u) { return Arrays{fx::sin(u[0]) * u[1]}; };
          const Fn outer = [vjp, wrap, jvp_wrap, inner](const Arrays& u) {
            const Arrays v = vjp ? wrap(inner)(u) : jvp_wrap(inner)(u);
            return Arrays{v[0] + u[0]};
          };
          return vjp ? wrap(outer)(a) : jvp_wrap(outer)(a);
        });
}

// while: compiled as a loop calling the cond's and the body's functions, the
// carry in the output buffers. Every dtype carried along, a loop that never
// runs, and a fori_loop whose body holds a cond.
void while_cases(Batch& b) {
  for (const fx::Shape& s : {fx::Shape{}, fx::Shape{3, 4}, fx::Shape{0}}) {
    const Arrays ops = two_of_every_dtype(s, b.seed());
    for (int64_t steps : {0, 3}) {
      Arrays args{fx::array_of<int32_t>({static_cast<int32_t>(steps)}, {})};
      args.insert(args.end(), ops.begin(), ops.end());
      b.add("while " + std::to_string(steps) + " steps " + shape_str(s), args, [](const Arrays& a) {
        Arrays carry(a.begin() + 1, a.end());
        carry.push_back(fx::array_of<int32_t>({0}, {}));
        const Arrays r = fx::while_loop([n = a[0]](const Arrays& c) { return c.back() < n; },
                                        [](const Arrays& c) {
                                          Arrays next;
                                          for (size_t k = 0; k + 2 < c.size(); k += 2) {
                                            next.push_back(bin(prim::max_p, c[k], c[k + 1]));
                                            next.push_back(c[k]);
                                          }
                                          next.push_back(c.back() + 1);
                                          return next;
                                        },
                                        carry);
        return r;
      });
    }
  }
  const uint64_t seed = b.seed();
  b.add("while fori_loop with a cond", {operand(fx::float64, {6}, seed, 0)}, [](const Arrays& a) {
    return Arrays{fx::fori_loop(0, 5,
                                [](fx::Array i, fx::Array v) {
                                  return fx::cond(i < 3, [](fx::Array u) { return fx::sin(u); },
                                                  [](fx::Array u) { return u * 2.0; }, v);
                                },
                                a[0])};
  });
}

// scan: compiled as a loop over the slices calling the body's function, the
// ys written in place. Every dtype carried and scanned, both directions, an
// empty scan, and a scan whose body holds a while loop.
void scan_cases(Batch& b) {
  for (const fx::Shape& s : {fx::Shape{3}, fx::Shape{4, 2}, fx::Shape{0, 2}}) {
    const Arrays xs = two_of_every_dtype(s, b.seed());
    for (bool reverse : {false, true})
      b.add(std::string("scan ") + (reverse ? "reversed " : "") + shape_str(s), xs, [reverse](const Arrays& a) {
        Arrays init;
        for (size_t k = 0; k < a.size(); k += 2)
          init.push_back(fx::zeros(fx::Shape(a[k].shape().begin() + 1, a[k].shape().end()), a[k].dtype()));
        const auto [carry, ys] = fx::scan(
            [](const Arrays& c, const Arrays& x) {
              Arrays next, out;
              for (size_t k = 0; k < c.size(); ++k) {
                next.push_back(bin(prim::max_p, c[k], x[2 * k]));
                out.push_back(bin(prim::min_p, c[k], x[2 * k + 1]));
              }
              return std::pair{next, out};
            },
            init, a, std::nullopt, reverse);
        Arrays r = carry;
        r.insert(r.end(), ys.begin(), ys.end());
        return r;
      });
  }
  b.add("scan with a while loop inside", {operand(fx::float64, {5, 3}, b.seed(), 0)}, [](const Arrays& a) {
    return Arrays{fx::map(
        [](fx::Array row) {
          return fx::while_loop([](fx::Array v) { return fx::sum(v * v) < 30.0; }, [](fx::Array v) { return v * 1.7 + 0.3; },
                                row);
        },
        a[0])};
  });
}

}  // namespace jit_registry
