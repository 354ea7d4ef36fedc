// Programs derived from a sub-program parameter (the jaxpr a pjit or cond
// holds): its JVP split into a primal and a linear tangent program, the
// transpose of a linear program, its batched form. The rules of every
// primitive that holds jaxprs are written with these, as JAX's are with
// ad.jvp_jaxpr, partial_eval_jaxpr_nounits, backward_pass and batch_jaxpr.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "fluxion/jaxpr.hpp"

namespace fluxion::compiler {
class Executable;
}

namespace fluxion::prim {

// The JVP of a program with tangents for some inputs, split (JAX's
// partial_eval_jaxpr_nounits for a flat program) into
//   primal:  primals -> primal outputs ++ residuals
//   tangent: residuals ++ the nonzero tangents -> tangents of the floating
//            outputs (zeros instantiated), linear in the tangents,
// so that reverse mode records only the tangent program.
struct JvpSplit {
  JaxprParam primal, tangent;
  size_t num_residuals = 0;
};
JvpSplit jvp_split_program(const JaxprParam& j, const std::vector<bool>& nonzero);

// The transpose of a program linear in its `linear` inputs: its inputs are
// the other (known) inputs then the cotangents of the outputs with `has_ct`;
// its outputs are the cotangents of the linear inputs, zeros instantiated.
JaxprParam transpose_program(const JaxprParam& j, const std::vector<bool>& linear, const std::vector<bool>& has_ct);

// The program under vmap, its `mapped` inputs batched along a new leading
// axis of `size`. An output is batched (leading axis) when it depends on a
// mapped input or `force_mapped` says so (empty: none forced).
struct BatchedProgram {
  JaxprParam program;
  std::vector<bool> out_mapped;
};
BatchedProgram batch_program(const JaxprParam& j, const std::vector<bool>& mapped, int64_t size,
                             const std::vector<bool>& force_mapped = {});

// A jet of order `order` of a program whose `moving` inputs have Taylor
// terms (Primitive::jet of pjit, cond, while and scan). Inputs and outputs
// are laid out in consecutive segments of the original's (`in_segments`,
// `out_segments`: their sizes; empty = one segment): each segment lists its
// primals, then the K terms of each of its moving inputs (or, for outputs,
// of each floating output, zeros where it does not move), so that a loop's
// carry stays one contiguous group.
const JaxprParam& jet_program(const JaxprParam& j, const std::vector<bool>& moving, size_t order,
                              const std::vector<size_t>& in_segments = {}, const std::vector<size_t>& out_segments = {});
// The operands of such a program: `primals` and the terms of the moving
// ones (series[i] non-empty), in its input layout.
std::vector<Array> jet_operands(std::span<const Array> primals, std::span<const std::vector<Array>> series,
                                const std::vector<size_t>& segments = {});
// Its results read back: the primal outputs and the terms of the floating ones.
TaylorResult jet_results(std::span<const Array> outs, const std::vector<AbstractValue>& out_types, size_t order,
                         const std::vector<size_t>& segments = {});

// The program `f` computes from inputs of these types, as a parameter
// (traced, dead code removed, in canonical order).
JaxprParam trace_program(const std::function<std::vector<Array>(std::span<const Array>)>& f,
                         const std::vector<AbstractValue>& in);

// A traced function's captured values as leading inputs instead of
// constants (the program, and the values to pass there): primitives that
// hold a function's program take them as operands, as JAX's do, so that
// every transformation sees them.
std::pair<JaxprParam, std::vector<Array>> consts_as_inputs(ClosedJaxpr traced);

// The same derivations memoised on the parameter (its JaxprMemo): one
// derivation per key, also when threads ask together; references stay valid
// as long as the parameter.
const JvpSplit& jvp_split(const JaxprParam& j, const std::vector<bool>& nonzero);
const JaxprParam& transposed_program(const JaxprParam& j, const std::vector<bool>& linear,
                                     const std::vector<bool>& has_ct);
const BatchedProgram& batched_program(const JaxprParam& j, const std::vector<bool>& mapped, int64_t size,
                                      const std::vector<bool>& force_mapped = {});

// The types of a program's inputs and outputs, and of some values.
std::vector<AbstractValue> input_types(const Jaxpr& j);
std::vector<AbstractValue> output_types(const Jaxpr& j);
std::vector<AbstractValue> types_of(std::span<const Array> xs);
// `(f64[], i32[3])`, for messages.
std::string types_string(const std::vector<AbstractValue>& types);
// Equal shapes and dtypes (weak types may differ): what a sub-program's
// signature must match.
inline bool same_shape_and_dtype(const AbstractValue& a, const AbstractValue& b) {
  return a.shape == b.shape && a.dtype == b.dtype;
}
// The type of a tangent or cotangent of a value of type `a` (never weak).
inline AbstractValue tangent_aval(const AbstractValue& a) { return AbstractValue{a.shape, a.dtype, false}; }

}  // namespace fluxion::prim

namespace fluxion::detail {

// What is derived from a program once it is a parameter, created empty with
// it by make_jaxpr_param and filled on demand.
struct JaxprMemo {
  std::mutex mutex;
  std::map<std::vector<bool>, prim::JvpSplit> jvp;          // by which inputs have a nonzero tangent
  std::map<std::vector<bool>, JaxprParam> transpose;        // by which inputs are linear, then which cts are nonzero
  std::map<std::tuple<std::vector<bool>, int64_t, std::vector<bool>>, prim::BatchedProgram> batched;
  // by which inputs move, the order, and the input and output segments
  std::map<std::tuple<std::vector<bool>, size_t, std::vector<size_t>, std::vector<size_t>>, JaxprParam> jet;
  std::once_flag compiled_once;
  std::shared_ptr<const compiler::Executable> compiled;  // pjit's kernel
};

JaxprMemo& memo_of(const JaxprParam& j);

}  // namespace fluxion::detail
