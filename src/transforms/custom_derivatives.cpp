// fx::custom_jvp and fx::custom_vjp (include/fluxion/custom_derivatives.hpp):
// the function traced into call_jaxpr, its captured values made leading
// operands, the rules wrapped as function parameters, one custom_jvp_call or
// custom_vjp_call bound. With no transformation running the function is
// simply called, as JAX's evaluation trace does.
#include "fluxion/custom_derivatives.hpp"

#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"
#include "interpreters/staging.hpp"
#include "primitives/primitives.hpp"
#include "primitives/subprograms.hpp"

namespace fluxion::detail {

namespace {

// f traced on the arguments' types, its constants as leading inputs.
std::pair<JaxprParam, std::vector<Array>> trace_call(const Fn& f, const std::vector<Array>& args) {
  ClosedJaxpr traced;
  {
    StagingInterpreter staging;
    DynamicScope dynamic(&staging);
    std::vector<Array> in;
    for (const Array& a : args) in.push_back(staging.new_input(a.aval()));
    traced = staging.finish(f(in));
  }
  dead_code_elimination(traced.jaxpr);
  canonicalize_order(traced.jaxpr);
  return prim::consts_as_inputs(std::move(traced));
}

FunctionParam function_param(const std::string& name, Fn f) {
  auto rule = std::make_shared<RuleFunction>();
  rule->name = name;
  rule->fn = [f = std::move(f)](std::span<const Array> in) { return f(std::vector<Array>(in.begin(), in.end())); };
  return rule;
}

bool eager(const std::vector<Array>& args) { return !any_interpreter_active() && all_concrete(args); }

}  // namespace

void throw_no_rule(const char* kind, const std::string& name) {
  throw Error(std::string("No ") + (std::string(kind) == "custom_jvp" ? "JVP" : "VJP") + " defined for " + kind +
              " function " + name + " using " + (std::string(kind) == "custom_jvp" ? "defjvp" : "defvjp") + ".");
}

void throw_rule_structure(const std::string& message) { throw TypeError(message); }

std::vector<Array> custom_jvp_core(const std::string& name, const Fn& f, const std::string& rule_name, Fn rule,
                                   const std::vector<Array>& args) {
  if (eager(args)) return f(args);
  auto [program, consts] = trace_call(f, args);
  std::vector<Array> operands = consts;
  operands.insert(operands.end(), args.begin(), args.end());
  return fluxion::bind(prim::custom_jvp_call_p, operands,
                       prim::custom_jvp_call_params(name, std::move(program), function_param(rule_name, std::move(rule)),
                                                    consts.size()));
}

std::vector<Array> custom_vjp_core(const std::string& name, const Fn& f, const std::string& fwd_name, Fn fwd,
                                   const std::string& bwd_name, Fn bwd, const std::vector<Array>& args) {
  if (eager(args)) return f(args);
  auto [program, consts] = trace_call(f, args);
  std::vector<Array> operands = consts;
  operands.insert(operands.end(), args.begin(), args.end());
  return fluxion::bind(prim::custom_vjp_call_p, operands,
                       prim::custom_vjp_call_params(name, std::move(program), function_param(fwd_name, std::move(fwd)),
                                                    function_param(bwd_name, std::move(bwd)), consts.size()));
}

}  // namespace fluxion::detail
