"""NumPy-oracle cases of the special family (see gen_op_cases.py for the format).

Cumulative ops are NumPy's accumulate (sequential, as Fluxion's kernels: exact,
integers wrapping); argmax/argmin NumPy's (the first NaN, else the first
extremum; Fluxion returns the default int, int32, where JAX with x64 returns
int64); erf, erfc and gammaln Python's math module (glibc, in double, rounded
once); digamma closed forms at integers and half-integers (no SciPy here)."""
import math

import numpy as np

from oracle_common import (ALL, FLOATS, NP, NUMERIC, Tol, cast, map_float,
                           random_values)

SHAPES = [(5,), (3, 4), (2, 3, 4), (0,), (2, 0, 3), ()]
EULER_GAMMA = 0.57721566490153286061


def axes_of(shape):
    return [None] + list(range(len(shape))) + ([-1] if shape else [])


def accumulate(op, x, axis, reverse):
    ufunc = {"cumsum": np.add, "cumprod": np.multiply, "cummax": np.maximum, "cummin": np.minimum}[op]
    if x.size == 0:
        return x.copy()
    if reverse:
        x = np.flip(x, axis)
    with np.errstate(all="ignore"):
        r = ufunc.accumulate(x, axis=axis, dtype=x.dtype)
    return np.flip(r, axis) if reverse else r


def gen_cumulative(w, rng):
    # jnp.cumsum / cumprod: flattened without an axis; bools in the default int.
    for op in ["cumsum", "cumprod"]:
        for i, shape in enumerate(SHAPES):
            for j, axis in enumerate(axes_of(shape)):
                if axis is not None and not shape:
                    continue
                dtype = ALL[(i * 5 + j) % len(ALL)]
                kind = "small" if op == "cumprod" else ("special" if (i + j) % 3 == 0 else "mixed")
                x = random_values(rng, dtype, shape, kind)
                if op == "cumprod" and dtype in FLOATS:
                    x = (np.sign(x) * np.exp(rng.uniform(-1, 1, shape))).astype(NP[dtype])
                od = "int32" if dtype == "bool" else dtype
                flat = x.reshape(-1) if axis is None else x
                want = accumulate(op, cast(flat, od), 0 if axis is None else axis % len(shape), False)
                w.case(op, [(x, False)], [(want, False)], {"axis": "none" if axis is None else axis})
    # jax.lax.cummax / cummin (and cumsum, cumprod), both directions, numbers only.
    for op in ["cumsum", "cumprod", "cummax", "cummin"]:
        for i, shape in enumerate(s for s in SHAPES if s):
            for axis in range(len(shape)):
                for reverse in (False, True):
                    dtype = NUMERIC[(i * 3 + axis + reverse) % len(NUMERIC)]
                    kind = "small" if op == "cumprod" else ("special" if (i + axis) % 2 else "mixed")
                    x = random_values(rng, dtype, shape, kind)
                    want = accumulate(op, x, axis, reverse)
                    w.case("lax_" + op, [(x, False)], [(want, False)], {"axis": axis, "reverse": int(reverse)})


def gen_argminmax(w, rng):
    for op, fn in [("argmax", np.argmax), ("argmin", np.argmin)]:
        for i, shape in enumerate([(5,), (3, 4), (2, 3, 4), (), (1, 3)]):
            for j, axis in enumerate(axes_of(shape)):
                for keepdims in (False, True):
                    dtype = ALL[(i * 3 + j + keepdims) % len(ALL)]
                    kind = "special" if dtype in FLOATS and (i + j) % 2 == 0 else "small"
                    x = random_values(rng, dtype, shape, kind)
                    if dtype in FLOATS and x.size > 2 and (i + j + keepdims) % 3 == 0:
                        x.reshape(-1)[[0, -1]] = np.nan  # two NaNs: the first wins
                    r = fn(x, axis=axis, keepdims=keepdims)
                    w.case(op, [(x, False)], [(np.asarray(r).astype(np.int32), False)],
                           {"axis": "none" if axis is None else axis, "keepdims": int(keepdims)})


def digamma_exact(x):
    """psi at an integer or half-integer (NaN at the poles)."""
    if x <= 0 and x == math.floor(x):
        return math.nan
    if x < 0:  # reflection; cot(pi x) = 0 at half-integers
        return digamma_exact(1 - x)
    if x == math.floor(x):
        return -EULER_GAMMA + math.fsum(1.0 / k for k in range(1, int(x)))
    n = int(x - 0.5)
    return -EULER_GAMMA - 2 * math.log(2) + math.fsum(2.0 / (2 * k - 1) for k in range(1, n + 1))


def gen_functions(w, rng):
    libm = [("erf", math.erf, np.vectorize(lambda v: math.copysign(1.0, v) if math.isinf(v) else math.nan)),
            ("erfc", math.erfc, np.vectorize(lambda v: 0.0 if v == math.inf else (2.0 if v == -math.inf else math.nan))),
            ("gammaln", math.lgamma, np.vectorize(lambda v: math.inf))]
    for op, fn, fallback in libm:
        for i, shape in enumerate([(7,), (3, 4), (), (0,)]):
            for dtype in FLOATS + ["int32"]:
                x = random_values(rng, dtype, shape, "special" if dtype in FLOATS and i % 2 == 0 else "mixed")
                if op == "gammaln" and dtype in FLOATS and x.size > 3:
                    x.reshape(-1)[:3] = [0.0, -2.0, 1.0]  # poles, and a zero of lgamma
                od = "float64" if dtype == "int32" else dtype
                want = map_float(fn, x, od, fallback)
                tol = Tol(ulp=2) if op != "gammaln" else Tol(ulp=4, atol=1e-6 if od == "float32" else 1e-15)
                w.case(op, [(x, False)], [(want, False)], tol=tol)
    points = [v / 2 for v in range(-12, 41)] + [60.0, 100.5, 1e6 + 0.5]
    for chunk in range(0, len(points), 14):
        for dtype in FLOATS:
            x = np.array(points[chunk:chunk + 14], dtype=NP[dtype])
            want = np.array([digamma_exact(float(v)) for v in x]).astype(NP[dtype])
            w.case("digamma", [(x, False)], [(want, False)],
                   tol=Tol(rtol=2e-6 if dtype == "float32" else 4e-14, atol=1e-6 if dtype == "float32" else 1e-15))
    for i, (sa, sb) in enumerate([((6,), (6,)), ((3, 1), (1, 4)), ((5,), ()), ((), ())]):
        for dtype in FLOATS:
            a = random_values(rng, dtype, sa, "special")
            b = random_values(rng, dtype, sb, "special" if i % 2 else "mixed")
            w.case("nextafter", [(a, False), (b, False)], [(np.nextafter(a, b), False)])
        # xlogy: 0 where x == 0 (unless y is NaN), x log y elsewhere.
        for dtype in FLOATS:
            x = random_values(rng, dtype, sa, "special")
            y = np.abs(random_values(rng, dtype, sb, "special"))
            with np.errstate(all="ignore"):
                want = np.where((x == 0) & ~np.isnan(y), np.zeros((), NP[dtype]), x * np.log(y)).astype(NP[dtype])
            w.case("xlogy", [(x, False), (y, False)], [(want, False)], tol=Tol(ulp=4))


def generate(w, rng):
    gen_cumulative(w, rng)
    gen_argminmax(w, rng)
    gen_functions(w, rng)
