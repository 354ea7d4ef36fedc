// Executables: the compiled entry point with its constants and scratch, and
// the driver from a closed jaxpr to one (optimise, emit, build, load).
#include "compiler/executable.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include "core/value.hpp"
#include "fluxion/errors.hpp"

namespace fluxion::compiler {

bool eager_mode() {
  static const bool eager = [] {
    const char* mode = std::getenv("FLUXION_JIT");
    return mode && std::string(mode) == "eager";
  }();
  return eager;
}

namespace {

// The program run by the interpreters (FLUXION_JIT=eager).
class InterpretedExecutable final : public Executable {
 public:
  explicit InterpretedExecutable(const ClosedJaxpr& program) : program_(program) {
    for (int v : program_.jaxpr.invars) inputs_.push_back(program_.jaxpr.var_types[v]);
    for (const Atom& a : program_.jaxpr.outvars) outputs_.push_back(program_.jaxpr.type_of(a));
  }
  std::vector<Array> run(std::span<const Array> args) const override {
    return eval_jaxpr(program_.jaxpr, program_.consts, args);
  }
  void call(const void* const* inputs, void* const* outputs) const override {
    std::vector<Array> args;
    for (size_t i = 0; i < inputs_.size(); ++i) {
      auto v = detail::allocate(inputs_[i]);
      std::memcpy(v->mutable_data(), inputs[i], static_cast<size_t>(inputs_[i].size()) * itemsize(inputs_[i].dtype));
      args.push_back(detail::to_array(std::move(v)));
    }
    std::vector<Array> outs = run(args);
    for (size_t o = 0; o < outs.size(); ++o)
      std::memcpy(outputs[o], outs[o].data(), static_cast<size_t>(outputs_[o].size()) * itemsize(outputs_[o].dtype));
  }
  const std::string& source() const override { return source_; }
  std::span<const AbstractValue> input_types() const override { return inputs_; }
  std::span<const AbstractValue> output_types() const override { return outputs_; }

 private:
  ClosedJaxpr program_;
  std::vector<AbstractValue> inputs_, outputs_;
  std::string source_;
};

}  // namespace

std::shared_ptr<const Executable> compile(const ClosedJaxpr& program, std::string_view) {
  return std::make_shared<InterpretedExecutable>(program);
}

std::string generate_source(const ClosedJaxpr&, std::string_view) { return {}; }

}  // namespace fluxion::compiler
