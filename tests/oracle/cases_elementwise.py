"""Elementwise operations: unary math, integer_pow/pow/float_power, binary
arithmetic, comparisons, logical ops, where and clip.

Expected values are computed at the JAX-promoted dtype (inputs cast first),
on 1-D views so that NumPy 1.x's value-based scalar casting never widens a
float32 computation."""
import math

import numpy as np

import jax_promotion as jp
from oracle_common import (ALL, BINARY_SHAPES, EXACT, FLOATS, INTS, NP, NUMERIC,
                           TRANSCENDENTAL, UNARY_SHAPES, WEAK_KINDS, Tol, cast,
                           map_float, random_values, weak_scalar)


def flat_apply(fn, out_shape, *arrays):
    """fn on broadcast 1-D copies of `arrays`, reshaped to out_shape."""
    arrays = np.broadcast_arrays(*[np.asarray(a) for a in arrays])
    flat = [np.array(a).reshape(-1) for a in arrays]
    with np.errstate(all="ignore"):
        r = np.asarray(fn(*flat))
    return r.reshape(out_shape)


def out_shape(*arrays):
    return np.broadcast_shapes(*[np.shape(a) for a in arrays])


# --- JAX's formulas where they differ from NumPy's (zero signs, rounding) ---

def jax_sign_float(x):
    # XLA: copysign(x != 0, x), NaN passes through; so sign(-0.) is -0.
    return np.where(np.isnan(x), x, np.copysign((x != 0).astype(x.dtype), x))


def round_half_away(d):
    t = np.trunc(d)
    return np.where(np.abs(d - t) >= 0.5, t + np.sign(d), t)


def jax_float_floor_divide(x, y):
    # jnp.floor_divide -> _float_divmod (CPython's float_divmod).
    mod = np.fmod(x, y)
    div = np.where(y == 0, x, x - mod) / y
    ind = (mod != 0) & (np.sign(y) != np.sign(mod))
    return round_half_away(np.where(ind, div - 1, div))


def jax_float_remainder(x, y):
    m = np.fmod(x, y)
    plus = ((m < 0) != (y < 0)) & (m != 0)
    return np.where(plus, m + y, m)


def jax_integer_pow(x, n):
    # lax._integer_pow: binary exponentiation, then a reciprocal.
    if n == 0:
        return np.ones_like(x)
    acc, m = None, abs(n)
    while m > 0:
        if m & 1:
            acc = x if acc is None else acc * x
        m >>= 1
        if m > 0:
            x = x * x
    return np.ones_like(acc) / acc if n < 0 else acc


# --- unary ops ---

# name: (python libm fn, numpy fallback, input kind for floats)
TRANSCENDENTALS = {
    "sin": (math.sin, np.sin, "mixed"), "cos": (math.cos, np.cos, "mixed"),
    "tan": (math.tan, np.tan, "mixed"), "tanh": (math.tanh, np.tanh, "mixed"),
    "sinh": (math.sinh, np.sinh, "mixed"), "cosh": (math.cosh, np.cosh, "mixed"),
    "arcsin": (math.asin, np.arcsin, "unit"), "arccos": (math.acos, np.arccos, "unit"),
    "arctan": (math.atan, np.arctan, "mixed"), "exp": (math.exp, np.exp, "exp"),
    "log": (math.log, np.log, "positive"), "log1p": (math.log1p, np.log1p, "log1p"),
    "expm1": (math.expm1, np.expm1, "exp"),
}


def unary_input(rng, op, dtype, shape, special):
    if dtype in FLOATS:
        kind = "special" if special else TRANSCENDENTALS.get(op, (0, 0, "mixed"))[2]
        if kind == "exp":
            # XLA's float64 exp flushes below -708.4 (docs/NUMERICS.md): stay above.
            lo, hi = (-700.0, 700.0) if dtype == "float64" else (-85.0, 85.0)
            return rng.uniform(lo, hi, shape).astype(NP[dtype])
        if kind == "log1p":
            return (np.exp(rng.uniform(-8, 6, shape)) - 0.9).astype(NP[dtype])
        return random_values(rng, dtype, shape, kind)
    small = op in TRANSCENDENTALS or op == "sqrt"
    return random_values(rng, dtype, shape, "small" if small else "mixed")


def unary_expected(op, x, dtype, weak):
    """Returns (value, (dtype, weak), tol) or None when JAX rejects the dtype."""
    if op in TRANSCENDENTALS or op == "sqrt":
        od, ow = jp.to_inexact((dtype, weak))
        xc = cast(x, od)
        if op == "sqrt":
            return flat_apply(np.sqrt, x.shape, xc), (od, ow), EXACT
        fn, fb, _ = TRANSCENDENTALS[op]
        return map_float(fn, xc, od, fb), (od, ow), TRANSCENDENTAL
    if op in ("floor", "ceil"):
        if dtype not in FLOATS:  # jnp.floor returns integers and bools as they are
            return x, (dtype, weak), EXACT
        return flat_apply(getattr(np, op), x.shape, x), (dtype, weak), EXACT
    if op == "abs":
        if dtype == "bool" or jp.is_unsigned(dtype):
            return x, (dtype, weak), EXACT
        return flat_apply(np.abs, x.shape, x), (dtype, weak), EXACT
    if op == "sign":
        if dtype == "bool":
            return None
        f = jax_sign_float if dtype in FLOATS else np.sign
        return flat_apply(f, x.shape, x), (dtype, weak), EXACT
    if op == "square":
        od, ow = jp.to_numeric((dtype, weak))
        return flat_apply(lambda a: a * a, x.shape, cast(x, od)), (od, ow), EXACT
    if op == "negative":
        if dtype == "bool":
            return None
        return flat_apply(np.negative, x.shape, x), (dtype, weak), EXACT
    if op == "isfinite":
        return flat_apply(np.isfinite, x.shape, x), ("bool", False), EXACT
    if op == "logical_not":
        return flat_apply(lambda a: a == 0, x.shape, x), ("bool", False), EXACT
    if op == "invert":  # C++ operator!: logical for bools, bitwise for integers
        if dtype in FLOATS:
            return None
        return flat_apply(np.invert, x.shape, x), (dtype, weak), EXACT
    raise KeyError(op)


UNARY_OPS = list(TRANSCENDENTALS) + ["sqrt", "floor", "ceil", "abs", "sign", "square",
                                      "negative", "isfinite", "logical_not", "invert"]


def gen_unary(w, rng):
    for op in UNARY_OPS:
        jobs = [(d, s, False) for d in ALL for s in UNARY_SHAPES[:: 2 if d != "float64" else 1]]
        jobs += [(d, (9,), True) for d in FLOATS]
        for dtype, shape, special in jobs:
            x = unary_input(rng, op, dtype, shape, special)
            res = unary_expected(op, x, dtype, False)
            if res is not None:
                v, (od, ow), tol = res
                w.case(op, [(x, False)], [(cast(v, od), ow)], tol=tol)
        for dtype, weak in WEAK_KINDS:
            x = weak_scalar(rng, dtype, "positive" if op in ("log", "sqrt") else "mixed")
            if op in ("arcsin", "arccos") and dtype in FLOATS:
                x = np.asarray(rng.uniform(-1, 1), dtype=NP[dtype])
            res = unary_expected(op, x, dtype, True)
            if res is not None:
                v, (od, ow), tol = res
                w.case(op, [(x, True)], [(cast(v, od), ow)], tol=tol)


def gen_integer_pow(w, rng):
    for n in [0, 1, 2, 3, 4, 5, 7, 12, -1, -2, -3, -5]:
        for dtype in NUMERIC:
            if n < 0 and dtype not in FLOATS:
                continue  # TypeError in JAX: errors_test
            shape = [(5,), (2, 3), (), (0,)][abs(n) % 4]
            kind = "small" if dtype in INTS else "mixed"
            x = random_values(rng, dtype, shape, kind)
            if dtype in FLOATS:
                x = np.where(rng.random(shape) < 0.2, 0.0, x / 8).astype(NP[dtype])
            v = flat_apply(lambda a: jax_integer_pow(a, n), x.shape, x)
            w.case("integer_pow", [(x, False)], [(cast(v, dtype), False)], {"n": n})
        x = np.asarray(rng.uniform(-3, 3), dtype=np.float64)
        v = flat_apply(lambda a: jax_integer_pow(a, n), (), x)
        w.case("integer_pow", [(x, True)], [(v, True)], {"n": n})


def pow_reference(x, y, dtype):
    if dtype in FLOATS:
        return map_float(math.pow, (cast(x, dtype), cast(y, dtype)), dtype, np.power)
    return flat_apply(lambda a, b: jax_integer_pow_arr(a, b), out_shape(x, y),
                      cast(x, dtype), cast(y, dtype))


def jax_integer_pow_arr(a, b):
    # _pow_int_int: six rounds of binary exponentiation (exponents below 64).
    acc = np.where((a == 0) & (b != 0), 0, 1).astype(a.dtype)
    for _ in range(6):
        acc = np.where(b & 1, acc * a, acc)
        a = a * a
        b = b >> 1
    return acc


def gen_pow(w, rng):
    # fx::pow(x, double): the exponent is a weak float64 scalar.
    for dtype in NUMERIC:
        for y in [0.5, 2.0, -1.5, 3.0, 0.0, -2.0]:
            x = random_values(rng, dtype, (6,), "positive" if y % 1 else "mixed")
            if dtype in FLOATS:
                x = (x / 4).astype(NP[dtype])
            od, ow = jp.promote((dtype, False), ("float64", True))
            v = pow_reference(x, np.float64(y), od)
            w.case("pow_scalar", [(x, False)], [(v, ow)], {"y": float(y).hex()}, TRANSCENDENTAL)
    # fx::pow(Array, Array): integer results use binary exponentiation.
    for i, (da, db) in enumerate((a, b) for a in ALL for b in ALL):
        od, ow = jp.to_numeric(jp.promote((da, False), (db, False)))
        sa, sb = BINARY_SHAPES[i % len(BINARY_SHAPES)]
        if od in FLOATS:
            x = random_values(rng, da, sa, "positive" if da in FLOATS else "small")
            if db in FLOATS:
                y = (rng.uniform(-3, 3, sb)).astype(NP[db])
            else:
                y = random_values(rng, db, sb, "small") % 6
        else:
            x = random_values(rng, da, sa, "small") % 12
            y = random_values(rng, db, sb, "small") % 6
        x, y = x.astype(NP[da]), y.astype(NP[db])
        tol = TRANSCENDENTAL if od in FLOATS else EXACT
        w.case("pow", [(x, False), (y, False)], [(pow_reference(x, y, od), ow)], tol=tol)
    for da in NUMERIC:
        for db in NUMERIC:
            od, ow = jp.to_inexact(jp.promote((da, False), (db, False)))
            x = random_values(rng, da, (4,), "positive" if da in FLOATS else "small")
            y = random_values(rng, db, (2, 1), "small")
            if db in FLOATS:
                y = rng.uniform(-3, 3, (2, 1)).astype(NP[db])
            # jnp.float_power is pow after promote_args_inexact: float32 stays float32.
            v = pow_reference(x, y, od)
            w.case("float_power", [(x, False), (y, False)], [(v, ow)], tol=TRANSCENDENTAL)
    for dtype, weak in WEAK_KINDS[:3]:
        x = weak_scalar(rng, dtype, "positive")
        y = random_values(rng, "float32", (3,), "small")
        od, ow = jp.to_inexact(jp.promote((dtype, True), ("float32", False)))
        v = pow_reference(x, y, od)
        w.case("float_power", [(x, True), (y, False)], [(v, ow)], tol=TRANSCENDENTAL)


# --- binary ops ---

def arith(fn):
    return lambda a, b, d: fn(a, b)


def int_or_float(int_fn, float_fn):
    return lambda a, b, d: (float_fn if d in FLOATS else int_fn)(a, b)


BINARY = {
    # name: (promotion kind, fn(a, b, dtype), tol, rejects bool after promotion)
    "add": ("plain", arith(np.add), EXACT, False),
    "subtract": ("plain", arith(np.subtract), EXACT, True),
    "multiply": ("plain", lambda a, b, d: a & b if d == "bool" else a * b, EXACT, False),
    "divide": ("inexact", arith(np.true_divide), EXACT, False),
    "floor_divide": ("numeric", int_or_float(np.floor_divide, jax_float_floor_divide),
                     EXACT, False),
    "remainder": ("numeric", int_or_float(np.remainder, jax_float_remainder), EXACT, False),
    "maximum": ("plain", arith(np.maximum), Tol(signed_zero=False), False),
    "minimum": ("plain", arith(np.minimum), Tol(signed_zero=False), False),
    "arctan2": ("inexact", None, TRANSCENDENTAL, False),
    "equal": ("compare", arith(np.equal), EXACT, False),
    "not_equal": ("compare", arith(np.not_equal), EXACT, False),
    "less": ("compare", arith(np.less), EXACT, False),
    "less_equal": ("compare", arith(np.less_equal), EXACT, False),
    "greater": ("compare", arith(np.greater), EXACT, False),
    "greater_equal": ("compare", arith(np.greater_equal), EXACT, False),
    "logical_and": ("compare", lambda a, b, d: (a != 0) & (b != 0), EXACT, False),
    "logical_or": ("compare", lambda a, b, d: (a != 0) | (b != 0), EXACT, False),
    # C++ operators & | ^ (jnp.bitwise_*): bools and integers only.
    "bitwise_and": ("bitwise", arith(np.bitwise_and), EXACT, False),
    "bitwise_or": ("bitwise", arith(np.bitwise_or), EXACT, False),
    "bitwise_xor": ("bitwise", arith(np.bitwise_xor), EXACT, False),
}


def binary_expected(op, a, ta, b, tb):
    kind, fn, tol, no_bool = BINARY[op]
    t = jp.promote(ta, tb)
    if kind == "inexact":
        t = jp.to_inexact(t)
    elif kind == "numeric":
        t = jp.to_numeric(t)
    if no_bool and t[0] == "bool":
        return None
    if kind == "bitwise" and t[0] in FLOATS:
        return None
    ac, bc = cast(a, t[0]), cast(b, t[0])
    shape = out_shape(a, b)
    if op == "arctan2":
        return map_float(math.atan2, (ac, bc), t[0], np.arctan2), t, tol
    v = flat_apply(lambda x, y: fn(x, y, t[0]), shape, ac, bc)
    if kind == "compare":
        return v.astype(np.bool_), ("bool", False), tol
    return cast(v, t[0]), t, tol


def binary_inputs(rng, op, da, sa, db, sb, weak_a=False, weak_b=False):
    special = rng.random() < 0.3
    def make(d, s, weak, divisor):
        # Integer divisors stay nonzero: division by zero is edge_cases_test's.
        if weak:
            return weak_scalar(rng, d, "positive" if divisor else "mixed")
        if divisor and d == "bool":
            return np.ones(s, dtype=np.bool_)
        kind = "special" if special and d in FLOATS else "mixed"
        if divisor and d not in FLOATS:
            kind = "positive"
        return random_values(rng, d, s, kind)
    integer_division = op in ("floor_divide", "remainder")
    a = make(da, sa, weak_a, False)
    b = make(db, sb, weak_b, integer_division)
    if integer_division and db in ("int32", "int64") and not weak_b:
        b = np.where(rng.random(np.shape(b)) < 0.5, -b, b).astype(b.dtype)
    if op in ("equal", "not_equal", "less_equal", "greater_equal", "maximum", "minimum") \
            and np.size(a) and np.size(b) and not (weak_a or weak_b):
        # Equal elements make the comparisons and ties meaningful.
        bb = np.broadcast_to(b, out_shape(a, b)).copy()
        aa = np.broadcast_to(a, out_shape(a, b))
        tie = rng.random(bb.shape) < 0.3
        bb[tie] = cast(aa[tie], db)
        if np.shape(bb) == np.shape(b):
            b = bb
    return a, b


def weak_value_for(rng, weak_dtype, strong_dtype):
    """A weak scalar that JAX converts losslessly to the strong side's dtype."""
    if jp.is_int(weak_dtype):
        lo = 0 if strong_dtype in ("uint32", "uint64", "bool") else -9
        return np.array(int(rng.integers(lo, 10)), dtype=NP[weak_dtype])
    return weak_scalar(rng, weak_dtype)


def gen_binary(w, rng):
    kinds = [(d, False) for d in ALL] + WEAK_KINDS
    for op in BINARY:
        pairs = [(a, b) for a in ALL for b in ALL]
        for i, (da, db) in enumerate(pairs):
            sa, sb = BINARY_SHAPES[(i + len(op)) % len(BINARY_SHAPES)]
            a, b = binary_inputs(rng, op, da, sa, db, sb)
            res = binary_expected(op, a, (da, False), b, (db, False))
            if res is not None:
                v, (od, ow), tol = res
                w.case(op, [(a, False), (b, False)], [(v, ow)], tol=tol)
        # Weak scalars: the full table for add, a sample for the others.
        combos = [(x, y) for x in kinds for y in kinds if x[1] or y[1]]
        if op != "add":
            combos = [combos[j] for j in rng.choice(len(combos), 14, replace=False)]
        for (da, wa), (db, wb) in combos:
            sa = () if wa else [(4,), (2, 3), ()][int(rng.integers(3))]
            sb = () if wb else [(4,), (2, 3), ()][int(rng.integers(3))]
            a, b = binary_inputs(rng, op, da, sa, db, sb, wa, wb)
            if wa:
                a = weak_value_for(rng, da, db)
            if wb and op in ("floor_divide", "remainder"):
                b = np.array(int(rng.integers(1, 10)), dtype=NP[db]) if jp.is_int(db) else b
            elif wb:
                b = weak_value_for(rng, db, da)
            res = binary_expected(op, a, (da, wa), b, (db, wb))
            if res is not None:
                v, (od, ow), tol = res
                w.case(op, [(a, wa), (b, wb)], [(v, ow)], tol=tol)


def gen_where_clip(w, rng):
    shapes3 = [((3, 1), (1, 4), ()), ((2, 1, 3), (4, 1), (3,)), ((5,), (5,), (5,)),
               ((), (2, 2), (2, 2)), ((0,), (), (1,)), ((2, 3), (2, 3), (1, 3))]
    for i, (dx, dy) in enumerate((a, b) for a in ALL for b in ALL):
        sc, sx, sy = shapes3[i % len(shapes3)]
        dc = "bool" if i % 5 else ["int32", "float64", "uint64", "float32"][i % 4]
        c = random_values(rng, dc, sc, "special" if dc in FLOATS else "small")
        if dc != "bool":
            c = np.where(rng.random(sc) < 0.4, 0, c).astype(NP[dc])
        x, y = random_values(rng, dx, sx, "special"), random_values(rng, dy, sy, "special")
        t = jp.promote((dx, False), (dy, False))
        v = flat_apply(lambda cc, xx, yy: np.where(cc != 0, xx, yy), out_shape(c, x, y),
                       c, cast(x, t[0]), cast(y, t[0]))
        w.case("where", [(c, False), (x, False), (y, False)], [(v, t[1])])
    for dx, wx in WEAK_KINDS:
        c = random_values(rng, "bool", (2, 3))
        x = weak_value_for(rng, dx, "float32")
        y = random_values(rng, "float32", (3,))
        t = jp.promote((dx, True), ("float32", False))
        v = flat_apply(lambda cc, xx, yy: np.where(cc, xx, yy), (2, 3), c, cast(x, t[0]), y)
        w.case("where", [(c, False), (x, True), (y, False)], [(v, t[1])])
    x, y = np.array(2.5), np.array(-1.0)  # both weak: the result stays weak
    c = random_values(rng, "bool", (4,))
    w.case("where", [(c, False), (x, True), (y, True)],
           [(np.where(c, 2.5, -1.0), True)])
    # clip = minimum(hi, maximum(lo, x)), promoted in that order (jnp.clip).
    for i, d in enumerate(NUMERIC * 3):
        x = random_values(rng, d, [(6,), (2, 3), ()][i % 3], "special" if d in FLOATS else "small")
        if i % 3 == 0:
            lo, hi = random_values(rng, d, (6,), "small"), random_values(rng, d, (1,), "small")
            tl, th = (d, False), (d, False)
        elif i % 3 == 1:
            lo = weak_value_for(rng, "int32", d) if i % 2 else weak_scalar(rng, "float64")
            hi = weak_value_for(rng, "int32", d) + np.int32(3)
            tl, th = (lo.dtype.name, True), ("int32", True)
        else:
            lo, hi = random_values(rng, "float32", (), "small"), random_values(rng, "int32", (), "small")
            tl, th = ("float32", False), ("int32", False)
        t1 = jp.promote(tl, (d, False))
        m = flat_apply(np.maximum, out_shape(lo, x), cast(lo, t1[0]), cast(x, t1[0]))
        t2 = jp.promote(th, t1)
        v = flat_apply(np.minimum, out_shape(hi, m), cast(hi, t2[0]), cast(m, t2[0]))
        w.case("clip", [(x, False), (lo, tl[1]), (hi, th[1])], [(cast(v, t2[0]), t2[1])],
               tol=Tol(signed_zero=False))


def generate(w, rng):
    gen_unary(w, rng)
    gen_integer_pow(w, rng)
    gen_pow(w, rng)
    gen_binary(w, rng)
    gen_where_clip(w, rng)
