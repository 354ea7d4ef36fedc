#!/usr/bin/python3
"""Writes the NumPy-oracle cases for tests/ops/oracle_test.cpp.

Usage: gen_op_cases.py OUTPUT

NumPy (Debian 12's 1.24) computes the values, but every dtype and weak-type
rule is JAX's (jax_enable_x64) as restated in jax_promotion.py, and where
jnp's formula differs from NumPy's (float floor_divide/remainder, sign of
-0., integer_pow, arange, linspace) the generator reproduces jnp's formula.
Inputs are drawn from a fixed seed, so the file is reproducible.

Format: plain text, one record per line, cases separated by `end`:

  case OP ID                 OP names the function under test
  p KEY VALUE                parameters (axes `[0,-1]` or `all`, shapes `[2,3]`,
                             floats as float.hex(), `none` for absent)
  in DTYPE WEAK SHAPE V...   an input: WEAK 1 means a C++ scalar (0-d, weak)
  out DTYPE WEAK SHAPE V...  an expected output
  tol ULP RTOL ATOL SIGNED_ZERO
  end

SHAPE is `[d0,d1,...]` (`[]` for 0-d); values are row-major, bools 0/1,
integers in decimal, floats as float.hex() (`inf`, `-inf`, `nan` included).
"""
import sys

import numpy as np

import cases_elementwise
import cases_indexing
import cases_linalg
import cases_numpy
import cases_reductions
import cases_shapes
import cases_special
from oracle_common import Writer

FAMILIES = [cases_elementwise, cases_reductions, cases_shapes, cases_indexing, cases_special, cases_linalg, cases_numpy]


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    w = Writer()
    for i, family in enumerate(FAMILIES):
        # One generator per family: adding cases to one family leaves the
        # others' inputs unchanged.
        family.generate(w, np.random.default_rng(20240611 + i))
    with open(argv[1], "w") as f:
        f.write(w.text())
    total = sum(w.counts.values())
    print(f"gen_op_cases: {total} cases for {len(w.counts)} operations -> {argv[1]}")


if __name__ == "__main__":
    main(sys.argv)
