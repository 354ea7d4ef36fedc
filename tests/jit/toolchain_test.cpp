// jit's back end against the real system compiler: compiling and loading, the
// in-process table, the disk cache's checks (hashes, ownership, permissions,
// symlinks), eviction, and concurrent requests from threads and processes.
// Every test gets its own XDG_CACHE_HOME under /tmp. The compiler-identity
// tests use fake compilers: scripts that log each `--version` probe and hand
// compiles to the real `c++`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "compiler/disk_cache.hpp"
#include "compiler/toolchain.hpp"
#include "fluxion/errors.hpp"

namespace fx = fluxion;
namespace jit = fluxion::compiler;
namespace fs = std::filesystem;

namespace {

// A translation unit exporting `int f(int x)` returning x + addend; each
// addend is a different source, hence a different cache entry.
jit::BuildRequest adder(int addend) {
  return {"extern \"C\" __attribute__((visibility(\"default\"))) int f(int x) { return x + " +
              std::to_string(addend) + "; }\n",
          false};
}

int call_f(const jit::SharedObject& object, int x) {
  return reinterpret_cast<int (*)(int)>(object.symbol("f"))(x);
}

// The message of the fx::Error `action` throws; a test failure if none.
std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const fx::Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an fx::Error";
  return "";
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path sidecar_of(const fs::path& object) { return fs::path(object).replace_extension(".sha256"); }

void set_mtime_seconds_ago(const fs::path& file, int seconds) {
  timespec times[2];
  clock_gettime(CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= seconds;
  times[1] = times[0];
  ASSERT_EQ(utimensat(AT_FDCWD, file.c_str(), times, 0), 0) << file;
}

time_t mtime_seconds(const fs::path& file) {
  struct stat status {};
  EXPECT_EQ(stat(file.c_str(), &status), 0) << file;
  return status.st_mtim.tv_sec;
}

// Bytes of every file of the entry that `object` (<key>.so) belongs to.
std::uint64_t entry_bytes(const fs::path& object) {
  std::uint64_t bytes = 0;
  for (const auto& file : fs::directory_iterator(object.parent_path()))
    if (file.path().stem() == object.stem()) bytes += file.file_size();
  return bytes;
}

// Writes an executable script under a temporary name and renames it onto
// `path`, as a package manager replaces a binary (a new inode).
void install_script(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".new";
  std::ofstream(temporary) << text;
  fs::permissions(temporary, fs::perms::owner_all);
  fs::rename(temporary, path);
}

// A compiler that prints `version` when --version is among its arguments,
// appending a line to `probe_log` each time, and runs the real c++ otherwise.
void install_fake_compiler(const fs::path& path, const fs::path& probe_log, const std::string& version) {
  install_script(path, "#!/bin/sh\nfor arg; do\n  if [ \"$arg\" = --version ]; then echo probe >> '" +
                           probe_log.string() + "'; echo '" + version + "'; exit 0; fi\ndone\nexec c++ \"$@\"\n");
}

int line_count(const fs::path& file) {
  std::ifstream in(file);
  return static_cast<int>(std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

// The exit status of `body` run in a forked child: a process of its own, with
// this one's in-process state (loaded objects, probed compilers) as it was.
int in_child_process(const std::function<int()>& body) {
  const pid_t child = fork();
  if (child == 0) {
    int status = 100;
    try {
      status = body();
    } catch (...) {
      status = 101;
    }
    _exit(status);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// In a child: loads adder(addend); exits with the number of compiles it ran
// (0: a disk hit), or 50 and more when the object is wrong.
int compiles_in_child_for(int addend) {
  return in_child_process([addend] {
    const std::uint64_t before = jit::compile_count();  // the parent's, inherited
    const auto object = jit::load_or_build(adder(addend));
    return call_f(*object, 1) == addend + 1 ? static_cast<int>(jit::compile_count() - before) : 50;
  });
}

std::vector<fs::path> files_ending_in(const fs::path& directory, std::string_view suffix) {
  std::vector<fs::path> files;
  for (const auto& file : fs::directory_iterator(directory))
    if (file.path().string().ends_with(suffix)) files.push_back(file.path());
  return files;
}

std::vector<std::string> temporary_files(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& file : fs::directory_iterator(directory))
    if (file.path().string().ends_with(".tmp")) names.push_back(file.path().filename());
  return names;
}

// Sets or unsets an environment variable for one test, restoring it after.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? setenv(name, value->c_str(), 1) : unsetenv(name);
  }
  ~ScopedEnvironment() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class ToolchainTest : public ::testing::Test {
 protected:
  static fs::path make_temporary_root() {
    char pattern[] = "/tmp/fluxion-jit-test-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
  }

  void SetUp() override { jit::forget_loaded_objects(); }
  void TearDown() override {
    jit::forget_loaded_objects();
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  fs::path cache_dir() const { return root_ / "fluxion" / "jit"; }

  const fs::path root_ = make_temporary_root();
  ScopedEnvironment xdg_{"XDG_CACHE_HOME", root_.string()};
  ScopedEnvironment compiler_{"FLUXION_CXX", std::nullopt};
  ScopedEnvironment cap_{"FLUXION_JIT_CACHE_MAX_BYTES", std::nullopt};
};

TEST_F(ToolchainTest, CompilesLoadsAndCallsAnExportedFunction) {
  const auto object = jit::load_or_build(adder(1));
  EXPECT_EQ(call_f(*object, 41), 42);
  EXPECT_EQ(object->path().parent_path(), cache_dir());
  EXPECT_EQ(object->path().extension(), ".so");
  EXPECT_EQ(read_file(sidecar_of(object->path())), *jit::sha256_of_file(object->path()) + "\n");
  EXPECT_TRUE(fs::exists(fs::path(object->path()).replace_extension(".cpp")));
  EXPECT_TRUE(temporary_files(cache_dir()).empty());
  EXPECT_EQ(fs::status(cache_dir()).permissions(), fs::perms::owner_all);

  const std::string message = error_message([&] { object->symbol("not_there"); });
  EXPECT_NE(message.find("not_there"), std::string::npos) << message;
  EXPECT_NE(message.find(object->path().string()), std::string::npos) << message;
}

TEST_F(ToolchainTest, SettingsComeFromTheEnvironment) {
  EXPECT_EQ(jit::cache_directory(), cache_dir());
  EXPECT_EQ(jit::compiler_command(), "c++");
  EXPECT_EQ(jit::cache_max_bytes(), 256u << 20);
  {
    ScopedEnvironment home("HOME", root_.string());
    ScopedEnvironment relative_xdg("XDG_CACHE_HOME", "relative/cache");  // ignored, as XDG says
    EXPECT_EQ(jit::cache_directory(), root_ / ".cache" / "fluxion" / "jit");
    ScopedEnvironment no_xdg("XDG_CACHE_HOME", std::nullopt);
    EXPECT_EQ(jit::cache_directory(), root_ / ".cache" / "fluxion" / "jit");
  }
  ScopedEnvironment compiler("FLUXION_CXX", "ccache g++");
  EXPECT_EQ(jit::compiler_command(), "ccache g++");
  ScopedEnvironment cap("FLUXION_JIT_CACHE_MAX_BYTES", "1024");
  EXPECT_EQ(jit::cache_max_bytes(), 1024u);
  ScopedEnvironment bad_cap("FLUXION_JIT_CACHE_MAX_BYTES", "12MB");
  const std::string message = error_message([] { jit::cache_max_bytes(); });
  EXPECT_NE(message.find("FLUXION_JIT_CACHE_MAX_BYTES"), std::string::npos) << message;
}

TEST_F(ToolchainTest, SecondRequestInProcessDoesNotRecompile) {
  const auto first = jit::load_or_build(adder(2));
  const std::uint64_t compiles = jit::compile_count();
  const auto second = jit::load_or_build(adder(2));
  EXPECT_EQ(jit::compile_count(), compiles);
  EXPECT_EQ(first, second);
}

TEST_F(ToolchainTest, DiskHitAfterForgettingDoesNotRecompileAndMarksTheEntryUsed) {
  fs::path object_path = jit::load_or_build(adder(3))->path();
  jit::forget_loaded_objects();
  set_mtime_seconds_ago(object_path, 1000);
  const time_t before = mtime_seconds(object_path);

  const std::uint64_t compiles = jit::compile_count();
  const auto object = jit::load_or_build(adder(3));
  EXPECT_EQ(jit::compile_count(), compiles);
  EXPECT_EQ(call_f(*object, 0), 3);
  EXPECT_GT(mtime_seconds(object_path), before + 900);  // touched: recently used now
}

TEST_F(ToolchainTest, CorruptedObjectIsRebuiltNotLoaded) {
  const fs::path object_path = jit::load_or_build(adder(4))->path();
  jit::forget_loaded_objects();  // the last reference: the object is unloaded
  const std::string recorded = read_file(sidecar_of(object_path));
  {
    std::fstream file(object_path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(fs::file_size(object_path) / 2));
    file << std::string(256, '\xff');
  }
  ASSERT_NE(*jit::sha256_of_file(object_path) + "\n", recorded);

  const std::uint64_t compiles = jit::compile_count();
  const auto object = jit::load_or_build(adder(4));
  EXPECT_EQ(jit::compile_count(), compiles + 1);
  EXPECT_EQ(call_f(*object, 1), 5);
  EXPECT_EQ(read_file(sidecar_of(object_path)), *jit::sha256_of_file(object_path) + "\n");
}

TEST_F(ToolchainTest, SubstitutedObjectWithAStaleHashIsRebuilt) {
  const fs::path five = jit::load_or_build(adder(5))->path();
  const fs::path six = jit::load_or_build(adder(6))->path();
  jit::forget_loaded_objects();
  // A valid object, but not the one the hash was recorded for.
  fs::copy_file(six, five, fs::copy_options::overwrite_existing);

  const std::uint64_t compiles = jit::compile_count();
  const auto object = jit::load_or_build(adder(5));
  EXPECT_EQ(jit::compile_count(), compiles + 1);
  EXPECT_EQ(call_f(*object, 0), 5);
}

TEST_F(ToolchainTest, GroupWritableDirectoryIsRefused) {
  fs::create_directories(cache_dir());
  ASSERT_EQ(chmod(cache_dir().c_str(), 0770), 0);
  const std::uint64_t compiles = jit::compile_count();
  const std::string message = error_message([] { jit::load_or_build(adder(7)); });
  EXPECT_NE(message.find(cache_dir().string()), std::string::npos) << message;
  EXPECT_NE(message.find("writable by its group or by others"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 700"), std::string::npos) << message;
  EXPECT_EQ(jit::compile_count(), compiles);
}

TEST_F(ToolchainTest, DirectoryOwnedByAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "giving a directory to another user needs root";
  fs::create_directories(cache_dir());
  ASSERT_EQ(chown(cache_dir().c_str(), 65534, 65534), 0);
  const std::string message = error_message([] { jit::load_or_build(adder(8)); });
  EXPECT_NE(message.find("owned by uid 65534"), std::string::npos) << message;
  EXPECT_NE(message.find(cache_dir().string()), std::string::npos) << message;
}

TEST_F(ToolchainTest, SymlinkedDirectoryIsRefused) {
  const fs::path elsewhere = root_ / "elsewhere";
  fs::create_directories(elsewhere);
  fs::create_directories(cache_dir().parent_path());
  fs::create_directory_symlink(elsewhere, cache_dir());
  const std::string message = error_message([] { jit::load_or_build(adder(9)); });
  EXPECT_NE(message.find("symbolic link"), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST_F(ToolchainTest, EvictsTheLeastRecentlyUsedBeyondTheCap) {
  const fs::path a = jit::load_or_build(adder(10))->path();
  const fs::path b = jit::load_or_build(adder(11))->path();
  set_mtime_seconds_ago(a, 200);
  set_mtime_seconds_ago(b, 100);
  jit::forget_loaded_objects();
  jit::load_or_build(adder(10));  // a disk hit: `a` becomes the most recently used

  // Room for about two and a half entries: storing a third must evict `b`.
  ScopedEnvironment cap("FLUXION_JIT_CACHE_MAX_BYTES",
                        std::to_string(entry_bytes(a) + entry_bytes(b) + entry_bytes(a) / 2));
  const fs::path c = jit::load_or_build(adder(12))->path();
  EXPECT_TRUE(fs::exists(a));
  EXPECT_FALSE(fs::exists(b));
  EXPECT_FALSE(fs::exists(sidecar_of(b)));
  EXPECT_TRUE(fs::exists(c));

  // Under a cap smaller than any entry, only the one just stored stays, with
  // a temporary file that may be another process's compile in progress; one
  // abandoned hours ago goes.
  const std::string in_progress = std::string(64, 'a') + ".so.1-0-00000000.tmp";
  const std::string abandoned = std::string(64, 'b') + ".so.2-0-00000000.tmp";
  std::ofstream(cache_dir() / in_progress) << "partial";
  std::ofstream(cache_dir() / abandoned) << "partial";
  set_mtime_seconds_ago(cache_dir() / abandoned, 2 * 3600);
  ScopedEnvironment tiny_cap("FLUXION_JIT_CACHE_MAX_BYTES", "1");
  const auto d = jit::load_or_build(adder(13));
  EXPECT_FALSE(fs::exists(a));
  EXPECT_FALSE(fs::exists(c));
  EXPECT_EQ(call_f(*d, 0), 13);
  std::vector<std::string> left;
  for (const auto& file : fs::directory_iterator(cache_dir()))
    // Not an entry, never evicted: the compiler's identity stamp, there when
    // this process was the first in it to use the compiler.
    if (file.path().extension() != ".identity") left.push_back(file.path().filename());
  std::sort(left.begin(), left.end());
  const std::string key = d->path().stem();
  std::vector<std::string> expected{key + ".cpp", key + ".sha256", key + ".so", in_progress};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(left, expected);
}

TEST_F(ToolchainTest, TwoProcessesCompilingTheSameSourceBothSucceed) {
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // Both wait until the parent closes the pipe, so they compile at once.
      close(start[1]);
      char byte;
      (void)!read(start[0], &byte, 1);
      int status = 1;
      try {
        status = call_f(*jit::load_or_build(adder(14)), 1) == 15 ? 0 : 2;
      } catch (...) {
        status = 3;
      }
      _exit(status);
    }
    children.push_back(child);
  }
  close(start[0]);
  close(start[1]);
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  }

  const std::uint64_t compiles = jit::compile_count();
  const auto object = jit::load_or_build(adder(14));
  EXPECT_EQ(jit::compile_count(), compiles);  // the children's object, from disk
  EXPECT_EQ(call_f(*object, 2), 16);
  EXPECT_TRUE(temporary_files(cache_dir()).empty());
}

TEST_F(ToolchainTest, SixteenThreadsRequestingOneSourceCompileItOnce) {
  constexpr int kThreads = 16;
  std::latch start(kThreads);
  std::vector<std::shared_ptr<const jit::SharedObject>> objects(kThreads);
  const std::uint64_t compiles = jit::compile_count();
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      objects[i] = jit::load_or_build(adder(15));
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(jit::compile_count(), compiles + 1);
  for (const auto& object : objects) {
    ASSERT_EQ(object, objects[0]);
  }
  EXPECT_EQ(call_f(*objects[0], 0), 15);
}

TEST_F(ToolchainTest, OpenMpBuildIsASeparateEntry) {
  const auto plain = jit::load_or_build(adder(16));
  jit::BuildRequest with_openmp = adder(16);
  with_openmp.openmp = true;
  const std::uint64_t compiles = jit::compile_count();
  const auto parallel = jit::load_or_build(with_openmp);
  EXPECT_EQ(jit::compile_count(), compiles + 1);
  EXPECT_NE(plain->path(), parallel->path());
  EXPECT_EQ(call_f(*parallel, 0), 16);
}

TEST_F(ToolchainTest, CompileErrorNamesTheCommandAndTheLog) {
  const jit::BuildRequest broken{"int f( {\n", false};
  const std::uint64_t compiles = jit::compile_count();
  const std::string message = error_message([&] { jit::load_or_build(broken); });
  EXPECT_EQ(jit::compile_count(), compiles + 1);
  EXPECT_NE(message.find("c++ -std=c++17 -O2 -fvect-cost-model=dynamic -march=native -ffp-contract=off "
                         "-fno-math-errno -fno-builtin -fPIC -shared -fvisibility=hidden -o "),
            std::string::npos)
      << message;
  const size_t log_at = message.find("log: ");
  ASSERT_NE(log_at, std::string::npos) << message;
  const fs::path log = message.substr(log_at + 5, message.find('\n', log_at) - log_at - 5);
  EXPECT_EQ(log.parent_path(), cache_dir());
  EXPECT_NE(read_file(log).find("error"), std::string::npos);
  EXPECT_NE(message.find("error"), std::string::npos) << message;  // the log's first lines

  // A failure is not remembered: the next request runs the compiler again.
  EXPECT_THROW(jit::load_or_build(broken), fx::Error);
  EXPECT_EQ(jit::compile_count(), compiles + 2);
}

TEST_F(ToolchainTest, CompilerProbeIsStampedAndRepeatedOnlyWhenTheCompilerChanges) {
  const fs::path compiler = root_ / "bin" / "fake-c++";
  const fs::path probes = root_ / "probes.log";
  fs::create_directories(compiler.parent_path());
  install_fake_compiler(compiler, probes, "fake-c++ 1.0");
  ScopedEnvironment use_fake("FLUXION_CXX", compiler.string());

  // The first process probes and compiles; the next only loads, unprobed.
  EXPECT_EQ(compiles_in_child_for(20), 1);
  EXPECT_EQ(line_count(probes), 1);
  const std::vector<fs::path> stamps = files_ending_in(cache_dir(), ".identity");
  ASSERT_EQ(stamps.size(), 1u);
  EXPECT_EQ(fs::status(stamps[0]).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_NE(read_file(stamps[0]).find("fake-c++ 1.0"), std::string::npos);
  EXPECT_EQ(compiles_in_child_for(20), 0);
  EXPECT_EQ(line_count(probes), 1);

  // A new mtime: probed again; the same version, so the same key.
  set_mtime_seconds_ago(compiler, 100);
  EXPECT_EQ(compiles_in_child_for(20), 0);
  EXPECT_EQ(line_count(probes), 2);
  EXPECT_EQ(compiles_in_child_for(20), 0);
  EXPECT_EQ(line_count(probes), 2);

  // Replaced by another version: probed again, and a new key, so a new entry.
  install_fake_compiler(compiler, probes, "fake-c++ 2.0");
  EXPECT_EQ(compiles_in_child_for(20), 1);
  EXPECT_EQ(line_count(probes), 3);
  EXPECT_EQ(files_ending_in(cache_dir(), ".so").size(), 2u);
  EXPECT_EQ(compiles_in_child_for(20), 0);
  EXPECT_EQ(line_count(probes), 3);

  // The arguments are part of the command, so of the identity: a stamp of its own.
  {
    ScopedEnvironment with_flag("FLUXION_CXX", compiler.string() + " -DUNUSED_MACRO");
    EXPECT_EQ(compiles_in_child_for(20), 1);
    EXPECT_EQ(line_count(probes), 4);
    EXPECT_EQ(compiles_in_child_for(20), 0);
    EXPECT_EQ(line_count(probes), 4);
  }
  EXPECT_EQ(files_ending_in(cache_dir(), ".identity").size(), 2u);
  EXPECT_TRUE(temporary_files(cache_dir()).empty());
}

TEST_F(ToolchainTest, CorruptedOrPlantedCompilerStampIsAMissNotAnError) {
  const fs::path compiler = root_ / "bin" / "fake-c++";
  const fs::path probes = root_ / "probes.log";
  fs::create_directories(compiler.parent_path());
  install_fake_compiler(compiler, probes, "fake-c++ 1.0");
  ScopedEnvironment use_fake("FLUXION_CXX", compiler.string());
  EXPECT_EQ(compiles_in_child_for(21), 1);
  const std::vector<fs::path> stamps = files_ending_in(cache_dir(), ".identity");
  ASSERT_EQ(stamps.size(), 1u);
  const fs::path stamp = stamps[0];
  const std::string good = read_file(stamp);

  // Each of these is a miss: the child probes again, finds its entry under the
  // same key (no compile) and leaves a good stamp behind.
  const std::string at_version = good.substr(0, good.find("version "));
  const std::vector<std::string> bad_stamps = {
      "",
      "garbage\n",
      good.substr(0, good.size() - 3),                          // truncated
      at_version + "version 11\nfake-c++ 1.0\n",              // wrong length
      at_version + "version 12\nfake-c++ 9.9\nextra\n",      // trailing bytes
      at_version + "version 99999999999999999999999\nx\n",   // length overflows
      std::string(100 << 10, 'x'),                             // longer than any stamp
  };
  int expected_probes = 1;
  for (const std::string& bad : bad_stamps) {
    SCOPED_TRACE(bad.substr(0, 80));
    std::ofstream(stamp, std::ios::binary | std::ios::trunc) << bad;
    EXPECT_EQ(compiles_in_child_for(21), 0);
    EXPECT_EQ(line_count(probes), ++expected_probes);
    EXPECT_EQ(read_file(stamp), good);
  }

  // A stamp written for a different version is used as it stands: the stamp
  // is trusted like the rest of the private directory (this is how the test
  // knows the stamp, not a probe, supplied the identity).
  std::string other = good;
  other.replace(other.find("fake-c++ 1.0"), 12, "fake-c++ 1.1");
  std::ofstream(stamp, std::ios::binary | std::ios::trunc) << other;
  EXPECT_EQ(compiles_in_child_for(21), 1);  // a different key
  EXPECT_EQ(line_count(probes), expected_probes);

  // A symbolic link in place of the stamp is never followed, even to a good one.
  const fs::path elsewhere = root_ / "good.identity";
  std::ofstream(elsewhere, std::ios::binary) << good;
  fs::remove(stamp);
  fs::create_symlink(elsewhere, stamp);
  EXPECT_EQ(compiles_in_child_for(21), 0);
  EXPECT_EQ(line_count(probes), ++expected_probes);
  EXPECT_FALSE(fs::is_symlink(stamp));  // replaced by the rename
  EXPECT_EQ(read_file(stamp), good);
}

TEST_F(ToolchainTest, CompilerBehindALauncherIsPartOfTheStamp) {
  // "ccache g++": the launcher is the same binary before and after g++ changes.
  const fs::path launcher = root_ / "bin" / "launcher";
  const fs::path compiler = root_ / "bin" / "fake-c++";
  const fs::path probes = root_ / "probes.log";
  fs::create_directories(compiler.parent_path());
  install_script(launcher, "#!/bin/sh\nexec \"$@\"\n");
  install_fake_compiler(compiler, probes, "fake-c++ 1.0");
  // The compiler by name, found through PATH as the launcher would find it.
  const char* old_path = std::getenv("PATH");
  ScopedEnvironment path("PATH", compiler.parent_path().string() + ":" + (old_path != nullptr ? old_path : "/usr/bin:/bin"));
  ScopedEnvironment use_fake("FLUXION_CXX", launcher.string() + " fake-c++");

  EXPECT_EQ(compiles_in_child_for(22), 1);
  EXPECT_EQ(compiles_in_child_for(22), 0);
  EXPECT_EQ(line_count(probes), 1);
  set_mtime_seconds_ago(compiler, 100);
  EXPECT_EQ(compiles_in_child_for(22), 0);
  EXPECT_EQ(line_count(probes), 2);
}

TEST_F(ToolchainTest, MissingCompilerIsNamed) {
  ScopedEnvironment compiler("FLUXION_CXX", "/nonexistent/c++");
  const std::uint64_t compiles = jit::compile_count();
  const std::string message = error_message([] { jit::load_or_build(adder(17)); });
  EXPECT_NE(message.find("/nonexistent/c++"), std::string::npos) << message;
  EXPECT_NE(message.find("FLUXION_CXX"), std::string::npos) << message;
  EXPECT_NE(message.find("command: /nonexistent/c++ --version"), std::string::npos) << message;
  EXPECT_NE(message.find("log: " + cache_dir().string()), std::string::npos) << message;
  EXPECT_EQ(jit::compile_count(), compiles);
  EXPECT_TRUE(files_ending_in(cache_dir(), ".identity").empty());  // nothing to stamp
}

}  // namespace
