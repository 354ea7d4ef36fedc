// vmap: runs f once under a batching interpreter. The mapped arguments become
// batch tracers (their per-example aval is what f sees); each primitive f
// applies is computed for the whole batch by its batching rule; the outputs'
// batch axes are moved to out_axes. Large eager batches run in cache-sized
// chunks of one traced program (see run_chunked).
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/executable.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/transforms.hpp"
#include "interpreters/batching.hpp"
#include "interpreters/staging.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/primitives.hpp"
#include "transforms/vmap.hpp"

namespace fluxion {

MapAxes::Entry MapAxes::Entry::dict(std::vector<std::pair<std::string, Entry>> items) {
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Entry> children;
  std::vector<std::string> keys;
  for (auto& [k, e] : items) {
    keys.push_back(k);
    children.push_back(std::move(e));
  }
  Entry out(std::move(children));
  out.keys_ = std::move(keys);
  return out;
}

std::string MapAxes::Entry::str() const {
  if (!node_) return axis_ ? std::to_string(*axis_) : "None";
  const bool dict = !keys_.empty();
  std::string s = dict ? "{" : "(";
  for (size_t i = 0; i < children_.size(); ++i)
    s += (i ? ", " : "") + (dict ? "'" + keys_[i] + "': " : "") + children_[i].str();
  return s + (dict ? "}" : children_.size() == 1 ? ",)" : ")");
}

namespace {

// The entry of every leaf of `def`, from the prefix tree `e` (JAX's
// flatten_axes).
void expand(const MapAxes::Entry& e, const TreeDef& def, const char* what, std::vector<MapAxes::Entry>& out) {
  if (!e.is_node()) {
    for (size_t i = 0; i < def.num_leaves(); ++i) out.push_back(e.axis() ? MapAxes::Entry(*e.axis()) : MapAxes::Entry(none));
    return;
  }
  const bool dict = !e.keys().empty();
  const bool fits = dict ? def.kind() == TreeDef::Kind::dict && def.keys() == e.keys()
                         : (def.kind() == TreeDef::Kind::tuple || def.kind() == TreeDef::Kind::list ||
                            def.kind() == TreeDef::Kind::node) &&
                               def.children().size() == e.children().size();
  if (!fits)
    throw TypeError(std::string("vmap ") + what + " specification must be a tree prefix of the corresponding value, "
                    "got specification " + e.str() + " for value tree " + def.str() + ".");
  for (size_t i = 0; i < e.children().size(); ++i) expand(e.children()[i], def.children()[i], what, out);
}

}  // namespace

std::optional<int> MapAxes::at(size_t i, size_t n, const char* what) const {
  if (all_) return all_->axis();
  const bool single_output = out_tree_ && out_tree_->kind() == TreeDef::Kind::leaf;
  if (out_tree_ && out_tree_->num_leaves() == n && !(single_output && entries_.size() != 1)) {
    // A list of one entry per output matches an output list or tuple; a
    // single output takes a list of one entry.
    if (out_leaves_.empty()) {
      if (single_output) expand(entries_[0], *out_tree_, what, out_leaves_);
      else expand(Entry(entries_), *out_tree_, what, out_leaves_);
    }
    return out_leaves_[i].axis();
  }
  if (entries_.size() != n)
    throw TypeError(std::string("vmap ") + what + " must be an int, fx::none, or a list with one entry per " +
                    (what == std::string_view("in_axes") ? "positional argument" : "output") +
                    " of the function, but got " + std::to_string(entries_.size()) + " entries for " +
                    std::to_string(n));
  return entries_[i].axis();
}

MapAxes MapAxes::per_leaf(const std::vector<TreeDef>& defs) const {
  if (all_) return *this;
  if (entries_.size() != defs.size())
    throw TypeError("vmap in_axes must be an int, fx::none, or a list with one entry per positional argument of the "
                    "function, but got " + std::to_string(entries_.size()) + " entries for " +
                    std::to_string(defs.size()));
  bool flat = true;
  for (size_t k = 0; flat && k < defs.size(); ++k) flat = defs[k].kind() == TreeDef::Kind::leaf && !entries_[k].is_node();
  if (flat) return *this;
  std::vector<Entry> leaves;
  for (size_t k = 0; k < defs.size(); ++k) expand(entries_[k], defs[k], "in_axes", leaves);
  return MapAxes(std::move(leaves));
}

MapAxes MapAxes::for_output_tree(std::shared_ptr<const TreeDef> def) const {
  MapAxes out = *this;
  out.out_tree_ = std::move(def);
  return out;
}

namespace detail {
namespace {

// The axis `axis` (possibly negative) of an array of rank `rank`, checked.
int normalize(int axis, int64_t rank, const std::string& what, const Shape& shape) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw ShapeError("vmap was requested to map " + what + " along axis " + std::to_string(axis) +
                     ", which implies that its rank should be at least " + std::to_string(axis < 0 ? -axis : axis + 1) +
                     ", but is only " + std::to_string(rank) + " (its shape is " + shape_to_string(shape) + ")");
  return static_cast<int>(a);
}

int64_t mapped_size(const std::vector<Array>& args, const std::vector<int>& axes, std::optional<int64_t> axis_size) {
  std::optional<int64_t> size = axis_size;
  bool agree = true;
  for (size_t i = 0; i < args.size(); ++i) {
    if (axes[i] == not_mapped) continue;
    const int64_t n = args[i].shape()[axes[i]];
    if (size && *size != n) agree = false;
    if (!size) size = n;
  }
  if (!agree) {
    std::string msg = "vmap got inconsistent sizes for the array axes to be mapped:";
    if (axis_size) msg += "\n  * axis_size is " + std::to_string(*axis_size);
    for (size_t i = 0; i < args.size(); ++i)
      if (axes[i] != not_mapped)
        msg += "\n  * argument " + std::to_string(i) + " has shape " + shape_to_string(args[i].shape()) +
               " and axis " + std::to_string(axes[i]) + " (size " + std::to_string(args[i].shape()[axes[i]]) +
               ") is to be mapped";
    throw ValueError(msg);
  }
  if (!size)
    throw ValueError("vmap must have at least one non-None value in in_axes, or be given an explicit axis_size "
                     "(no argument is mapped, so the batch size is unknown)");
  if (*size < 0) throw ValueError("vmap: axis_size must be non-negative, got " + std::to_string(*size));
  return *size;
}

std::vector<int> resolve_in_axes(const std::vector<Array>& args, const MapAxes& in_axes) {
  std::vector<int> axes;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::optional<int> axis = in_axes.at(i, args.size(), "in_axes");
    axes.push_back(axis ? normalize(*axis, args[i].ndim(), "argument " + std::to_string(i), args[i].shape())
                        : not_mapped);
  }
  return axes;
}

// f's outputs under a batching interpreter of `size` over args mapped along `axes`.
BatchedOutputs run_batched(const Fn& f, const std::vector<Array>& args, const std::vector<int>& axes, int64_t size) {
  BatchedOutputs result{{}, {}, size};
  BatchInterpreter batch(size);
  std::vector<Array> tracers;
  for (size_t i = 0; i < args.size(); ++i) tracers.push_back(batch.make_tracer(args[i], axes[i]));
  for (const Array& out : f(tracers)) {
    auto [value, dim] = batch.unpack(out);
    result.values.push_back(std::move(value));
    result.dims.push_back(dim);
  }
  return result;
}

// Where output i's batch axis goes (nullopt: stays unmapped), checked.
std::optional<int> output_axis(const MapAxes& out_axes, size_t i, size_t n, const Array& value, int dim) {
  const std::optional<int> axis = out_axes.at(i, n, "out_axes");
  if (!axis) {
    if (dim != not_mapped)
      throw TypeError("vmap has mapped output " + std::to_string(i) +
                      " but out_axes is fx::none for it (only outputs that do not depend on a mapped argument can be "
                      "unmapped)");
    return std::nullopt;
  }
  const int64_t rank = value.ndim() + (dim == not_mapped ? 1 : 0);  // with the batch axis
  const int64_t to = *axis < 0 ? *axis + rank : *axis;
  if (to < 0 || to >= rank)
    throw ShapeError("vmap out_axes " + std::to_string(*axis) + " is out of range for output " + std::to_string(i) +
                     ", which has rank " + std::to_string(rank) + " with the batch axis");
  return static_cast<int>(to);
}

// ---- Cache blocking of large eager batches.
//
// Eagerly, every primitive of a batched program is one pass over arrays of
// the whole batch; at 10^6 points those live in DRAM (and in freshly faulted
// pages), so a program of 60 primitives moves gigabytes. Since examples are
// independent (that is vmap's contract), a large batch of concrete arguments
// is instead traced once, as a jaxpr over a batch of kChunkElements-sized
// chunks, and that jaxpr is evaluated chunk after chunk: the same batched
// kernels, on arrays that stay in cache. f still runs exactly once.
// 8192 elements (64 KB of float64) measured best for seed 001's f' and f''
// (with intermediates dropped at their last use, a chunk's live buffers fit
// in L2; 4096 pays more per-equation overhead, 16384 spills).
constexpr int64_t kChunkElements = 8192;

// Examples per chunk, or 0 when the batch is better run whole: an outer
// transformation is active (its interpreter must see the batched program),
// the batch is small, or each example is already large.
int64_t chunk_size(const std::vector<Array>& args, const std::vector<int>& axes, int64_t size) {
  if (dynamic_interpreter() || !all_concrete(args)) return 0;
  int64_t per_example = 1;
  for (size_t i = 0; i < args.size(); ++i)
    if (axes[i] != not_mapped) per_example = std::max(per_example, args[i].size() / std::max<int64_t>(size, 1));
  const int64_t chunk = kChunkElements / per_example;
  return chunk >= 64 && size >= 4 * chunk ? chunk : 0;
}

Array slice_axis(const Array& x, int axis, int64_t start, int64_t stop) {
  std::vector<int64_t> starts(static_cast<size_t>(x.ndim()), 0), limits = x.shape();
  starts[static_cast<size_t>(axis)] = start;
  limits[static_cast<size_t>(axis)] = stop;
  return bind1(prim::slice_p, {x}, {{"start_indices", starts}, {"limit_indices", limits}, {"strides", NoneParam{}}});
}

// The chunk program, prepared once: every chunk has the same shapes, so each
// equation's shape rule runs once here and each chunk calls the kernels
// directly (what eval_jaxpr would do, minus bind and the shape rules). Each
// intermediate is dropped after its last use, so a chunk's buffers are
// recycled while still in cache. Only for programs whose constants are
// concrete (an outer transformation's tracer among them needs bind).
class ChunkProgram {
 public:
  explicit ChunkProgram(ClosedJaxpr program) : program_(std::move(program)) {
    const Jaxpr& j = program_.jaxpr;
    std::vector<size_t> last_use(j.var_types.size(), 0);
    for (size_t e = 0; e < j.eqns.size(); ++e)
      for (const Atom& a : j.eqns[e].inputs)
        if (!a.is_literal()) last_use[static_cast<size_t>(a.var)] = e;
    std::vector<bool> kept(j.var_types.size(), false);
    for (const Atom& a : j.outvars)
      if (!a.is_literal()) kept[static_cast<size_t>(a.var)] = true;
    for (size_t e = 0; e < j.eqns.size(); ++e) {
      const JaxprEqn& eqn = j.eqns[e];
      std::vector<const AbstractValue*> in;
      for (const Atom& a : eqn.inputs) in.push_back(&j.type_of(a));
      Step step{&eqn, eqn.primitive->abstract_eval(*eqn.primitive, in, eqn.params), {}};
      for (const Atom& a : eqn.inputs)
        if (!a.is_literal() && last_use[static_cast<size_t>(a.var)] == e && !kept[static_cast<size_t>(a.var)])
          step.release.push_back(a.var);
      steps_.push_back(std::move(step));
    }
  }

  std::vector<Array> run(std::span<const Array> args) const {
    const Jaxpr& j = program_.jaxpr;
    std::vector<Array> env(j.var_types.size());
    for (size_t i = 0; i < j.constvars.size(); ++i) env[static_cast<size_t>(j.constvars[i])] = program_.consts[i];
    for (size_t i = 0; i < j.invars.size(); ++i) env[static_cast<size_t>(j.invars[i])] = args[i];
    std::vector<Array> inputs;
    for (const Step& step : steps_) {
      const JaxprEqn& eqn = *step.eqn;
      inputs.clear();
      for (const Atom& a : eqn.inputs) inputs.push_back(a.is_literal() ? a.literal : env[static_cast<size_t>(a.var)]);
      std::vector<Array> outs = eqn.primitive->impl(*eqn.primitive, inputs, step.out_avals, eqn.params);
      for (int v : step.release) env[static_cast<size_t>(v)] = Array();
      for (size_t i = 0; i < eqn.outputs.size(); ++i)
        if (eqn.outputs[i] >= 0) env[static_cast<size_t>(eqn.outputs[i])] = std::move(outs[i]);
    }
    std::vector<Array> result;
    for (const Atom& a : j.outvars) result.push_back(a.is_literal() ? a.literal : env[static_cast<size_t>(a.var)]);
    return result;
  }

 private:
  struct Step {
    const JaxprEqn* eqn;
    std::vector<AbstractValue> out_avals;
    std::vector<int> release;  // variables whose last use this is
  };
  ClosedJaxpr program_;
  std::vector<Step> steps_;
};


// The chunk program compiled by jit (fused loops, each primitive's lowering
// rule: vmap(grad(f)) of a scalar f becomes one loop over the chunk), as a
// jitted function would be; null (evaluate it eagerly) under
// FLUXION_JIT=eager, or when jit cannot build it (no compiler: then it is not
// tried again in this process).
std::shared_ptr<const compiler::Executable> compile_chunk_program(const ClosedJaxpr& program) {
  static std::atomic<bool> toolchain_failed{false};
  if (toolchain_failed.load(std::memory_order_relaxed) || compiler::eager_mode()) return nullptr;
  try {
    return compiler::compile(program, "vmap_chunk");
  } catch (const Error&) {
    toolchain_failed.store(true, std::memory_order_relaxed);
    return nullptr;
  }
}

std::vector<Array> run_chunked(const Fn& f, const std::vector<Array>& args, const std::vector<int>& axes,
                               int64_t size, int64_t chunk, const MapAxes& out_axes) {
  // Trace: the mapped arguments become program inputs of one chunk's shape;
  // unmapped ones stay concrete (so C++ `if` on them works, as unchunked).
  StagingInterpreter stage;
  std::vector<Array> inputs;
  for (size_t i = 0; i < args.size(); ++i) {
    if (axes[i] == not_mapped) {
      inputs.push_back(args[i]);
      continue;
    }
    AbstractValue aval = args[i].aval();
    aval.shape[static_cast<size_t>(axes[i])] = chunk;
    inputs.push_back(stage.new_input(aval));
  }
  BatchedOutputs traced = run_batched(f, inputs, axes, chunk);
  const size_t n = traced.values.size();
  std::vector<std::optional<int>> to(n);
  std::vector<Array> program_outputs;
  for (size_t k = 0; k < n; ++k) {
    to[k] = output_axis(out_axes, k, n, traced.values[k], traced.dims[k]);
    if (traced.dims[k] != not_mapped)
      program_outputs.push_back(prim::move_batch_axis(traced.values[k], traced.dims[k], *to[k], chunk));
  }
  ClosedJaxpr program = stage.finish(program_outputs);
  dead_code_elimination(program.jaxpr);
  std::shared_ptr<const compiler::Executable> compiled;
  std::optional<ChunkProgram> prepared;
  if (all_concrete(program.consts)) {
    compiled = compile_chunk_program(program);
    if (!compiled) prepared.emplace(program);
  }

  // Run it chunk by chunk. The last chunk is the last `chunk` examples,
  // overlapping the one before; only its new rows are kept.
  std::vector<std::vector<Array>> pieces(program_outputs.size());
  for (int64_t start = 0; start < size; start += chunk) {
    const int64_t window = std::min(start, size - chunk);
    std::vector<Array> chunk_args;
    for (size_t i = 0; i < args.size(); ++i)
      if (axes[i] != not_mapped) chunk_args.push_back(slice_axis(args[i], axes[i], window, window + chunk));
    std::vector<Array> outs = compiled   ? compiled->run(chunk_args)
                              : prepared ? prepared->run(chunk_args)
                                         : eval_jaxpr(program.jaxpr, program.consts, chunk_args);
    for (size_t k = 0, m = 0; k < n; ++k) {
      if (traced.dims[k] == not_mapped) continue;
      Array& out = outs[m];
      pieces[m++].push_back(window == start ? std::move(out) : slice_axis(out, *to[k], start - window, chunk));
    }
  }
  std::vector<Array> results;
  for (size_t k = 0, m = 0; k < n; ++k) {
    if (traced.dims[k] != not_mapped) {
      results.push_back(bind1(prim::concatenate_p, pieces[m++], {{"dimension", int64_t{*to[k]}}}));
    } else {
      const Array& value = traced.values[k];
      results.push_back(to[k] ? prim::move_batch_axis(value, not_mapped, *to[k], size) : value);
    }
  }
  return results;
}

}  // namespace

BatchedOutputs vmap_batched(const Fn& f, const std::vector<Array>& args, const MapAxes& in_axes,
                            std::optional<int64_t> axis_size) {
  const std::vector<int> axes = resolve_in_axes(args, in_axes);
  return run_batched(f, args, axes, mapped_size(args, axes, axis_size));
}

std::vector<Array> vmap_core(const Fn& f, const std::vector<Array>& args, const MapAxes& in_axes,
                             const MapAxes& out_axes, std::optional<int64_t> axis_size) {
  const std::vector<int> axes = resolve_in_axes(args, in_axes);
  const int64_t size = mapped_size(args, axes, axis_size);
  if (const int64_t chunk = chunk_size(args, axes, size)) return run_chunked(f, args, axes, size, chunk, out_axes);
  BatchedOutputs batched = run_batched(f, args, axes, size);
  const size_t n = batched.values.size();
  std::vector<Array> results;
  for (size_t i = 0; i < n; ++i) {
    const std::optional<int> to = output_axis(out_axes, i, n, batched.values[i], batched.dims[i]);
    results.push_back(to ? prim::move_batch_axis(batched.values[i], batched.dims[i], *to, size) : batched.values[i]);
  }
  return results;
}

}  // namespace detail
}  // namespace fluxion
