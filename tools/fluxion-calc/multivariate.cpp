// grad, hessian and jacobian: a formula in several variables as a function
// of one vector v = (x, y, …), so fx::grad, fx::hessian and fx::jacobian
// give the gradient vector, the Hessian matrix and the Jacobian matrix.
#include <fluxion/taylor.hpp>

#include <ostream>

#include "commands.hpp"

namespace fluxion_calc {

namespace {

// The formulas as functions of the vector of their variables.
auto vector_function(const std::vector<Formula>& formulas, const std::vector<std::string>& variables) {
  return [&formulas, &variables](const fx::Array& v) {
    std::vector<fx::Array> xs;
    for (int64_t i = 0; i < static_cast<int64_t>(variables.size()); ++i) xs.push_back(v[i]);
    std::vector<fx::Array> ys;
    for (const Formula& f : formulas) ys.push_back(f.evaluate(variables, xs));
    return formulas.size() == 1 ? ys[0] : fx::stack(ys);
  };
}

struct Point {
  fx::Array vector;
  std::string text;  // "x = 1, y = 2"
};

Point read_point(const Args& args, const Problem& p) {
  if (!args.has("at"))
    throw UsageError("error: " + args.command().name + " needs the point: --at " +
                     (p.variables.size() == 1 ? p.variables[0] + "=1" : p.variables[0] + "=1," + p.variables[1] + "=2"));
  std::vector<std::string> labels;
  const std::vector<double> values = parse_point(args.get("at"), p.variables, "at", &labels);
  return {fx::array(values, {static_cast<int64_t>(values.size())}), point_text(p.variables, labels)};
}

}  // namespace

// A symmetric matrix's eigenvalues say what kind of point a stationary point is.
std::string definiteness(const std::vector<double>& eigenvalues) {
  bool positive = true, negative = true, zero = false;
  for (double l : eigenvalues) {
    positive &= l > 0;
    negative &= l < 0;
    zero |= l == 0;
  }
  if (positive) return "positive definite: a minimum where the gradient is 0";
  if (negative) return "negative definite: a maximum where the gradient is 0";
  if (zero) return "singular: the second derivatives do not decide";
  return "indefinite: a saddle point where the gradient is 0";
}

namespace {

// A number as the toolkit's polynomials print theirs (shortest round trip).
std::string exact(double v) { return fx::to_string(fx::Array(v)); }

// Σ over i ≤ j ≤ k of the monomials δᵢδⱼδₖ with their coefficients, from the
// symmetric derivative tensors: a monomial with repeated factors collects
// every ordering of its indices (so ½Hᵢᵢ, Hᵢⱼ, D³ᵢⱼₖ, ½D³ᵢᵢⱼ, ⅙D³ᵢᵢᵢ).
std::string approximation_text(const fx::taylor::Multivariate& t, const std::vector<std::string>& vars,
                               const std::vector<double>& at) {
  const size_t n = vars.size();
  std::vector<std::string> delta;
  for (size_t i = 0; i < n; ++i)
    delta.push_back(at[i] == 0 ? vars[i]
                               : "(" + vars[i] + (at[i] < 0 ? " + " : " - ") + exact(std::abs(at[i])) + ")");
  std::string text;
  auto term = [&](double c, const std::string& monomial) {
    if (c == 0) return;
    const std::string magnitude = exact(std::abs(c));
    const std::string body = monomial.empty() ? magnitude : (magnitude == "1.0" ? "" : magnitude + "*") + monomial;
    text += text.empty() ? (c < 0 ? "-" : "") + body : (c < 0 ? " - " : " + ") + body;
  };
  auto power = [&](size_t i, int k) { return delta[i] + (k > 1 ? "^" + std::to_string(k) : ""); };
  term(t.value().item<double>(), "");
  const std::vector<double> g = t.gradient().to_vector<double>();
  for (size_t i = 0; i < n; ++i) term(g[i], delta[i]);
  if (t.order() >= 2) {
    const std::vector<double> h = t.hessian().to_vector<double>();
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i; j < n; ++j)
        term(i == j ? h[i * n + i] / 2 : h[i * n + j], i == j ? power(i, 2) : delta[i] + "*" + delta[j]);
  }
  if (t.order() >= 3) {
    const std::vector<double> d = t.third().to_vector<double>();
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i; j < n; ++j)
        for (size_t k = j; k < n; ++k) {
          const double v = d[(i * n + j) * n + k];
          if (i == j && j == k) term(v / 6, power(i, 3));
          else if (i == j) term(v / 2, power(i, 2) + "*" + delta[k]);
          else if (j == k) term(v / 2, delta[i] + "*" + power(j, 2));
          else term(v, delta[i] + "*" + delta[j] + "*" + delta[k]);
        }
  }
  return text.empty() ? "0" : text;
}

}  // namespace

int run_taylor_several(const Args& args, const Problem& p, std::ostream& out) {
  const Style style(args);
  const int order = args.get_int("order", 2, 0, 3);
  const Point at = read_point(args, p);
  const auto f = vector_function(p.formulas, p.variables);
  const fx::taylor::Multivariate t = fx::taylor::approximation(f, at.vector, order);
  std::string names;
  for (const auto& v : p.variables) names += (names.empty() ? "" : ", ") + v;
  out << "Taylor approximation of order " << order << " of " << p.text << " at " << at.text << ":\n";
  out << "f = " << style.number(t.value().item<double>()) << "\n";
  if (order >= 1) out << style.nabla() << " = " << style.vector(t.gradient().to_vector<double>()) << "\n";
  if (order >= 2) {
    out << "Hessian:\n";
    const std::vector<double> h = t.hessian().to_vector<double>();
    std::vector<std::string> header{""};
    header.insert(header.end(), p.variables.begin(), p.variables.end());
    Table table(header);
    for (size_t i = 0; i < p.variables.size(); ++i) {
      std::vector<std::string> row{p.variables[i]};
      for (size_t j = 0; j < p.variables.size(); ++j) row.push_back(style.number(h[i * p.variables.size() + j]));
      table.row(row);
    }
    table.print(out);
  }
  out << "T" << (style.ascii ? std::to_string(order) : std::string(order == 0 ? "₀" : order == 1 ? "₁" : order == 2 ? "₂" : "₃"))
      << "(" << names << ") = " << approximation_text(t, p.variables, at.vector.to_vector<double>()) << "\n";
  if (!args.has("errors")) return 0;
  // Seed 000's experiment: the error at x0 + h·u for h = 10⁻¹ … 10⁻ᴰ along
  // the direction u (--direction, default all ones), in one vmap call.
  const int decades = args.get_int("decades", 5, 1, 15);
  std::vector<double> u(p.variables.size(), 1.0);
  if (args.has("direction")) u = parse_point(args.get("direction"), p.variables, "direction");
  const fx::taylor::ErrorScaling e = fx::taylor::error_scaling(
      f, t, at.vector, fx::array(u, {static_cast<int64_t>(u.size())}), fx::logspace(-1, -decades, decades), order);
  out << "\nerror of the approximation at the point + h*u, u = " << style.vector(u) << ":\n" << e.table();
  return 0;
}

namespace {

int run_grad(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args);
  const Style style(args);
  const Point at = read_point(args, p);
  const auto [value, gradient] = fx::value_and_grad(vector_function(p.formulas, p.variables))(at.vector);
  const std::vector<double> g = gradient.to_vector<double>();
  out << "f(" << at.text << ") = " << style.number(value.item<double>()) << "\n";
  out << style.nabla() << "(" << at.text << ") = " << style.vector(g) << "\n";
  for (size_t i = 0; i < g.size(); ++i) out << "  " << style.partial(p.variables[i]) << " = " << style.number(g[i]) << "\n";
  return 0;
}

int run_hessian(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args);
  const Style style(args);
  const Point at = read_point(args, p);
  const auto f = vector_function(p.formulas, p.variables);
  const fx::Array h = fx::hessian(f)(at.vector);
  const std::vector<double> values = h.to_vector<double>();
  const size_t n = p.variables.size();
  out << "f(" << at.text << ") = " << style.number(f(at.vector).item<double>()) << "\n";
  out << "Hessian (" << (style.ascii ? "d2f/d(row)d(column)" : "∂²f/∂row∂column") << "):\n";
  std::vector<std::string> header{""};
  header.insert(header.end(), p.variables.begin(), p.variables.end());
  Table t(header);
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> row{p.variables[i]};
    for (size_t j = 0; j < n; ++j) row.push_back(style.number(values[i * n + j]));
    t.row(row);
  }
  t.print(out);
  const std::vector<double> eigenvalues = fx::linalg::eigvalsh(h).to_vector<double>();
  out << "eigenvalues " << style.vector(eigenvalues) << ": " << definiteness(eigenvalues) << "\n";
  return 0;
}

int run_jacobian(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args, /*list=*/true);
  const Style style(args);
  const Point at = read_point(args, p);
  const auto f = vector_function(p.formulas, p.variables);
  // Reverse mode, one pullback per output; a 1-by-n Jacobian is the gradient.
  const fx::Array j = fx::jacobian(f)(at.vector);
  const std::vector<double> values = j.to_vector<double>(), fs = f(at.vector).to_vector<double>();
  const size_t m = p.formulas.size(), n = p.variables.size();
  std::vector<std::string> texts;
  for (size_t start = 0, end; start <= p.text.size(); start = end + 1) {
    end = std::min(p.text.find(';', start), p.text.size());
    const std::string piece = p.text.substr(start, end - start);
    texts.push_back(piece.substr(piece.find_first_not_of(' '), piece.find_last_not_of(' ') - piece.find_first_not_of(' ') + 1));
  }
  out << "f(" << at.text << ") = " << style.vector(fs) << "\n";
  out << "Jacobian (row: a formula, column: " << (style.ascii ? "d/d(variable)" : "∂/∂variable") << "):\n";
  std::vector<std::string> header{""};
  for (const auto& v : p.variables) header.push_back(style.ascii ? "d/d" + v : "∂/∂" + v);
  Table t(header);
  for (size_t i = 0; i < m; ++i) {
    std::vector<std::string> row{texts[i]};
    for (size_t k = 0; k < n; ++k) row.push_back(style.number(values[i * n + k]));
    t.row(row);
  }
  t.print(out);
  if (m == n && m > 1) out << "det = " << style.number(fx::linalg::det(j).item<double>()) << "\n";
  return 0;
}

const std::vector<Option> point_option = {{"at", "x=1,y=2", "the point: name=value for each variable, or the values in order"}};

}  // namespace

const Command& grad_command() {
  static const Command c{
      "grad",
      "the gradient ∇f: every partial derivative at a point (reverse mode)",
      "FORMULA --at x=1,y=2",
      "Prints f and its gradient at the point, by fx::value_and_grad of f as a function of the vector\n"
      "of its variables (one reverse pass for all partial derivatives).",
      point_option,
      {"grad \"x^2 + 2*x*y + y^3\" --at x=1,y=2"},
      run_grad};
  return c;
}

const Command& hessian_command() {
  static const Command c{
      "hessian",
      "the Hessian matrix of second partial derivatives, and what its eigenvalues say",
      "FORMULA --at x=1,y=2",
      "Prints the matrix of second derivatives ∂²f/∂xᵢ∂xⱼ at the point (fx::hessian: forward over\n"
      "reverse mode) and its eigenvalues, which tell a minimum, a maximum or a saddle apart where\n"
      "the gradient vanishes.",
      point_option,
      {"hessian \"x^2 + 2*x*y + y^3\" --at x=1,y=2"},
      run_hessian};
  return c;
}

const Command& jacobian_command() {
  static const Command c{
      "jacobian",
      "the Jacobian matrix of a vector function: formulas separated by ';'",
      "\"F1; F2; …\" --at x=1,y=2",
      "Prints the vector function's value and its Jacobian matrix at the point (fx::jacobian), one\n"
      "row per formula and one column per variable, and its determinant when it is square.",
      point_option,
      {"jacobian \"x*y; x^2 + y\" --at x=1,y=2", "jacobian \"r*cos(t); r*sin(t)\" --at r=2,t=pi/4"},
      run_jacobian};
  return c;
}

}  // namespace fluxion_calc
