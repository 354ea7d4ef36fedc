// The derivative check of each registered primitive (rules_registry_test.cpp
// walks the registry and requires one). Families of primitives keep their
// cases beside each other in a file of their own, rules_<family>.cpp, which
// adds them to the table through the functions below.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace rules_registry {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;
using Fn = std::function<fx::Array(const Arrays&)>;

struct Case {
  Fn f;
  Arrays args;
  fx::GradMode modes = fx::fwd | fx::rev;  // while differentiates in forward mode only, as JAX's
};
using Cases = std::map<std::string, Case>;

// Keyed by primitive name; the case's program must apply that primitive.
// Every case (rules_registry_cases.cpp), the families' included.
Cases all_cases();
void add_indexing_cases(Cases& c);  // rules_indexing.cpp: pad, rev, dynamic slices, gather, scatter
void add_special_cases(Cases& c);   // rules_special.cpp: special functions, cumulative ops, argmin/argmax
void add_linalg_cases(Cases& c);    // rules_linalg.cpp: the LAPACK-backed primitives

}  // namespace rules_registry
