"""Shared pieces of the op-case generator: the case file format, tolerances,
and random inputs. See gen_op_cases.py for the format description."""
import numpy as np

import jax_promotion as jp

NP = {"bool": np.bool_, "int32": np.int32, "int64": np.int64,
      "uint32": np.uint32, "uint64": np.uint64,
      "float32": np.float32, "float64": np.float64}
ALL = jp.DTYPES
NUMERIC = [d for d in ALL if d != "bool"]
INTS = ["int32", "int64", "uint32", "uint64"]
FLOATS = ["float32", "float64"]
# C++ scalars that become weak 0-d arrays: int, long, double, float.
WEAK_KINDS = [("int32", True), ("int64", True), ("float64", True), ("float32", True)]

# Shapes that exercise 0-d, size-0, broadcasting and rank up to 5.
UNARY_SHAPES = [(), (1,), (7,), (0,), (3, 4), (2, 0, 3), (2, 3, 1, 2), (1, 2, 1, 3, 2)]
BINARY_SHAPES = [
    ((6,), (6,)), ((3, 1), (1, 4)), ((5,), ()), ((), (5,)), ((2, 1, 3), (4, 1)),
    ((0,), (0,)), ((2, 0, 3), (3,)), ((), ()), ((2, 3), (2, 3)), ((1, 2, 1, 3, 2), (2, 1, 2)),
    ((4, 1), (0,)), ((3, 2), (1,)),
]


class Tol:
    """Pass if within `ulp` units in the last place, or |got - want| <=
    atol + rtol * |want|. `signed_zero` False lets -0.0 match 0.0 where the
    sign of a zero is not determined by the operation."""

    def __init__(self, ulp=0, rtol=0.0, atol=0.0, signed_zero=True):
        self.ulp, self.rtol, self.atol, self.signed_zero = ulp, rtol, atol, signed_zero

    def line(self):
        return f"tol {self.ulp} {self.rtol!r} {self.atol!r} {int(self.signed_zero)}"


EXACT = Tol()
# Both sides are within about an ulp of the true value (glibc here, SLEEF or
# XLA's own algorithms there, docs/NUMERICS.md), so they differ by at most 2.
TRANSCENDENTAL = Tol(ulp=2)


def fmt_value(v, dtype):
    if dtype == "bool":
        return "1" if v else "0"
    if jp.is_int(dtype):
        return str(int(v))
    return float(v).hex()


def fmt_shape(shape):
    return "[" + ",".join(str(int(s)) for s in shape) + "]"


def fmt_array(tag, arr, weak):
    dtype = arr.dtype.name
    vals = " ".join(fmt_value(v, dtype) for v in np.asarray(arr).ravel())
    return f"{tag} {dtype} {int(bool(weak))} {fmt_shape(arr.shape)} {vals}".rstrip()


class Writer:
    def __init__(self):
        self.lines = []
        self.counts = {}

    def case(self, op, inputs, outputs, params=None, tol=EXACT):
        """inputs/outputs: lists of (np.ndarray, weak)."""
        n = self.counts.get(op, 0)
        self.counts[op] = n + 1
        self.lines.append(f"case {op} {n}")
        for k, v in (params or {}).items():
            assert " " not in str(v), (k, v)
            self.lines.append(f"p {k} {v}")
        for a, w in inputs:
            self.lines.append(fmt_array("in", np.asarray(a), w))
        for a, w in outputs:
            self.lines.append(fmt_array("out", np.asarray(a), w))
        self.lines.append(tol.line())
        self.lines.append("end")

    def text(self):
        return "\n".join(self.lines) + "\n"


def random_values(rng, dtype, shape, kind="mixed"):
    """kind: 'mixed' (small and full-range values), 'small', 'special' (floats
    with 0, -0, inf, nan), 'positive', 'unit' ([-1, 1])."""
    size = int(np.prod(shape, dtype=np.int64))
    if dtype == "bool":
        return (rng.random(size) < 0.5).reshape(shape)
    if jp.is_int(dtype):
        info = np.iinfo(NP[dtype])
        lo = 0 if jp.is_unsigned(dtype) else -60
        small = rng.integers(lo, 60, size, dtype=np.int64, endpoint=True)
        if kind == "small":
            return small.astype(NP[dtype]).reshape(shape)
        if kind == "positive":
            return (np.abs(small) + 1).astype(NP[dtype]).reshape(shape)
        big = rng.integers(info.min, info.max, size, dtype=NP[dtype], endpoint=True)
        pick = rng.random(size) < 0.3
        return np.where(pick, big, small.astype(NP[dtype])).reshape(shape)
    t = NP[dtype]
    if kind == "unit":
        v = rng.uniform(-1, 1, size)
    elif kind == "positive":
        v = np.exp(rng.uniform(-6, 6, size))
    else:
        v = rng.standard_normal(size) * np.exp(rng.uniform(-3, 5, size))
        v = np.where(rng.random(size) < 0.15, np.round(v), v)
    v = v.astype(t)
    if kind == "special" and size:
        specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0], dtype=t)
        pick = rng.random(size) < 0.4
        v = np.where(pick, specials[rng.integers(0, len(specials), size)], v)
    return v.reshape(shape)


def weak_scalar(rng, dtype, kind="mixed"):
    """A 0-d value as a C++ literal would give it (weak)."""
    if jp.is_int(dtype):
        v = int(rng.integers(-9, 10)) if kind != "positive" else int(rng.integers(1, 10))
        return np.array(v, dtype=NP[dtype])
    v = random_values(rng, dtype, (), kind)
    return np.asarray(v, dtype=NP[dtype])


def cast(a, dtype):
    with np.errstate(all="ignore"):
        return np.asarray(a).astype(NP[dtype])


def map_float(fn, x, dtype, fallback):
    """Applies Python's libm-backed `fn` elementwise in double precision and
    rounds to `dtype`: glibc is within an ulp, NumPy's SIMD paths may not be.
    `fallback` (a NumPy function) handles what math refuses (domain errors)."""
    xs = [np.asarray(a, dtype=np.float64) for a in (x if isinstance(x, tuple) else (x,))]
    xs = np.broadcast_arrays(*xs)
    out = np.empty(xs[0].shape, dtype=np.float64)
    for idx in np.ndindex(out.shape):
        args = [float(a[idx]) for a in xs]
        try:
            r = fn(*args)
        except (ValueError, OverflowError):
            with np.errstate(all="ignore"):
                r = float(fallback(*[np.float64(a) for a in args]))
        out[idx] = r
    with np.errstate(all="ignore"):
        return out.astype(NP[dtype])

