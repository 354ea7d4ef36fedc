// opt_einsum's path finders as jnp.einsum's default optimize="auto" uses
// them: 'optimal' (exhaustive, least flops) for up to 4 operands,
// branch-and-bound exploring every branch for 5-6, the best 2 for 7-8, the
// best 1 for 9-14, and 'greedy' beyond. Ported step for step (opt_einsum
// 3.4's paths.py and contract.py), ties included, so the pairs contracted and
// their order are JAX's. Index sets are bit masks ordered as Python sorts
// strings ('A' < 'Z' < 'a' < 'z'); sizes and flops are doubles (exact far
// beyond any array that fits in memory).
#include "ops/numpy/einsum_path.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>

namespace fluxion::einsum_path {
namespace {

using Mask = uint64_t;
using SsaPath = std::vector<std::vector<int>>;

int bit_of(char c) { return c <= 'Z' ? c - 'A' : 26 + (c - 'a'); }
char char_of(int bit) { return static_cast<char>(bit < 26 ? 'A' + bit : 'a' + (bit - 26)); }

Mask mask_of(const std::string& s) {
  Mask m = 0;
  for (char c : s) m |= Mask{1} << bit_of(c);
  return m;
}

struct Problem {
  std::vector<Mask> inputs;
  Mask output = 0;
  double sizes[52] = {};

  double size(Mask m) const {
    double s = 1;
    for (int b = 0; b < 52; ++b)
      if (m >> b & 1) s *= sizes[b];
    return s;
  }
};

// calc_k12_flops: the indices a pairwise contraction keeps, and its flops.
std::pair<Mask, double> k12_flops(const Problem& p, const std::vector<Mask>& inputs, const std::vector<int>& remaining,
                                  int i, int j) {
  const Mask either = inputs[i] | inputs[j], shared = inputs[i] & inputs[j];
  Mask keep = p.output;
  for (int r : remaining)
    if (r != i && r != j) keep |= inputs[r];
  const bool inner = (shared & ~keep) != 0;
  return {either & keep, p.size(either) * (inner ? 2 : 1)};
}

std::vector<int> without_pair_plus(const std::vector<int>& remaining, int i, int j, int added) {
  std::vector<int> out;
  for (int r : remaining)
    if (r != i && r != j) out.push_back(r);
  out.push_back(added);  // the newest id is the largest: the set stays sorted
  return out;
}

SsaPath optimal(const Problem& p) {
  double best_flops = std::numeric_limits<double>::infinity();
  SsaPath best;
  std::vector<int> all;
  for (size_t i = 0; i < p.inputs.size(); ++i) all.push_back(static_cast<int>(i));
  best.push_back(all);
  // Keyed by the two index sets only, as opt_einsum's cache is.
  std::map<std::pair<Mask, Mask>, std::pair<Mask, double>> cache;
  auto iterate = [&](auto& self, const SsaPath& path, const std::vector<Mask>& inputs, const std::vector<int>& remaining,
                     double flops) -> void {
    if (remaining.size() == 1) {
      best_flops = flops;
      best = path;
      return;
    }
    for (size_t a = 0; a < remaining.size(); ++a)
      for (size_t b = a + 1; b < remaining.size(); ++b) {
        const int i = remaining[a], j = remaining[b];
        const auto key = std::make_pair(inputs[i], inputs[j]);
        auto it = cache.find(key);
        if (it == cache.end()) it = cache.emplace(key, k12_flops(p, inputs, remaining, i, j)).first;
        const double new_flops = flops + it->second.second;
        if (new_flops >= best_flops) continue;
        SsaPath next_path = path;
        next_path.push_back({i, j});
        std::vector<Mask> next_inputs = inputs;
        next_inputs.push_back(it->second.first);
        self(self, next_path, next_inputs, without_pair_plus(remaining, i, j, static_cast<int>(inputs.size())),
             new_flops);
      }
  };
  iterate(iterate, {}, p.inputs, all, 0);
  return best;
}

// BranchBound(nbranch, cutoff_flops_factor=4, minimize="flops",
// cost_fn="memory-removed"); nbranch 0 explores every candidate.
SsaPath branch(const Problem& p, size_t nbranch) {
  double best_flops = std::numeric_limits<double>::infinity(), best_size = best_flops;
  SsaPath best;
  std::map<size_t, double> best_progress;
  auto progress = [&](size_t n) -> double& {
    return best_progress.try_emplace(n, std::numeric_limits<double>::infinity()).first->second;
  };
  std::map<std::pair<Mask, Mask>, std::pair<Mask, double>> cache;
  using Candidate = std::tuple<double, double, double, double, std::pair<int, int>, Mask>;
  auto iterate = [&](auto& self, const SsaPath& path, const std::vector<Mask>& inputs, const std::vector<int>& remaining,
                     double flops, double size) -> void {
    if (remaining.size() == 1) {
      best_size = size;
      best_flops = flops;
      best = path;
      return;
    }
    auto assess = [&](int i, int j) -> std::optional<Candidate> {
      const auto key = std::make_pair(inputs[i], inputs[j]);
      auto it = cache.find(key);
      if (it == cache.end()) it = cache.emplace(key, k12_flops(p, inputs, remaining, i, j)).first;
      const auto [k12, flops12] = it->second;
      const double size12 = p.size(k12), new_flops = flops + flops12, new_size = std::max(size, size12);
      if (!(std::make_pair(new_flops, new_size) < std::make_pair(best_flops, best_size))) return std::nullopt;
      double& at = progress(inputs.size());
      if (new_flops < at)
        at = new_flops;
      else if (new_flops > 4 * at)
        return std::nullopt;
      const double cost = size12 - p.size(inputs[i]) - p.size(inputs[j]);
      return Candidate{cost, flops12, new_flops, new_size, {i, j}, k12};
    };
    std::vector<Candidate> candidates;
    for (int pass = 0; pass < 2 && candidates.empty(); ++pass)  // outer products only if nothing else
      for (size_t a = 0; a < remaining.size(); ++a)
        for (size_t b = a + 1; b < remaining.size(); ++b) {
          const int i = remaining[a], j = remaining[b];
          if (pass == 0 && (inputs[i] & inputs[j]) == 0) continue;
          if (auto c = assess(i, j)) candidates.push_back(*c);
        }
    std::sort(candidates.begin(), candidates.end());
    for (size_t k = 0; k < candidates.size() && (nbranch == 0 || k < nbranch); ++k) {
      const auto& [cost, flops12, new_flops, new_size, ij, k12] = candidates[k];
      SsaPath next_path = path;
      next_path.push_back({ij.first, ij.second});
      std::vector<Mask> next_inputs = inputs;
      next_inputs.push_back(k12);
      self(self, next_path, next_inputs,
           without_pair_plus(remaining, ij.first, ij.second, static_cast<int>(inputs.size())), new_flops, new_size);
    }
  };
  std::vector<int> all;
  for (size_t i = 0; i < p.inputs.size(); ++i) all.push_back(static_cast<int>(i));
  iterate(iterate, {}, p.inputs, all, 0, 0);
  return best;
}

// ssa_greedy_optimize with the default chooser and "memory-removed" cost.
SsaPath greedy(const Problem& p) {
  Mask output = p.output, common = ~Mask{0};
  for (Mask m : p.inputs) common &= m;
  output |= common;  // an index every operand has waits for the last step anyway
  std::vector<std::pair<Mask, int>> remaining;  // insertion-ordered, as a Python dict
  auto find = [&](Mask k) {
    return std::find_if(remaining.begin(), remaining.end(), [&](const auto& e) { return e.first == k; });
  };
  int next_id = static_cast<int>(p.inputs.size());
  SsaPath path;
  for (int id = 0; id < static_cast<int>(p.inputs.size()); ++id) {
    auto it = find(p.inputs[id]);
    if (it != remaining.end()) {
      path.push_back({it->second, id});
      it->second = next_id++;
    } else {
      remaining.emplace_back(p.inputs[id], id);
    }
  }
  std::map<int, std::vector<Mask>> dim_keys;  // dim -> keys holding it (outside the output)
  for (const auto& [key, id] : remaining)
    for (int d = 0; d < 52; ++d)
      if ((key & ~output) >> d & 1) dim_keys[d].push_back(key);
  Mask ref2 = 0, ref3 = 0;
  for (const auto& [d, keys] : dim_keys) {
    if (keys.size() >= 2) ref2 |= Mask{1} << d;
    if (keys.size() >= 3) ref3 |= Mask{1} << d;
  }
  std::map<Mask, double> footprint;
  for (const auto& [key, id] : remaining) footprint[key] = p.size(key);
  using Entry = std::tuple<double, int, int, Mask, Mask, Mask>;  // (cost, id2, id1), k1, k2, k12
  std::vector<Entry> queue;
  auto candidate = [&](Mask k1, Mask k2) {
    const Mask either = k1 | k2, two = k1 & k2, one = either & ~two;
    const Mask k12 = (either & output) | (two & ref3) | (one & ref2);
    const double cost = p.size(k12) - footprint[k1] - footprint[k2];
    int id1 = find(k1)->second, id2 = find(k2)->second;
    if (id1 > id2) {
      std::swap(k1, k2);
      std::swap(id1, id2);
    }
    return Entry{cost, id2, id1, k1, k2, k12};
  };
  auto push_best = [&](Mask k1, const std::vector<Mask>& k2s) {
    Entry best = candidate(k1, k2s[0]);
    for (size_t i = 1; i < k2s.size(); ++i) best = std::min(best, candidate(k1, k2s[i]));
    queue.push_back(best);
    std::push_heap(queue.begin(), queue.end(), std::greater<>());
  };
  for (auto& [d, keys] : dim_keys) {
    std::vector<Mask> sorted = keys;
    std::sort(sorted.begin(), sorted.end(), [&](Mask a, Mask b) { return find(a)->second < find(b)->second; });
    for (size_t i = 0; i + 1 < sorted.size(); ++i) push_best(sorted[i], {sorted.begin() + i + 1, sorted.end()});
  }
  while (!queue.empty()) {
    std::pop_heap(queue.begin(), queue.end(), std::greater<>());
    const auto [cost, id2_, id1_, k1, k2, k12] = queue.back();
    queue.pop_back();
    auto i1 = find(k1);
    if (i1 == remaining.end() || find(k2) == remaining.end()) continue;  // obsolete
    const int ssa1 = i1->second;
    remaining.erase(i1);
    auto i2 = find(k2);
    const int ssa2 = i2->second;
    remaining.erase(i2);
    auto drop = [&](Mask key) {
      for (int d = 0; d < 52; ++d)
        if ((key & ~output) >> d & 1) std::erase(dim_keys[d], key);
    };
    drop(k1);
    drop(k2);
    path.push_back({ssa1, ssa2});
    auto existing = find(k12);
    if (existing != remaining.end()) {
      path.push_back({existing->second, next_id++});
      existing->second = next_id++;
    } else {
      for (int d = 0; d < 52; ++d)
        if ((k12 & ~output) >> d & 1) dim_keys[d].push_back(k12);
      remaining.emplace_back(k12, next_id++);
    }
    const Mask touched = k1 | (k2 & ~output);  // Python's k1 | k2 - output
    for (int d = 0; d < 52; ++d) {
      if (!(touched >> d & 1)) continue;
      const size_t count = dim_keys.count(d) ? dim_keys[d].size() : 0;
      const Mask bit = Mask{1} << d;
      ref2 = count >= 2 ? ref2 | bit : ref2 & ~bit;
      ref3 = count >= 3 ? ref3 | bit : ref3 & ~bit;
    }
    footprint[k12] = p.size(k12);
    std::vector<Mask> k2s;
    for (int d = 0; d < 52; ++d)
      if (k12 >> d & 1 && dim_keys.count(d))
        for (Mask k : dim_keys[d])
          if (k != k12 && std::find(k2s.begin(), k2s.end(), k) == k2s.end()) k2s.push_back(k);
    if (!k2s.empty()) push_best(k12, k2s);
  }
  // Outer products last, smallest first.
  using Final = std::tuple<double, int, Mask>;
  std::vector<Final> finals;
  for (const auto& [key, id] : remaining) finals.emplace_back(p.size(key & output), id, key);
  std::make_heap(finals.begin(), finals.end(), std::greater<>());
  std::pop_heap(finals.begin(), finals.end(), std::greater<>());
  auto [s1, id1, k1] = finals.back();
  finals.pop_back();
  while (!finals.empty()) {
    std::pop_heap(finals.begin(), finals.end(), std::greater<>());
    const auto [s2, id2, k2] = finals.back();
    finals.pop_back();
    path.push_back({std::min(id1, id2), std::max(id1, id2)});
    const Mask k12 = (k1 | k2) & output;
    finals.emplace_back(p.size(k12), next_id++, k12);  // heappushpop
    std::push_heap(finals.begin(), finals.end(), std::greater<>());
    std::pop_heap(finals.begin(), finals.end(), std::greater<>());
    std::tie(s1, id1, k1) = finals.back();
    finals.pop_back();
  }
  return path;
}

// ssa_to_linear: static single assignment ids to positions in the shrinking list.
std::vector<std::vector<int>> ssa_to_linear(const SsaPath& ssa) {
  size_t n = 1;
  for (const auto& step : ssa) n += step.size() - 1;
  std::vector<int> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = static_cast<int>(i);
  int next = static_cast<int>(n);
  std::vector<std::vector<int>> out;
  for (const auto& step : ssa) {
    std::vector<int> con;
    for (int s : step) con.push_back(static_cast<int>(std::lower_bound(ids.begin(), ids.end(), s) - ids.begin()));
    std::sort(con.begin(), con.end());
    for (auto it = con.rbegin(); it != con.rend(); ++it) ids.erase(ids.begin() + *it);
    ids.push_back(next++);
    out.push_back(con);
  }
  return out;
}

}  // namespace

std::vector<Contraction> contract_path(const std::vector<std::string>& inputs, const std::string& output,
                                       const std::map<char, int64_t>& sizes) {
  Problem p;
  for (const std::string& s : inputs) p.inputs.push_back(mask_of(s));
  p.output = mask_of(output);
  for (const auto& [c, n] : sizes) p.sizes[bit_of(c)] = static_cast<double>(n);
  const size_t n = inputs.size();
  std::vector<std::vector<int>> path;
  if (n <= 2) {
    path.push_back(n == 1 ? std::vector<int>{0} : std::vector<int>{0, 1});
  } else if (n <= 4) {
    path = ssa_to_linear(optimal(p));
  } else if (n <= 14) {
    path = ssa_to_linear(branch(p, n <= 6 ? 0 : n <= 8 ? 2 : 1));
  } else {
    path = ssa_to_linear(greedy(p));
  }

  std::vector<std::string> pending = inputs;
  std::vector<Mask> sets = p.inputs;
  std::vector<Contraction> out;
  for (size_t step = 0; step < path.size(); ++step) {
    std::vector<int> positions = path[step];
    std::sort(positions.rbegin(), positions.rend());
    // helpers.find_contraction
    Mask contract = 0, remain = p.output;
    for (size_t i = 0; i < sets.size(); ++i)
      (std::find(positions.begin(), positions.end(), static_cast<int>(i)) != positions.end() ? contract : remain) |=
          sets[i];
    const Mask result_set = remain & contract, removed = contract & ~result_set;
    Contraction c;
    c.positions = positions;
    for (int b = 0; b < 52; ++b)
      if (removed >> b & 1) c.removed += char_of(b);
    for (int pos : positions) {
      c.inputs.push_back(pending[pos]);
      pending.erase(pending.begin() + pos);
      sets.erase(sets.begin() + pos);
    }
    if (step + 1 == path.size()) {
      c.result = output;
    } else {  // tensordot order: by first appearance in the popped inputs
      std::string all;
      for (const std::string& s : c.inputs) all += s;
      for (char ch : all)
        if ((result_set >> bit_of(ch) & 1) && c.result.find(ch) == std::string::npos) c.result += ch;
    }
    pending.push_back(c.result);
    sets.push_back(result_set);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace fluxion::einsum_path
