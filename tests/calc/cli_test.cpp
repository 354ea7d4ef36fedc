// The built fluxion-calc, run as a user runs it: each subcommand's output
// (its numbers checked against closed forms), its exit status, its errors,
// --help, and every example docs/FLUXION_CALC.md shows with its output.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

struct Result {
  int status = -1;
  std::string out, err;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `shell_arguments` (already quoted for sh) after the executable's path.
Result run_shell(const std::string& shell_arguments, const std::string& directory = "", const std::string& env = "") {
  static std::atomic<int> counter{0};
  const std::filesystem::path err_file = std::filesystem::temp_directory_path() /
                                         ("fluxion_calc_err_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  std::string command = (directory.empty() ? "" : "cd " + quote(directory) + " && ") + env + " " + quote(FLUXION_CALC) + " " +
                        shell_arguments + " 2>" + quote(err_file.string());
  Result r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_file(err_file);
  std::filesystem::remove(err_file);
  return r;
}

Result run(const std::vector<std::string>& args, const std::string& directory = "", const std::string& env = "") {
  std::string line;
  for (const auto& a : args) line += quote(a) + " ";
  return run_shell(line, directory, env);
}

// The number after "label = " on the line that starts with `label`.
double value_after(const std::string& text, const std::string& label) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find(label + " = ");
    if (at != std::string::npos) return std::stod(line.substr(at + label.size() + 3));
  }
  ADD_FAILURE() << "no '" << label << " = ' in:\n" << text;
  return NAN;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<double> numbers_of(const std::string& line) {
  std::vector<double> v;
  std::istringstream in(line);
  for (std::string word; in >> word;) v.push_back(std::stod(word));
  return v;
}

// Whether `actual` is `expected` word for word (runs of spaces alike), with each number equal to
// 1e-5 relative (1e-13 absolute near 0): the guide shows real output, and a
// derivative whose last digit moves (a Taylor rule that rounds differently)
// does not make it wrong, while any other change does.
::testing::AssertionResult same_output(const std::string& expected, const std::string& actual) {
  static const std::regex number(R"(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)");
  auto split = [](const std::string& text, std::vector<double>& values) {
    std::string skeleton;
    size_t last = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
      skeleton += text.substr(last, static_cast<size_t>(it->position()) - last) + "#";
      values.push_back(std::stod(it->str()));
      last = static_cast<size_t>(it->position() + it->length());
    }
    skeleton += text.substr(last);
    // Columns are aligned to the widest number: a longer number moves its neighbours.
    return std::regex_replace(skeleton, std::regex(" +"), " ");
  };
  std::vector<double> want, got;
  if (split(expected, want) != split(actual, got) || want.size() != got.size())
    return ::testing::AssertionFailure() << "the text differs:\n" << actual;
  for (size_t i = 0; i < want.size(); ++i)
    if (!(std::abs(want[i] - got[i]) <= 1e-5 * std::max(std::abs(want[i]), std::abs(got[i])) + 1e-13))
      return ::testing::AssertionFailure() << "number " << i << " is " << got[i] << ", not " << want[i] << ":\n" << actual;
  return ::testing::AssertionSuccess();
}

// ----------------------------------------------------------------- diff

TEST(CalcDiff, TheIssuesExampleExactly) {
  const Result r = run({"diff", "sin(x) + cos(x)", "--at", "0", "--order", "2"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "f(0) = 1\nf′(0) = 1\nf″(0) = -1\n");
  EXPECT_EQ(r.err, "");
}

TEST(CalcDiff, HigherOrdersAndTheAsciiForm) {
  const Result r = run({"diff", "sin(x) + cos(x)", "--at", "0", "--order", "10"});
  EXPECT_EQ(r.status, 0) << r.err;
  // The derivatives of sin + cos at 0 cycle 1, 1, -1, -1.
  EXPECT_EQ(lines_of(r.out), (std::vector<std::string>{"f(0) = 1", "f′(0) = 1", "f″(0) = -1", "f‴(0) = -1",
                                                       "f⁽⁴⁾(0) = 1", "f⁽⁵⁾(0) = 1", "f⁽⁶⁾(0) = -1", "f⁽⁷⁾(0) = -1",
                                                       "f⁽⁸⁾(0) = 1", "f⁽⁹⁾(0) = 1", "f⁽¹⁰⁾(0) = -1"}));
  const Result a = run({"diff", "sin(x) + cos(x)", "--at", "0", "--order", "4", "--ascii"});
  EXPECT_EQ(a.out, "f(0) = 1\nf'(0) = 1\nf''(0) = -1\nf'''(0) = -1\nf^(4)(0) = 1\n");
}

TEST(CalcDiff, ValuesAgainstClosedForms) {
  // d/dx of the logistic form (1 - e^-x)/(1 + e^-x) = tanh(x/2) is (1 - tanh²(x/2))/2.
  const Result r = run({"diff", "(1 - exp(-x)) / (1 + exp(-x))", "--at", "0.7", "--digits", "17"});
  EXPECT_EQ(r.status, 0) << r.err;
  const double t = std::tanh(0.35);
  EXPECT_NEAR(value_after(r.out, "f(0.7)"), t, 1e-15);
  EXPECT_NEAR(value_after(r.out, "f′(0.7)"), (1 - t * t) / 2, 1e-15);
  // A point written as a formula is printed as written.
  const Result p = run({"diff", "sin(x)", "--at", "pi/2", "--order", "2"});
  EXPECT_EQ(lines_of(p.out)[0], "f(pi/2) = 1");
  EXPECT_EQ(lines_of(p.out)[2], "f″(pi/2) = -1");
  // --at x=... names the variable; --vars makes a constant a function of x.
  EXPECT_EQ(run({"diff", "t^3", "--at", "t=2", "--order", "3"}).out, "f(2) = 8\nf′(2) = 12\nf″(2) = 12\nf‴(2) = 6\n");
  EXPECT_EQ(run({"diff", "2", "--vars", "x", "--at", "0"}).out, "f(0) = 2\nf′(0) = 0\n");
}

TEST(CalcDiff, GridTable) {
  const Result r = run({"diff", "x^3", "--grid", "-1:1:3", "--order", "3"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "x    f(x)   f′(x)   f″(x)   f‴(x)\n"
            "-1     -1       3      -6       6\n"
            "0       0       0       0       6\n"
            "1       1       3       6       6\n");
  const Result t = run({"diff", "tanh(x)", "--grid", "-2:2:9", "--order", "2", "--digits", "17"});
  const std::vector<std::string> lines = lines_of(t.out);
  ASSERT_EQ(lines.size(), 10u) << t.out;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<double> row = numbers_of(lines[i]);
    ASSERT_EQ(row.size(), 4u) << lines[i];
    const double x = -2 + 0.5 * static_cast<double>(i - 1), y = std::tanh(x);
    EXPECT_DOUBLE_EQ(row[0], x);
    EXPECT_NEAR(row[1], y, 1e-15);
    EXPECT_NEAR(row[2], 1 - y * y, 1e-15);
    EXPECT_NEAR(row[3], -2 * y * (1 - y * y), 1e-15);
  }
}

TEST(CalcDiff, PartialAndDirectionalDerivatives) {
  // f = x²y + y³ at (1, 2): ∂f/∂y = x² + 3y² = 13, ∂²f/∂y² = 6y = 12, ∂³f/∂y³ = 6.
  const Result y = run({"diff", "x^2*y + y^3", "--at", "x=1,y=2", "--wrt", "y", "--order", "3"});
  EXPECT_EQ(y.status, 0) << y.err;
  EXPECT_EQ(y.out,
            "f(x = 1, y = 2) = 10\n∂f/∂y(x = 1, y = 2) = 13\n∂²f/∂y²(x = 1, y = 2) = 12\n∂³f/∂y³(x = 1, y = 2) = 6\n");
  const Result x = run({"diff", "x^2*y + y^3", "--at", "1,2", "--wrt", "x", "--order", "2", "--ascii"});
  EXPECT_EQ(x.out, "f(x = 1, y = 2) = 10\ndf/dx(x = 1, y = 2) = 4\nd^2f/dx^2(x = 1, y = 2) = 4\n");
  // Along u = (1, 1): g(t) = (1 + t)²(2 + t) + (2 + t)³ has g′(0) = 17, g″(0) = 20, g‴(0) = 12.
  const Result u = run({"diff", "x^2*y + y^3", "--at", "1,2", "--direction", "1,1", "--order", "3"});
  EXPECT_EQ(u.status, 0) << u.err;
  const std::vector<std::string> lines = lines_of(u.out);
  ASSERT_EQ(lines.size(), 5u) << u.out;
  EXPECT_EQ(lines[2], "Dᵤf(x = 1, y = 2) = 17");
  EXPECT_EQ(lines[3], "Dᵤ²f(x = 1, y = 2) = 20");
  EXPECT_EQ(lines[4], "Dᵤ³f(x = 1, y = 2) = 12");
}

// ----------------------------------------------------------------- taylor

TEST(CalcTaylor, CoefficientsAndThePolynomial) {
  const Result r = run({"taylor", "sin(x) + cos(x)", "--order", "5"});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 9u) << r.out;
  EXPECT_EQ(lines[0], "Taylor coefficients of sin(x) + cos(x) at x = 0:");
  const std::vector<double> expected = {1, 1, -0.5, -1.0 / 6, 1.0 / 24, 1.0 / 120};
  for (size_t k = 0; k < expected.size(); ++k) {
    const std::vector<double> row = numbers_of(lines[k + 2]);
    ASSERT_EQ(row.size(), 3u) << lines[k + 2];
    EXPECT_EQ(row[0], static_cast<double>(k));
    EXPECT_NEAR(row[2], expected[k], 1e-15);
  }
  EXPECT_TRUE(same_output("T₅(x) = 1.0 + x - 0.5*x^2 - 0.16666666666666666*x^3 + 0.041666666666666664*x^4 + "
                          "0.008333333333333333*x^5",
                          lines[8]));
}

TEST(CalcTaylor, ThePolynomialIsAFormulaAgain) {
  // What taylor prints, given back to diff, has the function's derivatives at the center.
  const Result r = run({"taylor", "exp(x)", "--at", "1", "--order", "3"});
  const std::string line = lines_of(r.out).back();
  ASSERT_EQ(line.rfind("T₃(x) = ", 0), 0u) << r.out;
  const std::string polynomial = line.substr(std::string("T₃(x) = ").size());
  const Result d = run({"diff", polynomial, "--at", "1", "--order", "3"});
  EXPECT_EQ(d.status, 0) << d.err;
  for (const char* label : {"f(1)", "f′(1)", "f″(1)", "f‴(1)"}) EXPECT_NEAR(value_after(d.out, label), std::exp(1.0), 1e-14);
}

TEST(CalcTaylor, ErrorTableFallsByTenToTheOrderPlusOnePerDecade) {
  const Result r = run({"taylor", "exp(x)", "--at", "1", "--order", "2", "--errors"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("error of T₂ at x = 1 + h:"), std::string::npos) << r.out;
  int rows = 0;
  for (const std::string& line : lines_of(r.out)) {
    const std::vector<std::string> scales = {"1e-02", "1e-03", "1e-04"};
    for (const auto& s : scales)
      if (line.rfind(" " + s, 0) == 0 || line.rfind(s, 0) == 0) {
        const std::vector<double> row = numbers_of(line);
        ASSERT_EQ(row.size(), 4u) << line;
        // e·h³/6 over 10× smaller h: a ratio near 1000, order 2 observed.
        EXPECT_NEAR(row[2], 1000, 25) << line;
        EXPECT_NEAR(row[3], 2, 0.02) << line;
        ++rows;
      }
  }
  EXPECT_EQ(rows, 3) << r.out;
}

TEST(CalcTaylor, SeveralVariables) {
  const Result r = run({"taylor", "x^2 + 2*x*y + y^3", "--at", "x=1,y=2"});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string prefix = "T₂(x, y) = ";
  const std::string last = lines_of(r.out).back();
  ASSERT_EQ(last.rfind(prefix, 0), 0u) << r.out;
  EXPECT_TRUE(same_output("13.0 + 6.0*(x - 1.0) + 14.0*(y - 2.0) + (x - 1.0)^2 + 2.0*(x - 1.0)*(y - 2.0) + 6.0*(y - 2.0)^2",
                          last.substr(prefix.size())));
  // The order-3 approximation of a cubic is the cubic itself, anywhere.
  const Result cubic = run({"taylor", "x^2 + 2*x*y + y^3", "--at", "x=1,y=2", "--order", "3"});
  const std::string t3 = lines_of(cubic.out).back().substr(std::string("T₃(x, y) = ").size());
  const Result difference = run({"grad", t3 + " - (x^2 + 2*x*y + y^3)", "--at", "x=-0.7,y=3.1"});
  EXPECT_EQ(difference.status, 0) << difference.err;
  EXPECT_NEAR(value_after(difference.out, "f(x = -0.7, y = 3.1)"), 0, 1e-12);
  EXPECT_NEAR(value_after(difference.out, "∂f/∂x"), 0, 1e-12);
  EXPECT_NEAR(value_after(difference.out, "∂f/∂y"), 0, 1e-12);
  // e^x sin y = y + xy + x²y/2 - y³/6 + O(h⁴): the error falls 10⁴ per decade along any direction.
  const Result e = run({"taylor", "exp(x)*sin(y)", "--at", "0,0", "--order", "3", "--errors", "--direction", "1,-2"});
  EXPECT_TRUE(same_output("T₃(x, y) = y + x*y + 0.5*x^2*y - 0.16666666666666666*y^3", lines_of(e.out)[7])) << e.out;
  int rows = 0;
  for (const std::string& line : lines_of(e.out))
    if (line.rfind(" 1e-02", 0) == 0 || line.rfind(" 1e-03", 0) == 0) {
      EXPECT_NEAR(numbers_of(line)[3], 3, 0.02) << line;
      ++rows;
    }
  EXPECT_EQ(rows, 2) << e.out;
}

// ----------------------------------------------------------------- several variables

TEST(CalcGrad, GradientOfTheIssuesPolynomial) {
  // f = x² + 2xy + y³: ∂f/∂x = 2x + 2y = 6, ∂f/∂y = 2x + 3y² = 14 at (1, 2).
  const Result r = run({"grad", "x^2 + 2*x*y + y^3", "--at", "x=1,y=2"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "f(x = 1, y = 2) = 13\n∇f(x = 1, y = 2) = (6, 14)\n  ∂f/∂x = 6\n  ∂f/∂y = 14\n");
  // Values in the variables' order, and --vars choosing that order.
  EXPECT_EQ(run({"grad", "x^2 + 2*x*y + y^3", "--at", "1,2"}).out, r.out);
  const Result swapped = run({"grad", "x^2 + 2*x*y + y^3", "--vars", "y,x", "--at", "1,2", "--ascii"});
  EXPECT_EQ(swapped.out, "f(y = 1, x = 2) = 9\ngrad f(y = 1, x = 2) = (7, 6)\n  df/dy = 7\n  df/dx = 6\n");
}

TEST(CalcHessian, MatrixAndEigenvalues) {
  const Result r = run({"hessian", "x^2 + 2*x*y + y^3", "--at", "x=1,y=2"});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], "f(x = 1, y = 2) = 13");
  EXPECT_EQ(lines[3], "  x   2    2");
  EXPECT_EQ(lines[4], "  y   2   12");
  // The eigenvalues of [[2, 2], [2, 12]]: 7 ∓ √29.
  EXPECT_NE(lines[5].find("positive definite"), std::string::npos) << lines[5];
  EXPECT_NE(run({"hessian", "x^2 - y^2", "--at", "0,0"}).out.find("indefinite: a saddle point"), std::string::npos);
  const Result e = run({"hessian", "x^2 + 2*x*y + y^3", "--at", "x=1,y=2", "--digits", "17"});
  const std::string eig = lines_of(e.out)[5];
  const size_t open = eig.find('('), comma = eig.find(','), close = eig.find(')');
  EXPECT_NEAR(std::stod(eig.substr(open + 1, comma - open - 1)), 7 - std::sqrt(29.0), 1e-14);
  EXPECT_NEAR(std::stod(eig.substr(comma + 1, close - comma - 1)), 7 + std::sqrt(29.0), 1e-14);
}

TEST(CalcJacobian, RowsAreFormulasColumnsAreVariables) {
  const Result r = run({"jacobian", "x*y; x^2 + y", "--at", "x=1,y=2"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "f(x = 1, y = 2) = (2, 3)\n"
            "Jacobian (row: a formula, column: ∂/∂variable):\n"
            "            ∂/∂x   ∂/∂y\n"
            "  x*y          2      1\n"
            "  x^2 + y      2      1\n"
            "det = 0\n");
  // Polar coordinates: the determinant is r.
  const Result polar = run({"jacobian", "r*cos(t); r*sin(t)", "--at", "r=2,t=pi/4"});
  EXPECT_NEAR(value_after(polar.out, "det"), 2, 1e-15);
}

// ----------------------------------------------------------------- newton

TEST(CalcNewton, RootOfCosMinusX) {
  const Result r = run({"newton", "cos(x) - x", "--from", "1", "--digits", "17"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("root after "), std::string::npos) << r.out;
  const double root = value_after(lines_of(r.out).back(), "x");
  EXPECT_NEAR(root, 0.7390851332151607, 1e-15);
  // The table starts at the starting point.
  EXPECT_EQ(numbers_of(lines_of(r.out)[1])[1], 1.0);
}

TEST(CalcNewton, Extremum) {
  const Result r = run({"newton", "x^4 - 3*x^2 + x", "--from", "1", "--extremum", "--digits", "17"});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string last = lines_of(r.out).back();
  EXPECT_EQ(last.rfind("minimum after ", 0), 0u) << last;
  const double x = value_after(last, "x");
  EXPECT_NEAR(4 * x * x * x - 6 * x + 1, 0, 1e-13);  // f′(x) = 0
  EXPECT_EQ(lines_of(run({"newton", "-x^2 + 4*x", "--from", "0", "--extremum"}).out).back().rfind("maximum after 1 iteration: x = 2", 0), 0u);
}

TEST(CalcNewton, SystemsAndSeveralVariables) {
  const Result r = run({"newton", "x^2 + y^2 - 4; x - y", "--from", "x=1,y=2"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).back(), "root after 5 iterations: x = 1.4142135623731, y = 1.4142135623731");
  // A quadratic's stationary point: one Newton step, then a zero gradient.
  const Result q = run({"newton", "x^2 + y^2 - x*y - 3*x", "--from", "x=0,y=0", "--extremum"});
  EXPECT_EQ(q.status, 0) << q.err;
  const std::vector<std::string> lines = lines_of(q.out);
  EXPECT_EQ(lines[lines.size() - 2], "stationary point after 1 iteration: x = 2, y = 1, f = -3");
  EXPECT_NE(lines.back().find("positive definite"), std::string::npos);
}

TEST(CalcNewton, SaysWhyItDoesNotConverge) {
  const Result flat = run({"newton", "x^2 + 1", "--from", "1"});
  EXPECT_EQ(flat.status, 1);
  EXPECT_EQ(lines_of(flat.out).back(),
            "no convergence: f′(x) = 0 at x = 0, so Newton's step is undefined; try another --from");
  const Result slow = run({"newton", "x^2 + 1", "--from", "0.5", "--max-iter", "5"});
  EXPECT_EQ(slow.status, 1);
  EXPECT_EQ(lines_of(slow.out).back().rfind("no convergence in 5 iterations (last x = ", 0), 0u) << slow.out;
  EXPECT_EQ(lines_of(slow.out).size(), 8u);  // header, iterates 0..5, message
  const Result domain = run({"newton", "log(x)", "--from", "3"});
  EXPECT_EQ(domain.status, 1);
  EXPECT_NE(domain.out.find("f(x) = nan"), std::string::npos) << domain.out;
  EXPECT_NE(domain.out.find("outside the function's domain"), std::string::npos);
  const Result square = run({"newton", "x + y", "--from", "1,1"});
  EXPECT_EQ(square.status, 2);
  EXPECT_NE(square.err.find("as many equations as variables"), std::string::npos);
}

// ----------------------------------------------------------------- jaxpr

TEST(CalcJaxpr, ProgramsAsJaxPrintsThem) {
  const Result r = run({"jaxpr", "sin(x) * x", "--derivative", "1"});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  EXPECT_EQ(lines[0], "f(x) = sin(x) * x");
  // JAX: make_jaxpr(lambda x: jnp.sin(x) * x)(1.0), in float64.
  EXPECT_EQ(lines[1], "{ lambda ; a:f64[]. let b:f64[] = sin a; c:f64[] = mul b a in (c,) }");
  EXPECT_EQ(lines[3], "∂f/∂x, as make_jaxpr(grad(f)):");
  EXPECT_NE(r.out.find("c:f64[] = cos a"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("add_any"), std::string::npos) << r.out;
  // x² is integer_pow, as x**2 is in JAX; the second derivative in y of x²y is 0.
  const Result y = run({"jaxpr", "x^2 * y", "--derivative", "2", "--wrt", "y"});
  EXPECT_NE(y.out.find("integer_pow[y=2] a"), std::string::npos) << y.out;
  EXPECT_NE(y.out.find("make_jaxpr(grad(grad(f, argnums=1), argnums=1))"), std::string::npos) << y.out;
  EXPECT_NE(y.out.find("in (0.0:f64[],) }"), std::string::npos) << y.out;
}

// ----------------------------------------------------------------- plot

bool gnuplot_available() {
  return getenv("FLUXION_GNUPLOT") || std::system("command -v gnuplot >/dev/null 2>&1") == 0;
}

// A fresh directory for one test's figures, removed afterwards.
class CalcPlot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!gnuplot_available())
      GTEST_SKIP() << "gnuplot is not installed (Debian's gnuplot-nox; scripts/setup.sh installs it)";
    dir_ = std::filesystem::temp_directory_path() / ("fluxion_calc_plot_" + std::to_string(getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  Result plot(std::vector<std::string> args) {
    args.insert(args.begin(), "plot");
    return run(args, dir_.string());
  }
  // The PNG's width and height from its IHDR chunk; {0, 0} when it is not a PNG.
  std::pair<int, int> png_size(const std::string& name) const {
    const std::string bytes = read_file(dir_ / name);
    if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0)
      return {0, 0};
    auto be32 = [&](size_t at) {
      int v = 0;
      for (size_t i = 0; i < 4; ++i) v = v * 256 + static_cast<unsigned char>(bytes[at + i]);
      return v;
    };
    return {be32(16), be32(20)};
  }
  // The numbers of the data file, row by row (header lines and blank lines left out).
  std::vector<std::vector<double>> data(const std::string& name) const {
    std::vector<std::vector<double>> rows;
    for (const std::string& line : lines_of(read_file(dir_ / name)))
      if (!line.empty() && line[0] != '#') rows.push_back(numbers_of(line));
    return rows;
  }
  std::filesystem::path dir_;
};

TEST_F(CalcPlot, FunctionAloneWithTheValuesItComputes) {
  const Result r = plot({"x^2", "--range", "0:1:5", "-o", "square.png"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "wrote square.png (800x500), its data square.dat and gnuplot script square.gp\n");
  EXPECT_EQ(png_size("square.png"), (std::pair<int, int>{800, 500}));
  EXPECT_EQ(data("square.dat"), (std::vector<std::vector<double>>{{0, 0}, {0.25, 0.0625}, {0.5, 0.25}, {0.75, 0.5625}, {1, 1}}));
  EXPECT_NE(read_file(dir_ / "square.gp").find("set title 'f(x) = x^2'"), std::string::npos);
}

TEST_F(CalcPlot, DerivativesTaylorPolynomialsAndSize) {
  const Result d = plot({"x^3", "--range", "-1:1:3", "--derivatives", "2", "-o", "cube.png", "--size", "640x480"});
  ASSERT_EQ(d.status, 0) << d.err;
  EXPECT_EQ(png_size("cube.png"), (std::pair<int, int>{640, 480}));
  // Columns x, f, f′, f″: x³, 3x², 6x.
  EXPECT_EQ(data("cube.dat"), (std::vector<std::vector<double>>{{-1, -1, 3, -6}, {0, 0, 0, 0}, {1, 1, 3, 6}}));
  const Result t = plot({"sin(x) + cos(x)", "--range", "-1:1:3", "--taylor", "0:1,2", "-o", "taylor.png"});
  ASSERT_EQ(t.status, 0) << t.err;
  EXPECT_EQ(png_size("taylor.png"), (std::pair<int, int>{800, 500}));
  // Columns x, f, T₁ = 1 + x, T₂ = 1 + x - x²/2.
  const std::vector<std::vector<double>> rows = data("taylor.dat");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 4u);
    const double x = row[0];
    EXPECT_NEAR(row[1], std::sin(x) + std::cos(x), 1e-15);
    EXPECT_NEAR(row[2], 1 + x, 1e-15);
    EXPECT_NEAR(row[3], 1 + x - x * x / 2, 1e-15);
  }
}

TEST_F(CalcPlot, ErrorsOnLogAxes) {
  const Result r = plot({"exp(x)", "--errors", "1:2", "-o", "errors.png"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(png_size("errors.png"), (std::pair<int, int>{800, 500}));
  EXPECT_NE(read_file(dir_ / "errors.gp").find("set logscale"), std::string::npos);
  // Columns h, the reference C·h³, |T₂ - f| (twice: its line and its points).
  const std::vector<std::vector<double>> rows = data("errors.dat");
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    const double h = row[0], taylor = std::exp(1.0) * (1 + h + h * h / 2);
    EXPECT_NEAR(row[2], std::abs(taylor - std::exp(1 + h)), 1e-15 + 1e-9 * row[2]) << h;
  }
}

TEST_F(CalcPlot, SurfacesInTwoVariables) {
  const Result r = plot({"x^2 + 2*x*y + y^3", "--range", "x=-1:3:5,y=0:4:4", "--taylor", "x=1,y=2:1,2", "-o", "surface.png"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(png_size("surface.png"), (std::pair<int, int>{900, 650}));
  const Result plain = plot({"x*y", "--range", "0:1:3", "-o", "xy.svg"});
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_NE(read_file(dir_ / "xy.svg").find("<svg"), std::string::npos);
  // One row per grid point (x, y, x·y), row by row along y.
  std::vector<std::vector<double>> expected;
  for (double y : {0.0, 0.5, 1.0})
    for (double x : {0.0, 0.5, 1.0}) expected.push_back({x, y, x * y});
  EXPECT_EQ(data("xy.dat"), expected);
}

TEST_F(CalcPlot, MistakesAndAMissingGnuplot) {
  EXPECT_EQ(plot({"x", "-o", "a.png"}).status, 2);  // no --range
  EXPECT_EQ(plot({"x", "--range", "1:0"}).status, 2);
  EXPECT_EQ(plot({"x", "--range", "0:1", "--taylor", "0"}).status, 2);
  EXPECT_EQ(plot({"x*y*z", "--range", "0:1"}).status, 2);
  EXPECT_EQ(plot({"x", "--range", "0:1", "--size", "big"}).status, 2);
  const Result r = run({"plot", "x", "--range", "0:1", "-o", "none.png"}, dir_.string(), "FLUXION_GNUPLOT=/nonexistent/gnuplot");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("gnuplot"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "none.png"));
}

// ----------------------------------------------------------------- help and errors

TEST(CalcHelp, EveryCommandWithAnExample) {
  const Result r = run({"--help"});
  EXPECT_EQ(r.status, 0);
  const std::vector<std::string> commands = {"diff", "taylor", "grad", "hessian", "jacobian", "newton", "jaxpr", "plot"};
  for (const std::string& c : commands) {
    EXPECT_NE(r.out.find("\n  " + c + " "), std::string::npos) << c;
    EXPECT_NE(r.out.find("fluxion-calc " + c + " \""), std::string::npos) << c;
    const Result h = run({c, "--help"});
    EXPECT_EQ(h.status, 0) << c;
    EXPECT_EQ(h.out.rfind("fluxion-calc " + c + ": ", 0), 0u) << h.out;
    EXPECT_NE(h.out.find("usage: fluxion-calc " + c), std::string::npos) << c;
    EXPECT_NE(h.out.find("example"), std::string::npos) << c;
    EXPECT_NE(h.out.find("--vars"), std::string::npos) << c;
    EXPECT_EQ(run({"help", c}).out, h.out);
  }
  EXPECT_NE(run({"diff", "--help"}).out.find("--order N"), std::string::npos);
  EXPECT_NE(run({"newton", "--help"}).out.find("--extremum"), std::string::npos);
  EXPECT_EQ(run({"-h"}).out, r.out);
}

TEST(CalcErrors, ParseErrorPointsAtTheColumn) {
  const Result r = run({"diff", "sin(x + cos(x)", "--at", "0"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: expected ')' at column 15\n"
            "  sin(x + cos(x)\n"
            "                ^\n");
  const Result product = run({"grad", "2x + y", "--at", "1,2"});
  EXPECT_EQ(product.status, 2);
  EXPECT_EQ(product.err, "error: unexpected 'x' (write 2*x for a product) at column 2\n  2x + y\n   ^\n");
  // An error inside an option's value points into that value.
  const Result at = run({"diff", "x", "--at", "pi/"});
  EXPECT_EQ(at.status, 2);
  EXPECT_EQ(at.err,
            "error: --at: expected a number, a variable, a function or '(' before the end at column 4\n"
            "  pi/\n"
            "     ^\n");
}

TEST(CalcErrors, UsageMistakesExitWithTwo) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "usage: fluxion-calc COMMAND"},
      {{"integrate", "x"}, "error: unknown command 'integrate'"},
      {{"diff", "x", "--at", "1", "--bogus"}, "error: unknown option --bogus for diff"},
      {{"diff", "x*y", "--at", "1,2"}, "diff needs --at x=1,y=2 and either --wrt x (a partial derivative)"},
      {{"diff", "x*y", "--at", "1,2", "--wrt", "z"}, "--wrt z is not one of the variables"},
      {{"diff", "x", "--at", "1", "--wrt", "x"}, "--wrt and --direction are for a formula in several variables"},
      {{"diff", "x"}, "diff needs either --at X or --grid a:b:n"},
      {{"diff", "x", "--at"}, "--at needs a value"},
      {{"diff", "x", "--at", "1", "--order", "-1"}, "--order must be a whole number from 0 to 40"},
      {{"diff", "x", "--grid", "0:1"}, "--grid takes start:stop:count"},
      {{"diff", "x", "y", "--at", "1"}, "one formula expected"},
      {{"grad", "x*y", "--at", "1"}, "gives 1 value for the variables x, y"},
      {{"grad", "x*y", "--at", "x=1,z=2"}, "'z' is not a variable"},
      {{"grad", "x*y", "--at", "x=1"}, "gives no value for y"},
      {{"diff", "a*t^2", "--vars", "t", "--at", "1"}, "error: the variable 'a' is not in --vars t at column 1"},
      {{"diff", "2", "--at", "1"}, "the formula has no variable"},
      {{"diff", "x", "--vars", "pi", "--at", "1"}, "'pi' is not a variable name"},
      {{"newton", "x"}, "newton needs a starting point"},
  };
  for (const auto& [args, message] : cases) {
    const Result r = run(args);
    EXPECT_EQ(r.status, 2) << args.size();
    EXPECT_NE(r.err.find(message), std::string::npos) << "expected '" << message << "' in:\n" << r.err;
  }
}

// ----------------------------------------------------------------- the user guide

// docs/FLUXION_CALC.md shows commands in ```console blocks, each "$ fluxion-calc ..."
// line followed by its output: every one is run here and must print that.
TEST(CalcDocs, EveryExampleInTheGuidePrintsWhatItShows) {
  const std::vector<std::string> lines = lines_of(read_file(FLUXION_CALC_DOC));
  ASSERT_FALSE(lines.empty()) << FLUXION_CALC_DOC;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("fluxion_calc_docs_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  int examples = 0;
  bool in_block = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) == 0) {
      in_block = !in_block && lines[i] == "```console";
      continue;
    }
    const std::string prompt = "$ fluxion-calc ";
    if (!in_block || lines[i].rfind(prompt, 0) != 0) continue;
    if (lines[i].rfind(prompt + "plot ", 0) == 0 && !gnuplot_available()) continue;  // CalcPlot says it skipped
    std::string expected;
    size_t j = i + 1;
    for (; j < lines.size() && lines[j].rfind("$ ", 0) != 0 && lines[j].rfind("```", 0) != 0; ++j) expected += lines[j] + "\n";
    const Result r = run_shell(lines[i].substr(prompt.size()), dir.string());
    EXPECT_TRUE(same_output(expected, r.out + r.err)) << "docs/FLUXION_CALC.md line " << i + 1 << ": " << lines[i];
    ++examples;
    i = j - 1;
  }
  std::filesystem::remove_all(dir);
  EXPECT_GE(examples, 8);
}

}  // namespace
