// The batching check of each registered primitive (batch_rules_test.cpp walks
// the registry and requires one). Families of primitives keep their cases
// beside each other in a file of their own, batch_rules_<family>.cpp, which
// adds them to the table through the functions below.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace batch_rules {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;
using Fn = std::function<fx::Array(const Arrays&)>;

struct Case {
  Fn f;
  // The per-example arguments for one seed (different seeds, different examples).
  std::function<Arrays(uint64_t)> make;
  // The primitive the batched program applies instead, given which arguments
  // are mapped (a cond whose predicate is batched becomes a select_n); empty:
  // the case's own.
  std::function<std::string(const std::vector<std::optional<int>>&)> batched_as = {};
};
// Keyed by primitive name, or "name/variant" for several cases of one primitive.
using Cases = std::map<std::string, Case>;

void add_indexing_cases(Cases& c);  // batch_rules_indexing.cpp
void add_special_cases(Cases& c);   // batch_rules_special.cpp
void add_linalg_cases(Cases& c);    // batch_rules_linalg.cpp

}  // namespace batch_rules
