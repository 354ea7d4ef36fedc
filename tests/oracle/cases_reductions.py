"""Reductions (sum mean prod max min any all) and linear algebra (dot matmul
outer einsum).

Float results are compared with an absolute bound scaled by the magnitude of
the terms, because the order of summation is the implementation's choice;
float32 references are computed in float64 and rounded once."""
import warnings

import numpy as np

import jax_promotion as jp
from oracle_common import ALL, EXACT, FLOATS, NP, NUMERIC, Tol, cast, fmt_shape, random_values

REDUCTION_SHAPES = [(), (5,), (3, 4), (2, 3, 4), (2, 0, 3), (2, 1, 3, 2), (2, 2, 1, 2, 3)]


def axes_choices(ndim, rng):
    out = [None, ()]
    if ndim >= 1:
        out += [(0,), (-1,)]
    if ndim >= 2:
        out += [(1,), (0, -1)]
    if ndim >= 3:
        out += [(-2,), (2, 0), tuple(rng.choice(ndim, 2, replace=False).tolist())]
    if ndim >= 4:
        out += [(1, 2, 3), (-4, -1)]
    return out


def reduction_dtype(op, dtype):
    if op in ("sum", "prod"):
        # Fluxion's default int is int32: bool -> int32, narrower ints keep theirs.
        return "int32" if dtype == "bool" else dtype
    if op == "mean":
        return jp.to_inexact((dtype, False))[0]
    if op in ("any", "all"):
        return "bool"
    return dtype


def reduce_ref(op, x, axis, keepdims, od):
    if axis == ():  # reducing over no axes converts only
        return cast(x if op not in ("any", "all") else x != 0, od)
    with np.errstate(all="ignore"):
        if op in ("sum", "prod"):
            if od in FLOATS:
                xf = x.astype(np.float64)
                r = getattr(np, op)(xf, axis=axis, keepdims=keepdims)
            else:
                r = getattr(np, op)(x.astype(NP[od]), axis=axis, keepdims=keepdims, dtype=NP[od])
        elif op == "mean":
            with warnings.catch_warnings():  # the mean of nothing is NaN, as in JAX
                warnings.simplefilter("ignore", RuntimeWarning)
                r = np.mean(x.astype(np.float64), axis=axis, keepdims=keepdims)
        elif op in ("max", "min"):
            r = (np.max if op == "max" else np.min)(x, axis=axis, keepdims=keepdims)
        elif op == "any":
            r = np.any(x != 0, axis=axis, keepdims=keepdims)
        else:
            r = np.all(x != 0, axis=axis, keepdims=keepdims)
    return cast(r, od)


def gen_reductions(w, rng):
    for op in ["sum", "mean", "prod", "max", "min", "any", "all"]:
        for i, shape in enumerate(REDUCTION_SHAPES):
            for j, axes in enumerate(axes_choices(len(shape), rng)):
                dtype = ALL[(i * 3 + j) % len(ALL)]
                kind = "small" if op == "prod" else "mixed"
                if dtype in FLOATS and (i + j) % 6 == 0:
                    kind = "special"
                x = random_values(rng, dtype, shape, kind)
                if op == "prod" and dtype in FLOATS:
                    x = (np.sign(x) * np.exp(rng.uniform(-1, 1, shape))).astype(NP[dtype])
                axis = None if axes is None else tuple(axes)
                norm = None if axis is None else tuple(a % max(len(shape), 1) for a in axis)
                reduced = [shape[a] for a in (range(len(shape)) if norm is None else norm)]
                count = int(np.prod(reduced, dtype=np.int64))
                if op in ("max", "min") and count == 0:
                    continue  # no identity: errors_test
                od = reduction_dtype(op, dtype)
                for keepdims in (False, True):
                    r = reduce_ref(op, x, axis, keepdims, od)
                    tol = EXACT
                    if od in FLOATS and op in ("sum", "mean"):
                        eps = float(np.finfo(NP[od]).eps)
                        a = np.abs(np.where(np.isfinite(x), x, 0).astype(np.float64))
                        mag = float(np.max(np.sum(a, axis=axis), initial=0.0))
                        mag /= count if op == "mean" and count else 1
                        tol = Tol(ulp=1, atol=(count + 1) * eps * mag)
                    elif od in FLOATS and op == "prod":
                        tol = Tol(ulp=1, rtol=(count + 1) * float(np.finfo(NP[od]).eps))
                    elif op in ("max", "min"):
                        tol = Tol(signed_zero=False)
                    params = {"axes": "all" if axis is None else fmt_shape(axis),
                              "keepdims": int(keepdims)}
                    w.case(op, [(x, False)], [(r, False)], params, tol)


# --- linear algebra ---

def lin_tol(od, k, mag):
    if od not in FLOATS:
        return EXACT
    return Tol(ulp=1, atol=(k + 1) * float(np.finfo(NP[od]).eps) * mag)


def product_inputs(rng, da, sa, db, sb):
    a = random_values(rng, da, sa, "small")
    b = random_values(rng, db, sb, "small")
    if da in FLOATS:
        a = rng.standard_normal(sa).astype(NP[da])
    if db in FLOATS:
        b = rng.standard_normal(sb).astype(NP[db])
    return a, b


def linalg_ref(fn, od, *xs):
    if od in FLOATS:
        f64 = [x.astype(np.float64) for x in xs]
        r, mag = fn(*f64), fn(*[np.abs(x) for x in f64])
        return cast(r, od), float(np.max(np.abs(mag), initial=0.0))
    return cast(fn(*[x.astype(NP[od]) for x in xs]), od), 0.0


def gen_linalg(w, rng):
    pairs = [(a, b) for a in NUMERIC for b in NUMERIC]
    dot_shapes = [((), (3,)), ((3,), ()), ((4,), (4,)), ((2, 3), (3,)), ((3,), (3, 2)),
                  ((2, 3), (3, 4)), ((2, 3, 4), (4,)), ((2, 3, 4), (5, 4, 2)), ((0,), (0,)),
                  ((2, 0), (0, 3)), ((3, 0), (0,))]
    mm_shapes = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                 ((5, 2, 3), (3, 4)), ((2, 1, 2, 3), (4, 3, 2)), ((0, 2, 3), (3, 2)),
                 ((2, 0), (0, 3)), ((1, 3, 4), (2, 4, 2)), ((3,), (2, 3, 4)), ((2, 3, 4), (4,))]
    for op, shapes, fn in [("dot", dot_shapes, np.dot), ("matmul", mm_shapes, np.matmul)]:
        for i in range(3 * len(shapes)):
            sa, sb = shapes[i % len(shapes)]
            da, db = pairs[int(rng.integers(len(pairs)))] if i >= len(shapes) else ("float64",) * 2
            t = jp.promote((da, False), (db, False))
            a, b = product_inputs(rng, da, sa, db, sb)
            k = sa[-1] if sa else 1
            r, mag = linalg_ref(fn, t[0], cast(a, t[0]), cast(b, t[0]))
            w.case(op, [(a, False), (b, False)], [(r, t[1])], tol=lin_tol(t[0], k, mag))
    outer_shapes = [((3,), (4,)), ((2, 2), (3,)), ((), (3,)), ((0,), (3,)), ((1,), (1,))]
    for i, (da, db) in enumerate([(a, b) for a in ALL for b in ALL][::2]):
        sa, sb = outer_shapes[i % len(outer_shapes)]
        a, b = random_values(rng, da, sa, "special"), random_values(rng, db, sb, "special")
        t = jp.promote((da, False), (db, False))
        ac, bc = cast(a, t[0]).ravel(), cast(b, t[0]).ravel()
        with np.errstate(all="ignore"):
            r = (ac[:, None] & bc[None, :]) if t[0] == "bool" else ac[:, None] * bc[None, :]
        w.case("outer", [(a, False), (b, False)], [(cast(r, t[0]), t[1])])
    gen_einsum(w, rng)


EINSUM_SPECS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(3, 2), (2, 2)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]), ("ii", [(4, 4)]), ("ii->i", [(3, 3)]),
    ("i,j,k", [(2,), (3,), (2,)]), ("i,j,k->kji", [(2,), (3,), (4,)]),
    ("ij,i,j", [(3, 4), (3,), (4,)]), ("ij->ji", [(2, 5)]), ("ij->", [(3, 4)]),
    ("ji", [(2, 3)]), ("i,i->", [(5,)] * 2), ("i,i", [(4,)] * 2), ("ijk->kj", [(2, 3, 4)]),
    ("ij,kj->ik", [(2, 3), (4, 3)]), ("iij->ij", [(3, 3, 2)]), ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("i->", [(6,)]), ("ab,ab->ab", [(2, 3)] * 2), ("abc,cd->abd", [(2, 3, 4), (4, 2)]),
    ("ij,jk->ik", [(2, 0), (0, 3)]), ("i,j->ij", [(0,), (3,)]), ("ij,ij->i", [(3, 4)] * 2),
    ("bi,bj->bij", [(2, 3), (2, 4)]), ("iji->j", [(2, 3, 2)]), ("ii->", [(3, 3)]),
]


def gen_einsum(w, rng):
    dtype_sets = [("float64",), ("float32",), ("int32",), ("int64",), ("float32", "float64"),
                  ("int32", "float32"), ("uint32", "int32"), ("int64", "uint64")]
    for i, (spec, shapes) in enumerate(EINSUM_SPECS):
        for j in range(2):
            ds = dtype_sets[(i + 3 * j) % len(dtype_sets)]
            dts = [ds[n % len(ds)] for n in range(len(shapes))]
            xs = []
            for d, s in zip(dts, shapes):
                x = random_values(rng, d, s, "small")
                if d in FLOATS:
                    x = rng.standard_normal(s).astype(NP[d])
                xs.append(x)
            t = jp.promote(*[(d, False) for d in dts])
            fn = lambda *ops: np.einsum(spec, *ops)
            r, mag = linalg_ref(fn, t[0], *[cast(x, t[0]) for x in xs])
            k = int(np.prod([max(s) if s else 1 for s in shapes]))
            w.case("einsum", [(x, False) for x in xs], [(r, t[1])], {"spec": spec},
                   lin_tol(t[0], k, mag))


def generate(w, rng):
    gen_reductions(w, rng)
    gen_linalg(w, rng)

