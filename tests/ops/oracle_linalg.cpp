// The C++ spellings of the linalg family's operations, for the cases
// tests/oracle/cases_linalg.py writes.
#include "oracle_table.hpp"

namespace oracle {

void add_linalg_ops(Table& t) {
  (void)t;
}

}  // namespace oracle
