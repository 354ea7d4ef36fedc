#include "transforms/fused_elementwise.hpp"

#include <cmath>
#include <optional>

#include "core/value.hpp"
#include "interpreters/interpreter.hpp"
#include "kernels/integer_pow.hpp"
#include "kernels/unary_math.hpp"
#include "primitives/primitives.hpp"

namespace fluxion::detail {
namespace {

constexpr int64_t kBlock = 512;  // elements per block: 4 KB of float64 per live value (measured best of 256-1024)

enum class Op { add, sub, mul, div, pow, neg, integer_pow, unary };

// Where an operand lives during a block.
struct Ref {
  enum Kind { input, output, slot, scalar } kind;
  int index;
};

}  // namespace

struct FusedElementwise::Step {
  Op op;
  int64_t y = 0;  // integer_pow's exponent
  kernels::UnaryMath unary{};
  Ref a{}, b{}, out{};
  int arity = 1;
};

FusedElementwise::~FusedElementwise() = default;

namespace {

std::optional<Op> op_of(const Primitive* p) {
  using namespace prim;
  if (p == &add_p || p == &add_any_p) return Op::add;
  if (p == &sub_p) return Op::sub;
  if (p == &mul_p) return Op::mul;
  if (p == &div_p) return Op::div;
  if (p == &pow_p) return Op::pow;
  if (p == &neg_p) return Op::neg;
  if (p == &integer_pow_p) return Op::integer_pow;
  for (const Primitive* u : {&sin_p, &cos_p, &tan_p, &tanh_p, &sinh_p, &cosh_p, &asin_p, &acos_p, &atan_p, &exp_p,
                             &expm1_p, &log_p, &log1p_p, &sqrt_p})
    if (p == u) return Op::unary;  // the family's tag is the kernel's UnaryMath
  return std::nullopt;
}

template <class T> const T* at(const Ref& r, std::span<const T* const> in, std::span<T* const> out, T* scratch,
                               const T* scalars, int64_t offset) {
  switch (r.kind) {
    case Ref::input: return in[r.index] + offset;
    case Ref::output: return out[r.index] + offset;
    case Ref::slot: return scratch + r.index * kBlock;
    case Ref::scalar: return scalars + r.index;
  }
  return nullptr;
}

// One step on n elements, with the operations of the primitives' own impl
// rules (run_binary, integer_pow_impl, float_unary_impl).
template <class T> void run_step(const FusedElementwise::Step& s, const T* a, const T* b, T* o, int64_t n,
                                 bool a_scalar, bool b_scalar) {
  using K = kernels::BinaryMath;
  auto binary = [&](K k) {
    if (!a_scalar && !b_scalar) kernels::binary_math(k, a, b, o, n);
    else if (b_scalar) kernels::binary_math_scalar_rhs(k, a, b[0], o, n);
    else kernels::binary_math_scalar_lhs(k, a[0], b, o, n);
  };
  switch (s.op) {
    case Op::add: return binary(K::add);
    case Op::sub: return binary(K::sub);
    case Op::mul: return binary(K::mul);
    case Op::div: return binary(K::div);
    case Op::pow:
      if constexpr (std::is_same_v<T, double>) {  // glibc's pow, as XLA:CPU and pow_p's impl
        for (int64_t i = 0; i < n; ++i) o[i] = std::pow(a[a_scalar ? 0 : i], b[b_scalar ? 0 : i]);
        return;
      } else {
        return binary(K::pow);
      }
    case Op::neg:
      for (int64_t i = 0; i < n; ++i) o[i] = -a[i];
      return;
    case Op::integer_pow: return kernels::integer_pow(a, o, n, s.y, [](T p, T q) { return p * q; });
    case Op::unary: return kernels::unary_math(s.unary, a, o, n);
  }
}

template <class T>
void run_blocks(const std::vector<FusedElementwise::Step>& steps, int num_slots, int64_t length,
                std::span<const T* const> in, std::span<T* const> out, const std::vector<double>& scalars) {
  std::unique_ptr<T[]> scratch(new T[static_cast<size_t>(std::max(num_slots, 1) * kBlock)]);  // no zero fill
  std::vector<T> typed_scalars(scalars.begin(), scalars.end());
  for (int64_t offset = 0; offset < length; offset += kBlock) {
    const int64_t n = std::min(kBlock, length - offset);
    for (const FusedElementwise::Step& s : steps) {
      const T* a = at<T>(s.a, in, out, scratch.get(), typed_scalars.data(), offset);
      const T* b = s.arity == 2 ? at<T>(s.b, in, out, scratch.get(), typed_scalars.data(), offset) : nullptr;
      T* o = s.out.kind == Ref::output ? out[s.out.index] + offset : scratch.get() + s.out.index * kBlock;
      run_step<T>(s, a, b, o, n, s.a.kind == Ref::scalar, s.arity == 2 && s.b.kind == Ref::scalar);
    }
  }
}

}  // namespace

std::unique_ptr<FusedElementwise> FusedElementwise::prepare(const ClosedJaxpr& program) {
  const Jaxpr& j = program.jaxpr;
  if (j.invars.empty() || j.outvars.empty()) return nullptr;
  const AbstractValue& first = j.var_types[static_cast<size_t>(j.invars[0])];
  if (first.ndim() != 1 || !is_floating(first.dtype)) return nullptr;
  std::unique_ptr<FusedElementwise> fused(new FusedElementwise());
  fused->dtype_ = first.dtype;
  fused->length_ = first.shape[0];
  auto batched = [&](const AbstractValue& a) { return a.dtype == first.dtype && a.shape == first.shape; };

  // Where each variable lives; constants (constvars and equations of
  // constants only, such as the coefficients' slices) are folded here.
  std::vector<std::optional<Ref>> where(j.var_types.size());
  std::vector<Array> known(j.var_types.size());
  for (size_t i = 0; i < j.invars.size(); ++i) {
    if (!batched(j.var_types[static_cast<size_t>(j.invars[i])])) return nullptr;
    where[static_cast<size_t>(j.invars[i])] = Ref{Ref::input, static_cast<int>(i)};
  }
  for (size_t i = 0; i < j.constvars.size(); ++i) known[static_cast<size_t>(j.constvars[i])] = program.consts[i];
  std::vector<int> output_of(j.var_types.size(), -1);
  for (size_t o = 0; o < j.outvars.size(); ++o) {
    const Atom& a = j.outvars[o];
    if (a.is_literal() || !batched(j.var_types[static_cast<size_t>(a.var)])) return nullptr;
    if (output_of[static_cast<size_t>(a.var)] < 0) output_of[static_cast<size_t>(a.var)] = static_cast<int>(o);
  }
  // The last equation reading each variable, to recycle scratch slots.
  std::vector<size_t> last_use(j.var_types.size(), 0);
  for (size_t e = 0; e < j.eqns.size(); ++e)
    for (const Atom& a : j.eqns[e].inputs)
      if (!a.is_literal()) last_use[static_cast<size_t>(a.var)] = e;

  auto operand = [&](const Atom& a) -> std::optional<Ref> {
    const Array* value = a.is_literal() ? &a.literal : known[static_cast<size_t>(a.var)].valid() ? &known[static_cast<size_t>(a.var)] : nullptr;
    if (value) {
      if (value->ndim() != 0 || value->dtype() != first.dtype) return std::nullopt;
      fused->scalars_.push_back(value->astype(DType::float64).item<double>());
      return Ref{Ref::scalar, static_cast<int>(fused->scalars_.size() - 1)};
    }
    return where[static_cast<size_t>(a.var)];
  };
  std::vector<int> free_slots;
  for (size_t e = 0; e < j.eqns.size(); ++e) {
    const JaxprEqn& eqn = j.eqns[e];
    bool all_known = true;
    for (const Atom& a : eqn.inputs) all_known = all_known && (a.is_literal() || known[static_cast<size_t>(a.var)].valid());
    if (all_known) {  // constant folding: evaluated once, as eval_jaxpr would each chunk
      std::vector<Array> in;
      for (const Atom& a : eqn.inputs) in.push_back(a.is_literal() ? a.literal : known[static_cast<size_t>(a.var)]);
      std::vector<Array> outs = eval_primitive(*eqn.primitive, in, eqn.params);
      for (size_t i = 0; i < eqn.outputs.size(); ++i)
        if (eqn.outputs[i] >= 0) known[static_cast<size_t>(eqn.outputs[i])] = std::move(outs[i]);
      continue;
    }
    const std::optional<Op> op = op_of(eqn.primitive);
    if (!op || eqn.outputs.size() != 1 || eqn.outputs[0] < 0) return nullptr;
    const int var = eqn.outputs[0];
    if (!batched(j.var_types[static_cast<size_t>(var)])) return nullptr;
    Step step{*op};
    step.arity = static_cast<int>(eqn.inputs.size());
    if (*op == Op::integer_pow) {
      step.y = eqn.params.get<int64_t>("y");
    }
    if (*op == Op::unary) step.unary = static_cast<kernels::UnaryMath>(eqn.primitive->tag);
    const std::optional<Ref> a = operand(eqn.inputs[0]);
    if (!a) return nullptr;
    step.a = *a;
    if (step.arity == 2) {
      const std::optional<Ref> b = operand(eqn.inputs[1]);
      if (!b || (a->kind == Ref::scalar && b->kind == Ref::scalar)) return nullptr;
      step.b = *b;
    } else if (step.arity != 1 || a->kind == Ref::scalar) {
      return nullptr;
    }
    if (output_of[static_cast<size_t>(var)] >= 0) {
      step.out = Ref{Ref::output, output_of[static_cast<size_t>(var)]};
    } else {
      int s;
      if (free_slots.empty()) s = fused->num_slots_++;
      else s = free_slots.back(), free_slots.pop_back();
      step.out = Ref{Ref::slot, s};
    }
    where[static_cast<size_t>(var)] = step.out;
    // Operands read for the last time give their slots back (after the
    // output took one, so a step never writes a slot it reads).
    for (const Atom& in : eqn.inputs)
      if (!in.is_literal() && last_use[static_cast<size_t>(in.var)] == e && where[static_cast<size_t>(in.var)] &&
          where[static_cast<size_t>(in.var)]->kind == Ref::slot)
        free_slots.push_back(where[static_cast<size_t>(in.var)]->index);
    fused->steps_.push_back(step);
  }
  // Outputs that are inputs, or repeat an earlier output, are copied at the end.
  for (size_t o = 0; o < j.outvars.size(); ++o) {
    const int var = j.outvars[o].var;
    const std::optional<Ref>& r = where[static_cast<size_t>(var)];
    if (!r) return nullptr;
    fused->output_weak_.push_back(j.var_types[static_cast<size_t>(var)].weak_type);
    if (r->kind == Ref::input) fused->output_sources_.push_back(r->index);
    else if (r->kind == Ref::output && r->index != static_cast<int>(o)) fused->output_sources_.push_back(-2 - r->index);
    else fused->output_sources_.push_back(-1);
  }
  return fused;
}

std::vector<Array> FusedElementwise::run(std::span<const Array> args) const {
  std::vector<Array> outputs;
  visit_dtype(dtype_, [&]<class T>() {
    if constexpr (std::is_floating_point_v<T>) {
      std::vector<const T*> in;
      for (const Array& x : args) in.push_back(data_as<T>(x));
      std::vector<std::shared_ptr<ConcreteValue>> buffers;
      std::vector<T*> out;
      for (size_t o = 0; o < output_sources_.size(); ++o) {
        buffers.push_back(allocate(AbstractValue{{length_}, dtype_, output_weak_[o]}));
        out.push_back(static_cast<T*>(buffers.back()->mutable_data()));
      }
      run_blocks<T>(steps_, num_slots_, length_, in, out, scalars_);
      for (size_t o = 0; o < output_sources_.size(); ++o) {
        const int src = output_sources_[o];
        if (src >= 0) std::copy(in[src], in[src] + length_, out[o]);
        if (src <= -2) std::copy(out[-2 - src], out[-2 - src] + length_, out[o]);
        outputs.push_back(Array(std::move(buffers[o])));
      }
    }
  });
  return outputs;
}

}  // namespace fluxion::detail
