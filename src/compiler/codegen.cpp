// C++ code generation from an optimised, flat closed jaxpr.
//
// 1. Steps. Equations are taken in program order (by depth in a program
//    whose values all fit in one block: schedule()). Elementwise ones join the
//    open fusion group of their output shape (XLA's loop fusion); any other
//    is a step of its own, emitted at once. A group is emitted when a value
//    it computes is needed outside it, or at the end: so a group's inputs are
//    always ready before it, and its outputs before their first outside use.
// 2. Views. reshape, squeeze, transpose, broadcast_in_dim and slice of a
//    buffered value (Primitive::view) copy nothing: their readers read the
//    operand's buffer with the view's strides. A fused loop reads any view;
//    other statements need a contiguous buffer, so a strided view they read
//    (or one the function returns) is copied into its own buffer.
// 3. Buffers. Inputs, constants and outputs are the caller's; a value a
//    group uses only inside itself lives in a block-sized local array; every
//    other value gets a slice of the scratch arena, reused once its last
//    reader has run.
// 4. Emission. A group is a loop nest over blocks of its output
//    (fused_loops.cpp); each member writes its block with its lowering rule
//    (an expression per element, or a call of eager's SIMD kernel on the
//    block). Other equations write their statements, or call their eager
//    kernel through the runtime.
#include "compiler/codegen.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

#include "compiler/generator.hpp"
#include "compiler/runtime.hpp"
#include "fluxion/errors.hpp"

namespace fluxion::compiler {

Layout Layout::row_major(const Shape& shape) {
  Layout l{0, std::vector<int64_t>(shape.size(), 1)};
  for (size_t d = shape.size(); d-- > 1;) l.strides[d - 1] = l.strides[d] * shape[d];
  return l;
}

bool Layout::contiguous(const Shape& shape) const {
  int64_t expected = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] == 1) continue;
    if (strides[d] != expected) return false;
    expected *= shape[d];
  }
  return true;
}

namespace codegen_detail {

namespace {

int64_t bytes_of(const AbstractValue& a) { return a.size() * static_cast<int64_t>(itemsize(a.dtype)); }

// An operand of equal rank whose extents are the loop's or 1 (the
// broadcasting elementwise primitives accept): a fused loop reads it with
// stride 0 along its extents of 1.
bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.size() != to.size() || from == to) return false;
  for (size_t d = 0; d < from.size(); ++d)
    if (from[d] != to[d] && from[d] != 1) return false;
  return true;
}

}  // namespace

Generator::Generator(Unit& unit, size_t id, std::string_view name)
    : unit_(unit), id_(id), p_(unit.functions[id].program), j_(p_.jaxpr), name_(name) {}

// Every function of the unit has fx_entry's signature. fx_consts and fx_rt
// arrive as the unit's whole arrays; a sub-program's function moves them to
// its own part, and passes the bases on to the functions it calls.
std::string Generator::run() {
  plan_steps();
  plan_views();
  plan_buffers();
  std::ostringstream os;
  os << "// " << name_ << "\n";
  os << (id_ == 0 ? "__attribute__((visibility(\"default\"))) void fx_entry("
                  : "static void fx_fn_" + str(static_cast<int64_t>(id_)) + "(")
     << "const void* const* fx_in, void* const* fx_out, const void* const* fx_consts, char* fx_scratch, "
        "const struct fx_runtime* fx_rt) {\n";
  os << "  (void)fx_in; (void)fx_out; (void)fx_consts; (void)fx_scratch; (void)fx_rt;\n";
  os << "  const struct fx_runtime* const fx_rt_base = fx_rt;\n  const void* const* const fx_consts_base = fx_consts;\n"
        "  (void)fx_rt_base; (void)fx_consts_base;\n";
  if (id_ != 0)
    os << "  fx_rt += " << id_ << ";\n  fx_consts += " << unit_.functions[id_].const_offset << ";\n";
  body_ = &os;
  declare_buffers();
  for (const Step& s : steps_) {
    if (s.group) emit_group(s);
    else emit_single(s.eqns[0]);
  }
  emit_output_copies();
  os << "}\n";
  unit_.functions[id_].scratch_bytes = scratch_bytes_ + callee_scratch_;
  return os.str();
}

std::string Generator::buffer(int var) const {
  const Home& h = home_[static_cast<size_t>(var)];
  if (h.kind == Home::none || h.kind == Home::local ||
      (h.kind == Home::view && !view_[static_cast<size_t>(var)]->layout.contiguous(var_type(var).shape)))
    throw Error("jit: internal error: value without a buffer in the code generator");
  return "p" + str(var);
}

std::pair<std::string, Layout> Generator::source_of(int var) const {
  const auto& v = view_[static_cast<size_t>(var)];
  if (v && !materialised_[static_cast<size_t>(var)]) return {"p" + str(v->root), v->layout};
  return {buffer(var), Layout::row_major(var_type(var).shape)};
}

void Generator::write(const std::string& code, int indent) {
  if (capture_) capture_->push_back(code);
  else *body_ << std::string(static_cast<size_t>(indent), ' ') << code << "\n";
}

std::string Generator::literal_array(const Array& literal) {
  const std::string name = fresh("lit");
  write("const " + ctype(literal.dtype()) + " " + name + "[1] = {" + literal_expr(literal, literal.dtype()) + "};",
        indent_);
  return name;
}

// ---- 1. steps

// The order equations are planned in. Program order keeps an equation near
// its consumers, so a large intermediate is fused into the loop that reads
// it rather than written out. In a program whose values all fit in one block
// the loops are latency-bound and nothing is large: there equations go by
// depth (the longest chain of equations above them, program order within a
// depth), so independent chains share loops and interleave and the SIMD
// calls on one operand sit together (Ackley's gradient at d = 3: its
// sqrt-exp chain no longer waits for the cos-exp chain, and sin for cos).
std::vector<size_t> Generator::schedule() const {
  std::vector<size_t> order(j_.eqns.size());
  for (size_t e = 0; e < order.size(); ++e) order[e] = e;
  for (const AbstractValue& t : j_.var_types)
    if (t.size() > kBlock) return order;
  std::vector<int> depth_of_var(j_.var_types.size(), 0), depth(j_.eqns.size(), 0);
  for (size_t e = 0; e < j_.eqns.size(); ++e) {
    for (const Atom& a : j_.eqns[e].inputs)
      if (!a.is_literal()) depth[e] = std::max(depth[e], depth_of_var[static_cast<size_t>(a.var)] + 1);
    for (int v : j_.eqns[e].outputs)
      if (v >= 0) depth_of_var[static_cast<size_t>(v)] = depth[e];
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return depth[a] < depth[b]; });
  return order;
}

void Generator::plan_steps() {
  const size_t nv = j_.var_types.size();
  std::vector<int> producer_step(nv, -1);  // the step computing each var
  std::map<Shape, size_t> open;            // loop shape -> open group (index into steps_)
  std::vector<bool> closed;
  auto close = [&](size_t step) {
    closed[step] = true;
    for (auto it = open.begin(); it != open.end(); ++it)
      if (it->second == step) {
        open.erase(it);
        break;
      }
  };
  std::vector<bool> row_reduced(nv, false);  // computed by a group's row reduction
  // A reduction of trailing axes (kRowReduction) whose operand an open group
  // computes joins that group when its rows fit in a block: the group's loop
  // then goes row by row and the operand need not be written out.
  auto row_reduction_group = [&](const JaxprEqn& q) -> std::optional<std::pair<size_t, size_t>> {
    if (!(q.primitive->traits & kRowReduction) || q.inputs.size() != 1 || q.outputs.size() != 1 ||
        q.inputs[0].is_literal())
      return std::nullopt;
    const int x = q.inputs[0].var;
    const int s = producer_step[static_cast<size_t>(x)];
    if (s < 0 || !steps_[static_cast<size_t>(s)].group || closed[static_cast<size_t>(s)]) return std::nullopt;
    const Step& g = steps_[static_cast<size_t>(s)];
    const Shape& shape = var_type(x).shape;
    if (g.shape != shape) return std::nullopt;
    std::vector<int64_t> axes = q.params.get<std::vector<int64_t>>("axes");
    std::sort(axes.begin(), axes.end());
    if (axes.empty() || axes.back() + 1 != static_cast<int64_t>(shape.size()) ||
        axes.back() - axes.front() + 1 != static_cast<int64_t>(axes.size()))
      return std::nullopt;
    const auto first = static_cast<size_t>(axes.front());
    int64_t row = 1;
    for (size_t d = first; d < shape.size(); ++d) row *= shape[d];
    if (row < 1 || row > kBlock || (g.row_axis != static_cast<size_t>(-1) && g.row_axis != first))
      return std::nullopt;
    return std::pair{static_cast<size_t>(s), first};
  };
  for (size_t e : schedule()) {
    const JaxprEqn& q = j_.eqns[e];
    if (const auto target = row_reduction_group(q)) {
      row_reduced[static_cast<size_t>(q.outputs[0])] = true;
      steps_[target->first].eqns.push_back(e);
      steps_[target->first].row_axis = target->second;
      producer_step[static_cast<size_t>(q.outputs[0])] = static_cast<int>(target->first);
      continue;
    }
    const bool elementwise = q.outputs.size() == 1 &&
                             ((q.primitive->traits & kElementwise) ||
                              ((q.primitive->traits & kScalarBroadcast) && type(q.inputs[0]).size() == 1));
    std::optional<size_t> target;
    if (elementwise) {
      const Shape& shape = j_.var_types[static_cast<size_t>(q.outputs[0])].shape;
      // Operands of another shape than the output's must be one element or
      // the output's shape: other broadcasts are materialised by the
      // primitive itself when it runs alone.
      bool fusable = true;
      for (const Atom& a : q.inputs) {
        const AbstractValue& t = type(a);
        fusable = fusable && (t.shape == shape || t.size() == 1 || broadcasts_to(t.shape, shape));
        // A row's result exists only once its block is done: its readers
        // come after the group.
        if (!a.is_literal() && row_reduced[static_cast<size_t>(a.var)]) {
          const int s = producer_step[static_cast<size_t>(a.var)];
          if (!closed[static_cast<size_t>(s)]) close(static_cast<size_t>(s));
        }
      }
      if (fusable) {
        if (auto it = open.find(shape); it != open.end()) target = it->second;
      } else {
        target = std::nullopt;
      }
      // Inputs computed by another open group: that group is emitted first.
      for (const Atom& a : q.inputs) {
        if (a.is_literal()) continue;
        const int s = producer_step[static_cast<size_t>(a.var)];
        if (s >= 0 && steps_[static_cast<size_t>(s)].group && !closed[static_cast<size_t>(s)] &&
            (!target || static_cast<size_t>(s) != *target))
          close(static_cast<size_t>(s));
      }
      if (fusable) {
        if (!target) {
          steps_.push_back(Step{true, shape, {}});
          closed.push_back(false);
          target = steps_.size() - 1;
          open[shape] = *target;
        }
        steps_[*target].eqns.push_back(e);
        producer_step[static_cast<size_t>(q.outputs[0])] = static_cast<int>(*target);
        continue;
      }
    }
    for (const Atom& a : q.inputs) {
      if (a.is_literal()) continue;
      const int s = producer_step[static_cast<size_t>(a.var)];
      if (s >= 0 && steps_[static_cast<size_t>(s)].group && !closed[static_cast<size_t>(s)]) close(static_cast<size_t>(s));
    }
    steps_.push_back(Step{false, {}, {e}});
    closed.push_back(true);
    for (int v : q.outputs)
      if (v >= 0) producer_step[static_cast<size_t>(v)] = static_cast<int>(steps_.size() - 1);
  }
  // Emission order: a group goes where it was closed. Reorder steps so each
  // group sits just before the first step that reads it (or at the end).
  std::vector<size_t> order;
  std::vector<bool> placed(steps_.size(), false);
  // A depth-first placement: before placing a step, place the steps it reads.
  std::vector<std::vector<size_t>> reads(steps_.size());
  for (size_t s = 0; s < steps_.size(); ++s)
    for (size_t e : steps_[s].eqns)
      for (const Atom& a : j_.eqns[e].inputs)
        if (!a.is_literal()) {
          const int ps = producer_step[static_cast<size_t>(a.var)];
          if (ps >= 0 && static_cast<size_t>(ps) != s) reads[s].push_back(static_cast<size_t>(ps));
        }
  std::vector<std::pair<size_t, size_t>> stack;
  for (size_t root = 0; root < steps_.size(); ++root) {
    if (placed[root]) continue;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [s, next] = stack.back();
      if (next < reads[s].size()) {
        const size_t dep = reads[s][next++];
        if (!placed[dep]) stack.emplace_back(dep, 0);
      } else {
        if (!placed[s]) {
          placed[s] = true;
          order.push_back(s);
        }
        stack.pop_back();
      }
    }
  }
  std::vector<Step> sorted;
  for (size_t s : order) sorted.push_back(std::move(steps_[s]));
  steps_ = std::move(sorted);
}

// ---- 2. views

void Generator::plan_views() {
  const size_t nv = j_.var_types.size();
  view_.assign(nv, std::nullopt);
  materialised_.assign(nv, false);
  view_eqn_.assign(j_.eqns.size(), false);
  for (const Step& s : steps_) {
    if (s.group) continue;
    const size_t e = s.eqns[0];
    const JaxprEqn& q = j_.eqns[e];
    if (!q.primitive->view || q.inputs.size() != 1 || q.inputs[0].is_literal() || q.outputs[0] < 0) continue;
    const int x = q.inputs[0].var;
    const AbstractValue& in = var_type(x);
    const AbstractValue& out = var_type(q.outputs[0]);
    auto view_through = [&](const View& operand) -> std::optional<View> {
      View v = operand;
      if (!q.primitive->view(q.params, in, out, v.layout)) return std::nullopt;
      return v;
    };
    std::optional<View> v;
    if (view_[static_cast<size_t>(x)]) {
      v = view_through(*view_[static_cast<size_t>(x)]);
      // Not a view of the operand's view (a reshape merging strided axes):
      // the operand is copied, and this is a view of the copy.
      if (!v) materialised_[static_cast<size_t>(x)] = true;
    }
    if (!v) v = view_through(View{x, Layout::row_major(in.shape)});
    if (!v) continue;
    view_[static_cast<size_t>(q.outputs[0])] = std::move(v);
    view_eqn_[e] = true;
  }
  // Statements read contiguous buffers: a strided view they read is copied.
  for (const Step& s : steps_) {
    if (s.group || view_eqn_[s.eqns[0]]) continue;
    for (const Atom& a : j_.eqns[s.eqns[0]].inputs)
      if (!a.is_literal() && view_[static_cast<size_t>(a.var)] &&
          !view_[static_cast<size_t>(a.var)]->layout.contiguous(var_type(a.var).shape))
        materialised_[static_cast<size_t>(a.var)] = true;
  }
  // The caller's output buffers are filled, not aliased.
  for (const Atom& a : j_.outvars)
    if (!a.is_literal() && view_[static_cast<size_t>(a.var)]) materialised_[static_cast<size_t>(a.var)] = true;
}

// ---- 3. buffers

void Generator::plan_buffers() {
  const size_t nv = j_.var_types.size();
  home_.assign(nv, Home{});
  for (size_t i = 0; i < j_.invars.size(); ++i) home_[static_cast<size_t>(j_.invars[i])] = {Home::input, int64_t(i)};
  for (size_t i = 0; i < j_.constvars.size(); ++i)
    home_[static_cast<size_t>(j_.constvars[i])] = {Home::constant, int64_t(i)};
  // Outputs computed by an equation are written in place.
  for (size_t o = 0; o < j_.outvars.size(); ++o) {
    const Atom& a = j_.outvars[o];
    if (a.is_literal()) continue;
    Home& h = home_[static_cast<size_t>(a.var)];
    if (h.kind == Home::none) h = {Home::output, int64_t(o)};
  }
  // Which step reads each var last, and whether a group member's value is
  // read outside its group.
  std::vector<int> last_read(nv, -1), made_by(nv, -1);
  std::vector<bool> read_outside(nv, false);
  for (size_t s = 0; s < steps_.size(); ++s)
    for (size_t e : steps_[s].eqns)
      for (int v : j_.eqns[e].outputs)
        if (v >= 0) made_by[static_cast<size_t>(v)] = static_cast<int>(s);
  for (size_t s = 0; s < steps_.size(); ++s)
    for (size_t e : steps_[s].eqns)
      for (const Atom& a : j_.eqns[e].inputs) {
        if (a.is_literal()) continue;
        const size_t v = static_cast<size_t>(a.var);
        last_read[v] = std::max(last_read[v], static_cast<int>(s));
        if (made_by[v] != static_cast<int>(s)) read_outside[v] = true;
      }
  for (const Atom& a : j_.outvars)
    if (!a.is_literal()) read_outside[static_cast<size_t>(a.var)] = true;
  // A view's root lives until the view's last reader. (Roots are defined
  // before their views, and each view names its root directly.)
  auto is_view = [&](size_t v) { return view_[v] && !materialised_[v]; };
  for (size_t v = 0; v < nv; ++v)
    if (is_view(v)) {
      const size_t root = static_cast<size_t>(view_[v]->root);
      last_read[root] = std::max(last_read[root], last_read[v]);
      read_outside[root] = true;
    }
  // First-fit allocation of scratch slices, freed after their last reader.
  struct Slice {
    int64_t offset, bytes;
  };
  std::vector<Slice> free_list;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> release_after(steps_.size());
  auto allocate = [&](int64_t bytes) {
    bytes = (bytes + 63) / 64 * 64;
    for (size_t i = 0; i < free_list.size(); ++i)
      if (free_list[i].bytes >= bytes) {
        const int64_t off = free_list[i].offset;
        free_list[i].offset += bytes;
        free_list[i].bytes -= bytes;
        if (free_list[i].bytes == 0) free_list.erase(free_list.begin() + static_cast<std::ptrdiff_t>(i));
        return off;
      }
    const int64_t off = scratch_bytes_;
    scratch_bytes_ += bytes;
    return off;
  };
  for (size_t s = 0; s < steps_.size(); ++s) {
    for (size_t e : steps_[s].eqns)
      for (int v : j_.eqns[e].outputs) {
        if (v < 0) continue;
        Home& h = home_[static_cast<size_t>(v)];
        if (h.kind != Home::none) continue;
        if (is_view(static_cast<size_t>(v))) {
          h = {Home::view, 0};
          continue;
        }
        if (steps_[s].group && !read_outside[static_cast<size_t>(v)]) {
          h = {Home::local, 0};
          continue;
        }
        const int64_t bytes = std::max<int64_t>(bytes_of(j_.var_types[static_cast<size_t>(v)]), 1);
        h = {Home::scratch, allocate(bytes)};
        const int last = std::max(last_read[static_cast<size_t>(v)], static_cast<int>(s));
        release_after[static_cast<size_t>(last)].emplace_back(h.index, (bytes + 63) / 64 * 64);
      }
    for (auto [off, bytes] : release_after[s]) free_list.push_back({off, bytes});
    std::sort(free_list.begin(), free_list.end(), [](const Slice& a, const Slice& b) { return a.offset < b.offset; });
  }
}

// Typed local pointers rather than casts of fx_in[k] at each use: the
// compiler then hoists them, and vectorises loops that read and write
// buffers (inputs and outputs never overlap: __restrict; scratch slices
// may be reused by another value later, so they are not restrict). A
// contiguous view is a pointer into its root's buffer.
void Generator::declare_buffers() {
  for (size_t v = 0; v < home_.size(); ++v) {
    const Home& h = home_[v];
    const std::string t = ctype(j_.var_types[v].dtype);
    const std::string name = "p" + str(static_cast<int64_t>(v));
    switch (h.kind) {
      case Home::input:
        write("const " + t + "* __restrict " + name + " = (const " + t + "*)fx_in[" + str(h.index) + "];", indent_);
        break;
      case Home::constant:
        write("const " + t + "* __restrict " + name + " = (const " + t + "*)fx_consts[" + str(h.index) + "];", indent_);
        break;
      case Home::output:
        write(t + "* __restrict " + name + " = (" + t + "*)fx_out[" + str(h.index) + "];", indent_);
        break;
      case Home::scratch:
        write(t + "* " + name + " = (" + t + "*)(fx_scratch + " + str(h.index) + ");", indent_);
        break;
      default: continue;
    }
    write("(void)" + name + ";", indent_);
  }
  for (size_t v = 0; v < home_.size(); ++v) {
    if (home_[v].kind != Home::view || !view_[v]->layout.contiguous(j_.var_types[v].shape)) continue;
    const std::string t = ctype(j_.var_types[v].dtype);
    write("const " + t + "* p" + str(static_cast<int64_t>(v)) + " = p" + str(view_[v]->root) + " + " +
              str(view_[v]->layout.offset) + ";",
          indent_);
  }
}

// ---- 4. emission (groups: fused_loops.cpp)

void Generator::emit_single(size_t e) {
  const JaxprEqn& q = j_.eqns[e];
  if (view_eqn_[e]) {
    if (materialised_[static_cast<size_t>(q.outputs[0])]) emit_view_copy(e);
    return;
  }
  write("// " + std::string(q.primitive->name), indent_);
  EqnEmitter em(*this, e, nullptr);
  // An elementwise equation alone: its operands are broadcast in ways a
  // fused loop does not read, which its kernel handles.
  if (q.primitive->traits & kElementwise) return em.call_eager();
  q.primitive->lower(*q.primitive, em);
}

// A view copied into its own buffer: a loop nest over the output in
// row-major order, reading through the view's strides.
void Generator::emit_view_copy(size_t e) {
  const int var = j_.eqns[e].outputs[0];
  const View& v = *view_[static_cast<size_t>(var)];
  const Shape& shape = var_type(var).shape;
  write("// " + std::string(j_.eqns[e].primitive->name) + " (a view, copied)", indent_);
  write(strided_copy(buffer(var), "p" + str(v.root), v.layout, shape), indent_);
}

void Generator::emit_output_copies() {
  for (size_t o = 0; o < j_.outvars.size(); ++o) {
    const Atom& a = j_.outvars[o];
    const AbstractValue& t = type(a);
    const std::string ct = ctype(t.dtype);
    const std::string dst = "((" + ct + "*)fx_out[" + str(int64_t(o)) + "])";
    if (a.is_literal()) {
      write(dst + "[0] = " + literal_expr(a.literal, t.dtype) + ";", indent_);
      continue;
    }
    const Home& h = home_[static_cast<size_t>(a.var)];
    if (h.kind == Home::output && h.index == int64_t(o)) continue;
    write("for (long long i = 0; i < " + str(t.size()) + "; ++i) " + dst + "[i] = " + buffer(a.var) + "[i];", indent_);
  }
}

// ---- EqnEmitter: the parts that do not depend on a fused loop

const Params& EqnEmitter::params() const { return g_.eqn(eqn_).params; }
size_t EqnEmitter::num_inputs() const { return g_.eqn(eqn_).inputs.size(); }
const AbstractValue& EqnEmitter::in_type(size_t k) const { return g_.type(g_.eqn(eqn_).inputs[k]); }
size_t EqnEmitter::num_outputs() const { return g_.eqn(eqn_).outputs.size(); }
const AbstractValue& EqnEmitter::out_type(size_t k) const { return g_.type(Atom::variable(g_.eqn(eqn_).outputs[k])); }

std::string EqnEmitter::in_buffer(size_t k) const {
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (a.is_literal()) return g_.literal_array(a.literal);
  return g_.buffer(a.var);
}

std::string EqnEmitter::out_buffer(size_t k) const { return g_.buffer(g_.eqn(eqn_).outputs[k]); }
std::string EqnEmitter::call_subprogram(const ClosedJaxpr& program, const std::vector<std::string>& inputs,
                                        const std::vector<std::string>& outputs) {
  called_ = true;
  return g_.call_subprogram(program, inputs, outputs, temporaries_);
}

std::string EqnEmitter::temporary(int64_t bytes) {
  if (called_) throw Error("jit: internal error: a temporary asked for after a sub-program call");
  const int64_t offset = temporaries_;
  temporaries_ += (std::max<int64_t>(bytes, 1) + 63) / 64 * 64;
  return g_.temporary(offset, temporaries_ - offset);
}
void EqnEmitter::line(const std::string& code) { g_.write(code, g_.indent()); }
std::string EqnEmitter::fresh(const char* prefix) { return g_.fresh(prefix); }

void EqnEmitter::call_eager() {
  const JaxprEqn& q = g_.eqn(eqn_);
  std::string ins = "{", outs = "{";
  for (size_t k = 0; k < q.inputs.size(); ++k) ins += (k ? ", " : "") + std::string("(const void*)") + in_buffer(k);
  for (size_t k = 0; k < q.outputs.size(); ++k) outs += (k ? ", " : "") + std::string("(void*)") + out_buffer(k);
  if (q.inputs.empty()) ins += "0";
  if (q.outputs.empty()) outs += "0";
  const std::string a = fresh("in"), o = fresh("out");
  line("{");
  line("  const void* const " + a + "[] = " + ins + "};");
  line("  void* const " + o + "[] = " + outs + "};");
  line("  fx_rt->call_eqn(fx_rt->ctx, " + str(int64_t(eqn_)) + ", " + a + ", " + o + ");");
  line("}");
}

}  // namespace codegen_detail

void name_dropped_outputs(ClosedJaxpr& program) {
  // Dropped outputs (`_`) of multi-output equations are still written by
  // their kernels: they get a variable, hence a buffer.
  Jaxpr& j = program.jaxpr;
  for (JaxprEqn& q : j.eqns) {
    bool dropped = false;
    for (int v : q.outputs) dropped = dropped || v < 0;
    if (!dropped) continue;
    std::vector<const AbstractValue*> avals;
    for (const Atom& a : q.inputs) avals.push_back(&j.type_of(a));
    std::vector<AbstractValue> types = q.primitive->abstract_eval(*q.primitive, avals, q.params);
    for (size_t k = 0; k < q.outputs.size(); ++k)
      if (q.outputs[k] < 0) q.outputs[k] = j.new_var(types[k]);
  }
}

}  // namespace fluxion::compiler
