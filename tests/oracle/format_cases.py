#!/usr/bin/python3
"""Writes the oracle cases for tests/core/format_test.cpp.

NumPy (1.24, the version Debian 12 ships) is the oracle: each case is an array
given by its exact bytes, and the expected text is what NumPy prints for it
(str(a), or np.array2string with options), or what JAX's ArrayImpl.__repr__
(jax/_src/array.py, reproduced below on top of np.array2string) prints.

Usage: format_cases.py OUTPUT

One case per line, tab-separated fields (text fields escape \\, newline, tab):
  kind name dtype shape weak precision linewidth threshold edgeitems
  separator prefix suffix data_hex expected
kind is `str`, `repr` or `a2s`; shape is comma-separated (empty for 0-d);
data_hex is the little-endian row-major buffer.
"""
import math
import sys

import numpy as np

DTYPES = ["bool", "int32", "int64", "uint32", "uint64", "float32", "float64"]
RNG = np.random.default_rng(20240611)


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def jax_repr(a, weak):
    # ArrayImpl.__repr__ for a fully addressable array.
    prefix = "Array("
    dtype_str = f"dtype={a.dtype.name}" + (", weak_type=True" if weak else "")
    line_width = np.get_printoptions()["linewidth"]
    if a.size == 0:
        s = f"[], shape={a.shape}"
    else:
        s = np.array2string(a, prefix=prefix, suffix=",", separator=", ",
                            max_line_width=line_width)
    last_line_len = len(s) - s.rfind("\n") + 1
    sep = " "
    if last_line_len + len(dtype_str) + 2 > line_width:
        sep = " " * len(prefix)
    return f"{prefix}{s},{sep}{dtype_str})"


class Writer:
    def __init__(self, path):
        self.f = open(path, "w")
        self.count = 0

    def emit(self, kind, name, a, expected, weak=False, precision=8,
             linewidth=75, threshold=1000, edgeitems=3, sep=" ", prefix="",
             suffix=""):
        a = np.array(a, order="C")  # not ascontiguousarray: it makes 0-d 1-d
        data = a.astype(a.dtype.newbyteorder("<")).tobytes().hex()
        shape = ",".join(str(d) for d in a.shape)
        fields = [kind, name, a.dtype.name, shape, "1" if weak else "0",
                  str(precision), str(linewidth), str(threshold),
                  str(edgeitems), esc(sep), esc(prefix), esc(suffix), data,
                  esc(expected)]
        self.f.write("\t".join(fields) + "\n")
        self.count += 1

    def array(self, name, a):
        """str and JAX repr of `a` (weak-typed repr for small ones too)."""
        self.emit("str", name, a, str(a))
        self.emit("repr", name, a, jax_repr(a, False))
        if a.size <= 4:
            self.emit("repr", name + "_weak", a, jax_repr(a, True), weak=True)

    def a2s(self, name, a, precision=8, linewidth=75, threshold=1000,
            edgeitems=3, sep=" ", prefix="", suffix=""):
        expected = np.array2string(a, max_line_width=linewidth,
                                   precision=precision, threshold=threshold,
                                   edgeitems=edgeitems, separator=sep,
                                   prefix=prefix, suffix=suffix)
        self.emit("a2s", name, a, expected, precision=precision,
                  linewidth=linewidth, threshold=threshold,
                  edgeitems=edgeitems, sep=sep, prefix=prefix, suffix=suffix)


# ----------------------------------------------------------------------------
# Value generators: each returns n values of the dtype.

def random_bits(dtype, n):
    """Any finite value, uniformly over bit patterns (all exponents)."""
    it = np.uint32 if dtype == np.float32 else np.uint64
    bits = RNG.integers(0, np.iinfo(it).max, size=n, dtype=it, endpoint=True)
    x = bits.view(dtype)
    return np.where(np.isfinite(x), x, dtype(1.5))


def float_generators(dtype):
    f = np.dtype(dtype).type
    tiny = np.finfo(dtype).tiny
    big = np.finfo(dtype).max
    return {
        "unit": lambda n: RNG.random(n).astype(dtype),
        "normal": lambda n: RNG.normal(0, 3, n).astype(dtype),
        "integral": lambda n: RNG.integers(-1000, 1000, n).astype(dtype),
        "halves": lambda n: (RNG.integers(-40, 40, n) / 8).astype(dtype),
        "mixed_scale": lambda n: (10.0 ** RNG.uniform(-12, 12, n)
                                  * RNG.choice([-1, 1], n)).astype(dtype),
        "wide_scale": lambda n: (10.0 ** RNG.uniform(-300, 300, n)).astype(dtype),
        "ratio_near_1e3": lambda n: np.concatenate(
            [[1.0, 1000.0], RNG.uniform(1, 999, max(n - 2, 0))])[:n].astype(dtype),
        "ratio_over_1e3": lambda n: np.concatenate(
            [[1.0, 1000.5], RNG.uniform(1, 999, max(n - 2, 0))])[:n].astype(dtype),
        "near_1e8": lambda n: (1e8 - RNG.integers(0, 20, n) * 8.0).astype(dtype),
        "near_1e-4": lambda n: (1e-4 + RNG.integers(-3, 3, n) * 1e-12).astype(dtype),
        "carry": lambda n: RNG.choice(
            [0.999999999, 9.9999999996, 99.999999995, 0.0999999999, 1.5,
             0.99999999999, 19.999999999, 2.000000001], n).astype(dtype),
        # Dyadic values end in ...5 in decimal: exact ties when rounded.
        "dyadic": lambda n: (RNG.integers(-2 ** 14, 2 ** 14, n)
                             / 2.0 ** RNG.integers(8, 14, n)).astype(dtype),
        "dyadic_sci": lambda n: (RNG.integers(1, 2 ** 12, n)
                                 / 2.0 ** RNG.integers(8, 40, n)).astype(dtype),
        "pow2": lambda n: np.ldexp(1.0, RNG.integers(-60, 60, n)).astype(dtype),
        "pow2_all": lambda n: np.ldexp(
            1.0, RNG.integers(np.finfo(dtype).minexp, np.finfo(dtype).maxexp, n)
        ).astype(dtype),
        "subnormal": lambda n: (RNG.integers(1, 1000, n) * f(tiny) / f(2 ** 20)).astype(dtype),
        "huge": lambda n: (f(big) / RNG.uniform(1, 10, n)).astype(dtype),
        "bits": lambda n: random_bits(dtype, n),
        "specials": lambda n: RNG.choice(
            np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -2.5, 1e-5, 3e10],
                     dtype=dtype), n),
        "nan_inf_only": lambda n: RNG.choice(np.array([np.nan, np.inf, -np.inf], dtype=dtype), n),
        "nan_only": lambda n: np.full(n, np.nan, dtype=dtype),
        "pos_inf_nan": lambda n: RNG.choice(np.array([np.nan, np.inf, 0.5], dtype=dtype), n),
        "zeros": lambda n: RNG.choice(np.array([0.0, -0.0], dtype=dtype), n),
        "negzero_and_ints": lambda n: RNG.choice(np.array([-0.0, 1.0, 12.0], dtype=dtype), n),
        "with_nan": lambda n: np.where(RNG.random(n) < 0.2, np.nan,
                                       RNG.normal(0, 100, n)).astype(dtype),
        "sci_with_inf": lambda n: np.where(RNG.random(n) < 0.2, -np.inf,
                                           10.0 ** RNG.uniform(-30, 30, n)).astype(dtype),
    }


def int_generators(dtype):
    info = np.iinfo(dtype)
    return {
        "small": lambda n: RNG.integers(max(info.min, -9), 10, n).astype(dtype),
        "full": lambda n: RNG.integers(info.min, info.max, n, endpoint=True, dtype=dtype),
        "extremes": lambda n: RNG.choice(np.array([info.min, info.max, 0, 1], dtype=dtype), n),
        "mixed": lambda n: (RNG.integers(0, 1000, n)
                            * RNG.choice([1, 10 ** 6], n)).astype(dtype),
    }


def generators(dtype):
    if dtype == "bool":
        return {"random": lambda n: RNG.random(n) < 0.5,
                "all_true": lambda n: np.ones(n, bool),
                "all_false": lambda n: np.zeros(n, bool)}
    if dtype.startswith("float"):
        return float_generators(np.dtype(dtype).type)
    return int_generators(np.dtype(dtype).type)


SHAPES = [(), (1,), (2,), (5,), (7,), (12,), (30,), (64,), (2, 3), (3, 1),
          (1, 4), (4, 9), (2, 3, 4), (3, 1, 2), (2, 2, 2, 2), (3, 1, 2, 1),
          (1, 1, 1, 1)]
BIG_SHAPES = [(1000,), (1001,), (2000,), (40, 40), (3, 400), (11, 11, 11),
              (2, 3, 200), (4, 5, 6, 9)]
BIG_GENERATORS = {"random", "small", "full", "normal", "mixed_scale", "with_nan"}
EMPTY_SHAPES = [(0,), (3, 0), (0, 2, 3), (2, 0, 1)]


def main():
    np.seterr(all="ignore")  # the generators overflow to inf on purpose
    w = Writer(sys.argv[1])
    for dt in DTYPES:
        gens = generators(dt)
        for gname, gen in gens.items():
            for shape in SHAPES:
                n = math.prod(shape)
                w.array(f"{dt}/{gname}/{shape}", gen(n).reshape(shape))
            # Summarised arrays are large; a few generators cover them.
            big = BIG_SHAPES if gname in BIG_GENERATORS else BIG_SHAPES[1:2]
            for shape in big:
                n = math.prod(shape)
                w.array(f"{dt}/{gname}/{shape}", gen(n).reshape(shape))
        for shape in EMPTY_SHAPES:
            w.array(f"{dt}/empty/{shape}", np.zeros(shape, dt))

        # 0-d str is the scalar's str: shortest digits, no precision cap.
        scalar_gens = [g for k, g in gens.items() if k not in ("nan_only",)]
        for i in range(400 if dt.startswith("float") else 40):
            v = scalar_gens[i % len(scalar_gens)](1).reshape(())
            w.array(f"{dt}/scalar/{i}", v)

        # np.array2string with other options.
        for i in range(60):
            gname = list(gens)[i % len(gens)]
            shape = [(9,), (40,), (3, 7), (2, 3, 5), (30, 30), (4, 4, 4)][i % 6]
            a = gens[gname](math.prod(shape)).reshape(shape)
            kw = dict(precision=int(RNG.choice([0, 1, 3, 8, 12, 17])),
                      linewidth=int(RNG.choice([5, 10, 20, 40, 75, 100, 200])),
                      threshold=int(RNG.choice([5, 20, 100, 1000])),
                      edgeitems=int(RNG.choice([0, 1, 2, 3, 5])),
                      sep=str(RNG.choice([" ", ", ", ",", ";  "])),
                      prefix=str(RNG.choice(["", "x(", "array(", "Array("])),
                      suffix=str(RNG.choice(["", ")", ","])))
            w.a2s(f"{dt}/a2s/{gname}/{i}", a, **kw)

    # Hand-picked cases from the design notes.
    w.array("example/sci", np.array([1.01747675e-03, 1.03140167e-06, 1.03225695e-09,
                                     1.03295150e-12, 8.88178420e-16]))
    w.array("example/int2d", np.array([[0, 0, 0, 0], [0, 1, 2, 3]], np.int32))
    w.array("example/f32_1e-4", np.array([1e-4, 1], np.float32))
    w.array("example/f32_99999992", np.array([99999992], np.float32))
    w.array("example/f32_99999992_mixed", np.array([99999992, 1.5], np.float32))
    w.array("example/arange", np.arange(10.0) / 9)
    w.array("example/arange32", (np.arange(10.0) / 9).astype(np.float32))
    w.array("example/linspace", np.linspace(0, 1, 30))
    w.array("example/ones55", np.ones((5, 5)))
    w.array("example/eye3d", np.arange(60, dtype=np.int64).reshape(3, 4, 5))
    print(f"wrote {w.count} cases to {sys.argv[1]}")


if __name__ == "__main__":
    main()
