// plot: the seeds' kinds of figure for any formula, drawn by fx::plot
// (gnuplot): a function with its derivatives, its Taylor polynomials, the
// error of a Taylor polynomial against the step on log axes, and a surface
// in two variables with its Taylor approximations.
#include <fluxion/plot.hpp>
#include <fluxion/taylor.hpp>

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "commands.hpp"

namespace fluxion_calc {

namespace {

struct Range {
  double start, stop;
  int count;
};

double number_in(const std::string& text, const std::string& option) {
  try {
    return evaluate_constant(text);
  } catch (const ParseError& e) {
    throw UsageError(describe(ParseError("--" + option + ": " + e.message(), e.column()), text));
  }
}

// "a:b" or "a:b:n" (n points, both ends included).
Range parse_range(const std::string& text, int default_count) {
  const size_t first = text.find(':');
  if (first == std::string::npos)
    throw UsageError("error: --range takes start:stop or start:stop:points, as in -3:3, not '" + text + "'");
  const size_t second = text.find(':', first + 1);
  Range r{number_in(text.substr(0, first), "range"),
          number_in(text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1), "range"),
          default_count};
  if (second != std::string::npos) {
    const std::string count = text.substr(second + 1);
    char* end = nullptr;
    const long n = std::strtol(count.c_str(), &end, 10);
    if (count.empty() || *end != '\0' || n < 2 || n > 20000)
      throw UsageError("error: --range: the number of points must be from 2 to 20000, not '" + count + "'");
    r.count = static_cast<int>(n);
  }
  if (!(r.start < r.stop)) throw UsageError("error: --range " + text + ": the start must be below the stop");
  return r;
}

// One range per variable: "a:b" for all, or "x=a:b,y=c:d".
std::vector<Range> parse_ranges(const Args& args, const std::vector<std::string>& variables, int default_count) {
  if (!args.has("range"))
    throw UsageError("error: plot needs the range of the variable" + std::string(variables.size() > 1 ? "s" : "") +
                     ": --range -3:3" + (variables.size() > 1 ? " (or " + variables[0] + "=-3:3," + variables[1] + "=0:4)" : ""));
  const std::string text = args.get("range");
  if (text.find('=') == std::string::npos) return std::vector<Range>(variables.size(), parse_range(text, default_count));
  std::vector<Range> ranges(variables.size());
  std::vector<bool> given(variables.size(), false);
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string part = text.substr(start, comma - start);
    const size_t equals = part.find('=');
    const auto it = std::find(variables.begin(), variables.end(), part.substr(0, equals));
    if (equals == std::string::npos || it == variables.end())
      throw UsageError("error: --range: '" + part + "' is not variable=start:stop");
    ranges[static_cast<size_t>(it - variables.begin())] = parse_range(part.substr(equals + 1), default_count);
    given[static_cast<size_t>(it - variables.begin())] = true;
    start = comma + 1;
  }
  for (size_t i = 0; i < variables.size(); ++i)
    if (!given[i]) throw UsageError("error: --range gives no range for " + variables[i]);
  return ranges;
}

// "POINT:1,2,5": the expansion point and the degrees, split at the last ':'.
std::pair<std::string, std::vector<int>> parse_taylor(const std::string& text, const std::string& option) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    throw UsageError("error: --" + option + " takes POINT:DEGREES, as in 0:1,2,5, not '" + text + "'");
  std::vector<int> degrees;
  const std::string list = text.substr(colon + 1);
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string d = list.substr(start, comma - start);
    char* end = nullptr;
    const long n = std::strtol(d.c_str(), &end, 10);
    if (d.empty() || *end != '\0' || n < 0 || n > 30)
      throw UsageError("error: --" + option + ": the degrees are whole numbers from 0 to 30, not '" + d + "'");
    degrees.push_back(static_cast<int>(n));
    start = comma + 1;
  }
  return {text.substr(0, colon), degrees};
}

std::vector<double> grid(const Range& r) {
  std::vector<double> x(static_cast<size_t>(r.count));
  for (int i = 0; i < r.count; ++i) x[static_cast<size_t>(i)] = r.start + (r.stop - r.start) * i / (r.count - 1);
  return x;
}

int run_plot(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args);
  const Style style(args);
  const std::string output = args.get("output", "plot.png");
  const int kinds = args.has("derivatives") + args.has("taylor") + args.has("errors");
  if (kinds > 1) throw UsageError("error: plot draws one kind of figure: --derivatives, --taylor or --errors");
  const Formula& f = p.formulas[0];
  const std::vector<std::string>& vars = p.variables;
  fx::plot::Figure figure;
  if (vars.size() == 1) {
    const fx::plot::Function1 fn = [&](fx::Array x) { return f.evaluate(vars, {x}); };
    if (args.has("errors")) {
      // Seed 000's figure: |T_N(X + h) - f(X + h)| against h on log-log axes,
      // beside the slope N + 1 that Taylor's theorem predicts.
      const auto [point, degrees] = parse_taylor(args.get("errors"), "errors");
      if (degrees.size() != 1) throw UsageError("error: --errors takes one degree: POINT:N, as in 0:2");
      const double x0 = parse_point(point, vars, "errors")[0];
      const fx::taylor::ErrorScaling e = fx::taylor::error_scaling(
          fn, fx::Array(x0).astype(fx::float64), degrees[0], fx::logspace(-0.5, -4, 15));
      figure = fx::plot::error_scaling(e.scales, e.errors, {"|T" + std::to_string(degrees[0]) + " - f|", degrees[0] + 1});
      figure.title("Error of the degree-" + std::to_string(degrees[0]) + " Taylor polynomial of " + p.text + " at " +
                   vars[0] + " = " + point);
    } else {
      const Range r = parse_ranges(args, vars, 400)[0];
      const std::vector<double> xs = grid(r);
      if (args.has("taylor")) {
        const auto [point, degrees] = parse_taylor(args.get("taylor"), "taylor");
        const double x0 = parse_point(point, vars, "taylor")[0];
        figure = fx::plot::taylor_polynomials(fn, x0, xs, degrees, {p.text, true});
        figure.title("Taylor polynomials of " + p.text + " around " + vars[0] + " = " + point);
      } else {
        const int order = args.get_int("derivatives", 0, 0, 20);
        figure = fx::plot::derivatives(fn, xs, order, {"f", 0, args.has("normalize")});
        figure.title(order == 0 ? "f(" + vars[0] + ") = " + p.text
                                : "f(" + vars[0] + ") = " + p.text + " and its derivatives up to " + style.derivative(order));
      }
      figure.xlabel(vars[0]);
    }
  } else if (vars.size() == 2) {
    if (args.has("derivatives") || args.has("errors"))
      throw UsageError("error: a formula in two variables is drawn as a surface: --range, and --taylor x=1,y=2:1,2 for its Taylor approximations");
    const std::vector<Range> ranges = parse_ranges(args, vars, 40);
    const std::vector<double> xs = grid(ranges[0]), ys = grid(ranges[1]);
    const fx::plot::Function2 g = [&](fx::Array x, fx::Array y) { return f.evaluate(vars, {x, y}); };
    if (args.has("taylor")) {
      // MML example 5.15's figure: the surface, its tangent plane and its quadratic approximation.
      const auto [point, degrees] = parse_taylor(args.get("taylor"), "taylor");
      const std::vector<double> at = parse_point(point, vars, "taylor");
      figure = fx::plot::taylor_surface(g, at[0], at[1], xs, ys, {"f", degrees, true});
      figure.title(p.text + " and its Taylor approximations around (" + style.number(at[0]) + ", " +
                   style.number(at[1]) + ")");
    } else {
      // Heights row by row (row j is y[j]): the formula broadcasts x along
      // columns and y along rows.
      const fx::Array x = fx::reshape(fx::array(xs, {static_cast<int64_t>(xs.size())}), {1, static_cast<int64_t>(xs.size())});
      const fx::Array y = fx::reshape(fx::array(ys, {static_cast<int64_t>(ys.size())}), {static_cast<int64_t>(ys.size()), 1});
      const fx::Array z = fx::broadcast_to(f.evaluate(vars, {x, y}), {static_cast<int64_t>(ys.size()), static_cast<int64_t>(xs.size())});
      figure.title(p.text).size(900, 650).view(60, 30);
      figure.surface(xs, ys, z, "f(" + vars[0] + ", " + vars[1] + ")");
    }
    figure.xlabel(vars[0]).ylabel(vars[1]).zlabel("f");
  } else {
    throw UsageError("error: plot draws formulas of one variable (curves) or two (surfaces), not " +
                     std::to_string(vars.size()));
  }
  if (args.has("size")) {
    const std::string size = args.get("size");
    int width = 0, height = 0;
    char extra = 0;
    if (std::sscanf(size.c_str(), "%dx%d%c", &width, &height, &extra) != 2 || width < 100 || height < 100 ||
        width > 10000 || height > 10000)
      throw UsageError("error: --size takes WIDTHxHEIGHT in pixels (100 to 10000), as in 800x500, not '" + size + "'");
    figure.size(width, height);
  }
  const fx::plot::SavedFigure saved = figure.save(output);
  out << "wrote " << saved.image.string() << " (" << figure.width() << "x" << figure.height() << ")";
  out << ", its data " << saved.data.string() << " and gnuplot script " << saved.script.string() << "\n";
  return 0;
}

}  // namespace

const Command& plot_command() {
  static const Command c{
      "plot",
      "a figure as PNG or SVG (gnuplot): f and its derivatives, Taylor polynomials, errors, surfaces",
      "FORMULA --range a:b[:n] [--derivatives N | --taylor X:1,2,5 | --errors X:N] [-o out.png]",
      "Draws f over the range with fx::plot: alone, with its derivatives up to order N (one\n"
      "Taylor-mode pass per point, as seed 003's figure of tanh), or with its Taylor polynomials of\n"
      "the given degrees around X (MML figure 5.4). --errors X:N draws the error of the degree-N\n"
      "polynomial against the step h on log-log axes, beside the slope N + 1 (seed 000). A formula in\n"
      "two variables is a surface, and --taylor x=1,y=2:1,2 adds its tangent plane and quadratic\n"
      "approximation (MML example 5.15). Beside the image are its data (.dat) and gnuplot script\n"
      "(.gp). Needs gnuplot (Debian's gnuplot-nox) at run time, or $FLUXION_GNUPLOT.",
      {{"range", "a:b[:n]", "the interval, with n points (default 400; 40 per axis for a surface); x=a:b,y=c:d"},
       {"derivatives", "N", "draw f, f′, …, f⁽ᴺ⁾"},
       {"normalize", "", "divide each derivative by its largest |value| (seed 001's figure)"},
       {"taylor", "X:1,2,5", "draw the Taylor polynomials of these degrees around X (x=1,y=2:1,2 for a surface)"},
       {"errors", "X:N", "draw the error of the degree-N polynomial at X against the step, log-log"},
       {"size", "800x500", "the image's size in pixels"},
       {"output", "out.png", "the image to write, .png or .svg (default plot.png); also -o"}},
      {"plot \"tanh(x)\" --range -7:7 --derivatives 6 -o tanh.png",
       "plot \"sin(x) + cos(x)\" --range -5:5 --taylor 0:1,2,5,10 -o mml_5_4.png",
       "plot \"x^2 + 2*x*y + y^3\" --range x=-1:3,y=0:4 --taylor x=1,y=2:1,2 -o surface.png",
       "plot \"exp(x)\" --errors 1:2 -o errors.svg"},
      run_plot};
  return c;
}

}  // namespace fluxion_calc
