"""Shape operations, indexing, astype and creation functions.

All of these move or convert values without arithmetic, so they are exact,
except linspace/logspace/float arange whose JAX formulas (reproduced here)
may be contracted into fused multiply-adds by XLA."""
import math

import numpy as np

import jax_promotion as jp
from oracle_common import (ALL, EXACT, FLOATS, INTS, NP, Tol, cast, fmt_shape, map_float,
                           random_values)


def dtype_cycle(i):
    return ALL[i % len(ALL)]


def gen_structural(w, rng):
    reshapes = [((2, 3, 4), (4, 6)), ((2, 3, 4), (-1,)), ((2, 3, 4), (2, -1, 2)), ((6,), (1, 6, 1)),
                ((), (1,)), ((), (1, 1)), ((1,), ()), ((2, 0, 3), (0, 5)), ((2, 0, 3), (-1, 3)),
                ((3, 4), (4, 3)), ((1, 2, 1, 3, 2), (12,)), ((12,), (2, 1, 2, 1, 3))]
    for i, (s, t) in enumerate(reshapes * 2):
        x = random_values(rng, dtype_cycle(i), s, "special")
        w.case("reshape", [(x, False)], [(x.reshape(t), False)], {"shape": fmt_shape(t)})
    x = np.array(2.5)  # weak stays weak through structural ops
    w.case("reshape", [(x, True)], [(x.reshape(1, 1), True)], {"shape": "[1,1]"})

    perms = [((2, 3), None), ((2, 3, 4), None), ((2, 3, 4), (1, 0, 2)), ((2, 3, 4), (2, 0, 1)),
             ((2, 3, 4), (-1, 0, 1)), ((), None), ((5,), None), ((2, 0, 3), (1, 2, 0)),
             ((1, 2, 1, 3, 2), (4, 2, 0, 3, 1)), ((3, 1), (1, 0))]
    for i, (s, p) in enumerate(perms * 2):
        x = random_values(rng, dtype_cycle(i + 1), s, "special")
        w.case("transpose", [(x, False)], [(np.transpose(x, p), False)],
               {"perm": "default" if p is None else fmt_shape(p)})

    bcasts = [((3,), (2, 3)), ((), (4,)), ((3, 1), (2, 3, 4)), ((1,), (0,)), ((2, 1), (2, 5)),
              ((1, 1), (1, 1)), ((4,), (2, 1, 3, 4))]
    for i, (s, t) in enumerate(bcasts * 2):
        x = random_values(rng, dtype_cycle(i + 2), s, "special")
        w.case("broadcast_to", [(x, False)], [(np.broadcast_to(x, t), False)], {"shape": fmt_shape(t)})
    w.case("broadcast_to", [(np.array(3, dtype=np.int32), True)],
           [(np.full((2, 2), 3, dtype=np.int32), True)], {"shape": "[2,2]"})

    for i, (s, ax) in enumerate([((2, 3), 0), ((2, 3), 1), ((2, 3), 2), ((2, 3), -1), ((2, 3), -3),
                                 ((), 0), ((), -1), ((0,), 1), ((2, 3, 4), -2)] * 2):
        x = random_values(rng, dtype_cycle(i + 3), s, "special")
        w.case("expand_dims", [(x, False)], [(np.expand_dims(x, ax), False)], {"axis": ax})

    for i, (s, ax) in enumerate([((1, 3, 1, 2), None), ((1, 3, 1, 2), (0,)), ((1, 3, 1, 2), (-2,)),
                                 ((1, 3, 1, 2), (0, 2)), ((), None), ((1,), None), ((3,), None),
                                 ((1, 0, 1), None), ((1, 1), (-1, 0))] * 2):
        x = random_values(rng, dtype_cycle(i + 4), s, "special")
        w.case("squeeze", [(x, False)], [(np.squeeze(x, ax), False)],
               {"axes": "all" if ax is None else fmt_shape(ax)})

    concat = [([(2, 3), (4, 3)], 0), ([(2, 3), (2, 1)], 1), ([(2, 3), (2, 2), (2, 0)], -1),
              ([(3,)], 0), ([(0,), (4,)], 0), ([(1, 2, 3), (1, 2, 3), (1, 2, 3)], -2),
              ([(2, 2, 1, 3), (2, 2, 2, 3)], 2)]
    for i, (shapes, ax) in enumerate(concat * 3):
        dts = [dtype_cycle(i + 5 * n) if i >= len(concat) else "float64" for n in range(len(shapes))]
        xs = [random_values(rng, d, s, "special") for d, s in zip(dts, shapes)]
        t = jp.promote(*[(d, False) for d in dts])
        r = np.concatenate([cast(x, t[0]) for x in xs], axis=ax)
        w.case("concatenate", [(x, False) for x in xs], [(r, t[1])], {"axis": ax})

    stacks = [([(3,), (3,)], 0), ([(3,), (3,)], 1), ([(3,), (3,)], -1), ([(2, 3)] * 3, 1),
              ([(2, 3)] * 2, 2), ([(2, 3)] * 2, -3), ([()] * 4, 0), ([(0, 2)] * 2, 1), ([(2,)], 0)]
    for i, (shapes, ax) in enumerate(stacks * 3):
        dts = [dtype_cycle(i + 3 * n) if i >= len(stacks) else "int32" for n in range(len(shapes))]
        xs = [random_values(rng, d, s, "special") for d, s in zip(dts, shapes)]
        t = jp.promote(*[(d, False) for d in dts])
        r = np.stack([cast(x, t[0]) for x in xs], axis=ax)
        w.case("stack", [(x, False) for x in xs], [(r, t[1])], {"axis": ax})

    for i, (s, idx) in enumerate([((5,), 0), ((5,), 4), ((5,), -1), ((5,), -5), ((3, 4), 1),
                                  ((3, 4), -2), ((2, 3, 4), 1), ((1, 0), 0), ((2, 1, 2, 1, 2), -1)] * 2):
        x = random_values(rng, dtype_cycle(i + 6), s, "special")
        w.case("index", [(x, False)], [(x[idx], False)], {"i": idx})


def astype_source(rng, src, dst, shape):
    x = random_values(rng, src, shape, "special" if dst in FLOATS or dst == "bool" else "mixed")
    if src in FLOATS and (dst in INTS):
        # In-range finite values only: XLA and C++ disagree outside (UB in C++).
        lo = 0.0 if jp.is_unsigned(dst) else -2.0e9 if dst == "int32" else -1.0e15
        hi = 4.0e9 if dst == "uint32" else 2.0e9 if dst == "int32" else 1.0e15
        v = rng.uniform(lo, hi, shape)
        v = np.where(rng.random(shape) < 0.5, v / 1e6, v)
        x = v.astype(NP[src])
        x = np.clip(x, lo, np.nextafter(np.asarray(hi, NP[src]), 0)).astype(NP[src])
    return x


def gen_astype(w, rng):
    for i, (src, dst) in enumerate((a, b) for a in ALL for b in ALL):
        shape = [(7,), (2, 3), (), (0,)][i % 4]
        x = astype_source(rng, src, dst, shape)
        with np.errstate(all="ignore"):
            r = (x != 0) if dst == "bool" else x.astype(NP[dst])
        w.case("astype", [(x, False)], [(cast(r, dst), False)], {"dtype": dst})
    for src in ["int32", "float64"]:  # a weak input gives a strong result
        x = np.asarray(7 if src == "int32" else -2.75, dtype=NP[src])
        for dst in ["float32", "int64"]:
            w.case("astype", [(x, True)], [(x.astype(NP[dst]), False)], {"dtype": dst})


def jax_linspace(start, stop, num, endpoint, dtype):
    t = NP[dtype]
    s, e = t(start), t(stop)
    div = (num - 1) if endpoint else num
    if num > 1:
        step = (np.arange(div).astype(t) / t(div)).astype(t)
        out = (s * (t(1) - step) + e * step).astype(t)
        if endpoint:
            out = np.concatenate([out, np.array([e], dtype=t)])
        return out
    if num == 1:
        return np.array([s], dtype=t)
    return np.zeros((0,), dtype=t)


def gen_creation(w, rng):
    for i, shape in enumerate([(2, 3), (), (0,), (4,), (1, 2, 1, 3)] * 3):
        d = dtype_cycle(i)
        for op, val in [("zeros", 0), ("ones", 1)]:
            w.case(op, [], [(np.full(shape, val, dtype=NP[d]), False)],
                   {"shape": fmt_shape(shape), "dtype": d})
    for i, shape in enumerate([(2, 3), (), (0, 2), (5,)]):
        for fill, weak, dt in [(2.5, True, None), (-3, True, None), (7, True, "float32"),
                               (1.5, False, None), (2.75, True, "int32"), (True, False, None)]:
            fd = "bool" if isinstance(fill, bool) else "float64" if isinstance(fill, float) else "int32"
            if fd == "float64" and not weak:
                fd = "float32"  # a strong 0-d float32 array
            fill_arr = np.asarray(fill, dtype=NP[fd])
            od = dt or fd
            r = np.full(shape, fill_arr).astype(NP[od])
            w.case("full", [(fill_arr, weak)], [(r, weak and dt is None)],
                   {"shape": fmt_shape(shape), "dtype": dt or "none"})
    for i, (s, d) in enumerate([((2, 3), "float32"), ((), "int32"), ((0, 2), "bool"),
                                ((4,), "uint64"), ((2, 2), "int64"), ((3,), "uint32")]):
        x = random_values(rng, d, s, "special")
        for op, val in [("zeros_like", 0), ("ones_like", 1)]:
            w.case(op, [(x, False)], [(np.full(s, val, dtype=NP[d]), False)], {"dtype": "none"})
            od = dtype_cycle(i + 2)
            w.case(op, [(x, False)], [(np.full(s, val, dtype=NP[od]), False)], {"dtype": od})
        fill = np.asarray(2.5)
        w.case("full_like", [(x, False), (fill, True)], [(cast(np.full(s, 2.5), d), False)],
               {"dtype": "none"})
        w.case("full_like", [(x, False), (fill, True)], [(np.full(s, 2.5), False)],
               {"dtype": "float64"})
    x = np.asarray(4.0)
    w.case("zeros_like", [(x, True)], [(np.zeros(()), True)], {"dtype": "none"})
    gen_ranges(w, rng)


def gen_ranges(w, rng):
    # arange: start + step * iota in the result dtype (jnp.arange's formula).
    args = [((5,), None), ((0,), None), ((-3,), None), ((4.5,), None), ((2, 9, 1), None),
            ((9, 2, -2), None), ((0.0, 1.0, 0.1), None), ((1.5, -2.0, -0.25), None),
            ((0, 5, 2), "float32"), ((1, 2, 0.3), None), ((0.1, 0.9, 0.2), "float32"),
            ((3, 3, 1), None), ((-10, 10, 3), "int64"), ((0, 7, 1), "float64"), ((2.5,), "int32"),
            ((2, 6), None), ((-1.5, 2), None)]
    for a, dt in args:
        start, stop, step = (0, a[0], 1) if len(a) == 1 else (a + (1,))[:3]
        weak_types = [("float64" if isinstance(v, float) else "int32", True) for v in a]
        od = dt or jp.promote(*weak_types)[0]
        if len(a) == 1:
            r = np.arange(max(0, math.ceil(stop))).astype(NP[od])
        else:
            n = max(0, math.ceil((stop - start) / step))
            t = NP[od]
            r = (t(start) + t(step) * np.arange(n).astype(t)).astype(t)
        ins = [(np.asarray(v, dtype=NP["float64" if isinstance(v, float) else "int32"]), True)
               for v in a]
        tol = Tol(ulp=1) if od in FLOATS else EXACT
        w.case("arange", ins, [(r, False)], {"dtype": dt or "none"}, tol)

    lin = [(0.0, 1.0, 5, True), (-7.0, 7.0, 200, True), (1.0, -5.0, 7, False), (3.0, 9.0, 1, True),
           (3.0, 9.0, 0, True), (0.0, 1.0, 4, False), (-1.0, 1.0, 11, True), (2.5, 2.5, 3, True),
           (1e-3, 1e3, 9, True), (-0.3, 0.7, 13, False)]
    for i, (a, b, n, ep) in enumerate(lin):
        for d in FLOATS:
            r = jax_linspace(a, b, n, ep, d)
            scale = max(abs(a), abs(b))
            tol = Tol(ulp=2, atol=4 * float(np.finfo(NP[d]).eps) * scale)
            w.case("linspace", [], [(r, False)],
                   {"start": a.hex(), "stop": b.hex(), "num": n, "endpoint": int(ep), "dtype": d},
                   tol)
    logs = [(-1.0, -5.0, 5, True, 10.0), (0.0, 3.0, 4, True, 10.0), (0.0, 1.0, 5, False, 2.0),
            (-2.0, 2.0, 9, True, math.e), (1.0, 4.0, 1, True, 10.0), (0.5, -0.5, 6, True, 3.0)]
    for a, b, n, ep, base in logs:
        for d in FLOATS:
            t = NP[d]
            lin_v = jax_linspace(a, b, n, ep, d)
            r = map_float(math.pow, (np.full(lin_v.shape, t(base)), lin_v), d, np.power)
            eps = float(np.finfo(t).eps)
            rtol = 8 * eps * (1 + abs(math.log(base)) * max(abs(a), abs(b)))
            w.case("logspace", [], [(r, False)],
                   {"start": a.hex(), "stop": b.hex(), "num": n, "endpoint": int(ep),
                    "base": base.hex(), "dtype": d}, Tol(ulp=4, rtol=rtol))

    for i, (n, m, k) in enumerate([(3, None, 0), (2, 3, 1), (4, 2, -1), (3, 3, 5), (0, None, 0),
                                   (3, 4, -2), (1, None, 0)]):
        d = dtype_cycle(i + 3)
        r = np.eye(n, m, k, dtype=NP[d])
        w.case("eye", [], [(r, False)],
               {"n": n, "m": "none" if m is None else m, "k": k, "dtype": d})

    for i, (shapes, idx) in enumerate([([3, 2], "xy"), ([3, 2], "ij"), ([2, 3, 4], "xy"),
                                       ([2, 3, 4], "ij"), ([4], "xy"), ([0, 3], "xy"), ([1, 1], "ij")]):
        xs = [random_values(rng, dtype_cycle(i + j), (s,), "mixed") for j, s in enumerate(shapes)]
        outs = np.meshgrid(*xs, indexing=idx)
        w.case("meshgrid", [(x, False) for x in xs], [(o, False) for o in outs], {"indexing": idx})


def generate(w, rng):
    gen_structural(w, rng)
    gen_astype(w, rng)
    gen_creation(w, rng)
