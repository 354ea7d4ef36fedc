// A compiled program: the entry point of the shared object jit built from a
// closed jaxpr, with the constants it closes over and the buffers it needs.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fluxion/jaxpr.hpp"

namespace fluxion::compiler {

class Executable {
 public:
  virtual ~Executable() = default;
  // The program on concrete arrays of its input types; fresh output arrays.
  virtual std::vector<Array> run(std::span<const Array> args) const = 0;
  // The raw entry point: row-major buffers of the input and output types.
  virtual void call(const void* const* inputs, void* const* outputs) const = 0;
  virtual const std::string& source() const = 0;
  virtual std::span<const AbstractValue> input_types() const = 0;
  virtual std::span<const AbstractValue> output_types() const = 0;
};

// Optimises, lowers, compiles and loads `program` (fx::Error when the
// toolchain fails). `name` names the function in the generated source.
std::shared_ptr<const Executable> compile(const ClosedJaxpr& program, std::string_view name);

// The generated C++ for `program`, without compiling it.
std::string generate_source(const ClosedJaxpr& program, std::string_view name);

// FLUXION_JIT=eager: jitted functions run through the interpreters.
bool eager_mode();

}  // namespace fluxion::compiler
