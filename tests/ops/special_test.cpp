// Tests of the special functions, cumulative reductions and argmin/argmax, and fx::scipy and fx::nn built on them: edge values, errors, derivatives of the functions (not only the primitives).
#include <gtest/gtest.h>

#include "fluxion/fluxion.hpp"
