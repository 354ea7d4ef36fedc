"""NumPy-oracle cases of the indexing family (see gen_op_cases.py for the format)."""


def generate(w, rng):
    del w, rng
