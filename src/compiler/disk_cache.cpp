#include "compiler/disk_cache.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>
#include <unordered_map>
#include <vector>

#include "fluxion/errors.hpp"

namespace fluxion::compiler {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTemporarySuffix = ".tmp";
// A temporary file, or an entry without an object, younger than this may be a
// compile in progress in another process; an older one was abandoned by a
// process that died (a compile takes seconds), so eviction may remove it.
constexpr std::time_t kUnfinishedWorkMaxAgeSeconds = 3600;
constexpr std::string_view kEntryExtensions[] = {".so", ".sha256", ".cpp", ".log"};
constexpr size_t kHashFileMaxBytes = 4096;  // a hash file holds 65 bytes

std::string errno_text(int error) { return std::strerror(error); }

// Closes a POSIX file descriptor on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

[[noreturn]] void refuse_directory(const fs::path& directory, const std::string& why,
                                   const std::string& remedy) {
  throw Error("jit: refusing to use the compiled-code cache directory " + directory.string() + ": " + why +
              ". Code found there is loaded into this process, so it must be private to you. " + remedy +
              ", or set XDG_CACHE_HOME to a private directory of yours.");
}

bool is_lower_hex_key(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string lower_hex(const unsigned char* bytes, size_t count) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * count);
  for (size_t i = 0; i < count; ++i) {
    hex.push_back(kHexDigits[bytes[i] >> 4]);
    hex.push_back(kHexDigits[bytes[i] & 0xf]);
  }
  return hex;
}

}  // namespace

// ---------------------------------------------------------------- hashing

// A disk-cache hit in a new process hashes (the key, then the object), so the
// first digest's set-up is on its critical path. Through OpenSSL 3's EVP
// interface that first digest loads the configuration file and the default
// provider and fills the algorithm name map: 2-3 ms, against a few µs for the
// next one (measured on the machine of docs/BENCHMARKS.md, OpenSSL 3.0;
// config loading is ~1 ms of it). SHA256_Init/Update/Final reach the same
// assembly routines with no set-up (0.1 ms for the first digest). They are
// deprecated since 3.0 but still in every 3.x; a libcrypto built without the
// deprecated interfaces (OPENSSL_NO_DEPRECATED_3_0) gets EVP and its set-up
// cost instead. OPENSSL_INIT_NO_LOAD_CONFIG is not an option: it would also
// change the configuration every other user of OpenSSL in this process sees.
#if defined(OPENSSL_NO_DEPRECATED_3_0)

struct Sha256::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(context); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (state_->context == nullptr || EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr) != 1)
    throw Error("jit: OpenSSL could not start a SHA-256 digest");
}

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(state_->context, bytes.data(), bytes.size()) != 1)
    throw Error("jit: OpenSSL's SHA-256 update failed");
}

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->context, digest, &length) != 1)
    throw Error("jit: OpenSSL's SHA-256 final step failed");
  return lower_hex(digest, length);
}

#else

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // see above

struct Sha256::State {
  SHA256_CTX context;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (SHA256_Init(&state_->context) != 1) throw Error("jit: OpenSSL could not start a SHA-256 digest");
}

void Sha256::update(std::string_view bytes) {
  if (SHA256_Update(&state_->context, bytes.data(), bytes.size()) != 1)
    throw Error("jit: OpenSSL's SHA-256 update failed");
}

std::string Sha256::hex_digest() {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (SHA256_Final(digest, &state_->context) != 1) throw Error("jit: OpenSSL's SHA-256 final step failed");
  return lower_hex(digest, sizeof digest);
}

#pragma GCC diagnostic pop

#endif

Sha256::~Sha256() = default;

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hex_digest();
}

std::optional<std::string> sha256_of_file(const fs::path& file) {
  // O_NOFOLLOW: a symlink planted in place of an object is treated as a
  // corrupted entry rather than followed to code outside the cache.
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return std::nullopt;
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  Sha256 hash;
  // On the stack and not zeroed: a zero-filled 64 KiB heap buffer cost a
  // process's first cache hit ~0.1 ms of memset and page faults, for objects
  // of 15-50 KB.
  char buffer[16 << 10];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    hash.update(std::string_view(buffer, static_cast<size_t>(n)));
  }
  return hash.hex_digest();
}

std::optional<std::string> read_small_file(const fs::path& file, size_t max_bytes) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return std::nullopt;
  std::string contents;
  char buffer[1024];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) return contents;
    contents.append(buffer, static_cast<size_t>(n));
    if (contents.size() > max_bytes) return std::nullopt;  // not a file we wrote
  }
}

// ------------------------------------------------------- the directory

void prepare_private_directory(const fs::path& directory) {
  // lstat, not stat: a symlink is refused even when it points at a private
  // directory, since whoever can change the link decides what gets loaded.
  // Tried first because the directory nearly always exists: the walk over its
  // parents below cost a process's first cache hit ~0.1 ms.
  struct stat status {};
  if (::lstat(directory.c_str(), &status) != 0) {
    fs::path partial;
    for (const fs::path& component : directory) {
      partial /= component;
      struct stat parent_status {};
      if (::stat(partial.c_str(), &parent_status) == 0) continue;
      // 0700 for parents as well: a missing ~/.cache is the XDG base
      // directory, which the specification wants private too.
      if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
        throw Error("jit: cannot create the compiled-code cache directory " + partial.string() + ": " +
                    errno_text(errno) + ". Set XDG_CACHE_HOME to a writable directory.");
    }
    if (::lstat(directory.c_str(), &status) != 0)
      throw Error("jit: cannot inspect the compiled-code cache directory " + directory.string() + ": " +
                  errno_text(errno));
  }
  if (S_ISLNK(status.st_mode))
    refuse_directory(directory, "it is a symbolic link",
                     "Replace it with a real directory (rm '" + directory.string() + "' && mkdir -m 700 '" +
                         directory.string() + "')");
  if (!S_ISDIR(status.st_mode))
    refuse_directory(directory, "it is not a directory", "Remove it");
  if (status.st_uid != ::geteuid())
    refuse_directory(directory,
                     "it is owned by uid " + std::to_string(status.st_uid) + ", not by this user (uid " +
                         std::to_string(::geteuid()) + ")",
                     "Remove it so that it is created afresh");
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    refuse_directory(directory, "it is writable by its group or by others (mode " + octal_mode(status.st_mode) + ")",
                     "Run chmod 700 '" + directory.string() + "'");
}

// ------------------------------------------------------------ entries

EntryPaths entry_paths(const fs::path& directory, const std::string& key) {
  return {key, directory / (key + ".so"), directory / (key + ".sha256"), directory / (key + ".cpp"),
          directory / (key + ".log")};
}

fs::path temporary_path_for(const fs::path& final_path) {
  // The pid separates processes, the counter threads and calls; the random
  // part separates processes in different pid namespaces sharing one home.
  static std::atomic<std::uint64_t> counter{0};
  const unsigned random_bits = std::random_device{}();
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, ".%ld-%llu-%08x", static_cast<long>(::getpid()),
                static_cast<unsigned long long>(counter.fetch_add(1)), random_bits);
  return fs::path(final_path.string() + suffix + std::string(kTemporarySuffix));
}

void rename_or_throw(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    throw Error("jit: cannot rename " + from.string() + " to " + to.string() + ": " + errno_text(errno));
}

void write_file_atomically(const fs::path& final_path, std::string_view contents) {
  const fs::path temporary = temporary_path_for(final_path);
  {
    FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) throw Error("jit: cannot create " + temporary.string() + ": " + errno_text(errno));
    if (!write_all(fd.get(), contents)) {
      const int error = errno;
      ::unlink(temporary.c_str());
      throw Error("jit: cannot write " + temporary.string() + ": " + errno_text(error));
    }
  }
  // No fsync: a file torn by a crash fails the hash check and is rebuilt.
  try {
    rename_or_throw(temporary, final_path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
}

bool object_matches_recorded_hash(const EntryPaths& entry) {
  const std::optional<std::string> recorded = read_small_file(entry.hash, kHashFileMaxBytes);
  const std::optional<std::string> actual = sha256_of_file(entry.object);
  if (!actual && !recorded) return false;  // a plain miss
  if (recorded && actual && *recorded == *actual + "\n") return true;
  if (!recorded) return false;  // another process may be between writing the object and its hash
  ::unlink(entry.object.c_str());
  ::unlink(entry.hash.c_str());
  return false;
}

void touch(const fs::path& file) {
  // Failing only makes eviction less accurate, so errors are ignored.
  (void)::utimensat(AT_FDCWD, file.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);
}

void remove_entry(const EntryPaths& entry) {
  // The hash first: an object without a hash is a miss, never a mismatch.
  for (const fs::path* file : {&entry.hash, &entry.object, &entry.source, &entry.log}) ::unlink(file->c_str());
}

// ------------------------------------------------------------ eviction

void evict_least_recently_used(const fs::path& directory, std::uint64_t max_bytes, const std::string& keep_key) {
  struct EntryUsage {
    std::uint64_t bytes = 0;
    std::optional<timespec> object_mtime;
    timespec newest_mtime{};  // recency of an entry without an object (a failed compile)
  };
  std::unordered_map<std::string, EntryUsage> entries;
  std::uint64_t total_bytes = 0;
  const std::time_t now = std::time(nullptr);

  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const fs::path& file = it->path();
    const std::string name = file.filename().string();
    struct stat status {};
    if (::lstat(file.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) continue;
    if (name.ends_with(kTemporarySuffix)) {
      if (now - status.st_mtim.tv_sec > kUnfinishedWorkMaxAgeSeconds) ::unlink(file.c_str());
      continue;
    }
    const std::string extension = file.extension().string();
    const std::string stem = file.stem().string();
    if (!is_lower_hex_key(stem) ||
        std::find(std::begin(kEntryExtensions), std::end(kEntryExtensions), extension) == std::end(kEntryExtensions))
      continue;  // not ours: never deleted
    EntryUsage& usage = entries[stem];
    const auto bytes = static_cast<std::uint64_t>(status.st_size);
    usage.bytes += bytes;
    total_bytes += bytes;
    if (extension == ".so") usage.object_mtime = status.st_mtim;
    const timespec& m = status.st_mtim;
    if (m.tv_sec > usage.newest_mtime.tv_sec || (m.tv_sec == usage.newest_mtime.tv_sec && m.tv_nsec > usage.newest_mtime.tv_nsec))
      usage.newest_mtime = m;
  }
  if (total_bytes <= max_bytes) return;

  struct Candidate {
    timespec last_used;
    std::string key;
    std::uint64_t bytes;
  };
  std::vector<Candidate> candidates;
  for (const auto& [key, usage] : entries) {
    if (key == keep_key) continue;
    // Without an object, a recent entry may be compiling in another process
    // right now: removing its source would fail that compile.
    if (!usage.object_mtime && now - usage.newest_mtime.tv_sec <= kUnfinishedWorkMaxAgeSeconds) continue;
    candidates.push_back({usage.object_mtime.value_or(usage.newest_mtime), key, usage.bytes});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.last_used.tv_sec != b.last_used.tv_sec) return a.last_used.tv_sec < b.last_used.tv_sec;
    if (a.last_used.tv_nsec != b.last_used.tv_nsec) return a.last_used.tv_nsec < b.last_used.tv_nsec;
    return a.key < b.key;
  });
  for (const Candidate& candidate : candidates) {
    if (total_bytes <= max_bytes) break;
    // Another process may be evicting too; a file already gone is fine.
    remove_entry(entry_paths(directory, candidate.key));
    total_bytes -= candidate.bytes;
  }
}

std::string read_first_lines(const fs::path& file, int max_lines, std::string_view indent) {
  std::ifstream in(file);
  std::string lines, line;
  for (int count = 0; count < max_lines && std::getline(in, line); ++count) {
    constexpr size_t kMaxLineLength = 300;
    if (line.size() > kMaxLineLength) line = line.substr(0, kMaxLineLength) + "...";
    lines += indent;
    lines += line;
    lines += '\n';
  }
  return lines;
}

}  // namespace fluxion::compiler
