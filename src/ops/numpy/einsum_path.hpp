// The contraction order jnp.einsum takes: opt_einsum's contract_path with
// optimize="auto" (what jnp.einsum passes by default), ported so that
// Fluxion's einsum contracts the same pairs in the same order as JAX, and
// so prints JAX's program.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fluxion::einsum_path {

// One step of contract_path's contraction list: the positions popped from
// the list of pending operands (in decreasing order, as opt_einsum pops
// them: the first is jnp's lhs), the indices summed away
// (opt_einsum's idx_removed) and the step's own subscripts "ab,bc->ac".
struct Contraction {
  std::vector<int> positions;
  std::string removed;  // sorted, as jnp sorts contracted names
  std::vector<std::string> inputs;
  std::string result;
};

// opt_einsum.contract_path(..., optimize="auto") for the parsed subscripts
// (letters only) and the size of each index.
std::vector<Contraction> contract_path(const std::vector<std::string>& inputs, const std::string& output,
                                       const std::map<char, int64_t>& sizes);

}  // namespace fluxion::einsum_path
