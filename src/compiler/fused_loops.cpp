// A fusion group's loop nest (XLA's loop fusion).
//
// The loop runs over the group's output in row-major order, in blocks of at
// most kBlock elements. Each operand is read through its layout (its own
// buffer, or a view's strides into another's), with stride 0 along the axes
// it broadcasts. Adjacent axes along which every operand steps as one are
// merged; when more than one axis is left, the loop goes row by row over the
// innermost one, so that every operand is read with one stride inside a
// block (contiguously, or as one value, or with a fixed step) and its offset
// is computed once per block, instead of a division per element. A short
// innermost axis (under kMinRow elements) keeps one flat loop with
// per-element index arithmetic: rows that short would cost more in per-row
// work than the divisions do.
//
// A reduction of the group's trailing axes (kRowReduction, XLA's input
// fusion) makes those axes the row, one block per row: it reduces the block
// its producers just computed, so the operand is never written out.
//
// Inside a block, the members' code is first recorded (each rule runs once,
// its operand references left as @id@ / @&id@ placeholders), then laid out:
// runs of per-element expressions become one loop over the block with scalar
// temporaries (registers, vectorised by the compiler); a kernel call on the
// block ends a run. Only values a kernel reads or writes, or a later run
// reads, get a block array.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "compiler/generator.hpp"
#include "fluxion/errors.hpp"

namespace fluxion::compiler::codegen_detail {

namespace {

// The shortest innermost axis looped over row by row. From about one vector
// of doubles on, a row's offsets cost less than per-element divisions (GMM's
// [1000, 25, 10] loops: gradient 4.1 ms with a threshold of 16, 2.4 ms with 8).
constexpr int64_t kMinRow = 8;
// A fused loop runs its blocks on OpenMP threads when it has at least this
// much work: elements times operations, a kernel call (a transcendental
// function) counting as kKernelWork. Opening a parallel region and waiting
// for its threads costs tens of microseconds on a shared machine, so a loop
// must be worth about a millisecond of one thread's time before a second
// thread pays (measured here: Ackley's gradient at d = 100000, loops of
// 10^5 elements and 2-6 operations, 285 us on one thread and 346 us on two;
// seed 001's f' over 10^6 points, 55 operations, 1.36 ns/point on one and
// 0.76 on two).
// FLUXION_JIT_PARALLEL_WORK overrides the threshold (read once; the tests
// lower it to cover the threaded loops on small arrays).
constexpr int64_t kParallelWork = 2'000'000;
constexpr int64_t kKernelWork = 4;

int64_t parallel_work() {
  static const int64_t work = [] {
    const char* text = std::getenv("FLUXION_JIT_PARALLEL_WORK");
    if (text == nullptr || *text == '\0') return kParallelWork;
    char* end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    return *end == '\0' && value >= 0 ? static_cast<int64_t>(value) : kParallelWork;
  }();
  return work;
}

// `(expr / div) % mod`, without the parts that do nothing.
std::string div_mod(const std::string& expr, int64_t div, int64_t mod, bool need_mod) {
  std::string r = div == 1 ? expr : "(" + expr + ") / " + str(div);
  if (need_mod) r = "(" + r + ") % " + str(mod);
  return r;
}

std::string times(const std::string& expr, int64_t stride) {
  return stride == 1 ? expr : "(" + expr + ") * " + str(stride);
}

// The loop's axes: the group's axes of extent > 1, adjacent ones merged when
// every operand steps through the pair as through one axis.
struct LoopAxis {
  int64_t extent = 1;
  std::vector<int64_t> strides;  // one per operand read
  std::vector<size_t> axes;      // the group's axes it covers, outer to inner
};

// Axes from `split` on are never merged with axes before it.
std::vector<LoopAxis> loop_axes(const Shape& shape, const std::vector<std::vector<int64_t>>& strides, size_t split) {
  std::vector<LoopAxis> axes;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    LoopAxis axis{shape[d], {}, {d}};
    for (const auto& s : strides) axis.strides.push_back(s[d]);
    if (!axes.empty() && (d < split || axes.back().axes.front() >= split)) {
      LoopAxis& prev = axes.back();
      bool merge = true;
      for (size_t k = 0; k < strides.size(); ++k) merge = merge && prev.strides[k] == axis.strides[k] * axis.extent;
      if (merge) {
        prev.extent *= axis.extent;
        prev.strides = axis.strides;
        prev.axes.push_back(d);
        continue;
      }
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

}  // namespace

const OperandRead& Generator::read_of(int var) const {
  const auto it = reads_.find(var);
  if (it == reads_.end()) throw Error("jit: internal error: a fused loop reads an operand it did not plan");
  return it->second;
}

void Generator::emit_group(const Step& s) {
  const int64_t n_total = group_size(s);
  const Shape& shape = s.shape;
  write("{  // fused: " + str(static_cast<int64_t>(s.eqns.size())) + " operation(s) over " +
            to_string(AbstractValue{shape, DType::float64, false}).substr(3),
        indent_);
  indent_ += 2;
  if (n_total == 0) {  // nothing to compute
    indent_ -= 2;
    write("}", indent_);
    return;
  }
  std::set<int> made_here;
  for (size_t e : s.eqns)
    for (int v : j_.eqns[e].outputs) made_here.insert(v);
  // The operands: one-element ones are read once, before the loop; the
  // others through their layouts.
  reads_.clear();
  std::vector<int> operands;
  std::vector<std::pair<std::string, Layout>> sources;
  std::vector<std::vector<int64_t>> strides;  // per operand, along the group's axes
  std::set<std::string> shared_names;         // what the loop reads and writes outside itself
  for (size_t e : s.eqns)
    for (const Atom& a : j_.eqns[e].inputs) {
      if (a.is_literal() || is_local(a.var) || reads_.count(a.var)) continue;
      const AbstractValue& t = type(a);
      if (made_here.count(a.var)) {  // written earlier in this block
        reads_[a.var] = OperandRead{buffer(a.var) + "[b + i]", "(" + buffer(a.var) + " + b)", false};
        continue;
      }
      auto source = source_of(a.var);
      if (t.size() == 1) {
        const std::string element = source.first + "[" + str(source.second.offset) + "]";
        if (scalar_in_group(t, n_total)) {
          write(ctype(t.dtype) + " " + scalar_name(a.var) + " = " + element + ";", indent_);
          reads_[a.var] = OperandRead{scalar_name(a.var), "", true};
          shared_names.insert(scalar_name(a.var));
        } else {  // a one-element loop
          reads_[a.var] = OperandRead{element, "(" + source.first + " + " + str(source.second.offset) + ")", false};
          shared_names.insert(source.first);
        }
        continue;
      }
      std::vector<int64_t> st(shape.size(), 0);
      for (size_t d = 0; d < shape.size(); ++d)
        if (t.shape[d] != 1) st[d] = source.second.strides[d];
      operands.push_back(a.var);
      shared_names.insert(source.first);
      sources.push_back(std::move(source));
      strides.push_back(std::move(st));
      reads_[a.var] = OperandRead{};
    }
  for (int v : made_here)
    if (!is_local(v)) shared_names.insert(buffer(v));
  // The loop nest: loop axes merged where every operand allows, never across
  // the start of the rows that members reduce; then which of them make up a
  // block's row.
  const size_t split = std::min(s.row_axis, shape.size());  // shape.size(): no member reduces rows
  const std::vector<LoopAxis> axes = loop_axes(shape, strides, split);
  size_t first_inner = axes.size();  // loop axes [first_inner, end) are a row
  if (split < shape.size()) {
    first_inner = 0;
    while (first_inner < axes.size() && axes[first_inner].axes.front() < split) ++first_inner;
  } else if (axes.size() >= 2 && axes.back().extent >= kMinRow) {
    first_inner = axes.size() - 1;
  }
  const bool rows = first_inner < axes.size() || split < shape.size();
  int64_t row = 1;  // elements of a row (the block loop runs over it)
  for (size_t a = first_inner; a < axes.size(); ++a) row *= axes[a].extent;
  if (!rows) row = n_total;
  block_ = std::min(row, kBlock);
  const int64_t blocks_per_row = (row + block_ - 1) / block_;
  const int64_t num_rows = n_total / std::max<int64_t>(row, 1);
  // The index along each loop axis: of the row (r) for outer axes, of the
  // element in its row (c + i) for inner ones; in a flat loop, of b + i.
  std::vector<std::string> axis_index(axes.size());
  {
    int64_t outer = 1, inner = 1, flat = 1;
    for (size_t a = axes.size(); a-- > 0;) {
      if (!rows) {
        axis_index[a] = div_mod("(b + i)", flat, axes[a].extent, a > 0);
      } else if (a >= first_inner) {
        axis_index[a] = div_mod("(c + i)", inner, axes[a].extent, a > first_inner);
        inner *= axes[a].extent;
      } else {
        axis_index[a] = div_mod("r", outer, axes[a].extent, a > 0);
        outer *= axes[a].extent;
      }
      flat *= axes[a].extent;
    }
  }
  // Where the loop is along each group axis (iota's coordinates).
  coordinates_.assign(shape.size(), "0");
  for (size_t a = 0; a < axes.size(); ++a) {
    int64_t within = 1;  // stride of each group axis inside its merged axis
    for (size_t k = axes[a].axes.size(); k-- > 0;) {
      const size_t d = axes[a].axes[k];
      coordinates_[d] = div_mod(axis_index[a], within, shape[d], k > 0);
      within *= shape[d];
    }
  }
  // An operand's index along loop axes [from, end) of position `pos`, one
  // division and remainder per run of axes it steps through as one (none
  // for a contiguous operand). `contiguous`: the index is `pos` itself.
  struct Index {
    std::string expr;
    bool contiguous = false;
  };
  auto index_over = [&](size_t k, size_t from, const std::string& pos) {
    struct Run {
      int64_t extent, stride, flat_stride;
      bool outermost;
    };
    std::vector<Run> runs;
    bool open = false;
    int64_t flat_stride = 1;
    for (size_t a = from; a < axes.size(); ++a) flat_stride *= axes[a].extent;
    for (size_t a = from; a < axes.size(); ++a) {
      flat_stride /= axes[a].extent;
      const int64_t st = axes[a].strides[k];
      if (st == 0) {
        open = false;
        continue;
      }
      if (open && runs.back().stride == st * axes[a].extent) {
        runs.back().extent *= axes[a].extent;
        runs.back().stride = st;
        runs.back().flat_stride = flat_stride;
      } else {
        runs.push_back(Run{axes[a].extent, st, flat_stride, a == from});
        open = true;
      }
    }
    Index index;
    for (const Run& run : runs)
      index.expr += (index.expr.empty() ? "" : " + ") +
                    times(div_mod(pos, run.flat_stride, run.extent, !run.outermost), run.stride);
    index.contiguous = runs.size() == 1 && runs[0].outermost && runs[0].flat_stride == 1 && runs[0].stride == 1;
    return index;
  };
  // Each operand's read.
  std::vector<std::string> block_start;  // lines at the top of each block (row offsets, uniform values)
  for (size_t k = 0; k < operands.size(); ++k) {
    const int v = operands[k];
    const std::string& base = sources[k].first;
    const int64_t offset = sources[k].second.offset;
    OperandRead& r = reads_[v];
    if (!rows) {  // one flat loop: an index per element, from the row-major index b + i
      const Index index = index_over(k, 0, "b + i");
      std::string expr = offset ? str(offset) : "";
      if (!index.expr.empty()) expr += (expr.empty() ? "" : " + ") + index.expr;
      r.element = base + "[" + (expr.empty() ? "0" : expr) + "]";
      if (index.contiguous) r.block = "(" + base + " + " + (offset ? str(offset) + " + " : "") + "b)";
      continue;
    }
    // Row by row: an offset per block, then the index within the row.
    std::string q = offset ? str(offset) : "";
    for (size_t a = 0; a < first_inner; ++a)
      if (axes[a].strides[k] != 0) q += (q.empty() ? "" : " + ") + times(axis_index[a], axes[a].strides[k]);
    if (!q.empty()) {
      block_start.push_back("const long long q" + str(v) + " = " + q + ";");
      q = "q" + str(v);
    }
    const Index index = index_over(k, first_inner, "c + i");
    if (index.expr.empty()) {  // one value along the row
      const std::string name = "u" + str(v);
      block_start.push_back("const " + ctype(var_type(v).dtype) + " " + name + " = " + base + "[" +
                            (q.empty() ? "0" : q) + "];");
      r = OperandRead{name, "", true};
    } else if (index.contiguous) {
      const std::string row_start = q.empty() ? "c" : q + " + c";
      r.element = base + "[" + row_start + " + i]";
      r.block = "(" + base + " + " + row_start + ")";
    } else {
      r.element = base + "[" + (q.empty() ? "" : q + " + ") + index.expr + "]";
    }
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
  int64_t work = 0;
  for (const Member& m : members_) work += m.kernel ? kKernelWork : 1;
  if (n_total * work >= parallel_work()) {
    // Each thread's own copies of the pointers and scalars the loop reads:
    // shared ones would be reloaded through OpenMP's argument block at
    // every use, which stops the compiler from vectorising.
    std::string list;
    for (const std::string& name : shared_names) list += (list.empty() ? "" : ", ") + name;
    write("#pragma omp parallel for schedule(static)" + (list.empty() ? "" : " firstprivate(" + list + ")"), indent_);
    openmp_ = true;
  }
  // One loop over all blocks (so that OpenMP shares them out), each block
  // inside one row.
  const int64_t num_blocks = num_rows * blocks_per_row;
  write("for (long long t = 0; t < " + str(num_blocks) + "; ++t) {", indent_);
  indent_ += 2;
  if (rows) {
    write(blocks_per_row == 1 ? "const long long r = t, c = 0;"
                              : "const long long r = t / " + str(blocks_per_row) + ", c = (t % " +
                                    str(blocks_per_row) + ") * " + str(block_) + ";",
          indent_);
    write("const long long b = r * " + str(row) + " + c;", indent_);
    write("(void)r; (void)c;", indent_);
  } else {
    write("const long long b = t * " + str(block_) + ";", indent_);
  }
  write("const long long n = " + str(row) + " - " + (rows ? "c" : "b") + " < " + str(block_) + " ? " + str(row) +
            " - " + (rows ? "c" : "b") + " : " + str(block_) + ";",
        indent_);
  write("(void)n;", indent_);
  for (const std::string& line : block_start) write(line, indent_);
  for (const std::string& line : prelude) write(line, indent_);
  for (const auto& [v, needed] : array)
    if (needed) write(ctype(j_.var_types[static_cast<size_t>(v)].dtype) + " t" + str(v) + "[" + str(block_) + "];", indent_);
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
  reads_.clear();
}

// ---- EqnEmitter inside a fused loop

std::string EqnEmitter::coordinate(size_t axis) const {
  if (!group_) throw Error("jit: internal error: coordinate() outside a fused loop");
  return g_.coordinate(axis);
}

std::string EqnEmitter::in(size_t k) const {
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (a.is_literal()) return literal_expr(a.literal, a.literal.dtype());
  if (!group_) throw Error("jit: internal error: in() outside a fused loop");
  if (g_.is_local(a.var)) return "@" + str(a.var) + "@";
  return g_.read_of(a.var).element;
}

bool EqnEmitter::in_scalar(size_t k) const {
  if (!group_) return false;
  const Atom& a = g_.eqn(eqn_).inputs[k];
  // A literal is 0-d, so its type says it is one value too.
  if (a.is_literal()) return Generator::scalar_in_group(g_.type(a), g_.group_size(*group_));
  return !g_.is_local(a.var) && g_.read_of(a.var).uniform;
}

std::string EqnEmitter::in_block(size_t k) const {
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (a.is_literal() && !in_scalar(k)) return g_.literal_array(a.literal);  // a one-element group
  if (!a.is_literal() && g_.is_local(a.var)) return "@&" + str(a.var) + "@";
  if (!a.is_literal() && !g_.read_of(a.var).block.empty()) return g_.read_of(a.var).block;
  // A kernel needs the block contiguous: gather a strided operand, spread a uniform one.
  const std::string name = g_.fresh("bc");
  const std::string ct = ctype(g_.type(a).dtype);
  g_.write(ct + " " + name + "[" + str(g_.block_size()) + "]; for (long long i = 0; i < n; ++i) " + name +
               "[i] = " + in(k) + ";",
           0);
  return name;
}

std::string EqnEmitter::out_block() const {
  const int v = g_.eqn(eqn_).outputs[0];
  if (g_.is_local(v)) return "@&" + str(v) + "@";
  return "(" + g_.buffer(v) + " + b)";
}

std::string EqnEmitter::in_pointer(size_t k) {
  if (!in_scalar(k)) return in_block(k);
  const Atom& a = g_.eqn(eqn_).inputs[k];
  if (a.is_literal()) return g_.literal_array(a.literal);
  return "&" + g_.read_of(a.var).element;
}

void EqnEmitter::assign(const std::string& expr) { g_.record({false, expr, g_.eqn(eqn_).outputs[0]}); }

void EqnEmitter::kernel(const std::string& statement) {
  if (!group_) return g_.write(statement, g_.indent());
  g_.record({true, statement, g_.eqn(eqn_).outputs[0]});
}

}  // namespace fluxion::compiler::codegen_detail
