// The C++ spellings of the special family's operations, for the cases
// tests/oracle/cases_special.py writes.
#include "oracle_table.hpp"

namespace oracle {

void add_special_ops(Table& t) {
  (void)t;
}

}  // namespace oracle
