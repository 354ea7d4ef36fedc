"""NumPy-oracle cases of the jnp functions built from existing primitives (see
gen_op_cases.py for the format): statistics, triangles and diagonals,
polynomials, rearranging, sorting and searching.

Dtypes and weak types follow JAX (jax_enable_x64): statistics compute in the
input's float dtype (integers and bools in float64), indices are int32.
Where jnp's formula differs from NumPy's, the reference follows jnp and says
so: var and std give NaN when N - ddof <= 0, quantile interpolates in q's
dtype (float32 positions for a float32 q) and propagates any NaN of a slice,
polyval runs Horner's rule from 0 (0 * inf is NaN), argsort descending puts
NaNs first with ties in their original order."""
import warnings

import numpy as np

import jax_promotion as jp
from oracle_common import ALL, EXACT, FLOATS, NP, Tol, cast, fmt_shape, random_values

STAT_SHAPES = [((7,), [None, (0,)]), ((3, 4), [None, (0,), (1,), (-1,)]),
               ((2, 3, 4), [(1,), (0, 2), (-1, 0), None]), ((1, 5), [(1,), (0,)]),
               ((2, 1, 3, 2), [(2, 3), (1,), (0, 1, 3)])]


def inexact(dtype):
    return dtype if dtype in FLOATS else "float64"


def axes_param(axes):
    return "all" if axes is None else fmt_shape(axes)


def float_inputs(rng, dtype, shape, nan=False):
    x = random_values(rng, dtype, shape, "small" if dtype not in FLOATS else "mixed")
    if dtype in FLOATS:
        x = (rng.standard_normal(shape) * 4).astype(NP[dtype])
        if nan and x.size:
            x.flat[int(rng.integers(x.size))] = np.nan
    return x


def gen_var_std(w, rng):
    i = 0
    for shape, axes_list in STAT_SHAPES:
        for axes in axes_list:
            for ddof in (0, 1, 3):
                dtype = ALL[i % len(ALL)]
                i += 1
                x = float_inputs(rng, dtype, shape, nan=(i % 11 == 0))
                od = inexact(dtype)
                xf = x.astype(np.float64)
                count = x.size if axes is None else int(np.prod([shape[a] for a in axes]))
                keepdims = bool(i % 2)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    v = np.var(xf, axis=axes, ddof=ddof, keepdims=keepdims)
                v = np.where(count - ddof > 0, v, np.nan)  # jnp's NaN for N - ddof <= 0
                eps = float(np.finfo(NP[od]).eps)
                scale = float(np.max(np.abs(np.where(np.isfinite(xf), xf, 0)), initial=0.0)) ** 2
                var_atol = 8 * (count + 2) * eps * scale
                # |sqrt(a) - sqrt(b)| <= sqrt(|a - b|) bounds std's error by var's.
                for op, r, tol in [("var", v, Tol(ulp=2, atol=var_atol)),
                                   ("std", np.sqrt(v), Tol(ulp=2, atol=float(np.sqrt(var_atol))))]:
                    params = {"axes": axes_param(axes), "ddof": ddof, "keepdims": int(keepdims)}
                    w.case(op, [(x, False)], [(cast(r, od), False)], params, tol)


def gen_average(w, rng):
    cases = [((5,), None, None), ((3, 4), (1,), (4,)), ((3, 4), None, (3, 4)), ((2, 3, 4), (2, 0), (4, 2)),
             ((2, 3, 4), (0, 2), (2, 4)), ((3, 4), (0,), None), ((2, 3), (0, 1), (2, 3))]
    for i, (shape, axes, wshape) in enumerate(cases):
        for j, (da, dw) in enumerate([("float64", "float64"), ("float32", "float32"), ("int32", "float32"),
                                      ("float32", "int32")]):
            x = float_inputs(rng, da, shape)
            keepdims = bool((i + j) % 2)
            inputs = [(x, False)]
            od = inexact(da)
            xf = x.astype(np.float64)
            if wshape is None:
                r = np.mean(xf, axis=axes, keepdims=keepdims)
                mag = float(np.max(np.abs(xf)))
            else:
                wt = (rng.uniform(0.5, 2.0, wshape) * (4 if dw not in FLOATS else 1)).astype(NP[dw])
                inputs.append((wt, False))
                od = jp.to_inexact(jp.promote((da, False), (dw, False)))[0]
                wf = wt.astype(np.float64)
                if wshape != shape:  # weights along the given axes, in that order
                    order = np.argsort(axes)
                    wf = np.transpose(wf, order)
                    full = [shape[a] if a in axes else 1 for a in range(len(shape))]
                    wf = wf.reshape(full)
                r = np.sum(xf * wf, axis=axes, keepdims=keepdims) / np.sum(wf, axis=axes, keepdims=keepdims)
                mag = float(np.max(np.abs(xf)))
            eps = float(np.finfo(NP[od]).eps)
            params = {"axes": axes_param(axes), "keepdims": int(keepdims), "weighted": int(wshape is not None)}
            w.case("average", inputs, [(cast(r, od), False)], params, Tol(ulp=2, atol=4 * (x.size + 2) * eps * mag))


def jnp_quantile(x, qs, q_dtype, axes, method, keepdims):
    """jnp's _quantile, step by step, in NumPy (the float32 position arithmetic included)."""
    a = x.astype(np.float64) if x.dtype.name not in FLOATS else x
    nd = a.ndim
    keep_shape = None
    if axes is None:
        keep_shape = (1,) * nd if keepdims else None
        a = a.ravel()
        axis = 0
        keep_axis = False
    elif len(axes) == 1:
        axis = axes[0] % nd
        keep_axis = keepdims
    else:
        ax = sorted(a_ % nd for a_ in axes)
        kept = [d for d in range(nd) if d not in ax]
        keep_shape = tuple(1 if d in ax else a.shape[d] for d in range(nd)) if keepdims else None
        a = np.transpose(a, kept + ax).reshape([a.shape[d] for d in kept] + [-1])
        axis = a.ndim - 1
        keep_axis = False
    n = a.shape[axis]
    nan_slice = np.any(np.isnan(a), axis=axis, keepdims=True)
    a = np.where(nan_slice, np.nan, a)
    s = np.sort(a, axis=axis)
    T = NP[q_dtype]
    outs = []
    for q in qs:
        q = T(q)
        last = T(n) - T(1)
        at = T(q * last)
        low, high = np.floor(at), np.ceil(at)
        hw = T(at - low)
        lw = T(T(1) - hw)
        lo_i = int(min(max(low, T(0)), last))
        hi_i = int(min(max(high, T(0)), last))
        take = lambda i: np.take(s, [i], axis=axis) if (keep_axis or keep_shape is not None) else np.take(s, i, axis=axis)
        lo, hi = take(lo_i), take(hi_i)
        if method == "linear":
            with np.errstate(all="ignore"):
                r = (lo.astype(T) * lw + hi.astype(T) * hw).astype(a.dtype)
        elif method == "lower":
            r = lo
        elif method == "higher":
            r = hi
        elif method == "nearest":
            r = lo if hw <= 0.5 else hi
        else:
            with np.errstate(all="ignore"):
                r = ((lo + hi) * a.dtype.type(0.5)).astype(a.dtype)
        outs.append(r)
    return outs


def finish(x, outs, q, q_dtype, axes, keepdims):
    """Stacks jnp_quantile's results along q's axis and restores kept axes."""
    od = inexact(x.dtype.name)
    if q.ndim:
        probe = jnp_quantile(x, [0.5], q_dtype, axes, "lower", keepdims)[0]
        r = np.stack(outs) if outs else np.zeros((0,) + probe.shape, NP[od])
    else:
        r = outs[0]
    if keepdims and (axes is None or len(axes) > 1):
        keep = [1 if (axes is None or d in [a % x.ndim for a in axes]) else x.shape[d] for d in range(x.ndim)]
        r = r.reshape(([len(q)] if q.ndim else []) + keep)
    return cast(r, od)


def gen_quantiles(w, rng):
    shapes = [((9,), None), ((11,), (0,)), ((3, 5), (1,)), ((3, 5), (0,)), ((2, 3, 4), (0, 2)), ((2, 3, 4), None),
              ((4, 1, 3), (-1,)), ((2, 3, 2), (2, 0, 1)), ((1,), None)]
    methods = ["linear", "lower", "higher", "midpoint", "nearest"]
    q_sets = [(np.array(0.5), True), (np.array([0.0, 0.3, 0.25, 1.0]), False), (np.array(0.7, np.float32), False),
              (np.array([0.1, 0.9, 0.33], np.float32), False), (np.array([], np.float64), False)]
    i = 0
    for shape, axes in shapes:
        for method in methods:
            q, q_weak = q_sets[i % len(q_sets)]
            dtype = ["float64", "float32", "int32", "int64", "uint32", "bool"][i % 6]
            keepdims = bool(i % 3 == 1)
            i += 1
            x = float_inputs(rng, dtype, shape, nan=(i % 9 == 0))
            if dtype in FLOATS and i % 4 == 0:  # ties
                x = np.round(x).astype(NP[dtype])
            qd = q.dtype.name
            r = finish(x, jnp_quantile(x, q.ravel().tolist(), qd, axes, method, keepdims), q, qd, axes, keepdims)
            if method == "linear" and not np.isnan(x.astype(np.float64)).any() and qd == "float64":
                # The replica of jnp's formula agrees with NumPy's own quantile.
                ref = np.quantile(x.astype(np.float64), q, axis=None if axes is None else tuple(axes), keepdims=keepdims)
                assert np.allclose(np.asarray(ref, dtype=np.float64), r.astype(np.float64), rtol=1e-5, atol=1e-5)
            params = {"axes": axes_param(axes), "method": method, "keepdims": int(keepdims)}
            w.case("quantile", [(x, False), (q, q_weak)], [(r, False)], params)
            # percentile of 100 q: the positions of (100 q) / 100, rounded in q's dtype.
            pq = (q * 100).astype(q.dtype)
            pq_vals = [float(np.divide(v, q.dtype.type(100), dtype=q.dtype)) for v in pq.ravel()]
            pr = finish(x, jnp_quantile(x, pq_vals, qd, axes, method, keepdims), q, qd, axes, keepdims)
            w.case("percentile", [(x, False), (pq, q_weak)], [(pr, False)], params)
            if method == "midpoint":
                m = finish(x, jnp_quantile(x, [0.5], "float64", axes, "midpoint", keepdims), np.array(0.5), "float64",
                           axes, keepdims)
                w.case("median", [(x, False)], [(m, False)], {"axes": axes_param(axes), "keepdims": int(keepdims)})


def gen_cov(w, rng):
    shapes = [(3, 6), (2, 5), (6,), (1, 4), (4, 3), (3, 1), (5, 2)]
    i = 0
    for shape in shapes:
        for rowvar in (True, False):
            for bias, ddof in [(False, None), (True, None), (False, 0), (False, 2)]:
                dtype = ["float64", "float32", "int32", "float64"][i % 4]
                i += 1
                x = float_inputs(rng, dtype, shape)
                od = inexact(dtype)
                xf = x.astype(np.float64)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    # jnp transposes every 2-D m when not rowvar; NumPy keeps a single row.
                    xv = xf.T if (xf.ndim == 2 and not rowvar) else xf
                    c = np.cov(xv, bias=bias, ddof=ddof)
                n = xv.shape[-1]
                eps = float(np.finfo(NP[od]).eps)
                mag = float(np.max(np.abs(xf))) ** 2
                tol = Tol(ulp=2, atol=16 * (n + 2) * eps * mag)
                params = {"rowvar": int(rowvar), "bias": int(bias), "ddof": "none" if ddof is None else ddof}
                if np.isfinite(c).all():
                    w.case("cov", [(x, False)], [(cast(c, od), False)], params, tol)
                if ddof is None and not bias:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        r = np.clip(np.corrcoef(xv), -1, 1)
                    if np.isfinite(r).all():
                        w.case("corrcoef", [(x, False)], [(cast(r, od), False)], {"rowvar": int(rowvar)},
                               Tol(ulp=4, atol=64 * (n + 2) * eps))


def gen_polyval(w, rng):
    cases = [((4,), (5,)), ((1,), (3,)), ((3,), ()), ((5,), (2, 3)), ((3, 2), (2,)), ((2, 1), (4, 3)), ((6,), (0,))]
    for i, (ps, xs) in enumerate(cases):
        for j, (dp, dx) in enumerate([("float64", "float64"), ("float32", "float32"), ("int32", "int32"),
                                      ("int64", "float32"), ("int32", "uint32")]):
            od = jp.promote((dp, False), (dx, False))[0]
            p = random_values(rng, dp, ps, "small")
            x = random_values(rng, dx, xs, "small")
            if dp in FLOATS:
                p = rng.standard_normal(ps).astype(NP[dp])
            if dx in FLOATS:
                x = rng.uniform(-2, 2, xs).astype(NP[dx])
            pc, xc = cast(p, od), cast(x, od)
            shape = np.broadcast_shapes(ps[1:], xs)
            with np.errstate(all="ignore"):
                if od in FLOATS:
                    y = np.zeros(shape)
                    mag = np.zeros(shape)
                    for k in range(ps[0]):
                        y = y * xc.astype(np.float64) + pc[k].astype(np.float64)
                        mag = mag * np.abs(xc.astype(np.float64)) + np.abs(pc[k].astype(np.float64))
                    r = cast(y, od)
                    tol = Tol(ulp=2, atol=float(4 * (ps[0] + 1) * np.finfo(NP[od]).eps * np.max(mag, initial=0.0)))
                else:
                    y = np.zeros(shape, NP[od])
                    for k in range(ps[0]):
                        y = (y * xc + pc[k]).astype(NP[od])
                    r, tol = y, EXACT
            w.case("polyval", [(p, False), (x, False)], [(r, False)], tol=tol)
    # jnp starts Horner's rule from 0, so an infinite x gives NaN where NumPy gives inf.
    p = np.array([1.0, 2.0])
    x = np.array([np.inf, 1.0, -np.inf])
    w.case("polyval", [(p, False), (x, False)], [(np.array([np.nan, 3.0, np.nan]), False)])


def gen_triangles(w, rng):
    for i, (n, m, k) in enumerate([(3, None, 0), (4, 2, 1), (2, 5, -1), (0, 3, 0), (3, 3, 5), (4, 4, -4)]):
        dtype = ["float32", "float64", "int32", "bool"][i % 4]
        params = {"n": n, "m": "none" if m is None else m, "k": k, "dtype": dtype}
        w.case("tri", [], [(np.tri(n, m, k, dtype=NP[dtype]), False)], params)
    shapes = [(3, 3), (2, 4), (5, 2), (2, 3, 4), (2, 1, 3, 3), (0, 3), (3, 0, 2)]
    for i, shape in enumerate(shapes):
        for k in (0, 1, -1, 3, -5):
            dtype = ALL[(i + k) % len(ALL)]
            x = random_values(rng, dtype, shape, "special" if dtype in FLOATS else "mixed")
            w.case("tril", [(x, False)], [(np.tril(x, k), False)], {"k": k})
            w.case("triu", [(x, False)], [(np.triu(x, k), False)], {"k": k})
    for i, (shape, a1, a2) in enumerate([((3, 3), 0, 1), ((2, 4), 0, 1), ((4, 2), 1, 0), ((2, 3, 4), 1, 2),
                                         ((2, 3, 4), 2, 0), ((3, 2, 2, 5), -1, 1), ((0, 3), 0, 1), ((2, 3, 0), 0, 2)]):
        for offset in (0, 1, -1, 2, -3, 7):
            dtype = ALL[(i + offset) % len(ALL)]
            x = random_values(rng, dtype, shape, "mixed")
            params = {"offset": offset, "axis1": a1, "axis2": a2}
            w.case("diagonal", [(x, False)], [(np.diagonal(x, offset, a1, a2), False)], params)
            od = "int32" if dtype == "bool" else dtype
            t = np.trace(x.astype(np.float64) if dtype in FLOATS else x.astype(NP[od]), offset, a1, a2,
                         dtype=np.float64 if dtype in FLOATS else NP[od])
            n = int(np.prod(np.diagonal(x, offset, a1, a2).shape[-1:]))
            mag = float(np.max(np.abs(np.where(np.isfinite(x), x, 0)).astype(np.float64), initial=0.0)) if dtype in FLOATS else 0
            tol = Tol(ulp=1, atol=(n + 1) * float(np.finfo(NP[od]).eps) * mag) if od in FLOATS else EXACT
            w.case("trace", [(x, False)], [(cast(t, od), False)], params, tol)
    for i, (shape, k) in enumerate([((3,), 0), ((3,), 1), ((2,), -2), ((0,), 1), ((3, 3), 0), ((3, 4), 1),
                                    ((4, 3), -1), ((2, 2), 3), ((1,), 0)]):
        dtype = ALL[i % len(ALL)]
        v = random_values(rng, dtype, shape, "mixed")
        w.case("diag", [(v, False)], [(np.diag(v, k), False)], {"k": k})


def gen_rearranging(w, rng):
    for i, (shape, shift, axis) in enumerate([((5,), 2, None), ((5,), -7, 0), ((3, 4), 1, None), ((3, 4), 5, 1),
                                              ((3, 4), [1, -2], [0, 1]), ((2, 3, 4), [2], [0, 2]),
                                              ((2, 3, 4), [1, 2], [-1]), ((0, 3), 1, 0), ((4,), 0, 0)]):
        dtype = ALL[i % len(ALL)]
        x = random_values(rng, dtype, shape, "mixed")
        r = np.roll(x, shift, axis if not isinstance(axis, list) else tuple(axis))
        if isinstance(shift, list):
            params = {"shifts": fmt_shape(shift), "axes": fmt_shape(axis)}
        else:
            params = {"shift": shift, "axis": "none" if axis is None else axis}
        w.case("roll", [(x, False)], [(r, False)], params)
    for i, (shape, reps) in enumerate([((3,), [2]), ((2, 3), [2, 1]), ((2, 3), [3]), ((3,), [2, 2]),
                                       ((2, 1, 2), [1, 3, 2]), ((2, 3), [0, 2]), ((), [3]), ((2,), [1, 2, 2])]):
        dtype = ALL[i % len(ALL)]
        x = random_values(rng, dtype, shape, "mixed")
        w.case("tile", [(x, False)], [(np.tile(x, reps), False)], {"reps": fmt_shape(reps)})
    for i, (shape, reps, axis) in enumerate([((3,), 2, None), ((2, 3), 2, 1), ((2, 3), 3, None), ((2, 3), [1, 0, 2], 1),
                                             ((2, 3), [2, 1], 0), ((), 4, None), ((2, 2), 0, 0), ((3,), [2], 0),
                                             ((2, 0), 3, 1)]):
        dtype = ALL[i % len(ALL)]
        x = random_values(rng, dtype, shape, "mixed")
        params = {"repeats": fmt_shape(reps) if isinstance(reps, list) else reps, "axis": "none" if axis is None else axis}
        w.case("repeat", [(x, False)], [(np.repeat(x, reps, axis), False)], params)
    for i, (shape, spec, axis) in enumerate([((6,), 3, 0), ((6, 2), 2, 0), ((2, 6), [1, 4], 1), ((5,), [2], 0),
                                             ((4, 3), [0, 2, 2], 0), ((3, 4), 1, -1), ((0, 2), 2, 0)]):
        dtype = ALL[i % len(ALL)]
        x = random_values(rng, dtype, shape, "mixed")
        params = {"sections" if isinstance(spec, int) else "indices": spec if isinstance(spec, int) else fmt_shape(spec),
                  "axis": axis}
        w.case("split", [(x, False)], [(p, False) for p in np.split(x, spec, axis)], params)
    for i, (shape, spec, axis) in enumerate([((7,), 3, 0), ((5, 2), 2, 0), ((2, 5), 4, 1), ((3,), 5, 0),
                                             ((6,), [2, 3], 0)]):
        dtype = ALL[i % len(ALL)]
        x = random_values(rng, dtype, shape, "mixed")
        params = {"sections" if isinstance(spec, int) else "indices": spec if isinstance(spec, int) else fmt_shape(spec),
                  "axis": axis}
        w.case("array_split", [(x, False)], [(p, False) for p in np.array_split(x, spec, axis)], params)
    for i, (shape, n, axis, pre, app) in enumerate([((6,), 1, -1, None, None), ((6,), 2, 0, None, None),
                                                    ((3, 4), 1, 0, None, None), ((3, 4), 3, 1, None, None),
                                                    ((3, 4), 1, 1, (), (3, 2)), ((2, 3), 2, 0, (1, 3), ()),
                                                    ((5,), 0, 0, None, None), ((2,), 3, 0, None, None),
                                                    ((4,), 1, 0, None, None)]):
        for dtype in ([ALL[i % len(ALL)], "bool"] if i < 6 else [ALL[i % len(ALL)]]):
            x = random_values(rng, dtype, shape, "mixed")
            inputs = [(x, False)]
            kw = {}
            if pre is not None:
                kw["prepend"] = random_values(rng, dtype, pre, "mixed")
                inputs.append((kw["prepend"], False))
            if app is not None:
                kw["append"] = random_values(rng, dtype, app, "mixed")
                inputs.append((kw["append"], False))
            with np.errstate(all="ignore"):
                r = np.diff(x, n, axis, **kw)  # wraps around as XLA's integer subtraction does
            params = {"n": n, "axis": axis, "prepend": int(pre is not None), "append": int(app is not None)}
            w.case("diff", inputs, [(r, False)], params)


def sort_order(values, descending):
    """Indices that sort a 1-D slice as jnp does: NaN largest, -0 == 0, ties
    in their original order (descending: NaNs first)."""
    def key(i):
        v = values[i]
        nan = isinstance(v, float) and v != v
        num = 0 if nan else v
        return (not nan, -num) if descending else (nan, num)
    return sorted(range(len(values)), key=key)


def gen_sorting(w, rng):
    shapes = [((7,), -1), ((3, 5), -1), ((3, 5), 0), ((2, 3, 4), 1), ((2, 3, 4), None), ((0, 3), 0), ((1,), 0)]
    i = 0
    for shape, axis in shapes:
        for descending in (False, True):
            dtype = ALL[i % len(ALL)]
            i += 1
            x = random_values(rng, dtype, shape, "special" if dtype in FLOATS else "small")
            if dtype not in FLOATS and dtype != "bool":
                x = (x % 5).astype(NP[dtype])  # ties
            a = x.ravel() if axis is None else x
            ax = 0 if axis is None else axis % x.ndim
            moved = np.moveaxis(a, ax, -1)
            out = np.zeros(moved.shape, np.int32)
            for idx in np.ndindex(moved.shape[:-1]):
                vals = [float(v) if dtype in FLOATS else int(v) for v in moved[idx]]
                out[idx] = sort_order(vals, descending)
            r = np.moveaxis(out, -1, ax)
            params = {"axis": "none" if axis is None else axis, "descending": int(descending)}
            w.case("argsort", [(x, False)], [(r, False)], params)
    for i, (n, vshape) in enumerate([(5, (7,)), (6, ()), (4, (2, 3)), (0, (3,)), (8, (10,)), (3, (4,))]):
        for side in ("left", "right"):
            da, dv = [("float64", "float64"), ("int32", "int32"), ("float32", "float64"), ("int32", "float32"),
                      ("uint32", "int64"), ("float64", "float64")][i]
            a = np.sort(random_values(rng, da, (n,), "small"))
            v = random_values(rng, dv, vshape, "small")
            if da in FLOATS and n:
                a = np.round(rng.standard_normal(n) * 3).astype(NP[da])
                if i == 5:  # -0 equals 0, NaN sorts last
                    a[:3] = [-0.0, 0.0, np.nan]
                a = np.sort(a)
            if dv in FLOATS and v.size:
                v = np.round(rng.standard_normal(vshape) * 3).astype(NP[dv])
                if i == 5:
                    v.flat[0] = np.nan
                    v.flat[1] = 0.0
            t = NP[jp.promote((da, False), (dv, False))[0]]
            r = np.searchsorted(a.astype(t), v.astype(t), side).astype(np.int32)
            w.case("searchsorted", [(a, False), (v, False)], [(r, False)], {"side": side})


ELLIPSIS_SPECS = [("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 4)]), ("...ij,...jk", [(1, 2, 3), (4, 3, 2)]),
                  ("...j->...", [(3, 4)]), ("i...->...", [(3, 2, 2)]), ("...", [(2, 3)]), ("ij...->ji...", [(2, 3, 2)]),
                  ("i...i", [(3, 2, 3)]), ("...,...", [(), (3,)]), ("a...,b...->ab...", [(2, 3), (4, 3)]),
                  ("ij,jk,kl,lm,mn->in", [(2, 3), (3, 4), (4, 2), (2, 5), (5, 3)])]


def gen_einsum_ellipsis(w, rng):
    """einsum's '...' and operand counts that take opt_einsum's branch search (jnp's einsum path)."""
    for i, (spec, shapes) in enumerate(ELLIPSIS_SPECS):
        for dtype in ("float64", "int32"):
            xs = [random_values(rng, dtype, s, "small") for s in shapes]
            # Integers wrap modulo 2**32 in any summation order, so NumPy's int32 einsum is exact.
            r = np.einsum(spec, *xs) if dtype == "int32" else np.einsum(spec, *[x.astype(np.float64) for x in xs])
            mag = np.einsum(spec, *[np.abs(x.astype(np.float64)) for x in xs])
            k = int(np.prod([max(s) if s else 1 for s in shapes]))
            tol = Tol(ulp=1, atol=(k + 1) * float(np.finfo(np.float64).eps) * float(np.max(mag, initial=0.0)))
            w.case("einsum", [(x, False) for x in xs], [(cast(r, dtype), False)], {"spec": spec},
                   tol if dtype == "float64" else EXACT)


def gen_interp(w, rng):
    """jnp.interp = np.interp for increasing xp (with jnp's own formula, so a
    repeated xp takes the left value where NumPy may pick either)."""
    for k in range(24):
        dt = "float64" if k % 3 else "float32"
        n = int(rng.integers(1, 7))
        xp = np.sort(rng.uniform(-3, 3, n)).astype(NP[dt])
        fp = rng.standard_normal(n).astype(NP[dt])
        x = rng.uniform(-4, 4, tuple(int(d) for d in rng.integers(0, 4, int(rng.integers(0, 3))))).astype(NP[dt])
        if k % 4 == 0 and n > 0:
            x = np.concatenate([np.ravel(x), xp]).astype(NP[dt])  # the knots themselves
        # jnp computes in the operands' dtype (NumPy in float64): fp_lo + t * df
        # cancels near zero, so the error scales with |fp|, not the result.
        scale = float(np.max(np.abs(fp))) * 16 * float(np.finfo(NP[dt]).eps)
        tol = Tol(ulp=8, atol=scale)
        w.case("interp", [(x, False), (xp, False), (fp, False)], [(np.interp(x, xp, fp).astype(NP[dt]), False)], {}, tol)


def generate(w, rng):
    gen_var_std(w, rng)
    gen_average(w, rng)
    gen_quantiles(w, rng)
    gen_cov(w, rng)
    gen_polyval(w, rng)
    gen_triangles(w, rng)
    gen_rearranging(w, rng)
    gen_sorting(w, rng)
    gen_einsum_ellipsis(w, rng)
    gen_interp(w, rng)
