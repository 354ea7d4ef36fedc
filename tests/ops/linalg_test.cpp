// Tests of fx::linalg: values against identities (A = L L^T, Q R, U S V^T, ...), NaNs and errors on singular or indefinite input, derivatives by JAX's rules against finite differences, batch dimensions.
#include <gtest/gtest.h>

#include "fluxion/fluxion.hpp"
