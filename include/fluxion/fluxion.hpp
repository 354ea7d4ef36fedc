/// @file
/// Fluxion: JAX's composable function transformations for C++.
/// Umbrella header; `namespace fx = fluxion;` is the customary alias.
#pragma once

#include "fluxion/array.hpp"
#include "fluxion/check_grads.hpp"
#include "fluxion/control_flow.hpp"
#include "fluxion/custom_derivatives.hpp"
#include "fluxion/dtype.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/jaxpr.hpp"
#include "fluxion/jet.hpp"
#include "fluxion/jit.hpp"
#include "fluxion/lax.hpp"
#include "fluxion/linalg.hpp"
#include "fluxion/nn.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/plot.hpp"
#include "fluxion/primitive.hpp"
#include "fluxion/pytree.hpp"
#include "fluxion/random.hpp"
#include "fluxion/scipy.hpp"
#include "fluxion/taylor.hpp"
#include "fluxion/transforms.hpp"
