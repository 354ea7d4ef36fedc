// Every primitive Fluxion defines, by JAX's name (suffix _p as in jax.lax).
// Each is defined, with all its rules, in the family file named beside it.
#pragma once

#include <string>

#include "fluxion/primitive.hpp"

namespace fluxion::prim {

// unary_math.cpp: floating-point functions
extern const Primitive sin_p, cos_p, tan_p, tanh_p, sinh_p, cosh_p, asin_p, acos_p, atan_p,
    exp_p, expm1_p, log_p, log1p_p, sqrt_p;
// arithmetic.cpp
extern const Primitive add_any_p;  // the sum of tangents (JAX's ad_util.add_any)
extern const Primitive add_p, sub_p, mul_p, div_p, rem_p, max_p, min_p, pow_p, atan2_p;
extern const Primitive neg_p, abs_p, sign_p, floor_p, ceil_p, round_p, square_p, integer_pow_p;
extern const Primitive and_p, or_p, xor_p, not_p;
// comparison.cpp
extern const Primitive eq_p, ne_p, lt_p, le_p, gt_p, ge_p, is_finite_p;
// reductions.cpp
extern const Primitive reduce_sum_p, reduce_prod_p, reduce_max_p, reduce_min_p, reduce_and_p,
    reduce_or_p;
// structural.cpp
extern const Primitive broadcast_in_dim_p, reshape_p, transpose_p, squeeze_p, concatenate_p,
    slice_p;
extern const Primitive pad_p, rev_p, dynamic_slice_p, dynamic_update_slice_p;
// gather and the scatter family: primitives/gather_scatter.hpp
// dot_general.cpp, select_n.cpp, convert_element_type.cpp, iota.cpp (one each)
extern const Primitive dot_general_p, select_n_p, convert_element_type_p, iota_p;
// stop_gradient.cpp
extern const Primitive stop_gradient_p;
// bitwise.cpp: shifts (XLA semantics for amounts >= the bit width) and bit casts
extern const Primitive shift_left_p, shift_right_logical_p, shift_right_arithmetic_p, bitcast_convert_type_p;
// prng.cpp: the Threefry-2x32 hash and the partitionable scheme's counters
extern const Primitive threefry2x32_p, iota_2x32_shape_p;
// special.cpp
extern const Primitive erf_inv_p;
// clamp.cpp: clamp(min, operand, max), min and max 0-d or of the operand's shape
extern const Primitive clamp_p;
// sort.cpp (jax.lax.sort; sort_key_val is sort with num_keys=1)
extern const Primitive sort_p;
// pjit.cpp: a call of a jitted function (params `jaxpr`: the program, a
// JaxprParam; `name`: the function's name), as JAX's pjit_p
extern const Primitive pjit_p;
// cond.cpp: JAX's cond (operands: a 0-d int32 index, then the branches'
// operands; param `branches`, a JaxprParams); the helpers read and build its params.
extern const Primitive cond_p;
const JaxprParams& cond_branches(const Params& params);
Params cond_params(JaxprParams branches);
// while_loop.cpp: JAX's while (operands: cond constants, body constants, the
// initial carry; params body_jaxpr, body_nconsts, cond_jaxpr, cond_nconsts).
extern const Primitive while_p;
Params while_params(JaxprParam cond_jaxpr, int64_t cond_nconsts, JaxprParam body_jaxpr, int64_t body_nconsts);
// scan.cpp: JAX's scan (operands: constants, initial carry, xs; params
// _split_transpose, jaxpr, length, linear, num_carry, num_consts, reverse, unroll).
extern const Primitive scan_p;
Params scan_params(JaxprParam jaxpr, int64_t length, bool reverse, int64_t num_consts, int64_t num_carry,
                   std::vector<bool> linear);

// custom_derivatives.cpp: functions with the user's derivative rule, as JAX's
// custom_jvp_call, custom_vjp_call and custom_lin (operands: the captured
// constants, then the arguments; custom_lin's: residuals, then tangents).
extern const Primitive custom_jvp_call_p, custom_vjp_call_p, custom_lin_p;
Params custom_jvp_call_params(std::string name, JaxprParam call_jaxpr, FunctionParam jvp, size_t num_consts);
Params custom_vjp_call_params(std::string name, JaxprParam call_jaxpr, FunctionParam fwd, FunctionParam bwd,
                              size_t num_consts);
Params custom_lin_params(FunctionParam bwd, int64_t num_res, std::vector<bool> in_zeros);

}  // namespace fluxion::prim
