# Finds Fluxion's run-time dependencies and names them as imported targets.
# Included by the build and, after installation, by fluxionConfig.cmake, so a
# consumer of the static library links the same libraries.
include_guard(GLOBAL)
include(CMakeFindDependencyMacro)

find_dependency(hwy CONFIG)        # Highway: portable SIMD with run-time dispatch
find_dependency(OpenBLAS CONFIG)   # CBLAS for dot_general
find_dependency(OpenSSL)           # libcrypto: SHA-256 of jit cache keys and objects

if(NOT TARGET Fluxion::sleef)
  find_path(FLUXION_SLEEF_INCLUDE_DIR sleef.h PATH_SUFFIXES ${CMAKE_LIBRARY_ARCHITECTURE})
  find_library(FLUXION_SLEEF_LIBRARY sleef)
  if(NOT FLUXION_SLEEF_INCLUDE_DIR OR NOT FLUXION_SLEEF_LIBRARY)
    message(FATAL_ERROR "SLEEF not found: install Debian's libsleef-dev")
  endif()
  add_library(Fluxion::sleef UNKNOWN IMPORTED)
  set_target_properties(Fluxion::sleef PROPERTIES
    IMPORTED_LOCATION "${FLUXION_SLEEF_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${FLUXION_SLEEF_INCLUDE_DIR}")
endif()

if(NOT TARGET Fluxion::openblas)
  add_library(Fluxion::openblas INTERFACE IMPORTED)
  set_target_properties(Fluxion::openblas PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${OpenBLAS_INCLUDE_DIRS}"
    INTERFACE_LINK_LIBRARIES "${OpenBLAS_LIBRARIES}")
endif()
