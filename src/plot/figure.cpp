// fx::plot's Figure: its settings, the data file and the gnuplot script that
// save() writes, and the checks that make a wrong figure an exception rather
// than a gnuplot message or an empty picture.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "fluxion/errors.hpp"
#include "fluxion/plot.hpp"
#include "plot/gnuplot.hpp"

namespace fluxion::plot {

Values::Values(const Array& values) : values_(values.astype(float64).to_vector<double>()) {}

Figure& Figure::title(std::string text) {
  title_ = std::move(text);
  return *this;
}
Figure& Figure::xlabel(std::string text) {
  xlabel_ = std::move(text);
  return *this;
}
Figure& Figure::ylabel(std::string text) {
  ylabel_ = std::move(text);
  return *this;
}
Figure& Figure::zlabel(std::string text) {
  zlabel_ = std::move(text);
  return *this;
}
Figure& Figure::size(int width, int height) {
  if (width <= 0 || height <= 0)
    throw ValueError("Figure::size: width and height must be positive, got " + std::to_string(width) + " x " +
                     std::to_string(height));
  width_ = width;
  height_ = height;
  return *this;
}
Figure& Figure::logx(bool on) {
  logx_ = on;
  return *this;
}
Figure& Figure::logy(bool on) {
  logy_ = on;
  return *this;
}

namespace {
std::vector<double> checked_limits(const char* axis, double lo, double hi) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) {
    std::ostringstream msg;
    msg << "Figure::" << axis << "lim: need finite lo < hi, got (" << lo << ", " << hi << ")";
    throw ValueError(msg.str());
  }
  return {lo, hi};
}
}  // namespace

Figure& Figure::xlim(double lo, double hi) {
  xlim_ = checked_limits("x", lo, hi);
  return *this;
}
Figure& Figure::ylim(double lo, double hi) {
  ylim_ = checked_limits("y", lo, hi);
  return *this;
}
Figure& Figure::zlim(double lo, double hi) {
  zlim_ = checked_limits("z", lo, hi);
  return *this;
}
Figure& Figure::legend(bool show) {
  legend_ = show;
  return *this;
}
Figure& Figure::legend_at(std::string position) {
  legend_position_ = std::move(position);
  legend_ = true;
  return *this;
}
Figure& Figure::grid(bool on) {
  grid_ = on;
  return *this;
}
Figure& Figure::view(double rot_x, double rot_z) {
  rot_x_ = rot_x;
  rot_z_ = rot_z;
  return *this;
}

namespace {
bool is_3d(Kind k) { return k == Kind::surface || k == Kind::line3d || k == Kind::points3d; }

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::line: return "line";
    case Kind::points: return "points";
    case Kind::surface: return "surface";
    case Kind::line3d: return "line3d";
    case Kind::points3d: return "points3d";
  }
  return "?";
}

void check_same_size(Kind k, const char* a, size_t na, const char* b, size_t nb) {
  if (na == nb) return;
  throw ShapeError(std::string("Figure::") + kind_name(k) + ": " + a + " has " + std::to_string(na) +
                   " values but " + b + " has " + std::to_string(nb));
}
}  // namespace

Figure& Figure::add(Series s) {
  if (!series_.empty() && is_3d(series_.front().kind) != is_3d(s.kind))
    throw ValueError(std::string("Figure::") + kind_name(s.kind) + ": a figure is either 2-D (line, points) or 3-D " +
                     "(surface, line3d, points3d); this one already has a " + kind_name(series_.front().kind));
  if (s.x.empty()) throw ValueError(std::string("Figure::") + kind_name(s.kind) + ": no values to plot");
  if (s.kind == Kind::surface) {
    if (s.z.size() != s.x.size() * s.y.size())
      throw ShapeError("Figure::surface: z has " + std::to_string(s.z.size()) + " values, the grid x × y " +
                       std::to_string(s.x.size()) + " × " + std::to_string(s.y.size()) + " needs " +
                       std::to_string(s.x.size() * s.y.size()));
    if (s.x.size() < 2 || s.y.size() < 2)
      throw ShapeError("Figure::surface: a surface needs at least 2 x and 2 y values, got " +
                       std::to_string(s.x.size()) + " and " + std::to_string(s.y.size()));
  } else {
    check_same_size(s.kind, "x", s.x.size(), "y", s.y.size());
    if (is_3d(s.kind)) check_same_size(s.kind, "x", s.x.size(), "z", s.z.size());
  }
  series_.push_back(std::move(s));
  return *this;
}

Figure& Figure::line(const Values& x, const Values& y, std::string label, Style style) {
  return add({Kind::line, std::move(label), x.data(), y.data(), {}, std::move(style)});
}
Figure& Figure::points(const Values& x, const Values& y, std::string label, Style style) {
  return add({Kind::points, std::move(label), x.data(), y.data(), {}, std::move(style)});
}
Figure& Figure::surface(const Values& x, const Values& y, const Values& z, std::string label, Style style) {
  return add({Kind::surface, std::move(label), x.data(), y.data(), z.data(), std::move(style)});
}
Figure& Figure::line3d(const Values& x, const Values& y, const Values& z, std::string label, Style style) {
  return add({Kind::line3d, std::move(label), x.data(), y.data(), z.data(), std::move(style)});
}
Figure& Figure::points3d(const Values& x, const Values& y, const Values& z, std::string label, Style style) {
  return add({Kind::points3d, std::move(label), x.data(), y.data(), z.data(), std::move(style)});
}

// ------------------------------------------------------------------ writing

// Writes a Figure's data file and script. A block of the data file holds the
// series that share their coordinates (a function and its derivatives on one
// grid become one table: x, f, f', ...), so the file reads as a table.
struct FigureWriter {
  const Figure& fig;

  struct Block {
    std::vector<size_t> members;  // indices into fig.series_
  };

  static bool same_coordinates(const Series& a, const Series& b) {
    if (is_3d(a.kind) != is_3d(b.kind) || (a.kind == Kind::surface) != (b.kind == Kind::surface)) return false;
    return a.x == b.x && (!is_3d(a.kind) || a.y == b.y);
  }

  std::vector<Block> blocks() const {
    std::vector<Block> out;
    for (size_t i = 0; i < fig.series_.size(); ++i) {
      if (out.empty() || !same_coordinates(fig.series_[out.back().members.front()], fig.series_[i])) out.emplace_back();
      out.back().members.push_back(i);
    }
    return out;
  }

  // Shortest text that reads back as the same double; gnuplot reads NaN and
  // Inf as undefined points.
  static std::string number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
    std::array<char, 32> buf{};
    auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    return std::string(buf.data(), res.ptr);
  }

  // A column name fit for a tab-separated header line.
  static std::string column_name(const Series& s, size_t index) {
    std::string name = s.label.empty() ? "series" + std::to_string(index + 1) : s.label;
    std::replace(name.begin(), name.end(), '\t', ' ');
    std::replace(name.begin(), name.end(), '\n', ' ');
    return name;
  }

  void write_data(std::ostream& os) const {
    bool first = true;
    for (const Block& b : blocks()) {
      if (!first) os << "\n\n";  // gnuplot's index separator
      first = false;
      const Series& lead = fig.series_[b.members.front()];
      os << (is_3d(lead.kind) ? "# x\ty" : "# x");
      for (size_t m : b.members) os << '\t' << column_name(fig.series_[m], m);
      os << '\n';
      if (lead.kind == Kind::surface) {
        const size_t nx = lead.x.size();
        for (size_t j = 0; j < lead.y.size(); ++j) {
          if (j) os << '\n';  // one scan per y, as gnuplot's grid format has it
          for (size_t i = 0; i < nx; ++i) {
            os << number(lead.x[i]) << '\t' << number(lead.y[j]);
            for (size_t m : b.members) os << '\t' << number(fig.series_[m].z[j * nx + i]);
            os << '\n';
          }
        }
      } else {
        for (size_t i = 0; i < lead.x.size(); ++i) {
          os << number(lead.x[i]);
          if (is_3d(lead.kind)) os << '\t' << number(lead.y[i]);
          for (size_t m : b.members) {
            const Series& s = fig.series_[m];
            os << '\t' << number(is_3d(s.kind) ? s.z[i] : s.y[i]);
          }
          os << '\n';
        }
      }
    }
  }

  // A gnuplot string literal: single quotes, where only '' is special.
  static std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }

  static std::string color_of(const Series& s, size_t& next_default) {
    // matplotlib's default color cycle, so figures look as students know them.
    static const char* const tab10[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    if (!s.style.color.empty()) return s.style.color;
    return tab10[next_default++ % 10];
  }

  static std::string range(const std::vector<double>& lim) {
    return lim.empty() ? "[*:*]" : "[" + number(lim[0]) + ":" + number(lim[1]) + "]";
  }

  void write_script(std::ostream& os, const std::string& terminal, const std::string& image_name,
                    const std::string& data_name) const {
    const bool three_d = is_3d(fig.series_.front().kind);
    os << "# Written by fx::plot: gnuplot run on this file in its directory draws " << image_name << " again.\n";
    // Enhanced text only for the 10^{k} ticks of log axes: every text of the
    // user's is noenhanced, so f'' or T_1 print as written.
    os << "set terminal " << terminal << " size " << fig.width_ << "," << fig.height_ << " enhanced font 'sans,11'\n";
    os << "set output " << quoted(image_name) << "\n";
    os << "set encoding utf8\n";
    if (!fig.title_.empty()) os << "set title " << quoted(fig.title_) << " noenhanced\n";
    if (!fig.xlabel_.empty()) os << "set xlabel " << quoted(fig.xlabel_) << " noenhanced\n";
    if (!fig.ylabel_.empty()) os << "set ylabel " << quoted(fig.ylabel_) << " noenhanced\n";
    if (!fig.zlabel_.empty()) os << "set zlabel " << quoted(fig.zlabel_) << " noenhanced rotate parallel\n";
    if (fig.logx_) os << "set logscale x\nset format x '10^{%L}'\n";
    if (fig.logy_) os << "set logscale y\nset format y '10^{%L}'\n";
    os << "set xrange " << range(fig.xlim_) << "\nset yrange " << range(fig.ylim_) << "\n";
    if (three_d) os << "set zrange " << range(fig.zlim_) << "\n";
    // The data's own extent, as matplotlib shows it, not gnuplot's next tick.
    if (fig.xlim_.empty()) os << "set autoscale xfix\n";
    if (three_d && fig.ylim_.empty()) os << "set autoscale yfix\n";
    if (fig.grid_) os << "set grid lc rgb '#d0d0d0'\n";
    const bool any_label = std::any_of(fig.series_.begin(), fig.series_.end(),
                                       [](const Series& s) { return !s.label.empty(); });
    if (fig.legend_ && any_label)
      os << "set key " << fig.legend_position_ << " noenhanced box opaque samplen 2\n";
    else
      os << "unset key\n";
    if (three_d) {
      os << "set view " << number(fig.rot_x_) << "," << number(fig.rot_z_) << "\n";
      os << "set ticslevel 0\n";
      // A cividis-like map, matplotlib's colormap in seed 003's surface.
      os << "set palette defined (0 '#00204c', 0.5 '#7c7b78', 1 '#ffe945')\nunset colorbox\n";
      // Translucent, as seed 003's plot_surface(alpha=.6): the approximations
      // show through where they pass behind the surface.
      os << "set pm3d depthorder\nset style fill transparent solid 0.65\n";
    }
    os << (three_d ? "splot " : "plot ");
    size_t next_color = 0, index = 0, clauses = 0;
    for (const Block& b : blocks()) {
      const Series& lead = fig.series_[b.members.front()];
      for (size_t col = 0; col < b.members.size(); ++col) {
        const Series& s = fig.series_[b.members[col]];
        if (clauses++) os << ", \\\n     ";
        os << quoted(data_name) << " index " << index << " using ";
        const size_t value_column = (three_d ? 3 : 2) + col;
        os << (three_d ? "1:2:" : "1:") << value_column;
        const std::string width = number(s.style.width);
        const std::string dash = s.style.dashed ? " dt 2" : "";
        if (s.kind == Kind::surface && s.style.color.empty()) {
          os << " with pm3d";
        } else if (s.kind == Kind::surface) {
          // A wire mesh, thinned to about 25 lines each way as
          // matplotlib's rstride/cstride do.
          const size_t stride = std::max<size_t>(1, (std::max(lead.x.size(), lead.y.size()) + 24) / 25);
          os << " every " << stride << ":" << stride << " with lines lw " << number(s.style.width / 2)
             << dash << " lc rgb " << quoted(color_of(s, next_color));
        } else if (s.kind == Kind::points || s.kind == Kind::points3d) {
          os << " with points pt 7 ps " << number(s.style.width / 2) << " lc rgb "
             << quoted(color_of(s, next_color));
        } else {
          os << " with lines lw " << width << dash << " lc rgb " << quoted(color_of(s, next_color));
        }
        os << (s.label.empty() ? " notitle" : " title " + quoted(s.label) + " noenhanced");
      }
      ++index;
    }
    os << "\n";
  }
};

namespace {
std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

SavedFigure Figure::save(const std::filesystem::path& image) const {
  const std::string ext = lowercase(image.extension().string());
  std::string terminal;
  if (ext == ".png") terminal = "pngcairo";
  else if (ext == ".svg") terminal = "svg background '#ffffff'";
  else
    throw ValueError("Figure::save: cannot tell the image format of '" + image.string() +
                     "': the name must end in .png or .svg");
  if (series_.empty()) throw ValueError("Figure::save: the figure '" + title_ + "' has nothing to plot");

  const std::filesystem::path dir = image.has_parent_path() ? image.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("Figure::save: cannot create the directory '" + dir.string() + "': " + ec.message());

  SavedFigure out{image, std::filesystem::path(image).replace_extension(".dat"),
                  std::filesystem::path(image).replace_extension(".gp")};
  const FigureWriter writer{*this};
  auto write = [](const std::filesystem::path& path, const auto& body) {
    std::ofstream f(path);
    if (!f) throw Error("Figure::save: cannot write '" + path.string() + "'");
    body(f);
    f.close();
    if (!f) throw Error("Figure::save: writing '" + path.string() + "' failed");
  };
  write(out.data, [&](std::ostream& os) { writer.write_data(os); });
  write(out.script, [&](std::ostream& os) {
    writer.write_script(os, terminal, out.image.filename().string(), out.data.filename().string());
  });
  // A stale image must not pass for the new one if gnuplot writes nothing.
  std::filesystem::remove(out.image, ec);
  detail::run_gnuplot(out.script, out.image);
  return out;
}

}  // namespace fluxion::plot
