// What a primitive's lowering rule (Primitive::lower) writes with. The code
// generator (codegen.cpp) calls each equation's rule with an Emitter that
// knows where the operands live; the rule writes C++ for one equation.
//
// Elementwise primitives (traits & kElementwise) are lowered inside a fused
// loop: chains of them over one output shape share a loop over blocks of the
// output, their intermediates living in block-sized local arrays. Their rule
// writes either one expression per element (assign) or one call over the
// whole block (kernel: the SIMD kernels eager uses, so results agree with
// eager to the bit). Other primitives write statements over whole buffers.
//
// The generated translation unit includes no header (a cold compile of
// <cmath> alone costs more than our whole budget): it uses the fixed-width
// types and helpers of the preamble (codegen.cpp: fx_i32, fx_u64, fx_max,
// fx_div...) and GCC builtins.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fluxion/primitive.hpp"

namespace fluxion::compiler {

// Where the elements of a value are in some buffer: element (i_0, ..., i_r-1)
// is at offset + sum of i_d * strides[d] (in elements). Primitive::view rules
// map an operand's layout to their output's.
struct Layout {
  int64_t offset = 0;
  std::vector<int64_t> strides;

  static Layout row_major(const Shape& shape);
  // Whether the elements are in row-major order from `offset` on (axes of
  // extent 1 may have any stride): the view is then a plain buffer.
  bool contiguous(const Shape& shape) const;
};

class Emitter {
 public:
  virtual ~Emitter() = default;

  // The equation being lowered.
  virtual const Params& params() const = 0;
  virtual size_t num_inputs() const = 0;
  virtual const AbstractValue& in_type(size_t k) const = 0;
  virtual size_t num_outputs() const = 0;
  virtual const AbstractValue& out_type(size_t k = 0) const = 0;

  // ---- elementwise rules, inside a fused loop over a block of `n` elements
  // (the variable `n` and the index `i` are in scope).
  virtual bool in_group() const = 0;
  // The row-major flat index of element i of the output, `(b + i)`.
  virtual std::string index() const = 0;
  // The index of element i of the output along its axis `axis`.
  virtual std::string coordinate(size_t axis) const = 0;
  // A row reduction's rule (kRowReduction) inside a fused loop: the block is
  // one row of its operand (in_block(0), n elements), and it writes that
  // row's result to out_buffer()[row_index()] with kernel().
  virtual std::string row_index() const = 0;
  // Element i of input k: `t3[i]`, `v2[b + i]`, a hoisted scalar or a literal.
  virtual std::string in(size_t k) const = 0;
  // Whether input k is one value broadcast over the block (its in() does not
  // depend on i and in_block() is empty).
  virtual bool in_scalar(size_t k) const = 0;
  // A pointer to input k's n elements of the block, for kernel calls (a
  // strided or uniform operand is first gathered into a local array).
  virtual std::string in_block(size_t k) const = 0;
  virtual std::string out_block() const = 0;
  // A pointer to input k's block, or to its one value when in_scalar(k).
  virtual std::string in_pointer(size_t k) = 0;
  // out[i] = expr for every i of the block. Runs of assigned expressions
  // share one loop, their values in scalar temporaries; a statement
  // expression `({ ...; value; })` can name its own temporaries.
  virtual void assign(const std::string& expr) = 0;
  // A statement computing the whole block (a kernel call on n elements).
  virtual void kernel(const std::string& statement) = 0;

  // ---- other rules, on whole row-major buffers.
  virtual std::string in_buffer(size_t k) const = 0;  // `const T*` of input k's elements
  virtual std::string out_buffer(size_t k = 0) const = 0;  // `T*` of output k's elements
  virtual void line(const std::string& code) = 0;
  // A fresh local name with this prefix.
  virtual std::string fresh(const char* prefix) = 0;
  // The compiled function calls the primitive's eager kernel on this
  // equation's buffers (without copying its inputs).
  virtual void call_eager() = 0;
  // A statement running `program` (a sub-program parameter: a cond branch)
  // on these buffers: the program is compiled into a function of the same
  // translation unit, with scratch beyond this function's.
  virtual std::string call_subprogram(const ClosedJaxpr& program, const std::vector<std::string>& inputs,
                                      const std::vector<std::string>& outputs) = 0;
  // A `char*` expression for `bytes` of scratch private to this equation's
  // statements (a loop's next carry), 64-byte aligned. Ask before the first
  // call_subprogram: the sub-programs' scratch comes after.
  virtual std::string temporary(int64_t bytes) = 0;
};

// The carry of a loop lowered to statements (while, scan): it lives in the
// equation's first `n` output buffers, initialised on construction from its
// inputs [first_init, first_init + n). The loop's body writes the next carry
// into per-equation temporaries (`next`, asked for here, so before any
// call_subprogram), which copy_back() copies over `carry`.
struct LoopCarry {
  std::vector<std::string> carry, next;
  std::vector<int64_t> bytes;
  LoopCarry(Emitter& e, size_t n, size_t first_init);
  void copy_back(Emitter& e) const;  // lines inside the loop's braces
};

// The C++ element type of the generated code for `dtype`: fx_f64, fx_i32, bool...
std::string ctype(DType dtype);
// A C++ expression of type ctype(dtype) with the value of the 0-d `literal`.
std::string literal_expr(const Array& literal, DType dtype);

// The lowering rule of primitives whose best code is their eager kernel
// (sort, threefry2x32, dot_general's CBLAS call, reductions...): the compiled
// function calls it. docs/ARCHITECTURE.md lists them.
void lower_via_eager(const Primitive& prim, Emitter& e);
// An elementwise primitive whose output is its first input (stop_gradient).
void lower_identity(const Primitive& prim, Emitter& e);
// Copies the input's elements unchanged (reshape, squeeze: row-major order is kept).
void lower_copy(const Primitive& prim, Emitter& e);
// A view primitive (Primitive::view) alone: copies its operand's elements
// through the view into the output buffer. (The code generator takes views
// without copying where it can; this is the rule for the rest.)
void lower_view_copy(const Primitive& prim, Emitter& e);
// The statement copying a `shape`-shaped view of `src` (through `layout`)
// into `dst`, row-major.
std::string strided_copy(const std::string& dst, const std::string& src, const Layout& layout, const Shape& shape);

}  // namespace fluxion::compiler
