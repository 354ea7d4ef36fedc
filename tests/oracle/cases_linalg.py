"""NumPy-oracle cases of the linalg family (see gen_op_cases.py for the format).

numpy.linalg computes the expected values with LAPACK as Fluxion does, but
not necessarily with the same routine or blocking, so values agree to a
tolerance scaled to the dtype. Inputs are well conditioned (a random matrix
plus n times the identity, SPD matrices A A^T + n I), so that tolerance is
not lost to conditioning. Where a decomposition is unique only up to signs
(eigenvectors, QR, singular vectors) the cases compare absolute values; the
tests in tests/ops/linalg_test.cpp check the identities (A = Q R, ...)."""
import numpy as np

from oracle_common import Tol, fmt_shape

TOL = {"float64": Tol(rtol=1e-9, atol=1e-11, signed_zero=False),
       "float32": Tol(rtol=3e-4, atol=3e-5, signed_zero=False)}
BATCHES = [(), (2,), (2, 1)]


def general(rng, dtype, shape):
    n = shape[-1]
    a = rng.uniform(-1, 1, shape) + n * np.eye(n) if shape[-1] == shape[-2] else rng.uniform(-1, 1, shape)
    return a.astype(dtype)


def spd(rng, dtype, batch, n):
    a = rng.uniform(-1, 1, batch + (n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(dtype)


def out(x, dtype):
    return (np.asarray(x).astype(dtype), False)


def gen_factorizations(w, rng):
    for i in range(8):
        dtype = ["float64", "float32"][i % 2]
        batch, n = BATCHES[i % 3], [1, 3, 4, 2][i % 4]
        a = spd(rng, dtype, batch, n)
        w.case("linalg_cholesky", [(a, False)], [out(np.linalg.cholesky(a.astype(np.float64)), dtype)], tol=TOL[dtype])
        s = (a + 0.7 * np.triu(np.ones((n, n)), 1)).astype(dtype)
        s = ((s + np.swapaxes(s, -1, -2)) / 2).astype(dtype)
        vals, vecs = np.linalg.eigh(s.astype(np.float64))
        w.case("linalg_eigh", [(s, False)], [out(vals, dtype), out(np.abs(vecs), dtype)], tol=TOL[dtype])
    # Integer input is promoted to float64 (jnp.linalg promotes as jnp does).
    k = np.array([[4, 1], [1, 3]], dtype=np.int32)
    w.case("linalg_cholesky", [(k, False)], [out(np.linalg.cholesky(k.astype(np.float64)), "float64")],
           tol=TOL["float64"])
    for i, shape in enumerate([(4, 3), (3, 4), (3, 3), (2, 5, 2), (2, 2, 4), (1, 1)] * 2):
        dtype = ["float64", "float32"][i // 6]
        a = general(rng, dtype, shape)
        q, r = np.linalg.qr(a.astype(np.float64)) if len(shape) == 2 else batched_qr(a.astype(np.float64))
        w.case("linalg_qr", [(a, False)], [out(np.abs(q), dtype), out(np.abs(r), dtype)], tol=TOL[dtype])
        u, sv, vt = np.linalg.svd(a.astype(np.float64), full_matrices=False)
        w.case("linalg_svd", [(a, False)], [out(np.abs(u), dtype), out(sv, dtype), out(np.abs(vt), dtype)],
               tol=TOL[dtype])
        w.case("linalg_svdvals", [(a, False)], [out(sv, dtype)], tol=TOL[dtype])


def batched_qr(a):
    qs, rs = zip(*(np.linalg.qr(m) for m in a.reshape((-1,) + a.shape[-2:])))
    k = min(a.shape[-2:])
    return (np.array(qs).reshape(a.shape[:-2] + (a.shape[-2], k)),
            np.array(rs).reshape(a.shape[:-2] + (k, a.shape[-1])))


def gen_solvers(w, rng):
    for i in range(10):
        dtype = ["float64", "float32"][i % 2]
        batch, n = BATCHES[i % 3], [3, 1, 4, 2, 5][i % 5]
        a = general(rng, dtype, batch + (n, n))
        a64 = a.astype(np.float64)
        b = rng.uniform(-2, 2, (n,) if i % 2 else batch + (n, 2)).astype(dtype)
        x = np.linalg.solve(a64, b.astype(np.float64)) if b.ndim > 1 else np.linalg.solve(a64, b[..., None] * np.ones(batch + (n, 1)))[..., 0]
        w.case("linalg_solve", [(a, False), (b, False)], [out(x, dtype)], tol=TOL[dtype])
        w.case("linalg_inv", [(a, False)], [out(np.linalg.inv(a64), dtype)], tol=TOL[dtype])
        w.case("linalg_det", [(a, False)], [out(np.linalg.det(a64), dtype)], tol=TOL[dtype])
        sign, logdet = np.linalg.slogdet(a64)
        w.case("linalg_slogdet", [(a, False)], [out(sign, dtype), out(logdet, dtype)], tol=TOL[dtype])
        p = [2, 3, -1, 5, 0, -2, 1, 7, -3, 4][i]
        m = (a / n).astype(dtype)  # keeps powers near 1
        w.case("linalg_matrix_power", [(m, False)], [out(np.linalg.matrix_power(m.astype(np.float64), p), dtype)],
               {"n": str(p)}, tol=TOL[dtype])
        lower = i % 2 == 0
        t = np.tril(a) if lower else np.triu(a)
        trans = i % 3
        op = np.swapaxes(t, -1, -2) if trans else t
        rhs = rng.uniform(-2, 2, batch + (n, 3)).astype(dtype)
        w.case("linalg_solve_triangular", [(t.astype(dtype), False), (rhs, False)],
               [out(np.linalg.solve(op.astype(np.float64), rhs.astype(np.float64)), dtype)],
               {"trans": str(trans), "lower": str(int(lower))}, tol=TOL[dtype])
        c = np.linalg.cholesky(spd(rng, "float64", batch, n))
        factor = c if lower else np.swapaxes(c, -1, -2)
        full = c @ np.swapaxes(c, -1, -2)
        w.case("linalg_cho_solve", [(factor.astype(dtype), False), (rhs, False)],
               [out(np.linalg.solve(full, rhs.astype(np.float64)), dtype)], {"lower": str(int(lower))},
               tol=TOL[dtype])
    # Singular: det 0, slogdet (0, -inf) (exact: LU finds the zero pivot).
    z = np.array([[1.0, 2.0], [2.0, 4.0]])
    w.case("linalg_det", [(z, False)], [out(0.0, "float64")], tol=TOL["float64"])
    z3 = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]])
    w.case("linalg_slogdet", [(z3, False)], [out(0.0, "float64"), out(-np.inf, "float64")], tol=TOL["float64"])


def gen_norms(w, rng):
    vector_ords = [2.0, 1.0, np.inf, -np.inf, 0.0, 3.0, 0.5, -1.0]
    for i, o in enumerate(vector_ords * 2):
        dtype = ["float64", "float32"][i // len(vector_ords)]
        shape, axis = [((5,), None), ((3, 4), 1), ((2, 3, 4), 0), ((3, 4), None)][i % 4]
        x = rng.uniform(-3, 3, shape).astype(dtype)
        x.flat[0] = 0.0  # ord 0 counts it; negative orders see 1 / 0 = inf, as JAX's formula does
        with np.errstate(divide="ignore"):
            want = np.linalg.norm(x.astype(np.float64).ravel() if axis is None else x.astype(np.float64), ord=o,
                                  axis=axis)
        w.case("linalg_vector_norm", [(x, False)], [out(want, dtype)],
               {"ord": float(o).hex(), "axis": "all" if axis is None else fmt_shape([axis])}, tol=TOL[dtype])
    matrix_ords = [1.0, -1.0, np.inf, -np.inf, 2.0, -2.0, "fro", "nuc"]
    for i, o in enumerate(matrix_ords * 2):
        dtype = ["float64", "float32"][i // len(matrix_ords)]
        shape = [(3, 4), (2, 3, 3), (4, 2)][i % 3]
        x = rng.uniform(-3, 3, shape).astype(dtype)
        want = np.linalg.norm(x.astype(np.float64), ord=o, axis=(-2, -1))
        w.case("linalg_matrix_norm", [(x, False)], [out(want, dtype)],
               {"ord": o if isinstance(o, str) else float(o).hex()}, tol=TOL[dtype])
    for i, (o, axis) in enumerate([("fro", (0, 1)), ("nuc", (0, 1)), ("fro", (2, 0)), ("nuc", (1, 2)), ("fro", None)]):
        shape = (3, 4) if axis in [(0, 1), None] else (2, 3, 4)
        x = rng.uniform(-3, 3, shape)
        want = np.linalg.norm(x, ord=o, axis=axis)
        w.case("linalg_norm", [(x, False)], [out(want, "float64")],
               {"ord": o, "axis": "all" if axis is None else fmt_shape(axis)}, tol=TOL["float64"])


def generate(w, rng):
    gen_factorizations(w, rng)
    gen_solvers(w, rng)
    gen_norms(w, rng)
