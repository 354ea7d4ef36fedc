// Tests of indexing (x(fx::s(...), ...)), fx::at(x, i).set/add/..., take and the lax indexing functions: NumPy's and JAX's semantics, out-of-bounds modes, errors.
#include <gtest/gtest.h>

#include "fluxion/fluxion.hpp"
