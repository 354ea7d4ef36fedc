/// @file
/// Figures as PNG or SVG files, drawn by gnuplot: fx::plot, for the pictures a
/// calculus course draws with matplotlib (a function and its derivatives, Taylor
/// polynomials over the function, a surface with its tangent plane, an error
/// against the step on log axes).
///
///     fx::plot::Figure fig("tanh and its derivatives");
///     const fx::Array x = fx::linspace(-7, 7, 200);
///     fig.xlabel("x").line(x, fx::tanh(x), "tanh").line(x, fx::vmap(fx::grad(f))(x), "tanh'");
///     fig.save("tanh.png");  // also writes tanh.dat (the numbers) and tanh.gp (the gnuplot script)
///
///     fx::plot::derivatives(f, x, 6).save("derivatives.svg");  // f, f', ..., f^(6) through fx::jet
///
/// save() writes three files side by side: the image, the data it shows as
/// plain columns (`NAME.dat`, one block per group of series, each under a
/// `# ` header line naming its columns, blocks separated by two blank lines as
/// gnuplot's `index` expects) and the gnuplot script (`NAME.gp`), which
/// refers to the other two by their file names: `cd DIR && gnuplot NAME.gp`
/// draws the figure again. gnuplot is looked up when a figure is saved, not
/// when Fluxion is built: $FLUXION_GNUPLOT if set, else `gnuplot` on PATH
/// (Debian's package gnuplot-nox).
#pragma once

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "fluxion/array.hpp"

namespace fluxion::plot {

/// Numbers to plot: a std::vector<double>, a braced list or an fx::Array of
/// any shape and real dtype (read in row-major order, as float64).
class Values {
 public:
  Values() = default;
  Values(std::vector<double> values) : values_(std::move(values)) {}
  Values(std::initializer_list<double> values) : values_(values) {}
  Values(const Array& values);
  const std::vector<double>& data() const { return values_; }
  size_t size() const { return values_.size(); }
  double operator[](size_t i) const { return values_[i]; }

 private:
  std::vector<double> values_;
};

/// How one series is drawn. An empty color takes the next of matplotlib's
/// ten default colors ("tab10"); otherwise a gnuplot color name ("black") or
/// "#rrggbb".
struct Style {
  std::string color;
  double width = 2.0;
  bool dashed = false;
};

enum class Kind { line, points, surface, line3d, points3d };

/// One thing drawn. For a surface, x holds the nx grid abscissae, y the ny
/// ordinates and z the ny * nx heights row by row: z[j * nx + i] is the height
/// at (x[i], y[j]), the layout of fx::meshgrid's "xy" indexing (row j is y[j]).
/// For the other kinds x, y (and z in 3-D) are coordinates of equal length.
struct Series {
  Kind kind = Kind::line;
  std::string label;
  std::vector<double> x, y, z;
  Style style;
};

/// The files one save() wrote.
struct SavedFigure {
  std::filesystem::path image;   ///< NAME.png or NAME.svg
  std::filesystem::path data;    ///< NAME.dat
  std::filesystem::path script;  ///< NAME.gp
};

/// A figure built up call by call, as with matplotlib's pyplot, then saved.
/// A figure is 2-D (line, points) or 3-D (surface, line3d, points3d), not
/// both; adding a series checks its sizes (fx::ShapeError) and save()
/// checks the rest (fx::ValueError).
class Figure {
 public:
  Figure() = default;
  explicit Figure(std::string title) : title_(std::move(title)) {}

  Figure& title(std::string text);
  Figure& xlabel(std::string text);
  Figure& ylabel(std::string text);
  Figure& zlabel(std::string text);
  /// The image's size in pixels (default 800 x 500); for SVG, its width and height.
  Figure& size(int width, int height);
  /// Logarithmic axes, as matplotlib's set_xscale("log").
  Figure& logx(bool on = true);
  Figure& logy(bool on = true);
  /// The visible range of an axis (what lies outside is clipped), as set_xlim.
  Figure& xlim(double lo, double hi);
  Figure& ylim(double lo, double hi);
  Figure& zlim(double lo, double hi);
  /// The legend (shown by default when a series has a label) and where it
  /// goes, in gnuplot's words: "top right", "bottom left", "outside right", ...
  Figure& legend(bool show = true);
  Figure& legend_at(std::string position);
  Figure& grid(bool on = true);
  /// The 3-D viewing angles, gnuplot's `set view rot_x, rot_z` (default 60, 30).
  Figure& view(double rot_x, double rot_z);

  Figure& line(const Values& x, const Values& y, std::string label = "", Style style = {});
  Figure& points(const Values& x, const Values& y, std::string label = "", Style style = {});
  /// z over the grid x × y (z has x.size() * y.size() values, see Series).
  Figure& surface(const Values& x, const Values& y, const Values& z, std::string label = "", Style style = {});
  Figure& line3d(const Values& x, const Values& y, const Values& z, std::string label = "", Style style = {});
  Figure& points3d(const Values& x, const Values& y, const Values& z, std::string label = "", Style style = {});

  /// Writes the image (PNG for ".png", SVG for ".svg", any other extension
  /// throws fx::ValueError), its data file and its script beside it, creating
  /// the directory if needed, and runs gnuplot. Throws fx::Error when gnuplot
  /// is missing (naming the package to install) or fails (with its messages).
  SavedFigure save(const std::filesystem::path& image) const;

  const std::vector<Series>& series() const { return series_; }
  const std::string& title() const { return title_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  friend struct FigureWriter;
  Figure& add(Series s);

  std::string title_, xlabel_, ylabel_, zlabel_;
  int width_ = 800, height_ = 500;
  bool logx_ = false, logy_ = false, legend_ = true, grid_ = true;
  std::string legend_position_ = "top right";
  std::vector<double> xlim_, ylim_, zlim_;
  double rot_x_ = 60, rot_z_ = 30;
  std::vector<Series> series_;
};

/// The gnuplot save() runs: $FLUXION_GNUPLOT when set (a path, or a name
/// looked up on PATH), else `gnuplot` on PATH. Throws fx::Error saying to
/// install Debian's gnuplot-nox (or to set FLUXION_GNUPLOT) when there is none.
std::filesystem::path find_gnuplot();

// ------------------------------------------------------------------ figures

/// A function of one variable, applied to 0-d Arrays (fx::vmap maps it over a grid).
using Function1 = std::function<Array(Array)>;
/// A function of two variables, applied to 0-d Arrays.
using Function2 = std::function<Array(Array, Array)>;

/// f and its derivatives on a grid: row k is f^(k) at every point of x, for k = 0 .. max_order; shape (max_order + 1, x.size()). All orders come
/// from one Taylor-mode pass per point, fx::vmap of fx::jet.
Array derivatives_on_grid(const Function1& f, const Values& x, int max_order);

struct DerivativeOptions {
  std::string name = "f";  ///< the legend says f, f', f'', f^(3), ...
  int min_order = 0;       ///< the lowest order drawn (1 leaves f itself out)
  bool normalize = false;  ///< divide each curve by its largest |value| (seed 001's f'' dwarfs f)
};
/// f^(k) for k = min_order .. max_order over the grid x, one line each.
Figure derivatives(const Function1& f, const Values& x, int max_order, const DerivativeOptions& options = {});

struct TaylorOptions {
  std::string name = "f";
  /// Limit the y axis to f's own range (plus a margin), so polynomials that
  /// leave it run off the figure instead of squashing f, as in MML figure 5.4.
  bool clip_to_function = true;
};
/// f over the grid x in black and its Taylor polynomials T_n around x0 for
/// each n in degrees (MML figure 5.4: degrees {1, 2, 5, 10} of sin + cos at 0).
Figure taylor_polynomials(const Function1& f, double x0, const Values& x, const std::vector<int>& degrees,
                          const TaylorOptions& options = {});

/// T_n(x, y) of g around (x0, y0) at every point of the grid x × y, as a
/// surface's heights (row j is y[j]); the order-n directional derivatives
/// come from fx::jet along (x - x0, y - y0), so any order works.
std::vector<double> taylor_surface_values(const Function2& g, double x0, double y0, const Values& x,
                                          const Values& y, int order);

struct SurfaceOptions {
  std::string name = "g";
  std::vector<int> orders = {1, 2};  ///< 1: the tangent plane, 2: the quadratic approximation
  bool clip_to_function = true;      ///< limit z to g's own range
};
/// The surface g over the grid x × y, its Taylor approximations of the given
/// orders around (x0, y0) as wire meshes, and the point itself (MML example
/// 5.15: g(x, y) = x² + 2xy + y³ around (1, 2)).
Figure taylor_surface(const Function2& g, double x0, double y0, const Values& x, const Values& y,
                      const SurfaceOptions& options = {});

struct ErrorScalingOptions {
  std::string label = "|error|";
  /// Draws C·s^p through the first point for this p (3: the remainder of a
  /// quadratic approximation); 0 draws none.
  int reference_order = 3;
};
/// |error| against the scale s on log-log axes, where a Taylor remainder of
/// order p is a line of slope p (seed 000's errors of the quadratic
/// approximation: 1000× smaller per decade).
Figure error_scaling(const Values& scales, const Values& errors, const ErrorScalingOptions& options = {});

}  // namespace fluxion::plot
