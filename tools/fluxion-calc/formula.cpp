#include "formula.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

namespace fluxion_calc {

enum class Kind { number, constant, variable, negate, add, subtract, multiply, divide, power, call };

struct Node {
  Kind kind;
  double value = 0;  // a number's or a constant's value
  std::string name;  // a variable's, a constant's or a function's
  int column = 0;
  std::vector<NodePtr> children;
};

namespace {

using Unary = fx::Array (*)(const fx::Array&);

// Every name a student expects from a calculator, mapped to its Fluxion
// operation (asin is numpy's arcsin, erf is scipy.special's).
const std::vector<std::pair<std::string, Unary>>& functions() {
  static const std::vector<std::pair<std::string, Unary>> table = {
      {"sin", fx::sin},     {"cos", fx::cos},       {"tan", fx::tan},     {"exp", fx::exp},
      {"log", fx::log},     {"sqrt", fx::sqrt},     {"tanh", fx::tanh},   {"sinh", fx::sinh},
      {"cosh", fx::cosh},   {"asin", fx::arcsin},   {"acos", fx::arccos}, {"atan", fx::arctan},
      {"abs", fx::abs},     {"erf", fx::scipy::special::erf},             {"log1p", fx::log1p},
      {"expm1", fx::expm1},
  };
  return table;
}

Unary find_function(const std::string& name) {
  for (const auto& [n, f] : functions())
    if (n == name) return f;
  return nullptr;
}

const std::map<std::string, double>& constants() {
  static const std::map<std::string, double> table = {{"pi", fx::pi}, {"e", fx::e}};
  return table;
}

struct Token {
  enum Type { number, name, symbol, end } type;
  std::string text;
  double value = 0;
  int column = 0;  // 1-based, in characters
};

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

// A UTF-8 continuation byte does not start a character: columns count characters.
bool starts_character(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> tokens;
  int column = 0;
  size_t i = 0;
  auto advance_to = [&](size_t end) {
    for (; i < end; ++i)
      if (starts_character(text[i])) ++column;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      advance_to(i + 1);
      continue;
    }
    const int start_column = column + 1;
    size_t end = i;
    if (is_digit(c) || (c == '.' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      while (end < text.size() && is_digit(text[end])) ++end;
      if (end < text.size() && text[end] == '.') {
        ++end;
        while (end < text.size() && is_digit(text[end])) ++end;
      }
      // An exponent needs digits after it; "2e" is 2 followed by the constant e.
      if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
        size_t digits = end + 1;
        if (digits < text.size() && (text[digits] == '+' || text[digits] == '-')) ++digits;
        if (digits < text.size() && is_digit(text[digits])) {
          end = digits;
          while (end < text.size() && is_digit(text[end])) ++end;
        }
      }
      const std::string literal = text.substr(i, end - i);
      tokens.push_back({Token::number, literal, std::strtod(literal.c_str(), nullptr), start_column});
    } else if (is_name_start(c)) {
      while (end < text.size() && is_name_char(text[end])) ++end;
      tokens.push_back({Token::name, text.substr(i, end - i), 0, start_column});
    } else if (c == '*' && i + 1 < text.size() && text[i + 1] == '*') {
      end = i + 2;  // Python's power operator, as a synonym of ^
      tokens.push_back({Token::symbol, "^", 0, start_column});
    } else if (std::string("+-*/^();").find(c) != std::string::npos) {
      end = i + 1;
      tokens.push_back({Token::symbol, std::string(1, c), 0, start_column});
    } else {
      end = i + 1;
      while (end < text.size() && !starts_character(text[end])) ++end;
      throw ParseError("unexpected character '" + text.substr(i, end - i) + "'", start_column);
    }
    advance_to(end);
  }
  tokens.push_back({Token::end, "", 0, column + 1});
  return tokens;
}

NodePtr make(Kind kind, int column, std::vector<NodePtr> children = {}, std::string name = {}, double value = 0) {
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->column = column;
  node->children = std::move(children);
  node->name = std::move(name);
  node->value = value;
  return node;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::vector<NodePtr> list() {
    if (peek().type == Token::end) throw ParseError("the formula is empty", 1);
    std::vector<NodePtr> formulas{expr()};
    while (accept(";")) formulas.push_back(expr());
    if (peek().type != Token::end) unexpected();
    return formulas;
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& take() { return tokens_[pos_++]; }
  bool at(const char* symbol) const { return peek().type == Token::symbol && peek().text == symbol; }
  bool accept(const char* symbol) {
    if (!at(symbol)) return false;
    ++pos_;
    return true;
  }

  // A token where an operator or the end was expected: most often a product
  // written without '*', which ordinary notation allows and this one does not.
  [[noreturn]] void unexpected() const {
    const Token& t = peek();
    const Token& before = tokens_[pos_ - 1];
    const bool operand = t.type == Token::number || t.type == Token::name || t.text == "(";
    const bool after_operand = before.type == Token::number || before.type == Token::name || before.text == ")";
    if (operand && after_operand)
      throw ParseError("unexpected '" + t.text + "' (write " + before.text + "*" + t.text + " for a product)",
                       t.column);
    throw ParseError("unexpected '" + t.text + "'", t.column);
  }

  NodePtr expr() {
    NodePtr left = term();
    while (at("+") || at("-")) {
      const Token& op = take();
      left = make(op.text == "+" ? Kind::add : Kind::subtract, op.column, {left, term()});
    }
    return left;
  }

  NodePtr term() {
    NodePtr left = unary();
    while (at("*") || at("/")) {
      const Token& op = take();
      left = make(op.text == "*" ? Kind::multiply : Kind::divide, op.column, {left, unary()});
    }
    return left;
  }

  NodePtr unary() {
    if (at("-")) {
      const int column = take().column;
      return make(Kind::negate, column, {unary()});
    }
    if (accept("+")) return unary();
    return power();
  }

  // The exponent is a unary: it may carry a sign (x^-2) and, being itself a
  // power, makes ^ right-associative (2^3^2 = 2^9).
  NodePtr power() {
    NodePtr base = primary();
    if (at("^")) {
      const int column = take().column;
      return make(Kind::power, column, {base, unary()});
    }
    return base;
  }

  NodePtr primary() {
    const Token& t = peek();
    if (t.type == Token::number) {
      ++pos_;
      return make(Kind::number, t.column, {}, t.text, t.value);
    }
    if (t.type == Token::name) {
      ++pos_;
      if (at("(")) {
        if (!find_function(t.text)) {
          std::string known;
          for (const auto& name : function_names()) known += (known.empty() ? "" : " ") + name;
          throw ParseError("unknown function '" + t.text + "' (the functions are " + known + ")", t.column);
        }
        ++pos_;
        NodePtr argument = expr();
        if (!accept(")")) throw ParseError("expected ')'", peek().column);
        return make(Kind::call, t.column, {argument}, t.text);
      }
      if (find_function(t.text)) throw ParseError("expected '(' after '" + t.text + "'", peek().column);
      if (auto c = constants().find(t.text); c != constants().end())
        return make(Kind::constant, t.column, {}, t.text, c->second);
      return make(Kind::variable, t.column, {}, t.text);
    }
    if (accept("(")) {
      NodePtr inner = expr();
      if (!accept(")")) throw ParseError("expected ')'", peek().column);
      return inner;
    }
    if (t.type == Token::end) throw ParseError("expected a number, a variable, a function or '(' before the end", t.column);
    throw ParseError("expected a number, a variable, a function or '(' instead of '" + t.text + "'", t.column);
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

void collect_variables(const Node& node, std::vector<std::string>& names) {
  if (node.kind == Kind::variable) names.push_back(node.name);
  for (const auto& child : node.children) collect_variables(*child, names);
}

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", v);
  return buffer;
}

std::string prefix_form(const Node& node) {
  auto binary = [&](const char* op) {
    return std::string("(") + op + " " + prefix_form(*node.children[0]) + " " + prefix_form(*node.children[1]) + ")";
  };
  switch (node.kind) {
    case Kind::number: return number_text(node.value);
    case Kind::constant:
    case Kind::variable: return node.name;
    case Kind::negate: return "(- " + prefix_form(*node.children[0]) + ")";
    case Kind::add: return binary("+");
    case Kind::subtract: return binary("-");
    case Kind::multiply: return binary("*");
    case Kind::divide: return binary("/");
    case Kind::power: return binary("^");
    case Kind::call: return "(" + node.name + " " + prefix_form(*node.children[0]) + ")";
  }
  return {};
}

// An exponent written as an integer literal (2, -3): JAX's x**2 is
// integer_pow, exact for negative bases, and so is this.
bool integer_exponent(const Node& node, int64_t& n) {
  double v;
  if (node.kind == Kind::number) v = node.value;
  else if (node.kind == Kind::negate && node.children[0]->kind == Kind::number) v = -node.children[0]->value;
  else return false;
  if (v != std::floor(v) || std::abs(v) > 1 << 20) return false;
  n = static_cast<int64_t>(v);
  return true;
}

fx::Array eval(const Node& node, const std::vector<std::string>& names, const std::vector<fx::Array>& values) {
  auto arg = [&](size_t i) { return eval(*node.children[i], names, values); };
  switch (node.kind) {
    case Kind::number:
    case Kind::constant: return fx::Array(node.value);
    case Kind::variable: {
      const auto it = std::find(names.begin(), names.end(), node.name);
      if (it == names.end()) throw fx::ValueError("fluxion-calc: no value for the variable " + node.name);
      return values[static_cast<size_t>(it - names.begin())];
    }
    case Kind::negate: return -arg(0);
    case Kind::add: return arg(0) + arg(1);
    case Kind::subtract: return arg(0) - arg(1);
    case Kind::multiply: return arg(0) * arg(1);
    case Kind::divide: return arg(0) / arg(1);
    case Kind::power: {
      int64_t n;
      if (integer_exponent(*node.children[1], n)) return fx::integer_pow(arg(0), n);
      return fx::pow(arg(0), arg(1));
    }
    case Kind::call: return find_function(node.name)(arg(0));
  }
  throw fx::ValueError("fluxion-calc: unknown node");
}

void find_missing(const Node& node, const std::vector<std::string>& names, std::pair<std::string, int>& missing) {
  if (!missing.first.empty()) return;
  if (node.kind == Kind::variable && std::find(names.begin(), names.end(), node.name) == names.end()) {
    missing = {node.name, node.column};
    return;
  }
  for (const auto& child : node.children) find_missing(*child, names, missing);
}

}  // namespace

const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& f : functions()) out.push_back(f.first);
    return out;
  }();
  return names;
}

std::string describe(const ParseError& error, const std::string& text) {
  return "error: " + std::string(error.what()) + "\n  " + text + "\n  " +
         std::string(static_cast<size_t>(std::max(error.column() - 1, 0)), ' ') + "^\n";
}

std::vector<Formula> Formula::parse_list(const std::string& text) {
  std::vector<Formula> out;
  for (NodePtr root : Parser(tokenize(text)).list()) {
    std::vector<std::string> names;
    collect_variables(*root, names);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    out.push_back(Formula(std::move(root), std::move(names)));
  }
  return out;
}

Formula Formula::parse(const std::string& text) {
  const std::vector<Token> tokens = tokenize(text);
  for (const Token& t : tokens)
    if (t.type == Token::symbol && t.text == ";")
      throw ParseError("unexpected ';' (several formulas separated by ';' are for the jacobian command)", t.column);
  return parse_list(text)[0];
}

std::string Formula::tree() const { return prefix_form(*root_); }

fx::Array Formula::evaluate(const std::vector<std::string>& names, const std::vector<fx::Array>& values) const {
  return eval(*root_, names, values);
}

std::pair<std::string, int> Formula::first_missing(const std::vector<std::string>& names) const {
  std::pair<std::string, int> missing{"", 0};
  find_missing(*root_, names, missing);
  return missing;
}

double evaluate_constant(const std::string& text) {
  const Formula f = Formula::parse(text);
  if (!f.variables().empty()) {
    const auto [name, column] = f.first_missing({});
    throw ParseError("expected a number, not the variable '" + name + "'", column);
  }
  return f.evaluate({}, {}).item<double>();
}

}  // namespace fluxion_calc
