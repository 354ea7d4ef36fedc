// The tour's last chapter: how fast, measured in the same run against
// hand-written C++ loops that compute the same numbers. A gradient of Ackley's
// function in 1000 dimensions, and f′ and f″ of the rational-function chapter
// on 10⁶ points through vmap, each eager and under fx::jit. Nothing here
// asserts a time: timings depend on the machine and on what else it runs.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;
using demo::duration;
using demo::fixed;

namespace {

// ---- the hand-written yardsticks: what a C++ programmer writes without AD.

// ∂f/∂xᵢ of Ackley's function = p·xᵢ + q·sin(2πxᵢ), with r = √(Σx²/n),
// p = 20·0.2·e^(−0.2·r)/(n·r) and q = 2π·e^(Σcos(2πx)/n)/n.
void hand_ackley_gradient(const std::vector<double>& x, std::vector<double>& g) {
  const double c = 2 * fx::pi, n = static_cast<double>(x.size());
  double sq = 0, cs = 0;
  for (double v : x) {
    sq += v * v;
    cs += std::cos(c * v);
  }
  const double r = std::sqrt(sq / n), p = 20.0 * 0.2 * std::exp(-0.2 * r) / (n * r), q = c * std::exp(cs / n) / n;
  for (size_t i = 0; i < x.size(); ++i) g[i] = p * x[i] + q * std::sin(c * x[i]);
}

// A degree-5 polynomial with coefficients c and its first two derivatives at
// x, by Horner's rule.
struct Poly {
  double v, d1, d2;
};
Poly hand_horner(const double (&c)[6], double x) {
  Poly p{c[5], 0.0, 0.0};
  for (int i = 4; i >= 0; --i) {
    p.d2 = p.d2 * x + 2.0 * p.d1;
    p.d1 = p.d1 * x + p.v;
    p.v = p.v * x + c[i];
  }
  return p;
}

// The coefficients in local arrays, where the compiler keeps them in registers.
struct Coefficients {
  double a[6], b[6];
  Coefficients() {
    std::copy(seeds::kAlpha.begin(), seeds::kAlpha.end(), a);
    std::copy(seeds::kBeta.begin(), seeds::kBeta.end(), b);
  }
};

// f′ of f = P/D, D = 1 + Q²: (P′D − PD′)/D², D′ = 2QQ′.
void hand_rational_d1(const std::vector<double>& x, std::vector<double>& out) {
  const Coefficients c;
  for (size_t i = 0; i < x.size(); ++i) {
    const Poly P = hand_horner(c.a, x[i]), Q = hand_horner(c.b, x[i]);
    const double D = 1.0 + Q.v * Q.v, D1 = 2.0 * Q.v * Q.d1;
    out[i] = (P.d1 * D - P.v * D1) / (D * D);
  }
}

// f″ = (P″D − PD″)/D² − 2D′(P′D − PD′)/D³, D″ = 2(Q′² + QQ″).
void hand_rational_d2(const std::vector<double>& x, std::vector<double>& out) {
  const Coefficients c;
  for (size_t i = 0; i < x.size(); ++i) {
    const Poly P = hand_horner(c.a, x[i]), Q = hand_horner(c.b, x[i]);
    const double D = 1.0 + Q.v * Q.v, D1 = 2.0 * Q.v * Q.d1, D2 = 2.0 * (Q.d1 * Q.d1 + Q.v * Q.d2);
    const double inv = 1.0 / D, num1 = P.d1 * D - P.v * D1;
    out[i] = (P.d2 * D - P.v * D2) * inv * inv - 2.0 * D1 * num1 * inv * inv * inv;
  }
}

// The rational function in Horner's form, written with Fluxion: the same
// f as seeds::rational_function, with multiplications and additions in
// place of float_power.
fx::Array rational_horner(const fx::Array& x, const fx::Array& alpha, const fx::Array& beta) {
  fx::Array p = alpha[5], q = beta[5];
  for (int64_t i = 4; i >= 0; --i) {
    p = p * x + alpha[i];
    q = q * x + beta[i];
  }
  return p / (1.0 + q * q);
}

// The largest |a − b| over the elements, relative to the largest |b|.
std::string relative_difference(const fx::Array& a, const std::vector<double>& b) {
  const std::vector<double> av = a.to_vector<double>();
  double diff = 0, scale = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    diff = std::max(diff, std::abs(av[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return demo::sci(diff / scale, 1);
}

// "3.2× slower" or "1.5× faster" than the hand-written time.
std::string against(double seconds, double hand) {
  const double r = seconds >= hand ? seconds / hand : hand / seconds;
  if (r < 1.05) return "the same";
  return fixed(r, r < 10 ? 1 : 0) + (seconds >= hand ? "× slower" : "× faster");
}

// What the comparison says, in words, for the notice under a table.
std::string verdict(const std::string& what, double seconds, double hand) {
  return what + (seconds < hand ? " beats" : " is slower than") + " the hand-written loop here (" +
         against(seconds, hand) + ")";
}

}  // namespace

int main() {
  demo::banner("SPEED",
               "Each Fluxion result below is timed against a hand-written C++ loop that computes the same numbers, "
               "in this same run. Every time is the best of several runs; the machine may be shared with other work, "
               "so times vary from run to run.");
  const char* threads = std::getenv("OMP_NUM_THREADS");
  const std::string jit_threads = threads ? threads : std::to_string(std::thread::hardware_concurrency());
  demo::say("This machine has " + std::to_string(std::thread::hardware_concurrency()) +
            " hardware threads. The hand-written loops use one; a compiled (jit) loop with more than 2·10⁶ "
            "element operations runs on OpenMP threads (OMP_NUM_THREADS" +
            (threads ? std::string(" = ") + threads : std::string(", unset: all of them")) + ").");

  demo::section("The gradient of Ackley's function in n = 1000 dimensions");
  demo::say("f(x) = −20·exp(−0.2·√(‖x‖²/n)) − exp(Σᵢcos(2πxᵢ)/n) + 20 + e, as in the Taylor-error chapter; "
            "hand_ackley_gradient (examples/speed.cpp) is its gradient derived by hand: "
            "∂f/∂xᵢ = p·xᵢ + q·sin(2πxᵢ) with two sums over x.");
  CODE(const fx::Array x = fx::random::uniform(fx::random::key(1), {1000}, fx::float64, -2.0, 2.0));
  CODE(const auto grad_f = fx::grad(seeds::ackley));
  CODE(const auto jit_grad_f = fx::jit(grad_f));
  const std::vector<double> xv = x.to_vector<double>();
  std::vector<double> hand(xv.size());
  fx::Array eager, compiled;
  const double first_call_grad = demo::once_seconds([&] { compiled = jit_grad_f(x); });
  const double t_hand = demo::best_seconds([&] { hand_ackley_gradient(xv, hand); });
  const double t_eager = demo::best_seconds([&] { eager = grad_f(x); });
  const double t_jit = demo::best_seconds([&] { compiled = jit_grad_f(x); });
  demo::Table gradient({"C++", "time per gradient", "vs hand-written", "max relative difference"});
  gradient.row({"hand_ackley_gradient(xv, g)", duration(t_hand), "", "(reference)"});
  gradient.row({"grad_f(x)", duration(t_eager), against(t_eager, t_hand), relative_difference(eager, hand)});
  gradient.row({"jit_grad_f(x)", duration(t_jit), against(t_jit, t_hand), relative_difference(compiled, hand)});
  gradient.print();
  demo::say("The first call of jit_grad_f traced grad_f and compiled it with the system C++ compiler, or loaded "
            "it from the disk cache of an earlier run: " + duration(first_call_grad) + ", paid once per argument shape.");
  demo::notice(verdict("jit_grad_f", t_jit, t_hand) + ": grad_f records the function's operations on every "
               "call, jit_grad_f runs the compiled gradient without recording; both compute sin and cos with "
               "vectorized (SLEEF) kernels, where the hand-written loop calls the C library's scalar ones.");

  demo::section("f′ and f″ of the rational function on 10⁶ points, through vmap");
  demo::say("f(x) = P(x)/(1 + Q(x)²) of the rational-function chapter, twice: as the write-up writes it, "
            "P(x) = Σᵢ αᵢ·float_power(x, i) (seeds::rational_function), and in Horner's form, "
            "P(x) = (…(α₅·x + α₄)·x + …)·x + α₀ (rational_horner, examples/speed.cpp). hand_rational_d1 and "
            "hand_rational_d2 use Horner's rule and the quotient rule by hand.");
  CODE(const fx::Array alpha = fx::array(seeds::kAlpha, {6}), beta = fx::array(seeds::kBeta, {6}));
  CODE(const fx::Array xs = fx::linspace(-9.5, 9.5, 1000000));
  CODE(const fx::MapAxes over_x = {0, fx::none, fx::none});
  CODE(const auto d1 = fx::vmap(fx::grad(seeds::rational_function), over_x));
  CODE(const auto d2 = fx::vmap(fx::grad(fx::grad(seeds::rational_function)), over_x));
  CODE(const auto h1 = fx::vmap(fx::grad(rational_horner), over_x));
  CODE(const auto h2 = fx::vmap(fx::grad(fx::grad(rational_horner)), over_x));
  CODE(const auto jit_d1 = fx::jit(d1));
  CODE(const auto jit_d2 = fx::jit(d2));
  CODE(const auto jit_h1 = fx::jit(h1));
  CODE(const auto jit_h2 = fx::jit(h2));
  const std::vector<double> xsv = xs.to_vector<double>();
  std::vector<double> hand1(xsv.size()), hand2(xsv.size());
  fx::Array e1, e2, j1, j2, eh1, eh2, jh1, jh2;
  double first_call[4];
  first_call[0] = demo::once_seconds([&] { j1 = jit_d1(xs, alpha, beta); });
  first_call[1] = demo::once_seconds([&] { j2 = jit_d2(xs, alpha, beta); });
  first_call[2] = demo::once_seconds([&] { jh1 = jit_h1(xs, alpha, beta); });
  first_call[3] = demo::once_seconds([&] { jh2 = jit_h2(xs, alpha, beta); });
  const double t_hand1 = demo::best_seconds([&] { hand_rational_d1(xsv, hand1); });
  const double t_hand2 = demo::best_seconds([&] { hand_rational_d2(xsv, hand2); });
  const double t_e1 = demo::best_seconds([&] { e1 = d1(xs, alpha, beta); });
  const double t_e2 = demo::best_seconds([&] { e2 = d2(xs, alpha, beta); });
  const double t_j1 = demo::best_seconds([&] { j1 = jit_d1(xs, alpha, beta); });
  const double t_j2 = demo::best_seconds([&] { j2 = jit_d2(xs, alpha, beta); });
  const double t_eh1 = demo::best_seconds([&] { eh1 = h1(xs, alpha, beta); });
  const double t_eh2 = demo::best_seconds([&] { eh2 = h2(xs, alpha, beta); });
  const double t_jh1 = demo::best_seconds([&] { jh1 = jit_h1(xs, alpha, beta); });
  const double t_jh2 = demo::best_seconds([&] { jh2 = jit_h2(xs, alpha, beta); });
  demo::Table batch({"C++", "time per call", "vs hand-written", "max relative difference"});
  auto add = [&](const char* code, double t, double hand_t, const fx::Array& v, const std::vector<double>& h) {
    batch.row({code, duration(t), against(t, hand_t), relative_difference(v, h)});
  };
  batch.row({"hand_rational_d1(xsv, out)", duration(t_hand1), "", "(reference)"});
  add("d1(xs, alpha, beta)", t_e1, t_hand1, e1, hand1);
  add("jit_d1(xs, alpha, beta)", t_j1, t_hand1, j1, hand1);
  add("h1(xs, alpha, beta)", t_eh1, t_hand1, eh1, hand1);
  add("jit_h1(xs, alpha, beta)", t_jh1, t_hand1, jh1, hand1);
  batch.row({"hand_rational_d2(xsv, out)", duration(t_hand2), "", "(reference)"});
  add("d2(xs, alpha, beta)", t_e2, t_hand2, e2, hand2);
  add("jit_d2(xs, alpha, beta)", t_j2, t_hand2, j2, hand2);
  add("h2(xs, alpha, beta)", t_eh2, t_hand2, eh2, hand2);
  add("jit_h2(xs, alpha, beta)", t_jh2, t_hand2, jh2, hand2);
  batch.print();
  demo::say("With 10⁶ points, a millisecond per call is a nanosecond per point. First calls of jit_d1, jit_d2, "
            "jit_h1 and jit_h2 (trace, then compile or load from the disk cache): " + duration(first_call[0]) + ", " +
            duration(first_call[1]) + ", " + duration(first_call[2]) + " and " + duration(first_call[3]) + ".");
  SHOW(fx::max(fx::abs(jit_d1(xs, alpha, beta) - d1(xs, alpha, beta))));
  SHOW(fx::max(fx::abs(jit_d2(xs, alpha, beta) - d2(xs, alpha, beta))));
  demo::notice("how f is written matters more than anything else here: each float_power term is a pow call "
               "and its derivative another, while Horner's form is multiplications and additions; in that "
               "form " + verdict("jit_h1", t_jh1, t_hand1) + ", with its loop on " + jit_threads +
               " thread(s) against the hand-written loop's one. jit and eager vmap give the same bits, and "
               "differ from the hand-written loop by rounding.");
  return 0;
}
