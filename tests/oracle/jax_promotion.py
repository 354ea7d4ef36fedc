#!/usr/bin/python3
"""JAX's dtype promotion (jnp.result_type) restricted to Fluxion's dtypes.

This is an independent re-statement of the lattice in JAX's
jax/_src/dtypes.py (_type_promotion_lattice), kept free of Fluxion's C++ so
that the oracle does not inherit the library's mistakes. Two deliberate
differences from JAX with jax_enable_x64: the weak int category resolves to
int32 (Fluxion's default int, the width of a C++ int) and the function-level
rules follow include/fluxion/dtype.hpp (to_inexact gives float64 for every
integer and bool; recent JAX gives float32 for 32-bit integers).

Run as a script it prints the Markdown table of docs/TYPE_PROMOTION.md;
`--check FILE` fails unless FILE contains exactly that table.
"""
import itertools

DTYPES = ["bool", "int32", "int64", "uint32", "uint64", "float32", "float64"]
SHORT = {"bool": "b", "int32": "i32", "int64": "i64", "uint32": "u32",
         "uint64": "u64", "float32": "f32", "float64": "f64"}

# Nodes of the lattice: the strong dtypes plus the two weak categories.
NODES = ["b", "i*", "f*", "u32", "u64", "i32", "i64", "f32", "f64"]
# x -> [y...]: each y is directly above x.
EDGES = {
    "b": ["i*"],
    "i*": ["u32", "i32"],
    "u32": ["u64", "i64"],
    "i32": ["i64"],
    "u64": ["f*"],
    "i64": ["f*"],
    "f*": ["f32"],
    "f32": ["f64"],
    "f64": [],
}
WEAK_NODE_DTYPE = {"i*": "int32", "f*": "float64"}
DEFAULT_FLOAT = "float64"
DEFAULT_INT = "int32"


def _upper(node):
    seen, todo = {node}, [node]
    while todo:
        for nxt in EDGES[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


UPPER = {n: _upper(n) for n in NODES}


def lub(nodes):
    """The least upper bound: the common ancestor whose own upper set is the
    whole common upper set (the lattice guarantees exactly one)."""
    common = frozenset(NODES)
    for n in nodes:
        common &= UPPER[n]
    least = [n for n in common if UPPER[n] == common]
    assert len(least) == 1, (nodes, least)
    return least[0]


def is_float(dtype):
    return dtype in ("float32", "float64")


def is_int(dtype):
    return dtype in ("int32", "int64", "uint32", "uint64")


def is_unsigned(dtype):
    return dtype in ("uint32", "uint64")


def node_of(dtype, weak):
    # A weak bool does not exist in JAX (Python bools are strong).
    if not weak or dtype == "bool":
        return SHORT[dtype]
    return "f*" if is_float(dtype) else "i*"


def promote(*types):
    """types: (dtype, weak) pairs. Returns the joined (dtype, weak)."""
    assert types
    if len(types) == 1:
        d, w = types[0]
        return d, (w and d != "bool")
    if all(w for _, w in types):
        # All weak: join the concrete dtypes, the result stays weak.
        n = lub([SHORT[d] for d, _ in types])
        d = _dtype_of_node(n)
        return d, d != "bool"
    n = lub([node_of(d, w) for d, w in types])
    return _dtype_of_node(n), n in WEAK_NODE_DTYPE


def _dtype_of_node(n):
    if n in WEAK_NODE_DTYPE:
        return WEAK_NODE_DTYPE[n]
    return {v: k for k, v in SHORT.items()}[n]


def to_inexact(t):
    d, w = t
    return (d, w) if is_float(d) else (DEFAULT_FLOAT, w and d != "bool")


def to_numeric(t):
    """jnp's promote_dtypes_numeric: bool becomes the default int."""
    d, w = t
    return (DEFAULT_INT, False) if d == "bool" else (d, w)


# --- the documentation table ---

TABLE_ORDER = ["b", "u32", "u64", "i32", "i64", "i*", "f32", "f64", "f*"]


def _node_type(n):
    if n == "i*":
        return ("int32", True)
    if n == "f*":
        return ("float64", True)
    return (_dtype_of_node(n), False)


def _label(t):
    d, w = t
    if w:
        return "i*" if is_int(d) else "f*"
    return SHORT[d]


def markdown_table():
    head = "| | " + " | ".join(f"**{c}**" for c in TABLE_ORDER) + " |"
    sep = "|" + "---|" * (len(TABLE_ORDER) + 1)
    rows = [head, sep]
    for r in TABLE_ORDER:
        cells = [_label(promote(_node_type(r), _node_type(c))) for c in TABLE_ORDER]
        rows.append(f"| **{r}** | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _self_check():
    # The examples the API contract spells out.
    assert promote(("float32", False), ("float64", True)) == ("float32", False)
    assert promote(("int32", False), ("float64", True)) == ("float64", True)
    assert promote(("uint64", False), ("int64", False)) == ("float64", True)
    assert promote(("int32", False), ("uint32", False)) == ("int64", False)
    assert promote(("bool", False), ("bool", False)) == ("bool", False)
    assert promote(("int32", True), ("int64", True)) == ("int64", True)
    for a, b in itertools.product(TABLE_ORDER, repeat=2):
        assert promote(_node_type(a), _node_type(b)) == promote(_node_type(b), _node_type(a))


_self_check()

if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        # The documented table must be the one this lattice gives.
        with open(sys.argv[2]) as f:
            if markdown_table() not in f.read():
                sys.exit(f"{sys.argv[2]} does not contain the table jax_promotion.py prints")
    else:
        print(markdown_table())
