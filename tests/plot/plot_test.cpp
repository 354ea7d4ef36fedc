// fx::plot: every kind of figure is drawn by the real gnuplot into a fresh
// directory, is a valid image of the requested size, and its data file holds
// exactly the numbers the library computes (checked against fx::grad,
// fx::hessian and closed forms); a missing or failing gnuplot is an
// fx::Error that says what to do.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test, removed afterwards.
class PlotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "fluxion-plot-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir = templ;
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

// Sets an environment variable for one scope and restores it.
class EnvGuard {
 public:
  EnvGuard(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~EnvGuard() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Width and height from a PNG's signature and IHDR chunk (which must come first).
std::pair<uint32_t, uint32_t> png_size(const fs::path& p) {
  const std::string b = read_file(p);
  EXPECT_GE(b.size(), 33u) << p;
  if (b.size() < 33) return {0, 0};
  EXPECT_EQ(b.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << "not a PNG signature: " << p;
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
  };
  EXPECT_EQ(be32(8), 13u) << "IHDR's length";
  EXPECT_EQ(b.substr(12, 4), "IHDR");
  return {be32(16), be32(20)};
}

// One block of a data file: its header's column names and its rows.
struct Block {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  std::vector<double> column(const std::string& name) const {
    for (size_t c = 0; c < columns.size(); ++c)
      if (columns[c] == name) {
        std::vector<double> out;
        for (const auto& r : rows) out.push_back(r[c]);
        return out;
      }
    ADD_FAILURE() << "no column " << name;
    return {};
  }
};

// Reads a data file as plot.hpp describes it: blocks separated by two blank
// lines, each headed by "# " and its tab-separated column names.
std::vector<Block> read_data(const fs::path& p) {
  std::ifstream f(p);
  std::vector<Block> blocks;
  std::string line;
  int blanks = 0;
  while (std::getline(f, line)) {
    if (line.empty()) {
      ++blanks;
      continue;
    }
    if (line.rfind("# ", 0) == 0) {
      EXPECT_TRUE(blocks.empty() || blanks == 2) << "blocks must be separated by two blank lines";
      blocks.emplace_back();
      std::stringstream names(line.substr(2));
      std::string name;
      while (std::getline(names, name, '\t')) blocks.back().columns.push_back(name);
    } else {
      EXPECT_FALSE(blocks.empty()) << "data before a header line";
      if (blocks.empty()) return blocks;
      std::stringstream cells(line);
      std::string cell;
      std::vector<double> row;
      while (std::getline(cells, cell, '\t')) row.push_back(std::strtod(cell.c_str(), nullptr));
      EXPECT_EQ(row.size(), blocks.back().columns.size()) << line;
      blocks.back().rows.push_back(row);
    }
    blanks = 0;
  }
  return blocks;
}

void expect_close(const std::vector<double>& got, const std::vector<double>& want, double rtol,
                  const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], rtol * std::max(1.0, std::abs(want[i]))) << what << " at " << i;
}

fx::Array seed_tanh(fx::Array x) { return (1.0 - fx::exp(-x)) / (1.0 + fx::exp(-x)); }
fx::Array sin_plus_cos(fx::Array x) { return fx::sin(x) + fx::cos(x); }
fx::Array g(fx::Array x, fx::Array y) { return fx::pow(x, 2) + 2 * x * y + fx::pow(y, 3); }

TEST_F(PlotTest, LinePngHasTheRequestedSizeAndTheExactData) {
  const std::vector<double> x = {0.1, 0.2, 0.30000000000000004, 1e-300, -7.25};
  std::vector<double> sq, cube;
  for (double v : x) sq.push_back(v * v), cube.push_back(v * v * v);
  fx::plot::Figure fig("powers");
  fig.size(640, 480).xlabel("x").line(x, sq, "square").line(x, cube, "cube");
  const fx::plot::SavedFigure out = fig.save(dir / "powers.png");
  EXPECT_EQ(out.image, dir / "powers.png");
  EXPECT_EQ(out.data, dir / "powers.dat");
  EXPECT_EQ(out.script, dir / "powers.gp");
  EXPECT_EQ(png_size(out.image), std::make_pair(640u, 480u));
  const auto blocks = read_data(out.data);
  ASSERT_EQ(blocks.size(), 1u) << "series on one x share one table";
  EXPECT_EQ(blocks[0].columns, (std::vector<std::string>{"x", "square", "cube"}));
  // Written with round-trip digits: the same doubles come back.
  EXPECT_EQ(blocks[0].column("x"), x);
  EXPECT_EQ(blocks[0].column("square"), sq);
  EXPECT_EQ(blocks[0].column("cube"), cube);
}

TEST_F(PlotTest, SvgIsWellFormedWithTheRequestedSize) {
  fx::plot::Figure fig("an SVG");
  fig.size(500, 300).points(fx::linspace(0, 1, 5), fx::linspace(1, 2, 5), "p");
  const auto out = fig.save(dir / "points.svg");
  const std::string svg = read_file(out.image);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u) << svg.substr(0, 80);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex(R"re(<svg[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)")re")))
      << svg.substr(0, 400);
  EXPECT_EQ(m[1], "500");
  EXPECT_EQ(m[2], "300");
  EXPECT_NE(svg.find("</svg>"), std::string::npos) << "the SVG is complete";
}

TEST_F(PlotTest, SeriesOnDifferentGridsGetBlocksOfTheirOwn) {
  fx::plot::Figure fig;
  fig.line({0, 1, 2}, {5, 6, 7}, "a").line({0, 1}, {8, 9}, "b").line({0, 1}, {3, 4}, "c");
  const auto blocks = read_data(fig.save(dir / "grids.png").data);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].columns, (std::vector<std::string>{"x", "a"}));
  EXPECT_EQ(blocks[1].columns, (std::vector<std::string>{"x", "b", "c"}));
  EXPECT_EQ(blocks[1].column("c"), (std::vector<double>{3, 4}));
}

TEST_F(PlotTest, DerivativesOfTanhAreThoseOfNestedGrad) {
  const fx::Array x = fx::linspace(-7, 7, 101);
  const fx::Array rows = fx::plot::derivatives_on_grid(seed_tanh, x, 6);
  ASSERT_EQ(rows.shape(), (fx::Shape{7, 101}));
  const auto out = fx::plot::derivatives(seed_tanh, x, 6, {"tanh"}).save(dir / "tanh.png");
  EXPECT_EQ(png_size(out.image), std::make_pair(800u, 500u));
  const auto blocks = read_data(out.data);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].columns,
            (std::vector<std::string>{"x", "tanh", "tanh′", "tanh″", "tanh‴", "tanh⁽⁴⁾", "tanh⁽⁵⁾", "tanh⁽⁶⁾"}));
  EXPECT_EQ(blocks[0].column("x"), x.to_vector<double>());
  std::function<fx::Array(fx::Array)> d = seed_tanh;
  for (int k = 0; k <= 6; ++k) {
    std::vector<double> written;
    for (const auto& r : blocks[0].rows) written.push_back(r[static_cast<size_t>(k) + 1]);
    // Exactly what the library computed for the figure ...
    EXPECT_EQ(written, rows[k].to_vector<double>()) << "order " << k;
    // ... and that is tanh's derivative: jet against nested grad.
    expect_close(written, fx::vmap(d)(x).to_vector<double>(), 1e-12, "order " + std::to_string(k));
    d = fx::grad(d);
  }
}

TEST_F(PlotTest, NormalizedDerivativesPeakAtOne) {
  fx::plot::DerivativeOptions opt;
  opt.normalize = true;
  opt.min_order = 1;
  const auto out = fx::plot::derivatives(seed_tanh, fx::linspace(-3, 3, 61), 2, opt).save(dir / "n.png");
  const auto blocks = read_data(out.data);
  ASSERT_EQ(blocks.size(), 1u);
  ASSERT_EQ(blocks[0].columns.size(), 3u) << "x, f′ and f″: min_order leaves f out";
  for (size_t c = 1; c < 3; ++c) {
    double peak = 0;
    for (const auto& r : blocks[0].rows) peak = std::max(peak, std::abs(r[c]));
    EXPECT_DOUBLE_EQ(peak, 1.0) << blocks[0].columns[c];
  }
}

TEST_F(PlotTest, TaylorPolynomialsOfSinPlusCosAreMmlFigure54) {
  const fx::Array x = fx::linspace(-4, 4, 81);
  const auto fig = fx::plot::taylor_polynomials(sin_plus_cos, 0.0, x, {1, 2, 5, 10});
  const auto out = fig.save(dir / "mml_5_4.png");
  EXPECT_EQ(png_size(out.image), std::make_pair(800u, 500u));
  const auto blocks = read_data(out.data);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].columns, (std::vector<std::string>{"x", "f", "T₁", "T₂", "T₅", "T₁₀"}));
  EXPECT_EQ(blocks[0].column("f"), fx::vmap(sin_plus_cos)(x).to_vector<double>());
  // sin + cos has the derivatives 1, 1, -1, -1, ... at 0.
  const std::vector<double> xs = x.to_vector<double>();
  for (int n : {1, 2, 5, 10}) {
    std::vector<double> want;
    for (double v : xs) {
      double t = 0, term = 1;
      for (int k = 0; k <= n; ++k) {
        if (k) term *= v / k;
        t += ((k % 4) < 2 ? 1.0 : -1.0) * term;
      }
      want.push_back(t);
    }
    expect_close(blocks[0].column("T" + std::string(n == 10 ? "₁₀" : n == 1 ? "₁" : n == 2 ? "₂" : "₅")), want,
                 1e-13, "T" + std::to_string(n));
  }
  // The polynomials that leave f's range run off the figure.
  EXPECT_NE(read_file(out.script).find("set yrange [-"), std::string::npos);
}

TEST_F(PlotTest, SurfaceOfExample515WithItsTangentPlaneAndQuadratic) {
  const fx::Array xg = fx::linspace(-5, 5, 11), yg = fx::linspace(-5, 5, 9);
  const auto out = fx::plot::taylor_surface(g, 1.0, 2.0, xg, yg).save(dir / "surface.png");
  EXPECT_EQ(png_size(out.image), std::make_pair(900u, 650u));
  const auto blocks = read_data(out.data);
  ASSERT_EQ(blocks.size(), 2u) << "the three surfaces on one grid, then the point";
  EXPECT_EQ(blocks[0].columns, (std::vector<std::string>{"x", "y", "g(x, y)", "T₁ (tangent plane)", "T₂ (quadratic)"}));
  ASSERT_EQ(blocks[0].rows.size(), 99u);
  // The derivatives at (1, 2) from grad and hessian of g as a function of a vector.
  auto gv = [](fx::Array v) { return g(v[0], v[1]); };
  const fx::Array p = fx::array({1.0, 2.0});
  const std::vector<double> J = fx::grad(gv)(p).to_vector<double>(), H = fx::hessian(gv)(p).to_vector<double>();
  const std::vector<double> xs = xg.to_vector<double>(), ys = yg.to_vector<double>();
  for (size_t j = 0; j < ys.size(); ++j)
    for (size_t i = 0; i < xs.size(); ++i) {
      const auto& r = blocks[0].rows[j * xs.size() + i];
      const double x = xs[i], y = ys[j], dx = x - 1, dy = y - 2;
      EXPECT_EQ(r[0], x);
      EXPECT_EQ(r[1], y);
      EXPECT_EQ(r[2], g(fx::Array(x), fx::Array(y)).item<double>());
      const double t1 = 13 + J[0] * dx + J[1] * dy;
      EXPECT_NEAR(r[3], t1, 1e-12 * std::max(1.0, std::abs(t1)));
      EXPECT_NEAR(r[3], 6 * x + 14 * y - 21, 1e-12 * std::max(1.0, std::abs(t1)));  // the seed's plane
      const double t2 = t1 + 0.5 * (H[0] * dx * dx + 2 * H[1] * dx * dy + H[3] * dy * dy);
      const double closed = x * x + 6 * y * y - 12 * y + 2 * x * y + 8;  // the seed's closed form
      EXPECT_NEAR(r[4], t2, 1e-12 * std::max(1.0, std::abs(t2)));
      EXPECT_NEAR(r[4], closed, 1e-12 * std::max(1.0, std::abs(closed)));
    }
  EXPECT_EQ(blocks[1].rows, (std::vector<std::vector<double>>{{1.0, 2.0, 13.0}}));
  // g is a cubic: its third-order Taylor polynomial is g itself.
  expect_close(fx::plot::taylor_surface_values(g, 1.0, 2.0, xg, yg, 3), blocks[0].column("g(x, y)"), 1e-13,
               "T3 of a cubic");
}

TEST_F(PlotTest, ErrorScalingOnLogLogAxes) {
  const std::vector<double> scales = {1e-1, 1e-2, 1e-3, 1e-4};
  const std::vector<double> errors = {-2e-3, -2e-6, -2e-9, -2e-12};
  const auto out = fx::plot::error_scaling(scales, errors).save(dir / "errors.png");
  EXPECT_EQ(png_size(out.image), std::make_pair(800u, 500u));
  const std::string script = read_file(out.script);
  EXPECT_NE(script.find("set logscale x"), std::string::npos);
  EXPECT_NE(script.find("set logscale y"), std::string::npos);
  const auto blocks = read_data(out.data);
  ASSERT_EQ(blocks.size(), 1u);
  ASSERT_EQ(blocks[0].columns.size(), 4u) << "x, the reference line, |error| and its markers";
  EXPECT_EQ(blocks[0].column("x"), scales);
  EXPECT_EQ(blocks[0].column("|error|"), (std::vector<double>{2e-3, 2e-6, 2e-9, 2e-12}));
  expect_close(blocks[0].column("C·s³ (slope 3)"), {2e-3, 2e-6, 2e-9, 2e-12}, 1e-12, "C s^3");
}

TEST_F(PlotTest, MissingGnuplotIsAClearError) {
  fx::plot::Figure fig;
  fig.line({0, 1}, {0, 1});
  {
    EnvGuard env("FLUXION_GNUPLOT", "/nonexistent");
    try {
      fig.save(dir / "f.png");
      FAIL() << "saving without gnuplot must throw";
    } catch (const fx::Error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("gnuplot-nox"), std::string::npos) << msg;
      EXPECT_NE(msg.find("/nonexistent"), std::string::npos) << msg;
      EXPECT_NE(msg.find("FLUXION_GNUPLOT"), std::string::npos) << msg;
    }
    EXPECT_THROW(fx::plot::find_gnuplot(), fx::Error);
  }
  {
    EnvGuard unset("FLUXION_GNUPLOT", nullptr);
    EnvGuard path("PATH", dir.c_str());  // a directory without gnuplot
    try {
      fig.save(dir / "g.png");
      FAIL() << "saving without gnuplot on PATH must throw";
    } catch (const fx::Error& e) {
      EXPECT_NE(std::string(e.what()).find("apt-get install gnuplot-nox"), std::string::npos) << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(dir / "f.png"));
}

TEST_F(PlotTest, GnuplotFailureCarriesItsMessage) {
  fx::plot::Figure fig;
  fig.line({0, 1}, {0, 1}, "a").legend_at("nowhere at all");  // not a key position gnuplot knows
  try {
    fig.save(dir / "bad.png");
    FAIL() << "gnuplot's failure must throw";
  } catch (const fx::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("bad.gp"), std::string::npos) << msg;
    EXPECT_NE(msg.find("line"), std::string::npos) << "gnuplot's own message, which names the line: " << msg;
  }
}

TEST_F(PlotTest, BadArgumentsThrowTypedErrors) {
  fx::plot::Figure fig;
  EXPECT_THROW(fig.save(dir / "empty.png"), fx::ValueError);
  fig.line({0, 1}, {0, 1});
  EXPECT_THROW(fig.save(dir / "f.jpg"), fx::ValueError);
  EXPECT_THROW(fig.save(dir / "f"), fx::ValueError);
  EXPECT_THROW(fig.line({0, 1, 2}, {0, 1}), fx::ShapeError);
  EXPECT_THROW(fig.surface({0, 1}, {0, 1}, {0, 1, 2}), fx::ValueError) << "a 2-D figure takes no surface";
  EXPECT_THROW(fig.size(0, 10), fx::ValueError);
  EXPECT_THROW(fig.xlim(1, 1), fx::ValueError);
  fx::plot::Figure three_d;
  EXPECT_THROW(three_d.surface({0, 1}, {0, 1}, {0, 1, 2}), fx::ShapeError);
  EXPECT_THROW(fx::plot::taylor_polynomials(sin_plus_cos, 0.0, fx::linspace(0, 1, 3), {}), fx::ValueError);
  EXPECT_THROW(fx::plot::derivatives(sin_plus_cos, fx::linspace(0, 1, 3), -1), fx::ValueError);
  EXPECT_THROW(fx::plot::error_scaling({1, 2}, {1}), fx::ShapeError);
  EXPECT_FALSE(fs::exists(dir / "f.jpg"));
}

TEST_F(PlotTest, ArraysOfAnyShapeAreReadInRowMajorOrder) {
  const fx::plot::Values v(fx::array({{1.0, 2.0}, {3.0, 4.0}}));
  EXPECT_EQ(v.data(), (std::vector<double>{1, 2, 3, 4}));
  const fx::plot::Values i(fx::arange(3));
  EXPECT_EQ(i.data(), (std::vector<double>{0, 1, 2}));
}

}  // namespace
