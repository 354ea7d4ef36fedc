// Batching checks (vmap against stacked per-example results) of the LAPACK-backed linear-algebra primitives.
#include "../autodiff/autodiff_util.hpp"
#include "batch_rules_cases.hpp"

namespace batch_rules {

void add_linalg_cases(Cases& c) {
  (void)c;
}

}  // namespace batch_rules
