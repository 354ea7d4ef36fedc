// The command line's shared pieces: subcommand descriptions (their --help),
// arguments, the formula and point every command reads, and number
// formatting.
#pragma once

#include <iosfwd>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "formula.hpp"

namespace fluxion_calc {

/// A mistake in the command line or the formula: printed as is, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Option {
  std::string name;        ///< without the leading "--"
  std::string value_name;  ///< empty for a flag
  std::string help;
};

class Args;

struct Command {
  std::string name;
  std::string summary;  ///< one line, for the command list
  std::string usage;    ///< the arguments after the command's name
  std::string details;  ///< paragraphs for `fluxion-calc NAME --help`
  std::vector<Option> options;
  std::vector<std::string> examples;  ///< command lines, without "fluxion-calc "
  /// Writes the result to `out`; returns the exit code.
  int (*run)(const Args& args, std::ostream& out);
};

/// The options every command accepts (--vars, --ascii, --digits, --help).
const std::vector<Option>& common_options();

/// A command's arguments: its positionals, and its options by name.
class Args {
 public:
  /// Throws UsageError for an option the command does not know or a missing value.
  Args(const Command& command, const std::vector<std::string>& words);

  const Command& command() const { return *command_; }
  const std::vector<std::string>& positional() const { return positional_; }
  bool has(const std::string& name) const { return values_.count(name) || flags_.count(name); }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  /// An option's value as an integer in [low, high]; UsageError otherwise.
  int get_int(const std::string& name, int fallback, int low, int high) const;
  /// An option's value as a number, written as a formula without variables (pi/4).
  double get_number(const std::string& name, double fallback) const;

  /// The single formula argument; UsageError when absent or not single.
  const std::string& formula_text() const;

 private:
  const Command* command_;
  std::vector<std::string> positional_;
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

/// Parsed formulas and the variables they are functions of: the sorted names
/// they use, or --vars (which must list every name used, and may add more).
struct Problem {
  std::string text;
  std::vector<Formula> formulas;
  std::vector<std::string> variables;
};
/// `list`: several formulas separated by ';' are allowed (jacobian).
Problem load_problem(const Args& args, bool list = false);

/// A point: "0", "pi/2" for one variable; "x=1,y=2" or "1,2" (in the
/// variables' order) for several. `labels` receives each coordinate as the
/// user wrote it.
std::vector<double> parse_point(const std::string& text, const std::vector<std::string>& variables,
                                const char* option, std::vector<std::string>* labels = nullptr);

/// How numbers and names are printed (--digits, --ascii).
struct Style {
  int digits = 15;
  bool ascii = false;
  explicit Style(const Args& args);
  /// %.{digits}g, with -0 printed as 0.
  std::string number(double v) const;
  /// f, f′, f″, f‴, f⁽⁴⁾ …; with --ascii f, f', f'', f''', f^(4).
  std::string derivative(int order, const std::string& f = "f") const;
  /// ², ³, ¹⁰ …; with --ascii ^2, ^3, ^10.
  std::string superscript(int k) const;
  /// ∂f/∂x, or df/dx with --ascii.
  std::string partial(const std::string& variable, const std::string& f = "f") const;
  /// (1, 2.5, -3)
  std::string vector(const std::vector<double>& v) const;
  std::string nabla() const { return ascii ? "grad f" : "∇f"; }
};

/// Right-aligned columns (widths counted in characters, so ′ and ⁽⁴⁾ align).
class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void print(std::ostream& out, const std::string& indent = "  ") const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

/// Characters (UTF-8 code points) in s.
size_t display_width(const std::string& s);

/// "x = 1, y = 2" for a point.
std::string point_text(const std::vector<std::string>& variables, const std::vector<std::string>& labels);

/// The whole command line: dispatches to a command, prints --help, maps
/// errors to exit codes (0 done, 1 the computation failed, 2 usage).
int run_command_line(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace fluxion_calc
