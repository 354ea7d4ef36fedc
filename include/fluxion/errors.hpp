/// @file
/// Typed exceptions: every message names the operation, what it was given and
/// what it expected ([docs/ARCHITECTURE.md](docs/ARCHITECTURE.md), "Principles":
/// errors are part of the API).
#pragma once

#include <stdexcept>
#include <string>

namespace fluxion {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Shapes that do not fit: broadcasting, axes, reshape sizes, contractions.
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// An index out of range or an index expression that does not fit the
/// array (too many indices, two ellipses), where Python raises IndexError.
class IndexError : public ShapeError {
 public:
  using ShapeError::ShapeError;
};

/// A dtype an operation does not accept, or a transformation input of the wrong kind.
class TypeError : public Error {
 public:
  using Error::Error;
};

/// A value of the right kind that is not acceptable, where JAX raises
/// ValueError: a zero step, an unknown option, counts or mapped sizes that
/// disagree, a static_argnums position out of range. Shapes and axes that do
/// not fit are ShapeError.
class ValueError : public Error {
 public:
  using Error::Error;
};

/// A concrete value was needed (C++ `if`, item()) but only an abstract one exists.
class ConcretizationError : public Error {
 public:
  using Error::Error;
};

}  // namespace fluxion
