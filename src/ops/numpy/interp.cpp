// jnp.interp: searchsorted finds each point's interval, take reads its ends,
// and the line through them is evaluated, with jnp's guard against a
// zero-width interval (which would make the gradient NaN).
#include <cmath>
#include <limits>

#include "fluxion/errors.hpp"
#include "fluxion/indexing.hpp"
#include "ops/internal.hpp"

namespace fluxion {

Array interp(const Array& x_in, const Array& xp_in, const Array& fp_in, const std::optional<Array>& left,
             const std::optional<Array>& right) {
  if (xp_in.ndim() != 1 || fp_in.ndim() != 1 || xp_in.shape()[0] != fp_in.shape()[0] || xp_in.shape()[0] == 0)
    throw ShapeError("interp: xp and fp must be one-dimensional arrays of equal, nonzero size, got shapes " +
                     shape_to_string(xp_in.shape()) + " and " + shape_to_string(fp_in.shape()));
  const auto xs = detail::promote_dtypes_inexact({x_in, xp_in});
  const Array &x = xs[0], &xp = xs[1];
  const Array fp = detail::promote_dtypes_inexact({fp_in})[0];
  const int64_t n = xp.shape()[0];
  const Array i = clip(searchsorted(xp, x, "right"), 1, n - 1);
  const Array below = subtract(i, 1);
  const Array fp_lo = take(fp, below, 0, {.mode = "clip"}), fp_hi = take(fp, i, 0, {.mode = "clip"});
  const Array xp_lo = take(xp, below, 0, {.mode = "clip"}), xp_hi = take(xp, i, 0, {.mode = "clip"});
  const Array df = fp_hi - fp_lo, dx = xp_hi - xp_lo, delta = x - xp_lo;
  // jnp's epsilon: the spacing of eps, the smallest gap worth dividing by.
  const double eps = xp.dtype() == DType::float32 ? std::nextafter(std::numeric_limits<float>::epsilon(), 1.0f) -
                                                        std::numeric_limits<float>::epsilon()
                                                  : std::nextafter(std::numeric_limits<double>::epsilon(), 1.0) -
                                                        std::numeric_limits<double>::epsilon();
  const Array dx0 = less_equal(abs(dx), eps);
  Array f = where(dx0, fp_lo, fp_lo + (delta / where(dx0, 1.0, dx)) * df);
  f = where(less(x, xp(0)), left ? *left : fp(0), f);
  return where(greater(x, xp(-1)), right ? *right : fp(-1), f);
}

}  // namespace fluxion
