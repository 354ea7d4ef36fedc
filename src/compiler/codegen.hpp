// The code generator: one C++ translation unit computing a flat, optimised
// closed jaxpr (see codegen.cpp for how values are fused and placed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fluxion/jaxpr.hpp"

namespace fluxion::compiler {

struct Generated {
  std::string source;
  bool openmp = false;  // large loops run on OpenMP threads: build with -fopenmp
  // Sub-programs (cond's branches...) compiled into functions of the same
  // unit, as the code generator took them: function k + 1 computes
  // subprograms[k]. Their constants follow the program's in fx_consts, and
  // fx_rt points at an array of runtimes, one per function (the program's
  // first), whose ctx identifies the function for call_eqn.
  std::vector<ClosedJaxpr> subprograms;
};

// The program as the code generator takes it: optimised (passes.hpp), its
// dropped outputs named, every equation with a lowering rule (executable.cpp).
ClosedJaxpr optimized(const ClosedJaxpr& program);

// The source of `fx_entry` and `fx_scratch_bytes` (ABI: compiler/runtime.hpp)
// for `program`, whose equations must all have lowering rules. Equation k of
// the program is what the runtime's call_eqn(ctx, k, ...) is asked to run.
Generated generate(const ClosedJaxpr& program, std::string_view name);

// The helpers every generated unit starts with (preamble.cpp).
const char* preamble();

// Gives every dropped output (`_`) of a multi-output equation a variable:
// its kernel writes it all the same. The runtime's call_eqn reads the same
// program, so compile() applies this before generating.
void name_dropped_outputs(ClosedJaxpr& program);

}  // namespace fluxion::compiler
