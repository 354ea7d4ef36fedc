// The code generator: one C++ translation unit computing a flat, optimised
// closed jaxpr (see codegen.cpp for how values are fused and placed).
#pragma once

#include <string>
#include <string_view>

#include "fluxion/jaxpr.hpp"

namespace fluxion::compiler {

struct Generated {
  std::string source;
  bool openmp = false;  // large loops run on OpenMP threads: build with -fopenmp
};

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
