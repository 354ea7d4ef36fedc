// jit's back end: turns a generated C++ translation unit into a loaded
// shared object, through the system compiler and an on-disk cache.
// (Interface fixed by the compiler's author; see toolchain.cpp for how.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace fluxion::compiler {

// A dlopen()ed shared object; dlclose()d when the last reference goes.
class SharedObject {
 public:
  virtual ~SharedObject() = default;
  // The address of an exported symbol; fx::Error naming the object and the
  // symbol when it is missing.
  virtual void* symbol(const char* name) const = 0;
  // Where the object was loaded from (inside the cache directory).
  virtual const std::filesystem::path& path() const = 0;
};

struct BuildRequest {
  std::string source;   // a complete C++17 translation unit
  bool openmp = false;  // compile and link with -fopenmp
};

// The loaded object for `request`: from this process's table of loaded
// objects, else the disk cache, else compiled now and stored there. Thread
// safe; concurrent requests for the same source compile once.
// Throws fx::Error naming the compiler, the command and the log file when the
// compiler is missing or fails.
std::shared_ptr<const SharedObject> load_or_build(const BuildRequest& request);

// The compiler command (FLUXION_CXX, else `c++`), and the cache directory
// ($XDG_CACHE_HOME/fluxion/jit, else $HOME/.cache/fluxion/jit).
std::string compiler_command();
std::filesystem::path cache_directory();

// The disk cache's size bound in bytes: FLUXION_JIT_CACHE_MAX_BYTES (a decimal
// integer), else 256 MiB. Storing an object evicts the least recently used
// others until the directory fits. fx::Error when the variable is malformed.
std::uint64_t cache_max_bytes();

// Test hooks.
// How many times this process has run the compiler on a translation unit
// (failed runs included; the `--version` probe is not counted).
std::uint64_t compile_count();
// How many times this process has run the `--version` probe (zero when every
// compiler's identity came from its stamp in the cache directory).
std::uint64_t compiler_probe_count();
// Empties this process's table of loaded objects, so the next request goes to
// the disk cache. Objects already handed out stay loaded while referenced.
void forget_loaded_objects();

}  // namespace fluxion::compiler
