// TreeDef and the structure checks behind include/fluxion/pytree.hpp. The
// texts are JAX's (jaxlib's pytree.cc): PyTreeDef((*, [*, *], {'a': *})) and
// its flatten_up_to messages, with `*` where JAX prints a leaf's value.
#include "fluxion/pytree.hpp"

#include <algorithm>
#include <numeric>

namespace fluxion {

TreeDef::TreeDef(Kind kind, std::string type_name, std::vector<std::string> keys, std::vector<TreeDef> children)
    : kind_(kind), type_name_(std::move(type_name)), keys_(std::move(keys)), children_(std::move(children)) {
  num_leaves_ = 0;
  for (const TreeDef& c : children_) num_leaves_ += c.num_leaves_;
}

TreeDef TreeDef::none() { return TreeDef(Kind::none, "", {}, {}); }
TreeDef TreeDef::tuple(std::vector<TreeDef> children) { return TreeDef(Kind::tuple, "", {}, std::move(children)); }
TreeDef TreeDef::list(std::vector<TreeDef> children) { return TreeDef(Kind::list, "", {}, std::move(children)); }

TreeDef TreeDef::dict(std::vector<std::string> keys, std::vector<TreeDef> children) {
  if (keys.size() != children.size()) throw ValueError("fx::TreeDef::dict: one key per child is needed");
  // JAX sorts a dict's keys; a std::map already is, a hand-built one may not be.
  std::vector<size_t> order(keys.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<std::string> sorted_keys;
  std::vector<TreeDef> sorted_children;
  for (size_t i : order) {
    sorted_keys.push_back(std::move(keys[i]));
    sorted_children.push_back(std::move(children[i]));
  }
  return TreeDef(Kind::dict, "", std::move(sorted_keys), std::move(sorted_children));
}

TreeDef TreeDef::node(std::string type_name, std::vector<std::string> fields, std::vector<TreeDef> children) {
  if (fields.size() != children.size()) throw ValueError("fx::TreeDef::node: one field name per child is needed");
  return TreeDef(Kind::node, std::move(type_name), std::move(fields), std::move(children));
}

bool TreeDef::operator==(const TreeDef& other) const {
  return kind_ == other.kind_ && type_name_ == other.type_name_ && keys_ == other.keys_ && children_ == other.children_;
}

std::string TreeDef::body() const {
  auto joined = [&](const char* open, const char* close, bool trailing_comma) {
    std::string s = open;
    for (size_t i = 0; i < children_.size(); ++i) {
      if (i) s += ", ";
      if (kind_ == Kind::dict) s += "'" + keys_[i] + "': ";
      if (kind_ == Kind::node) s += keys_[i] + "=";
      s += children_[i].body();
    }
    if (trailing_comma && children_.size() == 1) s += ",";
    return s + close;
  };
  switch (kind_) {
    case Kind::leaf: return "*";
    case Kind::none: return "None";
    case Kind::tuple: return joined("(", ")", true);
    case Kind::list: return joined("[", "]", false);
    case Kind::dict: return joined("{", "}", false);
    case Kind::node: return type_name_ + joined("(", ")", false);
  }
  return "?";
}

std::string TreeDef::str() const { return "PyTreeDef(" + body() + ")"; }

namespace detail {

void throw_tree_error(const std::string& message) { throw TypeError(message); }

std::pair<std::string, std::vector<std::string>> split_struct_names(const char* names) {
  const std::string s = names;
  const size_t open = s.find('(');
  std::pair<std::string, std::vector<std::string>> out{s.substr(0, open), {}};
  std::string field;
  for (size_t i = open + 1; i + 1 < s.size(); ++i) {
    const char c = s[i];
    if (c == ',') {
      out.second.push_back(field);
      field.clear();
    } else if (c != ' ') {
      field += c;
    }
  }
  out.second.push_back(field);
  return out;
}

namespace {

std::string keys_list(const std::vector<std::string>& keys) {
  std::string s = "[";
  for (size_t i = 0; i < keys.size(); ++i) s += (i ? ", '" : "'") + keys[i] + "'";
  return s + "]";
}

}  // namespace

std::optional<std::string> tree_mismatch(const TreeDef& expected, const TreeDef& actual, bool prefix) {
  using Kind = TreeDef::Kind;
  switch (expected.kind()) {
    case Kind::leaf:
      if (prefix || actual.kind() == Kind::leaf) return std::nullopt;
      return "Expected a leaf, got " + actual.body() + ".";
    case Kind::none:
      if (actual.kind() == Kind::none) return std::nullopt;
      return "Expected None, got " + actual.body() + ".";
    case Kind::tuple:
      if (actual.kind() != Kind::tuple) return "Expected tuple, got " + actual.body() + ".";
      if (actual.children().size() != expected.children().size())
        return "Tuple arity mismatch: " + std::to_string(actual.children().size()) +
               " != " + std::to_string(expected.children().size()) + "; tuple: " + actual.body() + ".";
      break;
    case Kind::list:
      if (actual.kind() != Kind::list) return "Expected list, got " + actual.body() + ".";
      if (actual.children().size() != expected.children().size())
        return "List arity mismatch: " + std::to_string(actual.children().size()) +
               " != " + std::to_string(expected.children().size()) + "; list: " + actual.body() + ".";
      break;
    case Kind::dict:
      if (actual.kind() != Kind::dict) return "Expected dict, got " + actual.body() + ".";
      if (actual.keys() != expected.keys())
        return "Dict key mismatch; expected keys: " + keys_list(expected.keys()) + "; dict: " + actual.body() + ".";
      break;
    case Kind::node:
      if (actual.kind() != Kind::node || actual.type_name() != expected.type_name() || actual.keys() != expected.keys())
        return "Custom node type mismatch; expected type: " + expected.type_name() + "; value: " + actual.body() + ".";
      break;
  }
  for (size_t i = 0; i < expected.children().size(); ++i)
    if (auto why = tree_mismatch(expected.children()[i], actual.children()[i], prefix)) return why;
  return std::nullopt;
}

}  // namespace detail
}  // namespace fluxion
