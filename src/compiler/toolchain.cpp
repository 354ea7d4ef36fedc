// jit's back end: key a translation unit, find it in this process's table or
// the disk cache (disk_cache.cpp), else run the system compiler on it.
//
// The key covers everything that changes the machine code: the source, the
// compiler and its version, the flags, Fluxion's version and, because of
// -march=native, the CPU's features (a home directory may be shared between
// machines). The compiler is started with posix_spawn on an argument vector,
// so no shell ever parses a path or the source's name.
#include "compiler/toolchain.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/disk_cache.hpp"
#include "fluxion/errors.hpp"

extern char** environ;

namespace fluxion::compiler {

namespace fs = std::filesystem;

namespace {

// Fluxion's version as part of the key (CMake's project version).
constexpr std::string_view kFluxionVersion = "0.1.0";
// Changed whenever the key's recipe or the cache's file layout changes.
constexpr std::string_view kCacheFormat = "fluxion-jit-cache-1";
constexpr std::string_view kDefaultCompiler = "c++";
constexpr std::uint64_t kDefaultCacheMaxBytes = 256ull << 20;
constexpr int kLogLinesInErrors = 20;

// Every flag of the compile command, in order; all of them enter the key.
// -fno-builtin: a libm function the generated code calls by name (pow) must
// be libm's, as eager's; GCC would otherwise fold pow(x, 2.0) into x * x,
// which differs from glibc's pow in the last bit now and then. Operations
// the code wants inlined are spelled __builtin_sqrt etc.
// -fvect-cost-model=dynamic: GCC 12's -O2 vectorises only loops that need no
// run-time alias check; a fused loop reads inputs and writes scratch slices
// of the same type, so it needs one (measured: seed 001's f' loop runs 4x
// faster; the compile costs 0.04 s more, -O3 0.08 s).
constexpr std::array<std::string_view, 10> kCompileFlags = {
    "-std=c++17",   "-O2",   "-fvect-cost-model=dynamic", "-march=native",      "-ffp-contract=off",
    "-fno-math-errno", "-fno-builtin", "-fPIC",           "-shared",            "-fvisibility=hidden"};
constexpr std::string_view kOpenMpFlag = "-fopenmp";
constexpr std::string_view kLinkLibraries = "-lm";

std::atomic<std::uint64_t> compiler_runs{0};

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// FLUXION_CXX may name a launcher and a compiler ("ccache g++"): words are
// split on blanks, without shell quoting.
std::vector<std::string> split_words(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string quoted_for_shell(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                          "-_=+./:,@%") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& word : argv) line += (line.empty() ? "" : " ") + quoted_for_shell(word);
  return line;
}

std::vector<std::string> flags_for(const BuildRequest& request) {
  std::vector<std::string> flags(kCompileFlags.begin(), kCompileFlags.end());
  if (request.openmp) flags.emplace_back(kOpenMpFlag);
  return flags;
}

// How a child process ended, in words; empty when it succeeded.
struct ProcessOutcome {
  int spawn_error = 0;  // errno from posix_spawnp (e.g. ENOENT: no such compiler)
  int wait_status = 0;

  std::string failure() const {
    if (spawn_error != 0) return "could not be started: " + std::string(std::strerror(spawn_error));
    if (WIFEXITED(wait_status))
      return WEXITSTATUS(wait_status) == 0 ? "" : "exited with status " + std::to_string(WEXITSTATUS(wait_status));
    if (WIFSIGNALED(wait_status))
      return "was killed by signal " + std::to_string(WTERMSIG(wait_status)) + " (" +
             strsignal(WTERMSIG(wait_status)) + ")";
    return "ended abnormally (wait status " + std::to_string(wait_status) + ")";
  }
};

// Runs `argv` with stdin from /dev/null and stdout and stderr to `log` (a
// fresh file), and waits for it.
ProcessOutcome run_logged(const std::vector<std::string>& argv, const fs::path& log) {
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (log_fd < 0) throw Error("jit: cannot create the log file " + log.string() + ": " + std::strerror(errno));
  std::vector<char*> arguments;
  for (const std::string& word : argv) arguments.push_back(const_cast<char*>(word.c_str()));
  arguments.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, log_fd, STDERR_FILENO);
  ProcessOutcome outcome;
  pid_t child = -1;
  outcome.spawn_error = posix_spawnp(&child, arguments[0], &actions, nullptr, arguments.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (outcome.spawn_error != 0) {
    // The log is named in the error, so it says what happened too.
    const std::string note = "fluxion: could not start " + argv[0] + ": " + std::strerror(outcome.spawn_error) + "\n";
    (void)!::write(log_fd, note.data(), note.size());
  } else {
    while (::waitpid(child, &outcome.wait_status, 0) < 0 && errno == EINTR) {
    }
  }
  ::close(log_fd);
  return outcome;
}

std::string compiler_source_of_setting() {
  return environment("FLUXION_CXX").empty() ? "the default; set FLUXION_CXX to choose another"
                                            : "set by FLUXION_CXX";
}

// The first line of `<compiler> --version`, probed once per process for each
// compiler command. Failures are not remembered: the user may fix them.
std::string compiler_identity(const std::string& compiler, const fs::path& cache_dir_for_logs) {
  static std::mutex mutex;
  static auto* identities = new std::map<std::string, std::string>;  // never destroyed: used until exit
  std::lock_guard lock(mutex);
  if (auto it = identities->find(compiler); it != identities->end()) return it->second;

  prepare_private_directory(cache_dir_for_logs);
  std::vector<std::string> argv = split_words(compiler);
  argv.emplace_back("--version");
  const fs::path log = cache_dir_for_logs / ("compiler-" + sha256_hex(compiler).substr(0, 16) + ".log");
  const fs::path temporary_log = temporary_path_for(log);
  const ProcessOutcome outcome = run_logged(argv, temporary_log);
  std::string first_line;
  {
    std::ifstream in(temporary_log);
    std::getline(in, first_line);
  }
  if (outcome.failure().empty() && !first_line.empty()) {
    ::unlink(temporary_log.c_str());
    return identities->emplace(compiler, first_line).first->second;
  }
  rename_or_throw(temporary_log, log);
  throw Error("jit: cannot run the C++ compiler '" + compiler + "' (" + compiler_source_of_setting() + "): it " +
              (outcome.failure().empty() ? std::string("printed no version") : outcome.failure()) +
              "\n  command: " + command_line(argv) + "\n  log: " + log.string() +
              "\nInstall a C++17 compiler (`c++` is used by default) or set FLUXION_CXX to one.");
}

// The ISA extensions -march=native will use, as the kernel lists them.
std::string read_cpu_features() {
  std::string features;
  struct utsname machine {};
  if (::uname(&machine) == 0) features = machine.machine;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string field = line.substr(0, colon);
    field.erase(field.find_last_not_of(" \t") + 1);
    // x86 says "flags", Arm "Features", RISC-V "isa"; the first processor's
    // line stands for all of them.
    if (field == "flags" || field == "Features" || field == "isa") return features + "\n" + line.substr(colon + 1);
  }
  return features;
}

const std::string& cpu_features() {
  static const std::string features = read_cpu_features();
  return features;
}

std::string cache_key(const BuildRequest& request, const std::string& compiler, const std::string& identity) {
  Sha256 key;
  // Each field is named and length-prefixed, so no two different inputs
  // produce the same byte stream.
  auto field = [&key](std::string_view name, std::string_view value) {
    key.update(name);
    key.update(" " + std::to_string(value.size()) + "\n");
    key.update(value);
    key.update("\n");
  };
  field("format", kCacheFormat);
  field("fluxion", kFluxionVersion);
  field("compiler", compiler);
  field("compiler-version", identity);
  std::string flags;
  for (const std::string& flag : flags_for(request)) flags += flag + " ";
  field("flags", flags + std::string(kLinkLibraries));
  field("cpu", cpu_features());
  field("source", request.source);
  return key.hex_digest();
}

class LoadedObject final : public SharedObject {
 public:
  LoadedObject(void* handle, std::filesystem::path path) : handle_(handle), path_(std::move(path)) {}
  ~LoadedObject() override { ::dlclose(handle_); }
  LoadedObject(const LoadedObject&) = delete;
  LoadedObject& operator=(const LoadedObject&) = delete;

  void* symbol(const char* name) const override {
    ::dlerror();
    void* address = ::dlsym(handle_, name);
    if (address == nullptr) {
      const char* why = ::dlerror();
      throw Error("jit: no symbol '" + std::string(name) + "' in " + path_.string() +
                  (why != nullptr ? std::string(": ") + why : std::string()) +
                  " (is it extern \"C\" with default visibility?)");
    }
    return address;
  }
  const std::filesystem::path& path() const override { return path_; }

 private:
  void* handle_;
  std::filesystem::path path_;
};

// Compiles the request into the entry: source, then the object under a
// temporary name renamed into place, then the object's hash.
void compile_into_cache(const BuildRequest& request, const std::string& compiler, const std::string& identity,
                        const EntryPaths& entry, std::uint64_t max_bytes) {
  write_file_atomically(entry.source, request.source);
  const fs::path temporary_object = temporary_path_for(entry.object);
  const fs::path temporary_log = temporary_path_for(entry.log);
  std::vector<std::string> argv = split_words(compiler);
  for (const std::string& flag : flags_for(request)) argv.push_back(flag);
  for (const std::string& word : {std::string("-o"), temporary_object.string(), entry.source.string(),
                                  std::string(kLinkLibraries)})
    argv.push_back(word);

  compiler_runs.fetch_add(1);
  const ProcessOutcome outcome = run_logged(argv, temporary_log);
  if (const std::string failure = outcome.failure(); !failure.empty()) {
    ::unlink(temporary_object.c_str());
    rename_or_throw(temporary_log, entry.log);
    throw Error("jit: the C++ compiler '" + compiler + "' " + failure + " on " + entry.source.string() +
                "\n  compiler: " + identity + " (" + compiler_source_of_setting() + ")" +
                "\n  command: " + command_line(argv) + "\n  log: " + entry.log.string() +
                "\n  first lines of the log:\n" + read_first_lines(entry.log, kLogLinesInErrors, "    "));
  }
  ::unlink(temporary_log.c_str());
  ::unlink(entry.log.c_str());  // from an earlier failure, now stale

  // Hashed before the rename, so the recorded hash is of what this compile wrote.
  const std::optional<std::string> object_hash = sha256_of_file(temporary_object);
  if (!object_hash) {
    ::unlink(temporary_object.c_str());
    throw Error("jit: the compiler reported success but " + temporary_object.string() +
                " cannot be read\n  command: " + command_line(argv));
  }
  rename_or_throw(temporary_object, entry.object);
  write_file_atomically(entry.hash, *object_hash + "\n");
  evict_least_recently_used(entry.object.parent_path(), max_bytes, entry.key);
}

std::shared_ptr<const SharedObject> load_from_disk_or_compile(const BuildRequest& request, const std::string& compiler,
                                                              const std::string& identity, const std::string& key) {
  const fs::path directory = cache_directory();
  prepare_private_directory(directory);
  const std::uint64_t max_bytes = cache_max_bytes();  // before compiling: a malformed cap fails fast
  const EntryPaths entry = entry_paths(directory, key);
  // Another process may evict or replace the entry between our checks; a few
  // rounds of verify-then-compile settle that.
  constexpr int kAttempts = 3;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (object_matches_recorded_hash(entry)) {
      touch(entry.object);
      ::dlerror();
      if (void* handle = ::dlopen(entry.object.c_str(), RTLD_NOW | RTLD_LOCAL))
        return std::make_shared<LoadedObject>(handle, entry.object);
      const char* why = ::dlerror();
      if (::access(entry.object.c_str(), F_OK) == 0)
        throw Error("jit: cannot load " + entry.object.string() + ": " + (why != nullptr ? why : "unknown error"));
      continue;  // evicted by another process just now
    }
    compile_into_cache(request, compiler, identity, entry, max_bytes);
  }
  throw Error("jit: " + entry.object.string() + " kept changing while this process tried to load it (" +
              std::to_string(kAttempts) + " attempts); is another process deleting it?");
}

// This process's loaded objects, by key. A slot holds a shared_future so that
// requests arriving while the first one compiles wait for it instead of
// compiling again. Objects are held strongly: a jit program is typically
// called again, and re-verifying and reloading it would buy nothing.
struct LoadedTable {
  struct Slot {
    std::shared_future<std::shared_ptr<const SharedObject>> object;
    std::uint64_t serial;  // tells a slot from a newer one for the same key
  };
  std::mutex mutex;
  std::unordered_map<std::string, Slot> slots;
  std::uint64_t next_serial = 0;
};

LoadedTable& loaded_table() {
  // Never destroyed: at exit, code may still run inside the objects.
  static auto* table = new LoadedTable;
  return *table;
}

}  // namespace

std::string compiler_command() {
  std::string command = environment("FLUXION_CXX");
  return split_words(command).empty() ? std::string(kDefaultCompiler) : command;
}

fs::path cache_directory() {
  // The XDG base directory specification ignores a relative XDG_CACHE_HOME.
  const std::string xdg_cache_home = environment("XDG_CACHE_HOME");
  if (!xdg_cache_home.empty() && fs::path(xdg_cache_home).is_absolute())
    return fs::path(xdg_cache_home) / "fluxion" / "jit";
  std::string home = environment("HOME");
  if (home.empty()) {
    if (const passwd* user = ::getpwuid(::geteuid()); user != nullptr && user->pw_dir != nullptr) home = user->pw_dir;
  }
  if (home.empty())
    throw Error("jit: no directory for compiled code: neither XDG_CACHE_HOME nor HOME is set. Set XDG_CACHE_HOME.");
  return fs::path(home) / ".cache" / "fluxion" / "jit";
}

std::uint64_t cache_max_bytes() {
  const std::string text = environment("FLUXION_JIT_CACHE_MAX_BYTES");
  if (text.empty()) return kDefaultCacheMaxBytes;
  std::uint64_t bytes = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), bytes);
  if (error != std::errc() || end != text.data() + text.size())
    throw Error("jit: FLUXION_JIT_CACHE_MAX_BYTES must be a number of bytes (a decimal integer), got '" + text + "'");
  return bytes;
}

std::shared_ptr<const SharedObject> load_or_build(const BuildRequest& request) {
  const std::string compiler = compiler_command();
  const std::string identity = compiler_identity(compiler, cache_directory());
  const std::string key = cache_key(request, compiler, identity);

  LoadedTable& table = loaded_table();
  std::promise<std::shared_ptr<const SharedObject>> promise;
  std::shared_future<std::shared_ptr<const SharedObject>> earlier_request;
  std::uint64_t serial = 0;
  {
    std::lock_guard lock(table.mutex);
    if (auto it = table.slots.find(key); it != table.slots.end()) {
      earlier_request = it->second.object;
    } else {
      serial = table.next_serial++;
      table.slots.emplace(key, LoadedTable::Slot{promise.get_future().share(), serial});
    }
  }
  // Waited for outside the lock; rethrows the earlier request's error, if any.
  if (earlier_request.valid()) return earlier_request.get();
  try {
    std::shared_ptr<const SharedObject> object = load_from_disk_or_compile(request, compiler, identity, key);
    promise.set_value(object);
    return object;
  } catch (...) {
    {
      // A failure is not cached: the next request tries again.
      std::lock_guard lock(table.mutex);
      if (auto it = table.slots.find(key); it != table.slots.end() && it->second.serial == serial)
        table.slots.erase(it);
    }
    promise.set_exception(std::current_exception());
    throw;
  }
}

std::uint64_t compile_count() { return compiler_runs.load(); }

void forget_loaded_objects() {
  LoadedTable& table = loaded_table();
  std::lock_guard lock(table.mutex);
  table.slots.clear();
}

}  // namespace fluxion::compiler
