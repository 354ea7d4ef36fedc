/// @file
/// Primitives: the unit of extension. A primitive is a name plus every rule the
/// interpreters need; interpreters never switch on names
/// ([docs/ARCHITECTURE.md](docs/ARCHITECTURE.md), "Principles" and "Adding a
/// primitive").
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "fluxion/array.hpp"

namespace fluxion {

struct ClosedJaxpr;  // fluxion/jaxpr.hpp (which includes this header)
namespace compiler {
class Emitter;  // src/compiler/emitter.hpp: what a lowering rule writes with
struct Layout;  // src/compiler/emitter.hpp: a strided view of a buffer
}

/// dot_general's dimension_numbers: ((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch)).
struct DotDimensionNumbers {
  std::vector<int64_t> lhs_contracting, rhs_contracting, lhs_batch, rhs_batch;
  bool operator==(const DotDimensionNumbers&) const = default;
};

/// gather's dimension_numbers (XLA's GatherDimensionNumbers, printed as JAX's
/// named tuple): output axes at `offset_dims` index the gathered window; the
/// window's operand axes `collapsed_slice_dims` (extent 1) are dropped; index
/// vector component k is the start along operand axis `start_index_map[k]`;
/// operand axis `operand_batching_dims[k]` pairs with index batch axis
/// `start_indices_batching_dims[k]`.
struct GatherDimensionNumbers {
  std::vector<int64_t> offset_dims, collapsed_slice_dims, start_index_map, operand_batching_dims,
      start_indices_batching_dims;
  bool operator==(const GatherDimensionNumbers&) const = default;
};

/// scatter's dimension_numbers (XLA's ScatterDimensionNumbers): the transpose
/// of gather's, with update_window_dims, inserted_window_dims and
/// scatter_dims_to_operand_dims in the roles of offset_dims,
/// collapsed_slice_dims and start_index_map.
struct ScatterDimensionNumbers {
  std::vector<int64_t> update_window_dims, inserted_window_dims, scatter_dims_to_operand_dims,
      operand_batching_dims, scatter_indices_batching_dims;
  bool operator==(const ScatterDimensionNumbers&) const = default;
};

/// How gather and scatter treat out-of-bounds indices (jax.lax.GatherScatterMode).
enum class GatherScatterMode {
  clip,              ///< indices clamped so that the whole window is in bounds
  fill_or_drop,      ///< gather: the window is fill_value; scatter: the update is dropped
  promise_in_bounds  ///< no check: gather clamps, scatter drops (what XLA's CPU code does)
};

/// JAX's `None` parameter value.
struct NoneParam {
  bool operator==(const NoneParam&) const = default;
};

/// A sub-program parameter (pjit's `jaxpr`; cond's branches and scan's body
/// later). Immutable once it is a parameter and compared by identity, as JAX
/// compares jaxprs; programs derived from it (its JVP, its batched form, its
/// compiled code) are memoised on it.
using JaxprParam = std::shared_ptr<const ClosedJaxpr>;
/// A tuple of sub-programs (cond's `branches`), printed as JAX prints one.
using JaxprParams = std::vector<JaxprParam>;

/// A function parameter: a user's rule that a primitive's rules call
/// (custom_jvp_call's `jvp`, custom_vjp_call's `fwd` and `bwd`), on flat lists
/// of arrays. Printed by its name, as JAX prints a Python function's
/// `__name__`; compared by identity. `result_types` is set where the
/// primitive's abstract evaluation needs them (custom_lin's outputs).
struct RuleFunction {
  std::string name;
  std::function<std::vector<Array>(std::span<const Array>)> fn;
  std::vector<AbstractValue> result_types = {};
};
using FunctionParam = std::shared_ptr<const RuleFunction>;

using ParamValue =
    std::variant<NoneParam, bool, int64_t, double, DType, std::vector<int64_t>, std::string,
                 DotDimensionNumbers, JaxprParam, JaxprParams, std::vector<bool>, FunctionParam,
                 GatherDimensionNumbers, ScatterDimensionNumbers, GatherScatterMode,
                 std::vector<std::vector<int64_t>>>;

/// A primitive's parameters, sorted by name (JAX prints them sorted).
/// Keys are string literals with static storage.
class Params {
 public:
  using Item = std::pair<std::string_view, ParamValue>;
  Params() noexcept = default;
  Params(std::initializer_list<Item> items);
  Params(const Params& other);
  /// Moving and dropping are inline: an empty Params is the default argument of
  /// every bind, and jaxpr equations move theirs around.
  Params(Params&& other) noexcept : items_(other.items_), size_(other.size_) {
    other.items_ = nullptr;
    other.size_ = 0;
  }
  Params& operator=(const Params& other);
  Params& operator=(Params&& other) noexcept;
  ~Params() {
    if (items_) destroy();
  }

  bool contains(std::string_view key) const;
  const ParamValue& at(std::string_view key) const;  ///< fx::Error naming the key when absent
  template <class T> const T& get(std::string_view key) const {
    const ParamValue& v = at(key);
    if (const T* p = std::get_if<T>(&v)) return *p;
    throw_wrong_type(key);
  }
  /// The items in key order (a range: iterate it, size() it, index it).
  std::span<const Item> items() const { return {items_, size_}; }
  bool operator==(const Params& other) const;

 private:
  [[noreturn]] static void throw_wrong_type(std::string_view key);
  void copy_from(std::span<const Item> items);
  void destroy() noexcept;

  // One block for the items, from the library's small-object pool
  // (src/core/alloc.hpp) rather than a std::vector: most operations build a
  // Params (convert_element_type's two, reduce_sum's axes...), so this saves
  // a malloc/free pair per operation, and the handle stays two words.
  Item* items_ = nullptr;
  size_t size_ = 0;
};

/// Writes a parameter value as jaxprs do: `(0, 1)`, `float32`, `None`.
std::string param_to_string(const ParamValue& value);

/// Inputs arrive as pointers so that no shape is copied on the dispatch path.
using AvalRefs = std::span<const AbstractValue* const>;
struct Primitive;
/// Rules receive the primitive they belong to, so one rule can serve a family
/// (its name for messages, its `tag` to pick the kernel).
using AbstractEvalRule = std::vector<AbstractValue> (*)(const Primitive& prim, AvalRefs inputs,
                                                        const Params& params);
/// Eager kernel: inputs are concrete; `outputs` are what abstract_eval returned.
using ImplRule = std::vector<Array> (*)(const Primitive& prim, std::span<const Array> inputs,
                                        std::span<const AbstractValue> outputs,
                                        const Params& params);

/// Forward-mode rule. An empty Array handle is a symbolic zero tangent (an
/// input that does not depend on the differentiated variables, or an integer).
struct JvpResult {
  std::vector<Array> primals_out, tangents_out;  ///< empty tangent = zero
};
using JvpRule = JvpResult (*)(const Primitive& prim, std::span<const Array> primals,
                              std::span<const Array> tangents, const Params& params);

/// An input of a linear primitive during transposition: either a known value
/// (a non-linear operand such as the constant factor of a mul) or the linear
/// unknown whose cotangent is wanted (`known` empty).
struct TransposeInput {
  Array known;
  AbstractValue aval;
  bool is_linear() const { return !known.valid(); }
};
/// Transpose rule: cotangents of the linear inputs from those of the outputs
/// (empty handle = zero cotangent, or not a linear input).
using TransposeRule = std::vector<Array> (*)(const Primitive& prim, std::span<const Array> cts_out,
                                             std::span<const TransposeInput> inputs,
                                             const Params& params);

/// Batching (vmap) rule. `values` are the operands with their batch axis;
/// dims[i] is the axis of values[i] that is mapped, or not_mapped. The rule
/// applies the primitive to the whole batch at once (with parameters adjusted
/// for the extra axis) and says where each output's batch axis ended up.
inline constexpr int not_mapped = -1;
struct BatchResult {
  std::vector<Array> outputs;
  std::vector<int> dims;  ///< one per output; not_mapped when it has no batch axis
};
using BatchRule = BatchResult (*)(const Primitive& prim, std::span<const Array> values, std::span<const int> dims,
                                  const Params& params);

/// Taylor-mode rule (jet). `series[i]` holds input i's Taylor terms along the
/// path x(t) = x0 + Σ_k x_k t^k / k! (JAX's convention: term k-1 is the k-th
/// derivative d^k/dt^k x(t) at 0), all K of them, or none when the input does
/// not move (a constant, or an integer). The rule returns the primal outputs
/// and each output's K terms (none = the output does not move). Rules are
/// written with Fluxion operations, so they compose with every other
/// transformation; src/primitives/taylor.hpp has the shared recurrences.
struct TaylorResult {
  std::vector<Array> primals_out;
  std::vector<std::vector<Array>> series_out;  ///< one per output; empty = zero series
};
using TaylorRule = TaylorResult (*)(const Primitive& prim, std::span<const Array> primals,
                                    std::span<const std::vector<Array>> series, const Params& params);

/// Lowering (jit): writes the C++ that computes one equation. An elementwise
/// primitive's rule writes the loop body over a block of its output (the
/// emitter fuses chains of them into one loop); any other writes a whole
/// statement over its operands' buffers. `compiler::lower_via_eager` is the
/// rule of primitives whose best code is their eager kernel (sort,
/// threefry2x32...): the compiled function calls it.
using LowerRule = void (*)(const Primitive& prim, compiler::Emitter& emitter);
/// Views (jit): a primitive whose output is its operand's elements read with
/// other strides (reshape, squeeze, transpose, broadcast_in_dim, slice) maps
/// the operand's layout (offset and element strides into some buffer, one
/// stride per operand axis) to the output's, in place, and returns true; or
/// returns false when the output is not such a view of that layout (a
/// reshape that merges strided axes). Compiled code then reads the operand's
/// buffer through the view instead of copying it, and a fused loop reads it
/// as one of its operands.
using ViewRule = bool (*)(const Params& params, const AbstractValue& in, const AbstractValue& out,
                          compiler::Layout& layout);

/// Printing (make_jaxpr), optional: what an equation shows, as JAX's
/// pp_eqn_rules decide it. A rule hides parameters that the result's type
/// implies or that sit at their default, and may show ones that Fluxion does
/// not keep but JAX prints (`sharding=None`), so that the text is JAX's.
/// Without a rule an equation shows every parameter, sorted by name.
struct PrintedEqn {
  std::vector<std::pair<std::string_view, ParamValue>> params;  ///< in printed order
  /// jit's rule: this sub-program's inputs and outputs take the names of the
  /// equation's operands and results (JAX's suggest_same_var_names).
  const ClosedJaxpr* same_names_as_equation = nullptr;
};
using PrintRule = PrintedEqn (*)(const Params& params);

/// What the compiler may assume of a primitive.
enum PrimitiveTraits : unsigned {
  /// Output element i depends only on element i of each operand (operands of
  /// the output's shape, or 0-d ones broadcast): fusable into one loop.
  kElementwise = 1u << 0,
  /// Elementwise when its operand has one element (broadcast_in_dim of a
  /// scalar: inside a fused loop it is that scalar, no buffer).
  kScalarBroadcast = 1u << 1,
  /// Reduces trailing axes: a fused loop whose output is its operand can
  /// reduce each row of the operand in the block that computes it (XLA's
  /// input fusion), without writing the operand out.
  kRowReduction = 1u << 2,
};

struct Primitive {
  std::string_view name;
  bool multiple_results = false;
  /// Distinguishes the members of a family that share rules (such as the kernel id).
  int tag = 0;
  /// Shape/dtype rule; validates and throws fx::ShapeError / fx::TypeError naming the op.
  AbstractEvalRule abstract_eval = nullptr;
  ImplRule impl = nullptr;
  /// Forward-mode derivative (every primitive has one; non-differentiable ones
  /// return zero tangents).
  JvpRule jvp = nullptr;
  /// Only primitives that are linear in some inputs (add, mul by a constant,
  /// reduce_sum, ...) have one; reverse mode transposes the linear program
  /// that forward mode emits, so every primitive a JVP rule applies to
  /// tangents needs it.
  TransposeRule transpose = nullptr;
  /// vmap: every primitive with operands has one (a primitive without operands,
  /// such as iota, is never batched).
  BatchRule batch = nullptr;
  /// jet: every primitive has one (tests/core/registry_test.cpp checks);
  /// `prim::taylor_via_jvp` (a jet of the JVP rule) is the exception, which
  /// docs/ARCHITECTURE.md lists.
  TaylorRule jet = nullptr;
  /// jit: every primitive has one (tests/core/registry_test.cpp checks).
  LowerRule lower = nullptr;
  /// jit, optional: the output is a strided view of the operand (see ViewRule).
  ViewRule view = nullptr;
  /// make_jaxpr, optional: which parameters print (see PrintRule).
  PrintRule print = nullptr;
  unsigned traits = 0;  ///< PrimitiveTraits
};

/// The one entry point: applies `prim` under the innermost active interpreter.
std::vector<Array> bind(const Primitive& prim, std::span<const Array> inputs,
                        const Params& params = {});
Array bind1(const Primitive& prim, std::span<const Array> inputs, const Params& params = {});
inline Array bind1(const Primitive& prim, std::initializer_list<Array> inputs,
                   const Params& params = {}) {
  return bind1(prim, std::span<const Array>(inputs.begin(), inputs.size()), params);
}

/// Every registered primitive, for registration tests and tools.
std::span<const Primitive* const> all_primitives();

}  // namespace fluxion
