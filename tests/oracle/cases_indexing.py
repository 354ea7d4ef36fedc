"""NumPy-oracle cases of indexing, functional updates and the lax slicing
functions (see gen_op_cases.py for the format).

An index expression travels as the parameter `index`: entries separated by
`;`, each `i<int>` (an integer), `s<start>:<stop>:<step>` (a slice, empty
parts omitted), `n` (newaxis), `e` (ellipsis) or `a<k>` (input k, an integer
array or a boolean mask). Array indices are in bounds (NumPy raises where JAX
clamps or drops; the C++ tests check those modes).
"""
import numpy as np

from oracle_common import NP, random_values

DTYPES = ["float64", "float32", "int32", "int64", "uint32", "bool"]


def random_slice(rng, n):
    parts = []
    for kind in ("start", "stop", "step"):
        if rng.random() < 0.35:
            parts.append(None)
        elif kind == "step":
            parts.append(int(rng.choice([1, 2, 3, -1, -2])))
        else:
            parts.append(int(rng.integers(-n - 2, n + 3)))
    return slice(*parts)


def fmt_slice(s):
    return "s" + ":".join("" if v is None else str(v) for v in (s.start, s.stop, s.step))


def random_index(rng, shape, allow_arrays=True, allow_masks=True):
    """A random NumPy index for `shape`; returns (numpy index, text, arrays)."""
    items, text, arrays = [], [], []
    rank = len(shape)
    use_ellipsis = rank > 0 and rng.random() < 0.25
    axes_left = rank
    axis = 0
    ellipsis_done = False
    while axes_left > 0 or rng.random() < 0.15:
        r = rng.random()
        if use_ellipsis and not ellipsis_done and r < 0.2:
            # The ellipsis stands for a random number of the remaining axes.
            k = int(rng.integers(0, axes_left + 1))
            items.append(Ellipsis)
            text.append("e")
            ellipsis_done = True
            axes_left -= k
            axis += k
            continue
        if axes_left == 0 or r < 0.3 and rng.random() < 0.3:
            items.append(None)
            text.append("n")
            if axes_left == 0 and rng.random() < 0.5:
                break
            continue
        n = shape[axis]
        r = rng.random()
        if r < 0.3 and n > 0:
            i = int(rng.integers(-n, n))
            items.append(i)
            text.append(f"i{i}")
        elif allow_arrays and r < 0.5 and n > 0:
            ishape = tuple(int(d) for d in rng.integers(0, 4, int(rng.integers(0, 3))))
            dt = rng.choice(["int32", "int64", "uint32"])
            lo = 0 if dt == "uint32" else -n
            a = rng.integers(lo, n, ishape).astype(NP[dt])
            items.append(a)
            arrays.append(a)
            text.append(f"a{len(arrays)}")
        elif allow_masks and r < 0.58:
            m = rng.random(n) < 0.5
            items.append(m)
            arrays.append(m)
            text.append(f"a{len(arrays)}")
        else:
            s = random_slice(rng, n)
            items.append(s)
            text.append(fmt_slice(s))
        axes_left -= 1
        axis += 1
        if axes_left > 0 and rng.random() < 0.25:
            break  # trailing axes implicit
    return tuple(items), ";".join(text) if text else "-", arrays


def shapes(rng):
    return [tuple(int(d) for d in rng.integers(0 if k % 7 == 0 else 1, 5, int(rng.integers(0, 4)))) for k in range(60)]


def ufunc_at(op, x, idx, v):
    out = x.copy()
    op.at(out, idx, v)
    return out


def gen_index(w, rng):
    for k, shape in enumerate(shapes(rng)):
        dt = DTYPES[k % len(DTYPES)]
        x = random_values(rng, dt, shape, "small")
        idx, text, arrays = random_index(rng, shape)
        try:
            y = x[idx]
        except IndexError:
            continue
        w.case("indexing", [(x, False)] + [(a, False) for a in arrays], [(np.asarray(y), False)], {"index": text})


def gen_updates(w, rng):
    ops = {"at_set": None, "at_add": np.add, "at_multiply": np.multiply, "at_min": np.minimum,
           "at_max": np.maximum}
    for k, shape in enumerate(shapes(rng) * 2):
        name = list(ops)[k % len(ops)]
        dt = ["float64", "float32", "int32", "int64"][k % 4]
        x = random_values(rng, dt, shape, "small")
        idx, text, arrays = random_index(rng, shape, allow_masks=name == "at_set")
        try:
            target = x[idx]
        except IndexError:
            continue
        vshape = np.shape(target)
        if rng.random() < 0.3 and len(vshape) > 0:
            vshape = vshape[1:]  # values broadcast
        v = random_values(rng, dt, vshape, "small")
        if name == "at_set":
            out = x.copy()
            out[idx] = v
            # NumPy assigns repeated positions in order; Fluxion's last write
            # wins too, but JAX leaves it open: only cases without repeats.
            probe = np.zeros(x.shape, dtype=np.int64)
            np.add.at(probe, idx, 1)
            if probe.max(initial=0) > 1:
                continue
        else:
            out = ufunc_at(ops[name], x, idx, v)
        w.case(name, [(x, False), (v, False)] + [(a, False) for a in arrays], [(out, False)], {"index": text})


def gen_take(w, rng):
    for k in range(30):
        shape = tuple(int(d) for d in rng.integers(1, 5, int(rng.integers(1, 4))))
        dt = DTYPES[k % len(DTYPES)]
        x = random_values(rng, dt, shape, "small")
        axis = None if k % 4 == 0 else int(rng.integers(-len(shape), len(shape)))
        n = x.size if axis is None else shape[axis]
        ishape = tuple(int(d) for d in rng.integers(0, 4, int(rng.integers(0, 3))))
        ind = rng.integers(-n, n, ishape).astype(np.int32)
        w.case("take", [(x, False), (ind, False)], [(np.take(x, ind, axis=axis), False)],
               {"axis": "none" if axis is None else axis})
    for k in range(24):
        shape = tuple(int(d) for d in rng.integers(1, 5, int(rng.integers(1, 4))))
        dt = DTYPES[k % len(DTYPES)]
        x = random_values(rng, dt, shape, "small")
        axis = int(rng.integers(-len(shape), len(shape)))
        ishape = list(shape)
        ishape[axis] = int(rng.integers(0, 5))
        for d in range(len(shape)):
            if d != axis % len(shape) and rng.random() < 0.3:
                ishape[d] = 1
        ind = rng.integers(0, shape[axis], ishape).astype(np.int64)
        if rng.random() < 0.5:
            ind = np.argsort(random_values(rng, "float64", shape, "mixed"), axis=axis)
        w.case("take_along_axis", [(x, False), (ind, False)], [(np.take_along_axis(x, ind, axis), False)],
               {"axis": axis})


def gen_lax(w, rng):
    for k in range(24):
        shape = tuple(int(d) for d in rng.integers(0 if k % 5 == 0 else 1, 5, int(rng.integers(0, 4))))
        dt = DTYPES[k % len(DTYPES)]
        x = random_values(rng, dt, shape, "small")
        axes = [d for d in range(len(shape)) if rng.random() < 0.6]
        w.case("flip", [(x, False)], [(np.flip(x, axes) if axes else np.flip(x), False)],
               {"axes": "[" + ",".join(map(str, axes)) + "]"})
    for k in range(30):
        shape = tuple(int(d) for d in rng.integers(0 if k % 6 == 0 else 1, 5, int(rng.integers(0, 4))))
        dt = DTYPES[k % len(DTYPES)]
        x = random_values(rng, dt, shape, "small")
        value = random_values(rng, dt, (), "small")
        config = []
        for n in shape:
            lo, hi = (int(v) for v in rng.integers(-1 if n > 1 else 0, 3, 2))
            config.append((lo, hi, int(rng.integers(0, 3))))
        out = lax_pad(x, value, config)
        w.case("pad", [(x, False), (value, False)], [(out, False)],
               {"config": "[" + ",".join(f"{a}:{b}:{c}" for a, b, c in config) + "]"})
    for k in range(30):
        shape = tuple(int(d) for d in rng.integers(1, 6, int(rng.integers(1, 4))))
        dt = DTYPES[k % len(DTYPES)]
        x = random_values(rng, dt, shape, "small")
        sizes = [int(rng.integers(0, n + 1)) for n in shape]
        starts = [int(rng.integers(-n - 3, n + 3)) for n in shape]
        # lax.dynamic_slice: negative starts count from the end, then clamp.
        clamped = [min(max(s + n if s < 0 else s, 0), n - z) for s, n, z in zip(starts, shape, sizes)]
        sl = tuple(slice(c, c + z) for c, z in zip(clamped, sizes))
        ins = [(np.array(s, dtype=np.int32), False) for s in starts]
        w.case("dynamic_slice", [(x, False)] + ins, [(x[sl], False)],
               {"sizes": "[" + ",".join(map(str, sizes)) + "]"})
        u = random_values(rng, dt, tuple(sizes), "small")
        out = x.copy()
        out[sl] = u
        w.case("dynamic_update_slice", [(x, False), (u, False)] + ins, [(out, False)])


def lax_pad(x, value, config):
    """lax.pad with NumPy: interior padding, then edges (negative crops)."""
    out = x
    for d, (lo, hi, interior) in enumerate(config):
        n = out.shape[d]
        size = n + max(n - 1, 0) * interior
        shape = list(out.shape)
        shape[d] = size
        spread = np.full(shape, value, dtype=x.dtype)
        index = [slice(None)] * out.ndim
        index[d] = slice(0, size, interior + 1)
        spread[tuple(index)] = out
        pad_shape_lo = list(shape)
        pad_shape_lo[d] = max(lo, 0)
        pad_shape_hi = list(shape)
        pad_shape_hi[d] = max(hi, 0)
        out = np.concatenate([np.full(pad_shape_lo, value, dtype=x.dtype), spread,
                              np.full(pad_shape_hi, value, dtype=x.dtype)], axis=d)
        index = [slice(None)] * out.ndim
        index[d] = slice(-lo if lo < 0 else 0, out.shape[d] + hi if hi < 0 else out.shape[d])
        out = out[tuple(index)]
    return out


def generate(w, rng):
    gen_index(w, rng)
    gen_updates(w, rng)
    gen_take(w, rng)
    gen_lax(w, rng)
