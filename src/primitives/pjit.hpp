// The pjit primitive's parameters, for jit's driver and the compiler.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "fluxion/jaxpr.hpp"

namespace fluxion::compiler {
class Executable;
}

namespace fluxion::prim {

// pjit's `jaxpr` parameter.
const JaxprParam& pjit_jaxpr(const Params& params);
// {jaxpr, name}, as pjit takes them.
Params pjit_params(JaxprParam jaxpr, std::string name);

// The program compiled, once per parameter (memoised on it).
const std::shared_ptr<const compiler::Executable>& compiled_program(const JaxprParam& jaxpr, const std::string& name);
// pjit's kernel: the compiled program on concrete arguments (the
// interpreters under FLUXION_JIT=eager).
std::vector<Array> run_program(const JaxprParam& jaxpr, const std::string& name, std::span<const Array> args);

}  // namespace fluxion::prim
