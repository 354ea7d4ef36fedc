// C++ code generation from an optimised, flat closed jaxpr.
//
// 1. Steps. Equations are taken in program order. Elementwise ones join the
//    open fusion group of their output shape (XLA's loop fusion); any other
//    is a step of its own, emitted at once. A group is emitted when a value
//    it computes is needed outside it, or at the end: so a group's inputs are
//    always ready before it, and its outputs before their first outside use.
// 2. Buffers. Inputs, constants and outputs are the caller's; a value a
//    group uses only inside itself lives in a block-sized local array; every
//    other value gets a slice of the scratch arena, reused once its last
//    reader has run.
// 3. Emission. A group is one loop over blocks of kBlock elements; each member
//    writes its block with its lowering rule (an expression per element, or a
//    call of eager's SIMD kernel on the block). Other equations write their
//    statements, or call their eager kernel through the runtime.
#include "compiler/codegen.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "compiler/emitter.hpp"
#include "compiler/runtime.hpp"
#include "fluxion/errors.hpp"

namespace fluxion::compiler {

namespace {

constexpr int64_t kBlock = 256;  // elements per block of a fused loop: locals stay in L1
// Fused loops over this many elements or more run their blocks on OpenMP
// threads: below it, waking the threads costs more than they save.
constexpr int64_t kParallelElements = 1 << 15;

std::string str(int64_t v) { return std::to_string(v); }


// Where a value lives while the compiled function runs.
struct Home {
  enum Kind { none, input, constant, output, scratch, local } kind = none;
  int64_t index = 0;  // input/constant/output position, or scratch offset
};

struct Step {
  bool group = false;
  Shape shape;              // a group's loop shape
  std::vector<size_t> eqns;  // in program order
};

int64_t bytes_of(const AbstractValue& a) { return a.size() * static_cast<int64_t>(itemsize(a.dtype)); }

class Generator;

// The Emitter a rule sees for one equation.
class EqnEmitter final : public Emitter {
 public:
  EqnEmitter(Generator& g, size_t eqn, const Step* group) : g_(g), eqn_(eqn), group_(group) {}
  const Params& params() const override;
  size_t num_inputs() const override;
  const AbstractValue& in_type(size_t k) const override;
  size_t num_outputs() const override;
  const AbstractValue& out_type(size_t k) const override;
  bool in_group() const override { return group_ != nullptr; }
  std::string index() const override { return "(b + i)"; }
  std::string in(size_t k) const override;
  bool in_scalar(size_t k) const override;
  std::string in_block(size_t k) const override;
  std::string out_block() const override;
  std::string in_pointer(size_t k) override;
  void assign(const std::string& expr) override;
  void kernel(const std::string& statement) override;
  std::string in_buffer(size_t k) const override;
  std::string out_buffer(size_t k) const override;
  void line(const std::string& code) override;
  std::string fresh(const char* prefix) override;
  void call_eager() override;

 private:
  Generator& g_;
  size_t eqn_;
  const Step* group_;
};

class Generator {
 public:
  Generator(const ClosedJaxpr& program, std::string_view name) : p_(program), j_(p_.jaxpr), name_(name) {
    name_dropped_outputs(p_);
  }

  bool openmp() const { return openmp_; }

  std::string run() {
    plan_steps();
    plan_buffers();
    std::ostringstream os;
    os << preamble() << "extern \"C\" {\n" << kRuntimeAbiText << "\n";
    os << "__attribute__((visibility(\"default\"))) extern const long long fx_scratch_bytes;\n";
    os << "const long long fx_scratch_bytes = " << scratch_bytes_ << ";\n";
    os << "// " << name_ << "\n";
    os << "__attribute__((visibility(\"default\"))) void fx_entry(const void* const* fx_in, void* const* fx_out, "
          "const void* const* fx_consts, char* fx_scratch, const struct fx_runtime* fx_rt) {\n";
    os << "  (void)fx_in; (void)fx_out; (void)fx_consts; (void)fx_scratch; (void)fx_rt;\n";
    body_ = &os;
    declare_buffers();
    for (const Step& s : steps_) {
      if (s.group) emit_group(s);
      else emit_single(s.eqns[0]);
    }
    emit_output_copies();
    os << "}\n}\n";
    return os.str();
  }

  // ---- what EqnEmitter reads
  const JaxprEqn& eqn(size_t e) const { return j_.eqns[e]; }
  const AbstractValue& type(const Atom& a) const { return j_.type_of(a); }
  // The typed pointer to a value's buffer, declared once at the top of
  // fx_entry (see declare_buffers).
  std::string buffer(int var) const {
    const Home& h = home_[static_cast<size_t>(var)];
    if (h.kind == Home::none || h.kind == Home::local)
      throw Error("jit: internal error: value without a buffer in the code generator");
    return "p" + str(var);
  }
  // Typed local pointers rather than casts of fx_in[k] at each use: the
  // compiler then hoists them, and vectorises loops that read and write
  // buffers (inputs and outputs never overlap: __restrict; scratch slices
  // may be reused by another value later, so they are not restrict).
  void declare_buffers() {
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
  }
  bool is_local(int var) const { return home_[static_cast<size_t>(var)].kind == Home::local; }
  // Inside a group of `n_total` elements, whether atom a is one value.
  static bool scalar_in_group(const AbstractValue& a, int64_t n_total) { return n_total > 1 && a.size() == 1; }
  // An operand of equal rank whose extents are the loop's or 1 (the
  // broadcasting elementwise primitives accept): read through an index map.
  static bool broadcasts_to(const Shape& from, const Shape& to) {
    if (from.size() != to.size() || from == to) return false;
    for (size_t d = 0; d < from.size(); ++d)
      if (from[d] != to[d] && from[d] != 1) return false;
    return true;
  }
  // The flat index into a `from`-shaped operand of the loop's flat index `f`.
  static std::string broadcast_index(const Shape& from, const Shape& to, const std::string& f) {
    std::vector<int64_t> out_stride(to.size(), 1), in_stride(from.size(), 1);
    for (size_t d = to.size(); d-- > 1;) {
      out_stride[d - 1] = out_stride[d] * to[d];
      in_stride[d - 1] = in_stride[d] * from[d];
    }
    std::string index;
    for (size_t d = 0; d < to.size(); ++d) {
      if (from[d] == 1 || to[d] == 1) continue;
      std::string term = out_stride[d] == 1 ? f : "(" + f + ") / " + str(out_stride[d]);
      if (d > 0) term = "(" + term + ") % " + str(to[d]);
      if (in_stride[d] != 1) term = "(" + term + ") * " + str(in_stride[d]);
      index += (index.empty() ? "" : " + ") + term;
    }
    return index.empty() ? "0" : index;
  }
  int64_t group_size(const Step& s) const { return AbstractValue{s.shape, DType::float64, false}.size(); }
  void write(const std::string& code, int indent) {
    if (capture_) capture_->push_back(code);
    else *body_ << std::string(static_cast<size_t>(indent), ' ') << code << "\n";
  }
  // A fused member as its rule wrote it: an expression for element i, or a
  // statement on the whole block (a kernel call).
  struct Member {
    bool kernel = false;
    std::string code;
    int out = -1;
  };
  void record(Member m) { members_.push_back(std::move(m)); }
  int indent() const { return indent_; }
  std::string fresh(const char* prefix) { return std::string(prefix) + str(next_name_++); }
  std::string scalar_name(int var) const { return "s" + str(var); }
  // A one-element array holding `literal`, declared here (for kernel calls).
  std::string literal_array(const Array& literal) {
    const std::string name = fresh("lit");
    write("const " + ctype(literal.dtype()) + " " + name + "[1] = {" + literal_expr(literal, literal.dtype()) + "};",
          indent_);
    return name;
  }

 private:
  void plan_steps();
  void plan_buffers();
  void emit_group(const Step& s);
  void emit_single(size_t e);
  void emit_output_copies();

  ClosedJaxpr p_;
  const Jaxpr& j_;
  std::string name_;
  std::vector<Step> steps_;
  std::vector<Home> home_;
  std::vector<bool> aliased_;  // by equation: reads its operand's buffer in place, emits nothing
  int64_t scratch_bytes_ = 0;
  std::ostream* body_ = nullptr;
  int indent_ = 2;
  int next_name_ = 0;
  bool openmp_ = false;
  std::vector<Member> members_;               // of the group being emitted
  std::vector<std::string>* capture_ = nullptr;  // where write() goes while recording
};

// ---- 1. steps

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
  for (size_t e = 0; e < j_.eqns.size(); ++e) {
    const JaxprEqn& q = j_.eqns[e];
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

// ---- 2. buffers

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
  // Reshapes and squeezes of a buffered value read it in place: the value's
  // slice lives until the alias's last reader. (An output keeps its copy.)
  aliased_.assign(j_.eqns.size(), false);
  std::vector<int> root(nv, -1);
  for (size_t s = 0; s < steps_.size(); ++s) {
    if (steps_[s].group) continue;
    const size_t e = steps_[s].eqns[0];
    const JaxprEqn& q = j_.eqns[e];
    if (!(q.primitive->traits & kAliasesOperand) || q.inputs[0].is_literal()) continue;
    const int out = q.outputs[0];
    if (home_[static_cast<size_t>(out)].kind == Home::output) continue;
    int r = q.inputs[0].var;
    while (root[static_cast<size_t>(r)] >= 0) r = root[static_cast<size_t>(r)];
    root[static_cast<size_t>(out)] = r;
    aliased_[e] = true;
    read_outside[static_cast<size_t>(r)] = true;
  }
  for (size_t v = nv; v-- > 0;)  // aliases are defined after their roots: propagate last reads backwards
    if (root[v] >= 0) last_read[static_cast<size_t>(root[v])] = std::max(last_read[static_cast<size_t>(root[v])], last_read[v]);
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
        if (h.kind != Home::none || root[static_cast<size_t>(v)] >= 0) continue;
        if (steps_[s].group && !read_outside[static_cast<size_t>(v)]) {
          h = {Home::local, 0};
          continue;
        }
        const int64_t bytes = std::max<int64_t>(bytes_of(j_.var_types[static_cast<size_t>(v)]), 1);
        h = {Home::scratch, allocate(bytes)};
        const int last = std::max(last_read[static_cast<size_t>(v)], static_cast<int>(s));
        release_after[static_cast<size_t>(last)].emplace_back(h.index, (bytes + 63) / 64 * 64);
      }
    // An alias takes its root's home once the root has one.
    for (size_t e : steps_[s].eqns)
      if (aliased_[e]) {
        const int out = j_.eqns[e].outputs[0];
        home_[static_cast<size_t>(out)] = home_[static_cast<size_t>(root[static_cast<size_t>(out)])];
      }
    for (auto [off, bytes] : release_after[s]) free_list.push_back({off, bytes});
    std::sort(free_list.begin(), free_list.end(), [](const Slice& a, const Slice& b) { return a.offset < b.offset; });
  }
}

// ---- 3. emission

// A group's members are first recorded (each rule runs once, its operand
// references left as @id@ / @&id@ placeholders), then laid out: runs of
// per-element expressions become one loop over the block with scalar
// temporaries (registers, vectorised by the compiler); a kernel call on the
// block ends a run. Only values a kernel reads or writes, or a later run
// reads, get a block array.
void Generator::emit_group(const Step& s) {
  const int64_t n_total = group_size(s);
  const int64_t block = std::min(n_total, kBlock);
  write("{  // fused: " + str(static_cast<int64_t>(s.eqns.size())) + " operation(s) over " +
            to_string(AbstractValue{s.shape, DType::float64, false}).substr(3),
        indent_);
  indent_ += 2;
  // One-element operands read once, before the loop.
  std::vector<bool> hoisted(j_.var_types.size(), false);
  for (size_t e : s.eqns)
    for (const Atom& a : j_.eqns[e].inputs)
      if (!a.is_literal() && scalar_in_group(type(a), n_total) && !hoisted[static_cast<size_t>(a.var)]) {
        hoisted[static_cast<size_t>(a.var)] = true;
        const AbstractValue& t = type(a);
        write(ctype(t.dtype) + " " + scalar_name(a.var) + " = " + buffer(a.var) + "[0];", indent_);
      }
  // Record.
  members_.clear();
  std::vector<std::string> prelude;
  capture_ = &prelude;
  for (size_t k = 0; k < s.eqns.size(); ++k) {
    EqnEmitter em(*this, s.eqns[k], &s);
    const Primitive& prim = *j_.eqns[s.eqns[k]].primitive;
    prim.lower(prim, em);
    if (members_.size() != k + 1)
      throw Error("jit: internal error: the lowering rule of '" + std::string(prim.name) +
                  "' wrote no statement for its fused equation");
  }
  capture_ = nullptr;
  // Lay out: segments, then which locals need a block array.
  std::vector<int> segment(members_.size());
  int seg = -1;
  for (size_t m = 0; m < members_.size(); ++m) {
    const bool kernel = members_[m].kernel;
    if (kernel || m == 0 || members_[m - 1].kernel) ++seg;
    segment[m] = seg;
  }
  std::map<int, int> defined_in;  // local var -> segment
  for (size_t m = 0; m < members_.size(); ++m)
    if (is_local(members_[m].out)) defined_in[members_[m].out] = segment[m];
  std::map<int, bool> array;
  for (size_t m = 0; m < members_.size(); ++m) {
    if (members_[m].kernel && is_local(members_[m].out)) array[members_[m].out] = true;
    const std::string& code = members_[m].code;
    for (size_t at = code.find('@'); at != std::string::npos; at = code.find('@', code.find('@', at + 1) + 1)) {
      const size_t close = code.find('@', at + 1);
      const bool pointer = code[at + 1] == '&';
      const int v = std::stoi(code.substr(at + (pointer ? 2 : 1), close - at - (pointer ? 2 : 1)));
      if (pointer || members_[m].kernel || defined_in[v] != segment[m]) array[v] = true;
    }
  }
  auto substitute = [&](std::string code, int seg_now) {
    std::string outcode;
    for (size_t pos = 0;;) {
      const size_t at = code.find('@', pos);
      if (at == std::string::npos) {
        outcode += code.substr(pos);
        break;
      }
      const size_t close = code.find('@', at + 1);
      const bool pointer = code[at + 1] == '&';
      const int v = std::stoi(code.substr(at + (pointer ? 2 : 1), close - at - (pointer ? 2 : 1)));
      outcode += code.substr(pos, at - pos);
      if (pointer) outcode += "t" + str(v);
      else if (defined_in[v] == seg_now) outcode += "v" + str(v);  // a scalar of this loop
      else outcode += "t" + str(v) + "[i]";
      pos = close + 1;
    }
    return outcode;
  };
  if (n_total >= kParallelElements) {
    // Each thread's own copies of the pointers and scalars the loop reads:
    // shared ones would be reloaded through OpenMP's argument block at
    // every use, which stops the compiler from vectorising.
    std::set<std::string> names;
    for (size_t e : s.eqns) {
      for (const Atom& a : j_.eqns[e].inputs) {
        if (a.is_literal() || is_local(a.var)) continue;
        names.insert(hoisted[static_cast<size_t>(a.var)] ? scalar_name(a.var) : buffer(a.var));
      }
      for (int v : j_.eqns[e].outputs)
        if (v >= 0 && !is_local(v)) names.insert(buffer(v));
    }
    std::string list;
    for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
    write("#pragma omp parallel for schedule(static)" + (list.empty() ? "" : " firstprivate(" + list + ")"), indent_);
    openmp_ = true;
  }
  write("for (long long b = 0; b < " + str(n_total) + "; b += " + str(block) + ") {", indent_);
  indent_ += 2;
  write("const long long n = " + str(n_total) + " - b < " + str(block) + " ? " + str(n_total) + " - b : " +
            str(block) + ";",
        indent_);
  write("(void)n;", indent_);
  for (const std::string& line : prelude) write(line, indent_);
  for (const auto& [v, needed] : array)
    if (needed) write(ctype(j_.var_types[static_cast<size_t>(v)].dtype) + " t" + str(v) + "[" + str(block) + "];", indent_);
  for (size_t m = 0; m < members_.size();) {
    if (members_[m].kernel) {
      write(substitute(members_[m].code, segment[m]), indent_);
      ++m;
      continue;
    }
    write("for (long long i = 0; i < n; ++i) {", indent_);
    const int seg_now = segment[m];
    for (; m < members_.size() && segment[m] == seg_now; ++m) {
      const Member& mb = members_[m];
      const std::string ct = ctype(j_.var_types[static_cast<size_t>(mb.out)].dtype);
      const std::string value = "v" + str(mb.out);
      write("  const " + ct + " " + value + " = " + substitute(mb.code, seg_now) + ";", indent_);
      if (!is_local(mb.out)) write("  " + buffer(mb.out) + "[b + i] = " + value + ";", indent_);
      else if (array[mb.out]) write("  t" + str(mb.out) + "[i] = " + value + ";", indent_);
    }
    write("}", indent_);
  }
  indent_ -= 2;
  write("}", indent_);
  indent_ -= 2;
  write("}", indent_);
}

void Generator::emit_single(size_t e) {
  const JaxprEqn& q = j_.eqns[e];
  if (aliased_[e]) return;
  write("// " + std::string(q.primitive->name), indent_);
  EqnEmitter em(*this, e, nullptr);
  // An elementwise equation alone: its operands are broadcast in ways a
  // fused loop does not read (size-1 extents), which its kernel handles.
  if (q.primitive->traits & kElementwise) return em.call_eager();
  q.primitive->lower(*q.primitive, em);
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

// ---- EqnEmitter

const Params& EqnEmitter::params() const { return g_.eqn(eqn_).params; }
size_t EqnEmitter::num_inputs() const { return g_.eqn(eqn_).inputs.size(); }
const AbstractValue& EqnEmitter::in_type(size_t k) const { return g_.type(g_.eqn(eqn_).inputs[k]); }
size_t EqnEmitter::num_outputs() const { return g_.eqn(eqn_).outputs.size(); }
const AbstractValue& EqnEmitter::out_type(size_t k) const { return g_.type(Atom::variable(g_.eqn(eqn_).outputs[k])); }

std::string EqnEmitter::in(size_t k) const {
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (a.is_literal()) return literal_expr(a.literal, a.literal.dtype());
  if (!group_) throw Error("jit: internal error: in() outside a fused loop");
  const int64_t n_total = g_.group_size(*group_);
  if (Generator::scalar_in_group(g_.type(a), n_total)) return g_.scalar_name(a.var);
  if (g_.is_local(a.var)) return "@" + str(a.var) + "@";
  if (Generator::broadcasts_to(g_.type(a).shape, group_->shape))
    return g_.buffer(a.var) + "[" + Generator::broadcast_index(g_.type(a).shape, group_->shape, "b + i") + "]";
  return g_.buffer(a.var) + "[b + i]";  // the loop's shape, or one element in a one-element loop
}

bool EqnEmitter::in_scalar(size_t k) const {
  // A literal is 0-d, so its type says it is one value too.
  return group_ && Generator::scalar_in_group(g_.type(g_.eqn(eqn_).inputs[k]), g_.group_size(*group_));
}

std::string EqnEmitter::in_block(size_t k) const {
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (in_scalar(k)) return "";
  if (a.is_literal()) return g_.literal_array(a.literal);  // a one-element group
  if (g_.is_local(a.var)) return "@&" + str(a.var) + "@";
  if (Generator::broadcasts_to(g_.type(a).shape, group_->shape)) {
    // A kernel needs the block contiguous: gather the broadcast operand.
    const std::string name = g_.fresh("bc");
    const std::string ct = ctype(g_.type(a).dtype);
    g_.write(ct + " " + name + "[" + str(std::min(g_.group_size(*group_), kBlock)) + "]; for (long long i = 0; i < n; ++i) " +
                 name + "[i] = " + in(k) + ";",
             0);
    return name;
  }
  return "(" + g_.buffer(a.var) + " + b)";
}

std::string EqnEmitter::out_block() const {
  const int v = g_.eqn(eqn_).outputs[0];
  if (g_.is_local(v)) return "@&" + str(v) + "@";
  return "(" + g_.buffer(v) + " + b)";
}

void EqnEmitter::assign(const std::string& expr) { g_.record({false, expr, g_.eqn(eqn_).outputs[0]}); }

void EqnEmitter::kernel(const std::string& statement) {
  if (!group_) return g_.write(statement, g_.indent());
  g_.record({true, statement, g_.eqn(eqn_).outputs[0]});
}

std::string EqnEmitter::in_pointer(size_t k) {
  if (!in_scalar(k)) return in_block(k);
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (a.is_literal()) return g_.literal_array(a.literal);
  return "&" + g_.scalar_name(a.var);
}

std::string EqnEmitter::in_buffer(size_t k) const {
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (a.is_literal()) return g_.literal_array(a.literal);
  return g_.buffer(a.var);
}

std::string EqnEmitter::out_buffer(size_t k) const { return g_.buffer(g_.eqn(eqn_).outputs[k]); }
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

}  // namespace

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

Generated generate(const ClosedJaxpr& program, std::string_view name) {
  Generator g(program, name);
  std::string source = g.run();
  return Generated{std::move(source), g.openmp()};
}

}  // namespace fluxion::compiler
