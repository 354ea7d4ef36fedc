// A formula in ordinary notation ("x^2 + 2*x*y + y^3") parsed into an
// expression tree that evaluates with Fluxion operations on fx::Array, so
// every transformation (jet, grad, hessian, vmap, make_jaxpr) applies to it.
//
// Grammar (a hand-written recursive descent, one function per line):
//   list    := expr (';' expr)*                 several formulas: a vector function
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?             right-associative; -x^2 = -(x^2), x^-2 = x^(-2)
//   primary := number | constant | variable | function '(' expr ')' | '(' expr ')'
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fluxion/fluxion.hpp>

namespace fluxion_calc {

namespace fx = fluxion;

/// A formula that does not parse: the message and the 1-based column (in
/// characters, not bytes) it points at.
class ParseError : public std::runtime_error {
 public:
  ParseError(const std::string& message, int column)
      : std::runtime_error(message + " at column " + std::to_string(column)), message_(message), column_(column) {}
  const std::string& message() const { return message_; }
  int column() const { return column_; }

 private:
  std::string message_;
  int column_;
};

/// The formula's text, a caret under the column and the message, as a
/// compiler prints a syntax error.
std::string describe(const ParseError& error, const std::string& text);

struct Node;
using NodePtr = std::shared_ptr<const Node>;

/// The function names the parser accepts, in the order --help lists them.
const std::vector<std::string>& function_names();

/// One parsed formula: a tree of nodes, and the variables it names.
class Formula {
 public:
  /// One formula; ';' is an error here (see parse_list).
  static Formula parse(const std::string& text);
  /// One or more formulas separated by ';' (jacobian's vector function);
  /// columns in errors count from the start of the whole text.
  static std::vector<Formula> parse_list(const std::string& text);

  /// The variables the formula names, sorted.
  const std::vector<std::string>& variables() const { return variables_; }
  /// The formula fully parenthesised in prefix form, "(+ x (* 2 y))": what
  /// the parser understood.
  std::string tree() const;
  /// f with variables[i] bound to values[i] (`names` lists every variable
  /// the formula uses, in the order of `values`). Each node is one Fluxion
  /// operation, so under a transformation the tree is traced like any C++
  /// function; batched values evaluate elementwise.
  fx::Array evaluate(const std::vector<std::string>& names, const std::vector<fx::Array>& values) const;
  /// The variable named `name` that is absent from `names`, with its column;
  /// empty when all are present.
  std::pair<std::string, int> first_missing(const std::vector<std::string>& names) const;

 private:
  Formula(NodePtr root, std::vector<std::string> variables) : root_(std::move(root)), variables_(std::move(variables)) {}
  NodePtr root_;
  std::vector<std::string> variables_;
};

/// A number written as a formula without variables ("pi/4", "1e-3", "-2"):
/// --at, --from and --range accept these. Throws ParseError.
double evaluate_constant(const std::string& text);

}  // namespace fluxion_calc
