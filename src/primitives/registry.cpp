// The list of all primitives. A new primitive is added here once (or to its
// family's table: primitives/special/family.cpp, primitives/linalg/family.cpp);
// the registration test then checks that it carries every rule.
#include <vector>

#include "primitives/gather_scatter.hpp"
#include "primitives/linalg/family.hpp"
#include "primitives/primitives.hpp"
#include "primitives/special/family.hpp"

namespace fluxion {

std::span<const Primitive* const> all_primitives() {
  using namespace prim;
  static const std::vector<const Primitive*> table = [] {
    std::vector<const Primitive*> all = {
      &sin_p, &cos_p, &tan_p, &tanh_p, &sinh_p, &cosh_p, &asin_p, &acos_p, &atan_p, &exp_p,
      &expm1_p, &log_p, &log1p_p, &sqrt_p,
      &add_any_p, &add_p, &sub_p, &mul_p, &div_p, &rem_p, &max_p, &min_p, &pow_p, &atan2_p,
      &neg_p, &abs_p, &sign_p, &floor_p, &ceil_p, &round_p, &square_p, &integer_pow_p,
      &and_p, &or_p, &xor_p, &not_p,
      &eq_p, &ne_p, &lt_p, &le_p, &gt_p, &ge_p, &is_finite_p,
      &reduce_sum_p, &reduce_prod_p, &reduce_max_p, &reduce_min_p, &reduce_and_p, &reduce_or_p,
      &broadcast_in_dim_p, &reshape_p, &transpose_p, &squeeze_p, &concatenate_p, &slice_p,
        &pad_p, &rev_p, &dynamic_slice_p, &dynamic_update_slice_p, &gather_p, &scatter_p, &scatter_add_p,
        &scatter_mul_p, &scatter_min_p, &scatter_max_p,
      &dot_general_p, &select_n_p, &convert_element_type_p, &iota_p, &stop_gradient_p,
      &shift_left_p, &shift_right_logical_p, &shift_right_arithmetic_p, &bitcast_convert_type_p,
      &threefry2x32_p, &iota_2x32_shape_p, &erf_inv_p, &sort_p, &pjit_p, &cond_p, &while_p, &scan_p,
      &custom_jvp_call_p, &custom_vjp_call_p, &custom_lin_p, &clamp_p,
    };
    for (std::span<const Primitive* const> family : {special_family(), linalg_family()})
      all.insert(all.end(), family.begin(), family.end());
    return all;
  }();
  return table;
}

}  // namespace fluxion
