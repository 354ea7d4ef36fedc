// Batching checks (vmap against stacked per-example results) of special functions, cumulative ops, argmin/argmax.
#include "../autodiff/autodiff_util.hpp"
#include "batch_rules_cases.hpp"

namespace batch_rules {

void add_special_cases(Cases& c) {
  (void)c;
}

}  // namespace batch_rules
