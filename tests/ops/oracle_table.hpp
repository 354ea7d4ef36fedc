// The C++ spellings of each operation the NumPy oracle checks
// (oracle_test.cpp). Families of operations keep theirs in a file of their
// own, oracle_<family>.cpp, beside the generator of their cases
// (tests/oracle/cases_<family>.py).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "oracle_cases.hpp"

namespace oracle {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;
// An empty result means the spelling does not apply to this case's dtypes.
using Fn = std::function<Arrays(const Case&, const Arrays&)>;
struct Spelling {
  std::string name;
  Fn fn;
};
// Keyed by the operation name the generator writes after `case`.
using Table = std::map<std::string, std::vector<Spelling>>;

inline Arrays one(fx::Array a) { return {std::move(a)}; }

void add_indexing_ops(Table& t);  // oracle_indexing.cpp
void add_special_ops(Table& t);   // oracle_special.cpp
void add_linalg_ops(Table& t);    // oracle_linalg.cpp
void add_numpy_ops(Table& t);     // oracle_numpy.cpp

}  // namespace oracle
