// einsum, lowered as jnp.einsum lowers it: per operand, indices that appear
// nowhere else are summed out and repeated indices are masked with a
// Kronecker delta then summed; operands are then contracted pairwise (left to
// right) with dot_general, and the result transposed to the output order.
#include <algorithm>
#include <map>
#include <set>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "ops/internal.hpp"

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
  std::map<char, int> counts;
  for (char c : t.names) ++counts[c];
  for (const auto& [name, count] : counts) {
    if (count < 2) continue;
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

Term transpose_to(Term t, const std::string& order) {
  if (t.names == order) return t;
  std::vector<int64_t> perm;
  for (char c : order) perm.push_back(static_cast<int64_t>(t.names.find(c)));
  t.operand = transpose(t.operand, perm);
  t.names = order;
  return t;
}

}  // namespace

Array einsum(std::string_view spec_in, const std::vector<Array>& operands_in) {
  std::string spec;
  for (char c : spec_in)
    if (c != ' ') spec += c;
  if (operands_in.empty()) spec_error(spec_in, "at least one operand is required");
  const size_t arrow = spec.find("->");
  const std::string inputs = spec.substr(0, arrow);
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
  std::map<char, int64_t> sizes;
  std::map<char, int> counts;
  for (size_t i = 0; i < terms.size(); ++i) {
    for (char c : terms[i])
      if (!std::isalpha(static_cast<unsigned char>(c)))
        spec_error(spec_in, std::string("invalid subscript '") + c + "' (subscripts are letters a-z, A-Z; '...' is not supported)");
    if (static_cast<int64_t>(terms[i].size()) != operands_in[i].ndim())
      shape_error(spec_in, "operand " + std::to_string(i) + " has shape " + shape_to_string(operands_in[i].shape()) +
                               " (rank " + std::to_string(operands_in[i].ndim()) + ") but its subscripts '" + terms[i] +
                               "' name " + std::to_string(terms[i].size()) + " axes");
    for (size_t k = 0; k < terms[i].size(); ++k) {
      const char c = terms[i][k];
      const int64_t n = operands_in[i].shape()[k];
      auto [it, inserted] = sizes.emplace(c, n);
      if (!inserted && it->second != n)
        shape_error(spec_in, std::string("size of index '") + c + "' differs between operands: " +
                                 std::to_string(it->second) + " vs " + std::to_string(n));
      ++counts[c];
    }
  }
  std::string output;
  if (arrow == std::string::npos) {
    for (const auto& [c, n] : counts)  // implicit output: indices seen once, sorted
      if (n == 1) output += c;
  } else {
    output = spec.substr(arrow + 2);
    for (size_t i = 0; i < output.size(); ++i) {
      if (!sizes.count(output[i]))
        spec_error(spec_in, std::string("output subscript '") + output[i] + "' does not appear in any input");
      if (output.find(output[i], i + 1) != std::string::npos)
        spec_error(spec_in, std::string("output subscript '") + output[i] + "' appears more than once");
    }
  }

  const std::vector<Array> operands = detail::promote_dtypes(operands_in);
  std::vector<Term> pending;
  for (size_t i = 0; i < operands.size(); ++i) pending.push_back({operands[i], terms[i]});

  // Indices still needed by terms other than those at `skip_a`/`skip_b`, or by the output.
  auto needed_elsewhere = [&](char c, size_t skip_a, size_t skip_b) {
    if (output.find(c) != std::string::npos) return true;
    for (size_t i = 0; i < pending.size(); ++i)
      if (i != skip_a && i != skip_b && pending[i].names.find(c) != std::string::npos) return true;
    return false;
  };

  if (pending.size() == 1) {
    Term& t = pending[0];
    std::vector<char> uniques;
    for (char c : std::set<char>(t.names.begin(), t.names.end()))
      if (!needed_elsewhere(c, 0, 0) && std::count(t.names.begin(), t.names.end(), c) == 1) uniques.push_back(c);
    sum_uniques(t, uniques);
    sum_repeats(t, output);
    return transpose_to(t, output).operand;
  }

  while (pending.size() > 1) {
    Term lhs = pending[0], rhs = pending[1];
    const bool last = pending.size() == 2;
    std::set<char> both(lhs.names.begin(), lhs.names.end());
    both.insert(rhs.names.begin(), rhs.names.end());
    std::string result, contracted;
    for (char c : both) (needed_elsewhere(c, 0, 1) ? result : contracted) += c;
    if (last) result = output;
    auto uniques_of = [&](const Term& t, const Term& other) {
      std::vector<char> u;
      for (char c : contracted)
        if (std::count(t.names.begin(), t.names.end(), c) == 1 && other.names.find(c) == std::string::npos) u.push_back(c);
      return u;
    };
    sum_uniques(lhs, uniques_of(lhs, rhs));
    sum_uniques(rhs, uniques_of(rhs, lhs));
    sum_repeats(lhs, result + rhs.names);
    sum_repeats(rhs, result + lhs.names);
    std::string batch, contract;
    for (char c : result)
      if (lhs.names.find(c) != std::string::npos && rhs.names.find(c) != std::string::npos) batch += c;
    for (char c : contracted)
      if (lhs.names.find(c) != std::string::npos && rhs.names.find(c) != std::string::npos) contract += c;
    DotDimensionNumbers dn;
    for (char c : contract) {
      dn.lhs_contracting.push_back(static_cast<int64_t>(lhs.names.find(c)));
      dn.rhs_contracting.push_back(static_cast<int64_t>(rhs.names.find(c)));
    }
    for (char c : batch) {
      dn.lhs_batch.push_back(static_cast<int64_t>(lhs.names.find(c)));
      dn.rhs_batch.push_back(static_cast<int64_t>(rhs.names.find(c)));
    }
    const std::string deleted = batch + contract;
    const std::string rest_l = without(lhs.names, deleted), rest_r = without(rhs.names, deleted);
    Term product;
    // Prefer rhs-first when it lands in output order, sparing a transpose (as jnp does).
    if (batch + rest_r + rest_l == result) {
      std::swap(dn.lhs_contracting, dn.rhs_contracting);
      std::swap(dn.lhs_batch, dn.rhs_batch);
      product = {bind1(prim::dot_general_p, {rhs.operand, lhs.operand},
                       {{"dimension_numbers", dn}, {"preferred_element_type", rhs.operand.dtype()}}),
                 batch + rest_r + rest_l};
    } else {
      product = {bind1(prim::dot_general_p, {lhs.operand, rhs.operand},
                       {{"dimension_numbers", dn}, {"preferred_element_type", lhs.operand.dtype()}}),
                 batch + rest_l + rest_r};
    }
    pending.erase(pending.begin(), pending.begin() + 2);
    pending.push_back(transpose_to(product, result));
  }
  return pending[0].operand;
}

}  // namespace fluxion
