// fx::jet's driver: checks the arguments, sets up a JetInterpreter around
// the call and reads the terms off the outputs.
#include <string>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/jet.hpp"
#include "interpreters/jet.hpp"
#include "fluxion/transforms.hpp"
#include "primitives/lax.hpp"

namespace fluxion::detail {

void check_jet_arguments(const std::vector<Array>& primals, const std::vector<std::vector<Array>>& series) {
  if (primals.size() != series.size())
    throw TypeError("jet: primals and series must have the same structure, got " + std::to_string(primals.size()) +
                    " primals and " + std::to_string(series.size()) + " series");
  for (size_t i = 0; i < series.size(); ++i) {
    if (series[i].size() != series[0].size())
      throw ValueError("jet terms have inconsistent lengths for different arguments: argument 0 has " +
                       std::to_string(series[0].size()) + " terms and argument " + std::to_string(i) + " has " +
                       std::to_string(series[i].size()));
    for (size_t k = 0; k < series[i].size(); ++k) {
      const Array& p = primals[i];
      const Array& t = series[i][k];
      if (!t.valid() || !p.valid())
        throw Error("jet: argument " + std::to_string(i) + " has an empty Array handle (default-constructed)");
      if (p.shape() != t.shape())
        throw ShapeError("jet: primal and series shapes do not match: argument " + std::to_string(i) + " has shape " +
                         shape_to_string(p.shape()) + " and its term " + std::to_string(k + 1) + " has shape " +
                         shape_to_string(t.shape()));
      if (is_floating(p.dtype()) && p.dtype() != t.dtype())
        throw TypeError("jet: primal and series dtypes do not match: argument " + std::to_string(i) + " is " +
                        std::string(dtype_name(p.dtype())) + " and its term " + std::to_string(k + 1) + " is " +
                        std::string(dtype_name(t.dtype())));
    }
  }
}

std::pair<std::vector<Array>, std::vector<std::vector<Array>>> jet_core(
    const Fn& f, const std::vector<Array>& primals, const std::vector<std::vector<Array>>& series) {
  size_t order = 0;
  for (const auto& s : series) order = std::max(order, s.size());
  if (order == 0) {
    std::vector<Array> outs = f(primals);
    return {outs, std::vector<std::vector<Array>>(outs.size())};
  }
  JetInterpreter jet(order);
  std::vector<Array> in;
  in.reserve(primals.size());
  for (size_t i = 0; i < primals.size(); ++i) in.push_back(jet.make_tracer(primals[i], series[i]));
  const std::vector<Array> outs = f(in);
  std::vector<Array> out_primals;
  std::vector<std::vector<Array>> out_series;
  for (const Array& o : outs) {
    auto [p, s] = jet.unpack(o);
    if (s.empty()) s.assign(order, lax::zeros(AbstractValue{p.shape(), p.dtype(), false}));
    out_primals.push_back(std::move(p));
    out_series.push_back(std::move(s));
  }
  return {std::move(out_primals), std::move(out_series)};
}

}  // namespace fluxion::detail
