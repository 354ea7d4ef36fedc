// The C++ spellings of the indexing family's operations, for the cases
// tests/oracle/cases_indexing.py writes.
#include "oracle_table.hpp"

namespace oracle {

void add_indexing_ops(Table& t) {
  (void)t;
}

}  // namespace oracle
