// Finding and running gnuplot. posix_spawn rather than std::system: no shell
// to quote file names for, and gnuplot's messages are captured for the
// exception instead of landing on the user's terminal.
#include "plot/gnuplot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "fluxion/errors.hpp"
#include "fluxion/plot.hpp"

extern char** environ;

namespace fluxion::plot {

namespace {
const char* const kInstallHint =
    "fx::plot draws figures with gnuplot: install it (Debian/Ubuntu: apt-get install gnuplot-nox) "
    "or set FLUXION_GNUPLOT to the gnuplot program";

bool is_executable_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::filesystem::path search_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (is_executable_file(candidate)) return candidate;
  }
  return {};
}
}  // namespace

std::filesystem::path find_gnuplot() {
  if (const char* chosen = std::getenv("FLUXION_GNUPLOT"); chosen && *chosen) {
    const std::string name(chosen);
    const std::filesystem::path found =
        name.find('/') == std::string::npos ? search_path(name) : std::filesystem::path(name);
    if (found.empty() || !is_executable_file(found))
      throw Error("gnuplot not found: FLUXION_GNUPLOT is '" + name + "', which is not an executable program. " +
                  kInstallHint);
    return found;
  }
  const std::filesystem::path found = search_path("gnuplot");
  if (found.empty()) throw Error(std::string("gnuplot not found on PATH. ") + kInstallHint);
  return found;
}

namespace detail {

namespace {
// A file for gnuplot's stdout and stderr, removed when done.
struct CaptureFile {
  std::string path;
  int fd = -1;
  CaptureFile() {
    std::string templ = (std::filesystem::temp_directory_path() / "fluxion-gnuplot-XXXXXX").string();
    fd = ::mkstemp(templ.data());
    if (fd < 0) throw Error(std::string("fx::plot: cannot create a temporary file: ") + std::strerror(errno));
    path = templ;
  }
  ~CaptureFile() {
    if (fd >= 0) ::close(fd);
    ::unlink(path.c_str());
  }
  std::string text() const {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
};

// posix_spawn's file actions, released on every path out.
struct FileActions {
  posix_spawn_file_actions_t actions;
  FileActions() { posix_spawn_file_actions_init(&actions); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};
}  // namespace

void run_gnuplot(const std::filesystem::path& script, const std::filesystem::path& image) {
  const std::filesystem::path gnuplot = find_gnuplot();
  const std::filesystem::path dir = std::filesystem::absolute(script).parent_path();
  CaptureFile capture;
  FileActions fa;
  // The script names its data and image by file name only, so it runs in
  // their directory (and can be rerun there by hand).
  posix_spawn_file_actions_addchdir_np(&fa.actions, dir.c_str());
  posix_spawn_file_actions_addopen(&fa.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa.actions, capture.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa.actions, capture.fd, STDERR_FILENO);
  const std::string program = gnuplot.string(), script_name = script.filename().string();
  char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(script_name.c_str()), nullptr};
  pid_t pid = 0;
  if (const int err = ::posix_spawn(&pid, program.c_str(), &fa.actions, nullptr, argv, environ); err != 0)
    throw Error("fx::plot: cannot run " + program + ": " + std::strerror(err) + ". " + kInstallHint);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(std::string("fx::plot: waiting for gnuplot failed: ") + std::strerror(errno));
  }
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::error_code ec;
  const bool wrote = std::filesystem::file_size(image, ec) > 0 && !ec;
  if (ok && wrote) return;
  std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : "signal " + std::to_string(WTERMSIG(status));
  if (ok) how = "no image written";
  throw Error("fx::plot: gnuplot (" + program + ") failed on " + script.string() + " (" + how + "):\n" +
              capture.text());
}

}  // namespace detail
}  // namespace fluxion::plot
