// Tests of the jnp functions built from existing primitives: edge cases, errors and derivatives.
#include <gtest/gtest.h>

#include "fluxion/fluxion.hpp"
