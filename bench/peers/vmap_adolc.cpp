// ADOL-C (libadolc-dev) per point: f is taped once (it has no branches, so
// one tape serves every x) and each point is a forward sweep of that tape:
// fos_forward for f', hos_forward of degree 2 for f'' (Taylor coefficients:
// f'' = 2 y_2 with the input path x + t). Re-taping per point would add the
// recording to every point; this is ADOL-C at its best for this task.
#include <adolc/adolc.h>

#include <vector>

#include "../rational.hpp"

namespace rational {
namespace {

// Tags of their own: autodiff_bench's ADOL-C tapes use 1, 2, ... in another
// program, but keep clear of them anyway.
constexpr short kTag = 101;

void record() {
  static bool done = false;
  if (done) return;
  done = true;
  trace_on(kTag);
  adouble ax;
  ax <<= 0.5;
  adouble y = f_generic<adouble>(ax);
  double out;
  y >>= out;
  trace_off();
}

void d1_adolc(const std::vector<double>& x, std::vector<double>& out) {
  for (size_t i = 0; i < x.size(); ++i) {
    double xi = x[i], dx = 1.0, y, dy;
    fos_forward(kTag, 1, 1, 0, &xi, &dx, &y, &dy);
    out[i] = dy;
  }
}

void d2_adolc(const std::vector<double>& x, std::vector<double>& out) {
  double X1[2] = {1.0, 0.0}, Y1[2];
  double* X[1] = {X1};
  double* Y[1] = {Y1};
  for (size_t i = 0; i < x.size(); ++i) {
    double xi = x[i], y;
    hos_forward(kTag, 1, 1, 2, 0, &xi, X, &y, Y);
    out[i] = 2.0 * Y1[1];
  }
}

}  // namespace

void register_adolc() { add_point_loops("adolc_reuse", &d1_adolc, &d2_adolc, &record); }

}  // namespace rational
