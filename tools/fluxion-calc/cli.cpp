#include "cli.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "commands.hpp"

namespace fluxion_calc {

namespace {

std::string trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

std::vector<std::string> split(const std::string& s, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == separator) {
      parts.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  return parts;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

const Option* find_option(const Command& command, const std::string& name) {
  for (const auto* list : {&command.options, &common_options()})
    for (const Option& o : *list)
      if (o.name == name) return &o;
  return nullptr;
}

std::string see_help(const Command& command) { return " (see fluxion-calc " + command.name + " --help)"; }

void print_options(std::ostream& out, const std::vector<Option>& options) {
  size_t width = 0;
  for (const Option& o : options) width = std::max(width, display_width(o.name + o.value_name) + 3);
  for (const Option& o : options) {
    const std::string left = "--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    out << "  " << left << std::string(width + 2 - display_width(left), ' ') << o.help << "\n";
  }
}

void print_command_help(std::ostream& out, const Command& c) {
  out << "fluxion-calc " << c.name << ": " << c.summary << "\n\n"
      << "usage: fluxion-calc " << c.name << " " << c.usage << "\n\n"
      << c.details << "\n\n"
      << "options:\n";
  print_options(out, c.options);
  out << "\noptions of every command:\n";
  print_options(out, common_options());
  out << "\nexample" << (c.examples.size() > 1 ? "s" : "") << ":\n";
  for (const std::string& e : c.examples) out << "  fluxion-calc " << e << "\n";
}

void print_help(std::ostream& out) {
  out << "fluxion-calc: calculus on formulas, with Fluxion's automatic differentiation\n\n"
         "usage: fluxion-calc COMMAND FORMULA [options]\n"
         "       fluxion-calc COMMAND --help     (that command's options and examples)\n\n"
         "commands:\n";
  size_t width = 0;
  for (const Command* c : all_commands()) width = std::max(width, c->name.size());
  for (const Command* c : all_commands()) {
    out << "  " << c->name << std::string(width + 2 - c->name.size(), ' ') << c->summary << "\n";
    for (const std::string& e : c->examples)
      out << "  " << std::string(width + 2, ' ') << "fluxion-calc " << e << "\n";
  }
  out << "\nformulas:\n"
         "  numbers 2, 0.5, 1e-3; variables: any name (x, y, t1); constants pi and e;\n"
         "  operators + - * / and ^ for powers (** also works); parentheses;\n"
         "  functions "
      << join(function_names(), " ")
      << ".\n"
         "  ^ binds tighter than a sign and groups from the right: -x^2 = -(x^2), 2^3^2 = 2^9, x^-1 = 1/x.\n"
         "  A product needs its '*': 2*x, not 2x. Quote the formula for the shell: \"x^2 + 1\".\n"
         "  The variables are the names the formula uses, in alphabetical order, unless --vars names them.\n"
         "  Several formulas separated by ';' make a vector function (jacobian).\n"
         "  Values of options (--at, --from, --range) may be formulas without variables: --at pi/4.\n"
         "\noptions of every command:\n";
  print_options(out, common_options());
  out << "\nderivatives are written f, f′, f″, f‴, f⁽⁴⁾, … (with --ascii: f, f', f'', f''', f^(4), …).\n"
         "exit status: 0 done; 1 a computation that did not succeed (Newton without convergence, a value\n"
         "outside a function's domain, gnuplot missing for plot); 2 a mistake in the command line or the formula.\n";
}

}  // namespace

const std::vector<const Command*>& all_commands() {
  static const std::vector<const Command*> commands = {
      &diff_command(), &taylor_command(), &grad_command(),  &hessian_command(),
      &jacobian_command(), &newton_command(), &jaxpr_command(), &plot_command(),
  };
  return commands;
}

const std::vector<Option>& common_options() {
  static const std::vector<Option> options = {
      {"vars", "x,y", "the variables, in this order (default: the names the formula uses, sorted)"},
      {"digits", "N", "significant digits of printed numbers (default 15; 17 shows every bit)"},
      {"ascii", "", "plain ASCII names: f' f'' f''' f^(4), df/dx, grad f (instead of f′ f″ f‴ f⁽⁴⁾, ∂f/∂x, ∇f)"},
      {"help", "", "this command's options and examples"},
  };
  return options;
}

Args::Args(const Command& command, const std::vector<std::string>& words) : command_(&command) {
  for (size_t i = 0; i < words.size(); ++i) {
    std::string word = words[i];
    if (word == "-h") word = "--help";
    if (word == "-o") word = "--output";
    if (word.rfind("--", 0) != 0 || word.size() == 2) {
      positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2), value;
    const size_t equals = name.find('=');
    const bool inline_value = equals != std::string::npos;
    if (inline_value) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    const Option* option = find_option(command, name);
    if (!option) throw UsageError("error: unknown option --" + name + " for " + command.name + see_help(command));
    if (option->value_name.empty()) {
      if (inline_value) throw UsageError("error: --" + name + " takes no value" + see_help(command));
      flags_.insert(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 == words.size())
        throw UsageError("error: --" + name + " needs a value (" + option->value_name + ")" + see_help(command));
      value = words[++i];
    }
    values_[name] = value;
  }
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

int Args::get_int(const std::string& name, int fallback, int low, int high) const {
  if (!values_.count(name)) return fallback;
  const std::string text = get(name);
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < low || v > high)
    throw UsageError("error: --" + name + " must be a whole number from " + std::to_string(low) + " to " +
                     std::to_string(high) + ", not '" + text + "'");
  return static_cast<int>(v);
}

double Args::get_number(const std::string& name, double fallback) const {
  if (!values_.count(name)) return fallback;
  const std::string text = get(name);
  try {
    return evaluate_constant(text);
  } catch (const ParseError& e) {
    throw UsageError(describe(ParseError("--" + name + ": " + e.message(), e.column()), text));
  }
}

const std::string& Args::formula_text() const {
  if (positional_.empty())
    throw UsageError("error: " + command_->name + " needs a formula, e.g. fluxion-calc " + command_->examples[0]);
  if (positional_.size() > 1)
    throw UsageError("error: one formula expected, got also '" + positional_[1] +
                     "' (quote a formula with spaces: \"x^2 + 1\")" + see_help(*command_));
  return positional_[0];
}

Problem load_problem(const Args& args, bool list) {
  Problem p;
  p.text = args.formula_text();
  try {
    p.formulas = list ? Formula::parse_list(p.text) : std::vector<Formula>{Formula::parse(p.text)};
  } catch (const ParseError& e) {
    throw UsageError(describe(e, p.text));
  }
  if (args.has("vars")) {
    p.variables = split(args.get("vars"), ',');
    for (const std::string& v : p.variables) {
      Formula named = [&] {
        try {
          return Formula::parse(v);
        } catch (const ParseError&) {
          throw UsageError("error: --vars: '" + v + "' is not a variable name");
        }
      }();
      if (named.variables() != std::vector<std::string>{v})
        throw UsageError("error: --vars: '" + v + "' is not a variable name (pi, e and function names are taken)");
      if (std::count(p.variables.begin(), p.variables.end(), v) > 1)
        throw UsageError("error: --vars names '" + v + "' twice");
    }
    for (const Formula& f : p.formulas) {
      const auto [name, column] = f.first_missing(p.variables);
      if (!name.empty())
        throw UsageError(
            describe(ParseError("the variable '" + name + "' is not in --vars " + join(p.variables, ","), column),
                     p.text));
    }
  } else {
    for (const Formula& f : p.formulas)
      p.variables.insert(p.variables.end(), f.variables().begin(), f.variables().end());
    std::sort(p.variables.begin(), p.variables.end());
    p.variables.erase(std::unique(p.variables.begin(), p.variables.end()), p.variables.end());
    if (p.variables.empty())
      throw UsageError("error: the formula has no variable; name one with --vars x" + see_help(args.command()));
  }
  return p;
}

std::vector<double> parse_point(const std::string& text, const std::vector<std::string>& variables,
                                const char* option, std::vector<std::string>* labels) {
  const std::vector<std::string> parts = split(text, ',');
  std::vector<double> values(variables.size());
  std::vector<std::string> written(variables.size());
  std::vector<bool> given(variables.size(), false);
  const bool named = text.find('=') != std::string::npos;
  if (!named && parts.size() != variables.size())
    throw UsageError("error: --" + std::string(option) + " " + text + " gives " + std::to_string(parts.size()) +
                     " value" + (parts.size() == 1 ? "" : "s") + " for the variable" +
                     (variables.size() == 1 ? " " : "s ") + join(variables, ", ") + " (write " +
                     (variables.size() == 1 ? variables[0] + "=1" : variables[0] + "=1," + variables[1] + "=2") + ")");
  for (size_t i = 0; i < parts.size(); ++i) {
    size_t index = i;
    std::string value = parts[i];
    if (named) {
      const size_t equals = parts[i].find('=');
      if (equals == std::string::npos)
        throw UsageError("error: --" + std::string(option) + ": '" + parts[i] + "' needs a name, as in " +
                         variables[0] + "=" + parts[i]);
      const std::string name = trim(parts[i].substr(0, equals));
      const auto it = std::find(variables.begin(), variables.end(), name);
      if (it == variables.end())
        throw UsageError("error: --" + std::string(option) + ": '" + name + "' is not a variable (the variables are " +
                         join(variables, ", ") + ")");
      index = static_cast<size_t>(it - variables.begin());
      if (given[index]) throw UsageError("error: --" + std::string(option) + " gives " + name + " twice");
      value = trim(parts[i].substr(equals + 1));
    }
    given[index] = true;
    try {
      values[index] = evaluate_constant(value);
    } catch (const ParseError& e) {
      throw UsageError(describe(ParseError("--" + std::string(option) + ": " + e.message(), e.column()), value));
    }
    written[index] = value;
  }
  for (size_t i = 0; i < variables.size(); ++i)
    if (!given[i]) throw UsageError("error: --" + std::string(option) + " " + text + " gives no value for " + variables[i]);
  if (labels) *labels = written;
  return values;
}

Style::Style(const Args& args) : digits(args.get_int("digits", 15, 1, 17)), ascii(args.has("ascii")) {}

std::string Style::number(double v) const {
  if (v == 0) return "0";  // also -0
  if (std::isnan(v)) return "nan";  // printf's sign of a NaN means nothing to a reader
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  return buffer;
}

std::string Style::vector(const std::vector<double>& v) const {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + number(v[i]);
  return s + ")";
}

std::string Style::derivative(int order, const std::string& f) const {
  if (ascii) return order <= 3 ? f + std::string(static_cast<size_t>(order), '\'') : f + "^(" + std::to_string(order) + ")";
  static const char* primes[] = {"", "′", "″", "‴"};
  if (order <= 3) return f + primes[order];
  return f + "⁽" + superscript(order) + "⁾";
}

std::string Style::superscript(int k) const {
  if (ascii) return "^" + std::to_string(k);
  static const char* superscripts[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string text;
  for (char c : std::to_string(k)) text += superscripts[c - '0'];
  return text;
}

std::string Style::partial(const std::string& variable, const std::string& f) const {
  return ascii ? "d" + f + "/d" + variable : "∂" + f + "/∂" + variable;
}

size_t display_width(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void Table::print(std::ostream& out, const std::string& indent) const {
  std::vector<size_t> widths;
  for (const auto& row : rows_)
    for (size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  for (const auto& row : rows_) {
    std::string line = indent;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(widths[c] - display_width(row[c]), ' ');
      line += c == 0 ? row[c] + pad : "   " + pad + row[c];
    }
    out << line.substr(0, line.find_last_not_of(' ') + 1) << "\n";
  }
}

std::string point_text(const std::vector<std::string>& variables, const std::vector<std::string>& labels) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < variables.size(); ++i) parts.push_back(variables[i] + " = " + labels[i]);
  return join(parts, ", ");
}

int run_command_line(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty()) {
    err << "usage: fluxion-calc COMMAND FORMULA [options]; fluxion-calc --help lists the commands\n";
    return 2;
  }
  if (words[0] == "--help" || words[0] == "-h" || (words[0] == "help" && words.size() == 1)) {
    print_help(out);
    return 0;
  }
  const std::string name = words[0] == "help" ? words[1] : words[0];
  const auto it = std::find_if(all_commands().begin(), all_commands().end(), [&](const Command* c) { return c->name == name; });
  if (it == all_commands().end()) {
    std::vector<std::string> names;
    for (const Command* c : all_commands()) names.push_back(c->name);
    err << "error: unknown command '" << name << "' (the commands are " << join(names, ", ")
        << "; fluxion-calc --help describes them)\n";
    return 2;
  }
  const Command& command = **it;
  try {
    const Args args(command, std::vector<std::string>(words.begin() + 1, words.end()));
    if (args.has("help") || words[0] == "help") {
      print_command_help(out, command);
      return 0;
    }
    return command.run(args, out);
  } catch (const UsageError& e) {
    out.flush();
    err << e.what();
    if (std::string(e.what()).back() != '\n') err << "\n";
    return 2;
  } catch (const std::exception& e) {
    out.flush();
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace fluxion_calc
