// jit against eager, bit for bit: the LAPACK-backed linear-algebra primitives.
#include "registry_harness.hpp"

namespace jit_registry {

void add_linalg_cases(CaseTable& c) {
  (void)c;
}

}  // namespace jit_registry
