// JAX's layout algorithm (jaxlib/_pretty_printer.cc, before it the Python
// _format in jax/_src/pretty_printer.py), without colors or annotations.
// Both walks keep JAX's explicit stack, so that they visit the document in
// JAX's order and a deeply nested program cannot overflow the call stack.
#include "ir/pretty_printer.hpp"

#include <utility>

namespace fluxion::detail::pp {

enum class Kind { kNil, kText, kConcat, kBreak, kGroup, kNest };

struct Node {
  Kind kind = Kind::kNil;
  std::string text;           // kText: the text; kBreak: what it prints when flat
  int indent = 0;             // kNest
  Doc child;                  // kGroup, kNest
  std::vector<Doc> children;  // kConcat
};

namespace {

const Node kNilNode;

Doc make(Kind kind, std::string text = {}, int indent = 0, Doc child = {}, std::vector<Doc> children = {}) {
  return Doc(std::make_shared<const Node>(Node{kind, std::move(text), indent, std::move(child), std::move(children)}));
}

int width_of(const std::string& s) { return static_cast<int>(s.size()); }  // jaxprs are ASCII

// Whether `group` laid out flat takes at most `width` columns. Only the
// group itself is measured (see the header), and the walk stops as soon as
// the width is exceeded, so each group costs at most a line's worth of work.
bool fits(const Node& group, int width) {
  std::vector<const Node*> agenda{&group};
  while (width >= 0 && !agenda.empty()) {
    const Node& n = *agenda.back();
    agenda.pop_back();
    switch (n.kind) {
      case Kind::kNil:
        break;
      case Kind::kText:
      case Kind::kBreak:
        width -= width_of(n.text);
        break;
      case Kind::kConcat:
        for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) agenda.push_back(&it->node());
        break;
      case Kind::kGroup:
      case Kind::kNest:
        agenda.push_back(&n.child.node());
        break;
    }
  }
  return width >= 0;
}

enum class Mode { kFlat, kBreak };

struct Agendum {
  int indent;
  Mode mode;
  const Node* node;
};

}  // namespace

const Node& Doc::node() const { return node_ ? *node_ : kNilNode; }

Doc nil() { return Doc(); }
Doc text(std::string s) { return make(Kind::kText, std::move(s)); }
Doc concat(std::vector<Doc> children) { return make(Kind::kConcat, {}, 0, {}, std::move(children)); }
Doc brk(std::string flat) { return make(Kind::kBreak, std::move(flat)); }
Doc group(Doc child) { return make(Kind::kGroup, {}, 0, std::move(child)); }
Doc nest(int n, Doc child) { return make(Kind::kNest, {}, n, std::move(child)); }

Doc join(const Doc& sep, std::vector<Doc> docs) {
  if (docs.empty()) return nil();
  if (docs.size() == 1) return std::move(docs.front());
  std::vector<Doc> parts;
  parts.reserve(2 * docs.size() - 1);
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i) parts.push_back(sep);
    parts.push_back(std::move(docs[i]));
  }
  return concat(std::move(parts));
}

std::string format(const Doc& doc, int width) {
  std::string out;
  int column = 0;  // JAX's k: the width of the current line so far
  // The whole document starts in break mode: a break outside every group is
  // a newline.
  std::vector<Agendum> agenda{{0, Mode::kBreak, &doc.node()}};
  while (!agenda.empty()) {
    const Agendum a = agenda.back();
    agenda.pop_back();
    const Node& n = *a.node;
    switch (n.kind) {
      case Kind::kNil:
        break;
      case Kind::kText:
        out += n.text;
        column += width_of(n.text);
        break;
      case Kind::kConcat:
        for (auto it = n.children.rbegin(); it != n.children.rend(); ++it)
          agenda.push_back({a.indent, a.mode, &it->node()});
        break;
      case Kind::kBreak:
        if (a.mode == Mode::kBreak) {
          out += '\n';
          out.append(static_cast<size_t>(a.indent), ' ');
          column = a.indent;
        } else {
          out += n.text;
          column += width_of(n.text);
        }
        break;
      case Kind::kGroup:
        agenda.push_back({a.indent, fits(n, width - column) ? Mode::kFlat : Mode::kBreak, &n.child.node()});
        break;
      case Kind::kNest:
        agenda.push_back({a.indent + n.indent, a.mode, &n.child.node()});
        break;
    }
  }
  return out;
}

}  // namespace fluxion::detail::pp
