// The code generator's state, shared by its two halves: codegen.cpp plans
// (steps, views, buffers) and writes whole-buffer statements; fused_loops.cpp
// writes a fusion group's loop nest. Nothing outside src/compiler/ includes it.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/emitter.hpp"
#include "fluxion/jaxpr.hpp"

namespace fluxion::compiler::codegen_detail {

inline std::string str(int64_t v) { return std::to_string(v); }

// Where a value lives while the compiled function runs.
struct Home {
  // view: no buffer of its own; read through another value's (see View).
  enum Kind { none, input, constant, output, scratch, local, view } kind = none;
  int64_t index = 0;  // input/constant/output position, or scratch offset
};

// A value whose elements are another value's, read with other strides
// (Primitive::view): `root` has a buffer.
struct View {
  int root = -1;
  Layout layout;
};

struct Step {
  bool group = false;
  Shape shape;               // a group's loop shape
  std::vector<size_t> eqns;  // in program order
  // A group whose members reduce rows (kRowReduction): the rows are the
  // shape's axes from row_axis on, one block each.
  size_t row_axis = static_cast<size_t>(-1);
};

// Elements per block of a fused loop (its locals stay in L1); a row that a
// member reduces is one block, so it has at most this many.
inline constexpr int64_t kBlock = 256;

// How a fused loop reads one operand inside its block (fused_loops.cpp).
struct OperandRead {
  std::string element;  // element i of the block
  std::string block;    // a pointer to the block's n elements when they are contiguous, else empty
  bool uniform = false;  // one value over the whole block: `element` names it
};

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
  std::string coordinate(size_t axis) const override;
  std::string row_index() const override { return "r"; }
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
  std::string call_subprogram(const ClosedJaxpr& program, const std::vector<std::string>& inputs,
                              const std::vector<std::string>& outputs) override;
  std::string temporary(int64_t bytes) override;

 private:
  Generator& g_;
  size_t eqn_;
  const Step* group_;
  int64_t temporaries_ = 0;  // bytes of temporary() so far, after the function's own scratch
  bool called_ = false;      // call_subprogram was used
};

// The translation unit being generated: the program's function and those of
// its sub-programs, each computing one optimised program.
struct Unit {
  struct Function {
    ClosedJaxpr program;
    std::string text;
    int64_t scratch_bytes = 0;  // its own and its callees'
    size_t const_offset = 0;    // where its constants start in fx_consts
  };
  std::deque<Function> functions;  // by id (0 is fx_entry); a deque: generators hold references
  std::vector<size_t> order;       // ids as their definitions were finished: callees first
  std::map<const ClosedJaxpr*, size_t> ids;  // sub-program parameters already compiled
  size_t num_consts = 0;
  bool openmp = false;
  // Generates `program` (optimised) as function `id` of the unit.
  void generate(size_t id, std::string_view name);
};

class Generator {
 public:
  Generator(Unit& unit, size_t id, std::string_view name);
  // The function's definition; its total scratch goes to the unit.
  std::string run();
  bool openmp() const { return openmp_; }
  // A statement calling sub-program `program` (compiled once per unit),
  // whose scratch starts `offset` bytes after this function's own.
  std::string call_subprogram(const ClosedJaxpr& program, const std::vector<std::string>& inputs,
                              const std::vector<std::string>& outputs, int64_t offset);
  // `bytes` of scratch at `offset` after this function's own, for one equation.
  std::string temporary(int64_t offset, int64_t bytes);

  // ---- what EqnEmitter reads
  const JaxprEqn& eqn(size_t e) const { return j_.eqns[e]; }
  const AbstractValue& type(const Atom& a) const { return j_.type_of(a); }
  const AbstractValue& var_type(int v) const { return j_.var_types[static_cast<size_t>(v)]; }
  // The typed pointer to a value's contiguous elements, declared once at the
  // top of fx_entry (declare_buffers).
  std::string buffer(int var) const;
  bool is_local(int var) const { return home_[static_cast<size_t>(var)].kind == Home::local; }
  // The buffer a value's elements are read from, and where in it.
  std::pair<std::string, Layout> source_of(int var) const;
  // Inside a group of `n_total` elements, whether a value is one value.
  static bool scalar_in_group(const AbstractValue& a, int64_t n_total) { return n_total > 1 && a.size() == 1; }
  int64_t group_size(const Step& s) const { return AbstractValue{s.shape, DType::float64, false}.size(); }
  int64_t block_size() const { return block_; }
  // The group being emitted: how it reads operand `var`, and output axis `axis`.
  const OperandRead& read_of(int var) const;
  const std::string& coordinate(size_t axis) const { return coordinates_.at(axis); }
  void write(const std::string& code, int indent);
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
  std::string literal_array(const Array& literal);

 private:
  std::vector<size_t> schedule() const;
  void plan_steps();
  void plan_views();
  void plan_buffers();
  void declare_buffers();
  void emit_group(const Step& s);  // fused_loops.cpp
  void emit_single(size_t e);
  void emit_view_copy(size_t e);
  void emit_output_copies();

  Unit& unit_;
  size_t id_;
  const ClosedJaxpr& p_;
  const Jaxpr& j_;
  std::string name_;
  int64_t callee_scratch_ = 0;  // the most scratch a sub-program called from here needs
  std::vector<Step> steps_;
  std::vector<Home> home_;
  std::vector<std::optional<View>> view_;  // by var
  std::vector<bool> materialised_;         // by var: a view copied into its own buffer all the same
  std::vector<bool> view_eqn_;             // by equation: its output is a view of its operand
  int64_t scratch_bytes_ = 0;
  std::ostream* body_ = nullptr;
  int indent_ = 2;
  int next_name_ = 0;
  bool openmp_ = false;
  // The group being emitted (fused_loops.cpp).
  std::vector<Member> members_;
  std::vector<std::string>* capture_ = nullptr;  // where write() goes while recording
  std::map<int, OperandRead> reads_;
  std::vector<std::string> coordinates_;
  int64_t block_ = 0;
};

}  // namespace fluxion::compiler::codegen_detail
