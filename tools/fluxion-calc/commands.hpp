// The subcommands, one group per file: derivatives.cpp (diff, taylor),
// multivariate.cpp (grad, hessian, jacobian, taylor in several variables),
// newton.cpp, programs.cpp (jaxpr), plot.cpp.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli.hpp"

namespace fluxion_calc {

const Command& diff_command();
const Command& taylor_command();
const Command& grad_command();
const Command& hessian_command();
const Command& jacobian_command();
const Command& newton_command();
const Command& jaxpr_command();
const Command& plot_command();

/// Every subcommand, in the order --help lists them.
const std::vector<const Command*>& all_commands();

/// f(x), f′(x), …, f⁽ⁿ⁾(x) of a one-variable formula by one Taylor-mode pass
/// (fx::jet with the input series (1, 0, …, 0)); x may be a vmap tracer.
std::vector<fx::Array> derivatives_at(const Formula& f, const std::string& variable, const fx::Array& x, int order);

/// taylor for a formula in several variables: its approximation of order
/// 0 to 3 from the gradient, Hessian and third-derivative tensor.
int run_taylor_several(const Args& args, const Problem& p, std::ostream& out);

/// What a Hessian with these eigenvalues says about a stationary point.
std::string definiteness(const std::vector<double>& eigenvalues);

}  // namespace fluxion_calc
