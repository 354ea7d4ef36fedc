// Reading the NumPy-oracle case file (tests/oracle/gen_op_cases.py describes
// the format) and comparing Fluxion's results with its expectations.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace oracle {

namespace fx = fluxion;

// Values kept as raw 64-bit patterns (two's complement for integers, IEEE
// bits for floats) so int64/uint64 extremes survive exactly.
struct OracleArray {
  fx::DType dtype = fx::float64;
  bool weak = false;
  fx::Shape shape;
  std::vector<uint64_t> bits;

  // A weak input becomes the C++ scalar that would produce it (2.0, 2, 2L,
  // 2.0f); a strong one goes through fx::array_of.
  fx::Array to_array() const;
};

struct Tolerance {
  int64_t ulp = 0;
  double rtol = 0, atol = 0;
  bool signed_zero = true;
};

struct Case {
  std::string op;
  int id = 0;
  std::map<std::string, std::string> params;
  std::vector<OracleArray> inputs, outputs;
  Tolerance tol;

  const std::string& param(const std::string& key) const;
  int64_t int_param(const std::string& key) const;
  double double_param(const std::string& key) const;  // float.hex() text
  fx::Shape shape_param(const std::string& key) const;
  fx::Axes axes_param(const std::string& key) const;  // `all` or `[..]`
  std::optional<fx::DType> dtype_param(const std::string& key) const;  // `none` -> nullopt
  std::string describe() const;  // the case as the file has it, for failure messages
};

// All cases of the file named by the FLUXION_OP_CASES compile definition,
// read once.
const std::vector<Case>& all_cases();

fx::DType parse_dtype(const std::string& name);

// dtype, weak flag (not for bools, which JAX never makes weak in a way that
// matters to promotion), shape and values of `got` against `want`.
::testing::AssertionResult matches(const fx::Array& got, const OracleArray& want,
                                   const Tolerance& tol);

}  // namespace oracle
