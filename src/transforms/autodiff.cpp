// jvp, vjp and grad: the drivers that set up interpreters around a call.
// Reverse mode is JAX's linearize + transpose: a staging interpreter records
// the tangent program that the JVP interpreter emits (the linear map), and
// the pullback runs that program backwards (interpreters/transpose).
#include <string>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/transforms.hpp"
#include "interpreters/jvp.hpp"
#include "interpreters/staging.hpp"
#include "interpreters/transpose.hpp"

namespace fluxion::detail {

struct Linearized {
  ClosedJaxpr program;                    // tangents of the inputs -> tangents of the outputs
  std::vector<AbstractValue> input_types;  // of the primals
  std::vector<AbstractValue> output_types;
  // The next gradient's recording reuses this one's storage.
  ~Linearized() { StagingInterpreter::recycle(std::move(program.jaxpr)); }
};

void throw_arity_error() {
  throw TypeError("jvp: the function cannot be called with that many arguments (1 to 8 are supported)");
}

namespace {

AbstractValue tangent_type(const Array& primal) { return AbstractValue{primal.shape(), primal.dtype(), false}; }

}  // namespace

std::pair<std::vector<Array>, std::vector<Array>> jvp_core(const Fn& f, const std::vector<Array>& primals,
                                                           const std::vector<Array>& tangents) {
  if (primals.size() != tangents.size())
    throw TypeError("jvp: primal and tangent arguments must have the same structure, got " +
                    std::to_string(primals.size()) + " primals and " + std::to_string(tangents.size()) + " tangents");
  for (size_t i = 0; i < primals.size(); ++i) {
    const Array& p = primals[i];
    const Array& t = tangents[i];
    if (p.shape() != t.shape())
      throw ShapeError("jvp called with different primal and tangent shapes; got primal shape " +
                       shape_to_string(p.shape()) + " and tangent shape " + shape_to_string(t.shape()) +
                       " for argument " + std::to_string(i));
    if (is_floating(p.dtype()) && p.dtype() != t.dtype())
      throw TypeError("primal and tangent arguments to jvp do not match; dtypes must be equal. Got primal dtype " +
                      std::string(dtype_name(p.dtype())) + " and so expected tangent dtype " +
                      std::string(dtype_name(p.dtype())) + ", but got tangent dtype " +
                      std::string(dtype_name(t.dtype())) + " instead (argument " + std::to_string(i) + ")");
  }
  JvpInterpreter jvp;
  std::vector<Array> in;
  for (size_t i = 0; i < primals.size(); ++i)
    in.push_back(is_floating(primals[i].dtype()) ? jvp.make_tracer(primals[i], tangents[i]) : primals[i]);
  const std::vector<Array> outs = f(in);
  std::vector<Array> out_primals, out_tangents;
  for (const Array& o : outs) {
    auto [p, t] = jvp.unpack(o);
    out_tangents.push_back(t.valid() ? t : zeros(p.shape(), p.dtype()));
    out_primals.push_back(std::move(p));
  }
  return {out_primals, out_tangents};
}

VjpResult vjp_core(const Fn& f, const std::vector<Array>& primals) {
  auto linear = std::make_shared<Linearized>();
  std::vector<Array> out_primals, out_tangents;
  {
    StagingInterpreter recorder;  // below the JVP level: it sees only tangents
    JvpInterpreter jvp;
    std::vector<Array> in;
    in.reserve(primals.size());
    linear->input_types.reserve(primals.size());
    for (const Array& p : primals) {
      linear->input_types.push_back(tangent_type(p));
      in.push_back(jvp.make_tracer(p, recorder.new_input(linear->input_types.back())));
    }
    const std::vector<Array> outs = f(in);
    for (const Array& o : outs) {
      auto [p, t] = jvp.unpack(o);
      linear->output_types.push_back(tangent_type(p));
      out_tangents.push_back(t.valid() ? t : zeros(p.shape(), p.dtype()));
      out_primals.push_back(std::move(p));
    }
    linear->program = recorder.finish(out_tangents);
    // As JAX's tangent trace (auto_dce): no tangent nothing reads, and the
    // rest in the source's order, so that the backward pass, which walks
    // it in reverse, adds the cotangents up in JAX's order.
    dead_code_elimination(linear->program.jaxpr);
    canonicalize_order(linear->program.jaxpr);
  }
  return {std::move(out_primals), std::move(linear)};
}

std::vector<Array> pullback(const VjpResult& vjp, const std::vector<Array>& cts) {
  const Linearized& lin = *vjp.linear;
  if (cts.size() != lin.output_types.size())
    throw TypeError("vjp: the pullback takes " + std::to_string(lin.output_types.size()) + " cotangent(s), got " +
                    std::to_string(cts.size()));
  for (size_t i = 0; i < cts.size(); ++i) {
    if (!cts[i].valid()) continue;
    const AbstractValue& want = lin.output_types[i];
    if (cts[i].shape() != want.shape)
      throw ShapeError("unexpected shape for the cotangent argument of the vjp function: got " +
                       to_string(cts[i].aval()) + ", but expected " + to_string(want) +
                       " because the corresponding output of the function had that type");
    if (cts[i].dtype() != want.dtype)
      throw TypeError("unexpected dtype for the cotangent argument of the vjp function: got " +
                      to_string(cts[i].aval()) + ", but expected " + to_string(want) +
                      " because the corresponding output of the function had that type");
  }
  std::vector<Array> in_cts = backward_pass(lin.program.jaxpr, lin.program.consts, cts);
  for (size_t i = 0; i < in_cts.size(); ++i)
    if (!in_cts[i].valid()) in_cts[i] = zeros(lin.input_types[i].shape, lin.input_types[i].dtype);
  return in_cts;
}

std::vector<Array> grad_core(const Fn& f, const std::vector<Array>& args, const std::vector<int>& argnums,
                             std::vector<Array>* outputs, const char* name) {
  const std::vector<size_t> positions = normalize_argnums(argnums, args.size(), name);
  std::vector<Array> diff;
  for (size_t p : positions) {
    if (!is_floating(args[p].dtype()))
      throw TypeError(std::string(name) + " requires real-valued inputs (input dtype that is a sub-dtype of "
                      "floating), but got " + std::string(dtype_name(args[p].dtype())) + " for argument " +
                      std::to_string(p) + ". If you want to differentiate with respect to it, pass a float "
                      "(e.g. 2.0 rather than 2, or x.astype(fx::float64)).");
    diff.push_back(args[p]);
  }
  // f of the differentiated arguments alone, the others fixed. When every
  // argument is differentiated in order (grad(f) of a function of one array,
  // the usual case) that is f itself.
  bool all_in_order = positions.size() == args.size();
  for (size_t i = 0; all_in_order && i < positions.size(); ++i) all_in_order = positions[i] == i;
  struct Context {
    const Fn& f;
    const std::vector<Array>& args;
    const std::vector<size_t>& positions;
  } const context{f, args, positions};
  // Captures one pointer, so the std::function stores it inline.
  const Fn partial = [c = &context](const std::vector<Array>& xs) {
    std::vector<Array> full = c->args;
    for (size_t i = 0; i < c->positions.size(); ++i) full[c->positions[i]] = xs[i];
    return c->f(full);
  };
  VjpResult r = vjp_core(all_in_order ? f : partial, diff);
  const Array& out = r.outputs[0];
  if (!is_floating(out.dtype()))
    throw TypeError(std::string(name) + " requires real-valued outputs (output dtype that is a sub-dtype of "
                    "floating), but got " + std::string(dtype_name(out.dtype())));
  if (out.ndim() != 0)
    throw TypeError(std::string(name) + ": gradient only defined for scalar-output functions. Output had shape: " +
                    shape_to_string(out.shape()) + " (use jacrev or vjp for non-scalar outputs)");
  std::vector<Array> cts(r.outputs.size());
  cts[0] = ones({}, out.dtype());
  std::vector<Array> grads = pullback(r, cts);
  if (outputs) *outputs = r.outputs;
  return grads;
}

std::vector<size_t> normalize_argnums(const std::vector<int>& argnums, size_t n_args, const char* name) {
  std::vector<size_t> positions;
  const int n = static_cast<int>(n_args);
  for (int a : argnums) {
    // JAX's TypeError, naming how many arguments the argnum needs.
    if (a < -n || a >= n)
      throw TypeError(std::string(name) + ": differentiating with respect to argnums=" + std::to_string(a) +
                      " requires at least " + std::to_string(a < 0 ? -a : a + 1) +
                      " positional arguments to be passed by the caller, but got only " + std::to_string(n) +
                      " positional arguments.");
    positions.push_back(static_cast<size_t>(a < 0 ? a + n : a));
  }
  return positions;
}

std::vector<int> leaf_argnums(const std::vector<TreeDef>& defs, const std::vector<size_t>& positions) {
  std::vector<size_t> offset(defs.size() + 1, 0);
  for (size_t i = 0; i < defs.size(); ++i) offset[i + 1] = offset[i] + defs[i].num_leaves();
  std::vector<int> leaves;
  for (size_t p : positions)
    for (size_t k = offset[p]; k < offset[p + 1]; ++k) leaves.push_back(static_cast<int>(k));
  return leaves;
}

void throw_argnum_type(size_t position, const char* name) {
  throw TypeError(std::string(name) + ": argument " + std::to_string(position) +
                  " has another C++ type than argument 0, so its gradient cannot be returned as argument 0's type; "
                  "name the argument at compile time (fx::" + name + "<" + std::to_string(position) +
                  ">(f)) or group the arguments into one std::tuple");
}

void check_scalar_output(const TreeDef& def, const char* name) {
  if (def.kind() != TreeDef::Kind::leaf)
    throw TypeError(std::string(name) + ": gradient only defined for scalar-output functions. Output was a tree " +
                    def.str() + " (use has_aux for auxiliary outputs, or jacrev or vjp for several outputs)");
}

void throw_cotangent_structure(const TreeDef& got, const TreeDef& want) {
  throw TypeError("Tree structure of cotangent input " + got.str() + ", does not match structure of primal output " +
                  want.str() + ".");
}

void throw_jvp_structure(const TreeDef& primals, const TreeDef& tangents) {
  throw TypeError("primal and tangent arguments to jvp must have the same tree structure; primals have tree "
                  "structure " + primals.str() + " whereas tangents have tree structure " + tangents.str() + ".");
}

ClosedJaxpr make_jaxpr_core(const Fn& f, const std::vector<Array>& args, bool keep_unused) {
  StagingInterpreter staging;
  DynamicScope dynamic(&staging);
  std::vector<Array> in;
  for (const Array& a : args) in.push_back(staging.new_input(a.aval()));
  const std::vector<Array> outs = f(in);
  ClosedJaxpr closed = staging.finish(outs);
  if (!keep_unused) dead_code_elimination(closed.jaxpr);
  canonicalize_order(closed.jaxpr);
  return closed;
}

}  // namespace fluxion::detail
