// How the tour prints: headings, prose, and each result next to the C++ that
// computed it. SHOW(expr) prints the text of expr and then evaluates that same
// expression, so the code on the screen and the code that ran cannot drift
// apart; CODE(statement) does the same for a declaration.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace demo {

namespace fx = fluxion;

inline constexpr size_t kWidth = 100;       // prose is wrapped here
inline constexpr size_t kResultColumn = 50;  // "→ value" starts here after a short code line
inline constexpr std::string_view kCodeIndent = "    ";

// Characters on screen (UTF-8 continuation bytes take no column).
inline size_t columns(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

inline std::string pad_right(std::string s, size_t width) {
  const size_t n = columns(s);
  if (n < width) s.append(width - n, ' ');
  return s;
}

inline std::string pad_left(const std::string& s, size_t width) {
  const size_t n = columns(s);
  return n < width ? std::string(width - n, ' ') + s : s;
}

// A word that is a binary operator or relation: a line never breaks next to
// one, so that a formula such as "1 + x − x²/2" stays on one line.
inline bool is_operator(std::string_view word) {
  for (std::string_view op : {"+", "-", "−", "=", "≈", "·", "×", "/", "<", ">", "≤", "≥", "→", "←"})
    if (word == op) return true;
  return false;
}

// The words of `text` in lines of at most kWidth columns (a formula longer
// than a line is not broken), each starting with `first` (the first line) or
// `rest` (the others). Newlines in text are kept.
inline void wrap(std::string_view text, std::string_view first, std::string_view rest, std::ostream& os = std::cout) {
  // Paragraphs, each a list of unbreakable chunks (words glued to operators).
  std::vector<std::vector<std::string>> paragraphs(1);
  std::string_view previous;
  size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '\n' || text[at] == ' ') {
      if (text[at] == '\n') {
        paragraphs.emplace_back();
        previous = {};
      }
      ++at;
      continue;
    }
    size_t end = at;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    const std::string_view word = text.substr(at, end - at);
    auto& chunks = paragraphs.back();
    if (!chunks.empty() && (is_operator(word) || is_operator(previous)))
      chunks.back() += " " + std::string(word);
    else
      chunks.emplace_back(word);
    previous = word;
    at = end;
  }
  while (paragraphs.size() > 1 && paragraphs.back().empty()) paragraphs.pop_back();
  bool first_line = true;
  for (const auto& chunks : paragraphs) {
    std::string line(first_line ? first : rest);
    size_t start = columns(line);
    for (const std::string& chunk : chunks) {
      if (columns(line) > start && columns(line) + 1 + columns(chunk) > kWidth) {
        os << line << "\n";
        line = std::string(rest);
        start = columns(line);
      }
      if (columns(line) > start) line += ' ';
      line += chunk;
    }
    os << line << "\n";
    first_line = false;
  }
}

// A program's title, and the write-up it follows.
inline void banner(std::string_view title, std::string_view follows) {
  std::string rule;
  for (size_t i = 0; i < kWidth; ++i) rule += "═";
  std::cout << "\n" << rule << "\n  " << title << "\n";
  if (!follows.empty()) wrap(follows, "  ", "  ");
  std::cout << rule << "\n";
}

// "── 3. title ─────": sections are numbered in the order a program prints them.
inline void section(std::string_view title) {
  static int number = 0;
  std::string head = "\n── " + std::to_string(++number) + ". " + std::string(title) + " ";
  while (columns(head) < kWidth + 1) head += "─";
  std::cout << head << "\n";
}

// Prose: what is computed and why.
inline void say(std::string_view text) { wrap(text, "  ", "  "); }

// The one thing to take away from a section.
inline void notice(std::string_view text) { wrap(text, "  ▸ Notice: ", "            "); }

// ----------------------------------------------------------------- values

// The shortest decimal that reads back as v: what Python prints for a float.
inline std::string shortest(double v) { return fx::to_string(fx::Array(v)); }

inline std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

inline std::string sci(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", decimals, v);
  return buf;
}

// NumPy's printing (fx::to_string); a float32 value says so.
inline std::string text(const fx::Array& a) {
  std::string s = fx::to_string(a);
  if (a.dtype() == fx::float32) s += "   (float32)";
  return s;
}
inline std::string text(double v) { return shortest(v); }
inline std::string text(int v) { return std::to_string(v); }
inline std::string text(size_t v) { return std::to_string(v); }
inline std::string text(std::string_view s) { return std::string(s); }
inline std::string text(bool v) { return v ? "true" : "false"; }
inline std::string text(const std::string& s) { return s; }
inline std::string text(const char* s) { return s; }
// A tuple of results, as grad with several argnums returns.
inline std::string text(const std::vector<fx::Array>& v) {
  std::string s = "{";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + text(v[i]);
  return s + "}";
}

// ------------------------------------------------------------------- code

// A code line, with the JAX spelling beside it as a comment when given.
inline void code(std::string_view line, std::string_view jax = {}) {
  std::string s = std::string(kCodeIndent) + std::string(line);
  if (!jax.empty()) {
    const std::string comment = "// " + std::string(jax);
    const std::string beside = pad_right(s + " ", kResultColumn) + comment;
    // Too wide to stand beside the code: above it, as a comment line.
    s = columns(beside) <= kWidth ? beside : std::string(kCodeIndent) + comment + "\n" + s;
  }
  std::cout << s << "\n";
}

// A result under (or beside) its code: "→ value", continuation lines aligned.
inline void result(std::string_view line, std::string_view jax, const std::string& value) {
  const bool one_line = value.find('\n') == std::string::npos;
  std::string head = std::string(kCodeIndent) + std::string(line);
  std::string indent;
  if (jax.empty() && one_line && columns(head) + 2 <= kResultColumn && kResultColumn + 2 + columns(value) <= kWidth) {
    head = pad_right(head, kResultColumn) + "→ ";
    indent = std::string(kResultColumn + 2, ' ');
  } else {
    code(line, jax);
    head = std::string(kCodeIndent) + "  → ";
    indent = std::string(kCodeIndent.size() + 4, ' ');
  }
  std::cout << head;
  bool line_start = false;
  for (char c : value) {
    if (line_start && c != '\n') std::cout << indent;  // blank lines stay empty
    std::cout << c;
    line_start = c == '\n';
  }
  std::cout << "\n";
}

template <class T> T show(std::string_view line, std::string_view jax, T value) {
  result(line, jax, text(value));
  return value;
}

// Runs `run`, which must throw E, and prints the error it threw.
template <class E, class Run> void show_throws(std::string_view line, std::string_view type, Run run) {
  try {
    run();
  } catch (const E& e) {
    code(line);
    wrap(std::string(type) + ": " + e.what(), std::string(kCodeIndent) + "  → throws ",
         std::string(kCodeIndent.size() + 11, ' '));
    return;
  }
  std::cout << kCodeIndent << line << "\n" << kCodeIndent << "  → did not throw " << type << "\n";
}

// ------------------------------------------------------------------ tables

// Columns of right-aligned cells under right-aligned headers; the first
// column (a row's label) is right-aligned too, so numbers line up by digit.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  Table& row(std::vector<std::string> cells) {
    rows_.push_back(std::move(cells));
    return *this;
  }
  // Spaces between columns (3 unless a wide table needs fewer).
  Table& gap(size_t spaces) {
    gap_ = spaces;
    return *this;
  }
  // Numbers of varying length in this column line up on their decimal point.
  Table& align_on_point(size_t column) {
    on_point_.push_back(column);
    return *this;
  }
  void print(std::ostream& os = std::cout) const {
    std::vector<std::vector<std::string>> rows = rows_;
    for (size_t c : on_point_) {
      auto fraction = [](const std::string& cell) {
        const size_t p = cell.find('.');
        return p == std::string::npos ? size_t{0} : cell.size() - p;
      };
      size_t widest = 0;
      for (const auto& r : rows)
        if (c < r.size()) widest = std::max(widest, fraction(r[c]));
      for (auto& r : rows)
        if (c < r.size()) r[c].append(widest - fraction(r[c]), ' ');
    }
    std::vector<size_t> width(headers_.size());
    for (size_t c = 0; c < headers_.size(); ++c) width[c] = columns(headers_[c]);
    for (const auto& r : rows)
      for (size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], columns(r[c]));
    auto line = [&](const std::vector<std::string>& cells) {
      std::string s(kCodeIndent);
      for (size_t c = 0; c < cells.size() && c < width.size(); ++c)
        s += (c ? std::string(gap_, ' ') : "") + pad_left(cells[c], width[c]);
      s.erase(s.find_last_not_of(' ') + 1);
      os << s << "\n";
    };
    line(headers_);
    std::string rule(kCodeIndent);
    for (size_t c = 0; c < width.size(); ++c) {
      if (c) rule += std::string(gap_, ' ');
      for (size_t i = 0; i < width[c]; ++i) rule += "─";
    }
    os << rule << "\n";
    for (const auto& r : rows) line(r);
  }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> on_point_;
  size_t gap_ = 3;
};

// ------------------------------------------------------------------ timing

// The best of `repeats` timings of `run` (3 when one call takes over 0.1 s),
// in seconds per call. Each timing
// calls run often enough to last about `min_seconds`, so that short calls are
// not lost in the clock's resolution; the best one is the least disturbed by
// whatever else the machine is doing.
template <class Run> double best_seconds(Run&& run, int repeats = 5, double min_seconds = 0.02) {
  if (repeats < 1) repeats = 1;
  using clock = std::chrono::steady_clock;
  int calls = 1;
  for (;;) {  // calls per timing; these first runs also warm caches up and are not counted
    const auto start = clock::now();
    for (int i = 0; i < calls; ++i) run();
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();
    if (seconds >= min_seconds || calls >= (1 << 20)) {
      if (seconds / calls > 0.1) repeats = std::min(repeats, 3);  // a slow call: fewer, still several
      break;
    }
    calls *= 4;
  }
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto start = clock::now();
    for (int i = 0; i < calls; ++i) run();
    best = std::min(best, std::chrono::duration<double>(clock::now() - start).count() / calls);
  }
  return best;
}

// One call's time, in seconds (for a call that is only slow the first time).
template <class Run> double once_seconds(Run&& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "12.3 µs", "4.56 ms", "0.31 s".
inline std::string duration(double seconds) {
  if (seconds < 1e-6) return fixed(seconds * 1e9, 0) + " ns";
  if (seconds < 1e-3) return fixed(seconds * 1e6, seconds < 1e-5 ? 2 : 1) + " µs";
  if (seconds < 1.0) return fixed(seconds * 1e3, seconds < 1e-2 ? 2 : 1) + " ms";
  return fixed(seconds, 2) + " s";
}

}  // namespace demo

// Prints the expression's text and its value (returned, so it can be kept).
#define SHOW(...) ::demo::show(#__VA_ARGS__, {}, (__VA_ARGS__))
// The same, with JAX's spelling as a comment beside the code.
#define SHOW_JAX(jax, ...) ::demo::show(#__VA_ARGS__, jax, (__VA_ARGS__))
// Runs a statement (a declaration stays in scope) and prints it.
#define CODE(...)  \
  __VA_ARGS__;     \
  ::demo::code(#__VA_ARGS__ ";")
#define CODE_JAX(jax, ...) \
  __VA_ARGS__;             \
  ::demo::code(#__VA_ARGS__ ";", jax)
// Evaluates an expression that must throw error type E, and prints the message.
#define SHOW_THROWS(E, ...) ::demo::show_throws<E>(#__VA_ARGS__, #E, [&] { (void)(__VA_ARGS__); })
