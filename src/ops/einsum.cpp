// einsum, lowered as jnp.einsum lowers it: the subscripts are parsed as
// opt_einsum parses them ('...' becomes unused letters), the contraction
// order is opt_einsum's optimize="auto" path (src/ops/numpy/einsum_path.cpp),
// and each step is jnp's _einsum: indices that appear nowhere else are
// summed out, repeated indices are masked with a Kronecker delta then summed,
// size-1 axes facing a larger one are squeezed (opt_einsum broadcasts them),
// and the pair is contracted with dot_general, operands in jnp's order.
#include <algorithm>
#include <map>
#include <set>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "ops/internal.hpp"
#include "ops/numpy/einsum_path.hpp"

namespace fluxion {
namespace {

struct Term {
  Array operand;
  std::string names;
};

// The subscripts themselves are wrong (numpy's and JAX's ValueError) ...
[[noreturn]] void spec_error(std::string_view spec, const std::string& why) {
  throw ValueError("einsum('" + std::string(spec) + "'): " + why);
}

// ... or they are right but the operands' shapes do not fit them.
[[noreturn]] void shape_error(std::string_view spec, const std::string& why) {
  throw ShapeError("einsum('" + std::string(spec) + "'): " + why);
}

Array reduce_sum(const Array& x, std::vector<int64_t> axes) {
  if (axes.empty()) return x;
  std::sort(axes.begin(), axes.end());
  return bind1(prim::reduce_sum_p, {x}, {{"axes", axes}});
}

void remove_axes_names(std::string& names, std::vector<int64_t> axes) {
  std::sort(axes.rbegin(), axes.rend());
  for (int64_t a : axes) names.erase(static_cast<size_t>(a), 1);
}

// Sums out the indices in `uniques` (each present once in t).
void sum_uniques(Term& t, const std::vector<char>& uniques) {
  std::vector<int64_t> axes;
  for (char c : uniques) axes.push_back(static_cast<int64_t>(t.names.find(c)));
  t.operand = reduce_sum(t.operand, axes);
  remove_axes_names(t.names, axes);
}

// JAX's _delta: true where the indices along `axes` agree.
Array delta(const Shape& shape, const std::vector<int64_t>& axes) {
  Shape base;
  for (int64_t a : axes) base.push_back(shape[a]);
  Array eye;
  for (size_t i = 0; i + 1 < axes.size(); ++i) {
    const Array a = bind1(prim::iota_p, {}, {{"dtype", DType::uint32}, {"shape", base}, {"dimension", static_cast<int64_t>(i)}});
    const Array b = bind1(prim::iota_p, {}, {{"dtype", DType::uint32}, {"shape", base}, {"dimension", static_cast<int64_t>(i + 1)}});
    const Array e = bind1(prim::eq_p, {a, b});
    eye = eye.valid() ? bind1(prim::and_p, {eye, e}) : e;
  }
  return detail::broadcast_in_dim(eye, shape, axes);
}

// Repeated indices: keep the diagonal; sum it unless `keep` still needs it.
void sum_repeats(Term& t, const std::string& keep) {
  std::string order;  // first appearance, as the Counter jnp walks
  for (char c : t.names)
    if (order.find(c) == std::string::npos) order += c;
  for (char name : order) {
    if (std::count(t.names.begin(), t.names.end(), name) < 2) continue;
    std::vector<int64_t> axes;
    for (size_t i = 0; i < t.names.size(); ++i)
      if (t.names[i] == name) axes.push_back(static_cast<int64_t>(i));
    const Array mask = delta(t.operand.shape(), axes);
    t.operand = detail::select_n(mask, {zeros_like(t.operand), t.operand});
    if (keep.find(name) == std::string::npos) {
      t.operand = reduce_sum(t.operand, axes);
      remove_axes_names(t.names, axes);
    } else {
      axes.pop_back();
      t.operand = reduce_sum(t.operand, axes);
      remove_axes_names(t.names, axes);
    }
  }
}

std::string without(const std::string& names, const std::string& drop) {
  std::string out;
  for (char c : names)
    if (drop.find(c) == std::string::npos) out += c;
  return out;
}

void transpose_to(Term& t, const std::string& order) {
  if (t.names == order) return;
  std::vector<int64_t> perm;
  for (char c : order) perm.push_back(static_cast<int64_t>(t.names.find(c)));
  t.operand = transpose(t.operand, perm);
  t.names = order;
}

// jnp's filter_singleton_dims: a size-1 axis whose index the other operand
// has at a larger size is squeezed (the size-1 side broadcasts).
void filter_singletons(Term& t, const Term& other) {
  std::vector<int64_t> axes;
  std::string kept;
  for (size_t i = 0; i < t.names.size(); ++i) {
    const size_t j = other.names.find(t.names[i]);
    if (t.operand.shape()[i] == 1 && j != std::string::npos && other.operand.shape()[j] != 1)
      axes.push_back(static_cast<int64_t>(i));
    else
      kept += t.names[i];
  }
  if (axes.empty()) return;
  t.operand = bind1(prim::squeeze_p, {t.operand}, {{"dimensions", axes}});
  t.names = kept;
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// opt_einsum's parse_einsum_input: each '...' becomes the last letters of
// those no subscript uses (as many as the operand's remaining axes), and the
// output's '...' (or, implicitly, the front of the output) the longest run.
void expand_ellipses(std::string_view spec_in, std::vector<std::string>& terms, std::string& output, bool explicit_output,
                     const std::vector<Array>& operands) {
  std::string used;
  for (const std::string& t : terms) used += t;
  if (explicit_output) used += output;
  int64_t max_rank = 0;
  for (const Array& x : operands) max_rank = std::max(max_rank, x.ndim());
  std::string symbols;
  for (char c : std::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if (static_cast<int64_t>(symbols.size()) < max_rank && used.find(c) == std::string::npos) symbols += c;
  if (static_cast<int64_t>(symbols.size()) < max_rank)
    spec_error(spec_in, "not enough unused letters for the axes '...' stands for");
  int64_t longest = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    std::string& t = terms[i];
    const size_t at = t.find("...");
    if (t.find('.') == std::string::npos) continue;
    if (at == std::string::npos || std::count(t.begin(), t.end(), '.') != 3)
      spec_error(spec_in, "invalid ellipsis in '" + t + "' (use exactly one '...')");
    const int64_t named = static_cast<int64_t>(t.size()) - 3;
    const int64_t count = operands[i].ndim() == 0 ? 0 : operands[i].ndim() - named;
    if (count < 0)
      shape_error(spec_in, "operand " + std::to_string(i) + " has shape " + shape_to_string(operands[i].shape()) +
                               " (rank " + std::to_string(operands[i].ndim()) + ") but its subscripts '" + t +
                               "' name " + std::to_string(named) + " axes besides '...'");
    longest = std::max(longest, count);
    t.replace(at, 3, symbols.substr(symbols.size() - count));
  }
  const std::string out_ellipsis = symbols.substr(symbols.size() - longest);
  if (explicit_output) {
    const size_t at = output.find("...");
    if (output.find('.') != std::string::npos &&
        (at == std::string::npos || std::count(output.begin(), output.end(), '.') != 3))
      spec_error(spec_in, "invalid ellipsis in the output '" + output + "'");
    if (at != std::string::npos) output.replace(at, 3, out_ellipsis);
  } else {
    std::map<char, int> counts;
    for (const std::string& t : terms)
      for (char c : t) ++counts[c];
    output = out_ellipsis;
    for (const auto& [c, n] : counts)
      if (n == 1 && out_ellipsis.find(c) == std::string::npos) output += c;
  }
}

}  // namespace


Array einsum(std::string_view spec_in, const std::vector<Array>& operands_in) {
  std::string spec;
  for (char c : spec_in)
    if (c != ' ') spec += c;
  if (operands_in.empty()) spec_error(spec_in, "at least one operand is required");
  const size_t arrow = spec.find("->");
  if (std::count(spec.begin(), spec.end(), '-') + std::count(spec.begin(), spec.end(), '>') !=
      (arrow == std::string::npos ? 0 : 2))
    spec_error(spec_in, "subscripts can only contain one '->'");
  const std::string inputs = spec.substr(0, arrow);
  std::string output = arrow == std::string::npos ? "" : spec.substr(arrow + 2);
  std::vector<std::string> terms;
  for (size_t start = 0;;) {
    const size_t comma = inputs.find(',', start);
    terms.push_back(inputs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != operands_in.size())
    spec_error(spec_in, "the subscripts name " + std::to_string(terms.size()) + " operand(s) but " +
                            std::to_string(operands_in.size()) + " were given");
  for (const std::string& s : [&] { auto all = terms; all.push_back(output); return all; }())
    for (char c : s)
      if (!is_letter(c) && c != '.')
        spec_error(spec_in, std::string("invalid subscript '") + c + "' (subscripts are letters a-z, A-Z and '...')");
  if (spec.find('.') != std::string::npos) {
    expand_ellipses(spec_in, terms, output, arrow != std::string::npos, operands_in);
  } else if (arrow == std::string::npos) {
    std::map<char, int> counts;  // implicit output: indices seen once, sorted
    for (const std::string& t : terms)
      for (char c : t) ++counts[c];
    for (const auto& [c, n] : counts)
      if (n == 1) output += c;
  }
  std::map<char, int64_t> sizes;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (static_cast<int64_t>(terms[i].size()) != operands_in[i].ndim())
      shape_error(spec_in, "operand " + std::to_string(i) + " has shape " + shape_to_string(operands_in[i].shape()) +
                               " (rank " + std::to_string(operands_in[i].ndim()) + ") but its subscripts '" + terms[i] +
                               "' name " + std::to_string(terms[i].size()) + " axes");
    for (size_t k = 0; k < terms[i].size(); ++k) {
      const char c = terms[i][k];
      const int64_t n = operands_in[i].shape()[k];
      auto [it, inserted] = sizes.emplace(c, n);
      if (inserted || it->second == n || n == 1) continue;
      if (it->second == 1) {  // size 1 broadcasts, as opt_einsum and jnp allow
        it->second = n;
        continue;
      }
      shape_error(spec_in, std::string("size of index '") + c + "' differs between operands: " +
                               std::to_string(it->second) + " vs " + std::to_string(n));
    }
  }
  for (size_t i = 0; i < output.size(); ++i) {
    if (!sizes.count(output[i]))
      spec_error(spec_in, std::string("output subscript '") + output[i] + "' does not appear in any input");
    if (output.find(output[i], i + 1) != std::string::npos)
      spec_error(spec_in, std::string("output subscript '") + output[i] + "' appears more than once");
  }

  const std::vector<Array> operands = detail::promote_dtypes(operands_in);
  std::vector<Term> pending;
  for (size_t i = 0; i < operands.size(); ++i) pending.push_back({operands[i], terms[i]});
  for (const einsum_path::Contraction& c : einsum_path::contract_path(terms, output, sizes)) {
    const std::string& result = c.result;
    Term t;
    if (c.positions.size() == 1) {
      t = pending[c.positions[0]];
      pending.erase(pending.begin() + c.positions[0]);
      std::vector<char> uniques;
      for (char n : c.removed)
        if (std::count(t.names.begin(), t.names.end(), n) == 1) uniques.push_back(n);
      sum_uniques(t, uniques);
      sum_repeats(t, result);
    } else {
      // opt_einsum pops the later operand first; jnp makes it the lhs.
      Term lhs = pending[c.positions[0]];
      pending.erase(pending.begin() + c.positions[0]);
      Term rhs = pending[c.positions[1]];
      pending.erase(pending.begin() + c.positions[1]);
      filter_singletons(lhs, rhs);
      filter_singletons(rhs, lhs);
      auto count = [](const Term& x, char n) { return std::count(x.names.begin(), x.names.end(), n); };
      std::vector<char> lhs_uniques, rhs_uniques;
      for (char n : c.removed) {
        if (count(lhs, n) == 1 && count(rhs, n) == 0) lhs_uniques.push_back(n);
        if (count(rhs, n) == 1 && count(lhs, n) == 0) rhs_uniques.push_back(n);
      }
      sum_uniques(lhs, lhs_uniques);
      sum_uniques(rhs, rhs_uniques);
      sum_repeats(lhs, result + rhs.names);
      sum_repeats(rhs, result + lhs.names);
      std::string contract, batch;
      for (char n : c.removed)
        if (count(lhs, n) || count(rhs, n)) contract += n;
      for (char n : result)
        if (count(lhs, n) && count(rhs, n)) batch += n;
      DotDimensionNumbers dn;
      for (char n : contract) {
        dn.lhs_contracting.push_back(static_cast<int64_t>(lhs.names.find(n)));
        dn.rhs_contracting.push_back(static_cast<int64_t>(rhs.names.find(n)));
      }
      for (char n : batch) {
        dn.lhs_batch.push_back(static_cast<int64_t>(lhs.names.find(n)));
        dn.rhs_batch.push_back(static_cast<int64_t>(rhs.names.find(n)));
      }
      const std::string deleted = batch + contract;
      const std::string rest_l = without(lhs.names, deleted), rest_r = without(rhs.names, deleted);
      // jnp tries (rhs, lhs) first: opt_einsum's order often needs no transpose then.
      if (batch + rest_r + rest_l == result) {
        std::swap(dn.lhs_contracting, dn.rhs_contracting);
        std::swap(dn.lhs_batch, dn.rhs_batch);
        t = {bind1(prim::dot_general_p, {rhs.operand, lhs.operand},
                   {{"dimension_numbers", dn}, {"preferred_element_type", rhs.operand.dtype()}}),
             batch + rest_r + rest_l};
      } else {
        t = {bind1(prim::dot_general_p, {lhs.operand, rhs.operand},
                   {{"dimension_numbers", dn}, {"preferred_element_type", lhs.operand.dtype()}}),
             batch + rest_l + rest_r};
      }
    }
    transpose_to(t, result);
    pending.push_back(t);
  }
  return pending[0].operand;
}

}  // namespace fluxion
