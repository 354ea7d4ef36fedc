"""NumPy-oracle cases of the jnp functions built from existing primitives (see gen_op_cases.py for the format)."""


def generate(w, rng):
    del w, rng
