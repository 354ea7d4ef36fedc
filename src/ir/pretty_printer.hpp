// JAX's pretty printer (jax/_src/pretty_printer.py, jaxlib/_pretty_printer.cc):
// a Wadler-Lindig document model and the layout algorithm that formats
// jaxprs. Jaxprs print exactly as JAX prints them only if both the document
// a jaxpr becomes (src/ir/jaxpr.cpp) and the way a document is laid out
// follow JAX step for step, so this is a transcription of JAX's algorithm,
// quirks included, rather than a textbook Wadler printer:
//   - a group is laid flat when its own flat width fits in what is left of
//     the current line; the text after the group is not considered (JAX's
//     comment: "In Lindig's paper, _fits is passed the remainder of the
//     document. I'm pretty sure that's a bug");
//   - breaks outside any group are line breaks (the document starts in
//     break mode);
//   - a broken line is indented with spaces and never trimmed.
// JAX's colors, annotations and source maps are left out: they change no
// layout (annotations are off unless source info is asked for), and a
// string for a test or a log wants no color codes.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace fluxion::detail::pp {

struct Node;

// An immutable document; copies share structure.
class Doc {
 public:
  Doc() = default;  // nil
  explicit Doc(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  const Node& node() const;

 private:
  std::shared_ptr<const Node> node_;  // null for nil
};

// An empty document.
Doc nil();
// Literal text (no newlines).
Doc text(std::string s);
// The documents one after the other.
Doc concat(std::vector<Doc> children);
// A line break when its enclosing group is broken, `flat` otherwise.
Doc brk(std::string flat = " ");
// Lays `child` out flat if it fits on the rest of the line, broken otherwise.
Doc group(Doc child);
// Lines broken inside `child` are indented `n` more columns.
Doc nest(int n, Doc child);
// `docs` separated by `sep` (nil for none, the document itself for one).
Doc join(const Doc& sep, std::vector<Doc> docs);
inline Doc operator+(Doc a, Doc b) { return concat({std::move(a), std::move(b)}); }

// Lays `doc` out in `width` columns (JAX's Doc.format, default width 80).
std::string format(const Doc& doc, int width = 80);

}  // namespace fluxion::detail::pp
