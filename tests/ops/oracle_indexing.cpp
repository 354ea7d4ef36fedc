// The C++ spellings of indexing (x(...), fx::at), jnp.take,
// take_along_axis, flip and the lax slicing functions, for the cases
// tests/oracle/cases_indexing.py writes.
#include <sstream>
#include <stdexcept>

#include "oracle_table.hpp"

namespace oracle {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);) out.push_back(part);
  if (!text.empty() && text.back() == sep) out.emplace_back();
  return out;
}

std::optional<int64_t> bound(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::stoll(s);
}

// The index expression of a case: see cases_indexing.py for the spelling.
std::vector<fx::Index> parse_index(const std::string& text, const Arrays& in) {
  std::vector<fx::Index> index;
  if (text == "-") return index;
  for (const std::string& item : split(text, ';')) {
    switch (item.at(0)) {
      case 'i': index.emplace_back(std::stoll(item.substr(1))); break;
      case 'n': index.emplace_back(fx::newaxis); break;
      case 'e': index.emplace_back(fx::ellipsis); break;
      case 'a': index.emplace_back(in.at(std::stoul(item.substr(1)))); break;
      case 's': {
        const auto parts = split(item.substr(1), ':');
        index.emplace_back(fx::s(bound(parts.at(0)), bound(parts.at(1)), bound(parts.at(2))));
        break;
      }
      default: throw std::runtime_error("bad index item '" + item + "'");
    }
  }
  return index;
}

// The inputs after x and the values: the index arrays, numbered from 1.
Arrays index_inputs(const Arrays& in, size_t first) {
  Arrays out{fx::Array()};
  out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(first), in.end());
  return out;
}

std::vector<int64_t> ints(const std::string& text) {
  std::vector<int64_t> out;
  const std::string body = text.substr(1, text.size() - 2);
  if (!body.empty())
    for (const std::string& v : split(body, ',')) out.push_back(std::stoll(v));
  return out;
}

template <class Method>
Spelling update(const char* name, Method method) {
  return {name, [method](const Case& c, const Arrays& in) {
            const fx::IndexUpdate ref(in[0], parse_index(c.param("index"), index_inputs(in, 2)));
            return one((ref.*method)(in[1], fx::IndexOptions{}));
          }};
}

}  // namespace

void add_indexing_ops(Table& t) {
  t["indexing"] = {
      {"x(index...)", [](const Case& c, const Arrays& in) {
         return one(fx::detail::index_array(in[0], parse_index(c.param("index"), index_inputs(in, 1))));
       }},
      {"fx::at(x, index...).get()", [](const Case& c, const Arrays& in) {
         return one(fx::IndexUpdate(in[0], parse_index(c.param("index"), index_inputs(in, 1))).get());
       }}};
  t["at_set"] = {update("fx::at(x, index...).set", &fx::IndexUpdate::set)};
  t["at_add"] = {update("fx::at(x, index...).add", &fx::IndexUpdate::add)};
  t["at_multiply"] = {update("fx::at(x, index...).multiply", &fx::IndexUpdate::multiply)};
  t["at_min"] = {update("fx::at(x, index...).min", &fx::IndexUpdate::min)};
  t["at_max"] = {update("fx::at(x, index...).max", &fx::IndexUpdate::max)};
  t["take"] = {{"fx::take", [](const Case& c, const Arrays& in) {
                  std::optional<int64_t> axis;
                  if (c.param("axis") != "none") axis = c.int_param("axis");
                  return one(fx::take(in[0], in[1], axis));
                }}};
  t["take_along_axis"] = {{"fx::take_along_axis", [](const Case& c, const Arrays& in) {
                             return one(fx::take_along_axis(in[0], in[1], c.int_param("axis")));
                           }}};
  t["flip"] = {{"fx::flip", [](const Case& c, const Arrays& in) { return one(fx::flip(in[0], ints(c.param("axes")))); }}};
  t["pad"] = {{"fx::lax::pad", [](const Case& c, const Arrays& in) {
                 std::vector<std::vector<int64_t>> config;
                 const std::string text = c.param("config");
                 const std::string body = text.substr(1, text.size() - 2);
                 if (!body.empty())
                   for (const std::string& triple : split(body, ',')) {
                     std::vector<int64_t> v;
                     for (const std::string& n : split(triple, ':')) v.push_back(std::stoll(n));
                     config.push_back(v);
                   }
                 return one(fx::lax::pad(in[0], in[1], config));
               }}};
  t["dynamic_slice"] = {{"fx::lax::dynamic_slice", [](const Case& c, const Arrays& in) {
                           return one(fx::lax::dynamic_slice(in[0], Arrays(in.begin() + 1, in.end()), ints(c.param("sizes"))));
                         }}};
  t["dynamic_update_slice"] = {{"fx::lax::dynamic_update_slice", [](const Case&, const Arrays& in) {
                                  return one(fx::lax::dynamic_update_slice(in[0], in[1], Arrays(in.begin() + 2, in.end())));
                                }}};
}

}  // namespace oracle
