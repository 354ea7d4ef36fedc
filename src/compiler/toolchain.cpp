// jit's back end: key a translation unit, find it in this process's table or
// the disk cache (disk_cache.cpp), else run the system compiler on it.
//
// The key covers everything that changes the machine code: the source, the
// compiler and its version, the flags, Fluxion's version and, because of
// -march=native, the CPU's features (a home directory may be shared between
// machines); the version is probed once per compiler binary rather than once
// per process (compiler_identity). The compiler is started with posix_spawn
// on an argument vector, so no shell ever parses a path or the source's name.
#include "compiler/toolchain.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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
// Changed whenever the identity stamp's contents change (see compiler_identity).
constexpr std::string_view kIdentityStampFormat = "fluxion-compiler-identity-1";
constexpr std::size_t kIdentityStampMaxBytes = 64 << 10;
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
std::atomic<std::uint64_t> compiler_probes{0};

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

// One named, length-prefixed field of a cache key or identity stamp: no two
// different sequences of fields produce the same bytes.
std::string field(std::string_view name, std::string_view value) {
  std::string bytes;
  bytes.reserve(name.size() + value.size() + 24);
  bytes.append(name).append(" ").append(std::to_string(value.size())).append("\n");
  bytes.append(value).append("\n");
  return bytes;
}

// An executable file and its status, as identified for the identity stamp.
struct Program {
  std::string real_path;
  struct stat status {};
};

std::optional<Program> executable_file(const std::string& candidate) {
  struct stat status {};
  if (::stat(candidate.c_str(), &status) != 0 || !S_ISREG(status.st_mode) || ::access(candidate.c_str(), X_OK) != 0)
    return std::nullopt;
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(candidate.c_str(), nullptr), &std::free);
  if (real == nullptr) return std::nullopt;
  Program program{real.get(), {}};
  // The resolved path's own status, so that the two describe one file even if
  // a symlink changed since the first stat().
  if (::stat(program.real_path.c_str(), &program.status) != 0) return std::nullopt;
  return program;
}

// The file posix_spawnp runs for `word`: `word` itself when it holds a slash,
// else the first executable regular file of that name in $PATH's directories
// (an empty entry is the working directory; glibc's default list when PATH
// is unset), symlinks resolved.
std::optional<Program> resolve_program(const std::string& word) {
  if (word.find('/') != std::string::npos) return executable_file(word);
  const char* path = std::getenv("PATH");
  const std::string directories = path != nullptr ? path : "/bin:/usr/bin";
  for (size_t begin = 0;;) {
    const size_t colon = std::min(directories.find(':', begin), directories.size());
    const std::string directory = directories.substr(begin, colon - begin);
    if (std::optional<Program> program = executable_file((directory.empty() ? "." : directory) + "/" + word))
      return program;
    if (colon == directories.size()) return std::nullopt;
    begin = colon + 1;
  }
}

std::string timestamp_text(const timespec& time) {
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%09ld", static_cast<long long>(time.tv_sec), static_cast<long>(time.tv_nsec));
  return text;
}

// What an identity stamp is valid for: the command itself and, for each of its
// words that names an executable file (the first must: the compiler, or a
// launcher such as ccache whose compiler is a later word), that file's real
// path, device, inode, size, mtime and ctime (ccache's compiler_check=mtime,
// plus the inode and ctime, which an upgrade that keeps the mtime changes
// too). nullopt when the first word names no executable: the probe then
// fails and says so.
std::optional<std::string> compiler_fingerprint(const std::string& compiler) {
  const std::vector<std::string> words = split_words(compiler);
  std::string fingerprint = field("format", kIdentityStampFormat) + field("command", compiler);
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && words[i].starts_with('-')) continue;  // an option, not a program
    const std::optional<Program> program = resolve_program(words[i]);
    if (!program) {
      if (i == 0) return std::nullopt;
      continue;
    }
    const struct stat& status = program->status;
    fingerprint += field("word", std::to_string(i)) + field("program", program->real_path) +
                   field("file", std::to_string(status.st_dev) + " " + std::to_string(status.st_ino) + " " +
                                     std::to_string(status.st_size) + " " + timestamp_text(status.st_mtim) + " " +
                                     timestamp_text(status.st_ctim));
  }
  return fingerprint;
}

// The identity recorded in `stamp` for `fingerprint`; nullopt for a missing,
// foreign, stale or malformed stamp, all of which only mean "probe again".
std::optional<std::string> identity_from_stamp(const fs::path& stamp, const std::string& fingerprint) {
  const std::optional<std::string> contents = read_small_file(stamp, kIdentityStampMaxBytes);
  if (!contents || !contents->starts_with(fingerprint)) return std::nullopt;
  // What follows is exactly field("version", <one non-empty line>).
  const std::string_view rest = std::string_view(*contents).substr(fingerprint.size());
  constexpr std::string_view kName = "version ";
  const size_t newline = rest.find('\n');
  if (!rest.starts_with(kName) || newline == std::string_view::npos) return std::nullopt;
  size_t length = 0;
  const char* digits_end = rest.data() + newline;
  const auto [end, error] = std::from_chars(rest.data() + kName.size(), digits_end, length);
  if (error != std::errc() || end != digits_end || length == 0 || length > rest.size() - newline - 1)
    return std::nullopt;
  std::string identity(rest.substr(newline + 1, length));
  if (identity.find('\n') != std::string::npos || rest != field("version", identity)) return std::nullopt;
  return identity;
}

// The first line of `<compiler> --version`; fx::Error naming the command and
// the log (`log`, kept only on failure) when it fails or prints nothing.
std::string probe_compiler_identity(const std::string& compiler, const fs::path& log) {
  std::vector<std::string> argv = split_words(compiler);
  argv.emplace_back("--version");
  const fs::path temporary_log = temporary_path_for(log);
  compiler_probes.fetch_add(1);
  const ProcessOutcome outcome = run_logged(argv, temporary_log);
  std::string first_line;
  {
    std::ifstream in(temporary_log);
    std::getline(in, first_line);
  }
  if (outcome.failure().empty() && !first_line.empty()) {
    ::unlink(temporary_log.c_str());
    return first_line;
  }
  rename_or_throw(temporary_log, log);
  throw Error("jit: cannot run the C++ compiler '" + compiler + "' (" + compiler_source_of_setting() + "): it " +
              (outcome.failure().empty() ? std::string("printed no version") : outcome.failure()) +
              "\n  command: " + command_line(argv) + "\n  log: " + log.string() +
              "\nInstall a C++17 compiler (`c++` is used by default) or set FLUXION_CXX to one.");
}

// The compiler's identity for the key: the first line of `<compiler>
// --version`, once per process for each compiler command. Failures are not
// remembered: the user may fix them.
//
// Running the probe costs a process start (3-5 ms on the machine of
// docs/BENCHMARKS.md), which every disk-cache hit in a new process would pay,
// so its result is also kept in the cache directory, in a stamp
// (compiler-<hash of the command>.identity, 0600, replaced by rename) that
// holds the compiler's fingerprint (compiler_fingerprint) and the line probed.
// A later process whose fingerprint of the same command is byte-identical
// uses the line without running anything; any other stamp is a miss. Only the
// key's compiler-version field comes from the stamp, and the stamp lives in
// the private directory whose objects and hashes are trusted anyway, so it
// adds nothing to trust.
//
// Limitation (as with ccache's compiler_check=mtime): files a stamped program
// finds by itself are not fingerprinted: GCC's cc1plus, as and ld, the compiler
// a wrapper script or a masquerading symlink (/usr/lib/ccache/c++) chooses, and
// the environment variables it reads. If only such a file changes, processes
// keep the identity probed before it changed; removing the cache directory's
// compiler-*.identity files makes the next process probe again. (The probe's
// first line never reflected all of them either: GCC's driver prints its own
// version.)
std::string compiler_identity(const std::string& compiler, const fs::path& cache_dir) {
  static std::mutex mutex;
  static auto* identities = new std::map<std::string, std::string>;  // never destroyed: used until exit
  std::lock_guard lock(mutex);
  if (auto it = identities->find(compiler); it != identities->end()) return it->second;

  prepare_private_directory(cache_dir);
  // 64 bits of the command's hash: a collision only makes two commands
  // overwrite each other's stamp, since the fingerprint holds the command.
  const std::string name = "compiler-" + sha256_hex(compiler).substr(0, 16);
  const fs::path stamp = cache_dir / (name + ".identity");
  // Taken before the probe, so a compiler replaced while the probe runs leaves
  // a stamp the next process finds stale.
  const std::optional<std::string> fingerprint = compiler_fingerprint(compiler);
  if (fingerprint) {
    if (std::optional<std::string> identity = identity_from_stamp(stamp, *fingerprint))
      return identities->emplace(compiler, std::move(*identity)).first->second;
  }
  std::string identity = probe_compiler_identity(compiler, cache_dir / (name + ".log"));
  if (fingerprint) {
    try {
      write_file_atomically(stamp, *fingerprint + field("version", identity));
    } catch (const Error&) {
      // The stamp only spares the next process a probe.
    }
  }
  return identities->emplace(compiler, std::move(identity)).first->second;
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
  key.update(field("format", kCacheFormat));
  key.update(field("fluxion", kFluxionVersion));
  key.update(field("compiler", compiler));
  key.update(field("compiler-version", identity));
  std::string flags;
  for (const std::string& flag : flags_for(request)) flags += flag + " ";
  key.update(field("flags", flags + std::string(kLinkLibraries)));
  key.update(field("cpu", cpu_features()));
  key.update(field("source", request.source));
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

std::uint64_t compiler_probe_count() { return compiler_probes.load(); }

void forget_loaded_objects() {
  LoadedTable& table = loaded_table();
  std::lock_guard lock(table.mutex);
  table.slots.clear();
}

}  // namespace fluxion::compiler
