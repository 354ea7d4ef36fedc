// The on-disk half of jit's back end: hashing, the private cache directory,
// atomic writes, verification of stored objects and LRU eviction. The
// toolchain (toolchain.cpp) decides what to compile; this file decides how the
// results are kept safe to load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fluxion::compiler {

// Incremental SHA-256 through OpenSSL's libcrypto (see disk_cache.cpp for
// which of its interfaces, and why).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // Lower-case hex of the digest; the object cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct State;  // OpenSSL's types stay out of this header
  std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view bytes);
// SHA-256 of a regular file's bytes; nullopt when it is missing, is not a
// regular file (a symlink included) or cannot be read.
std::optional<std::string> sha256_of_file(const std::filesystem::path& file);

// The contents of a small file of the cache; nullopt when it is missing, is a
// symbolic link, cannot be read or is longer than `max_bytes` (so not a file
// jit wrote).
std::optional<std::string> read_small_file(const std::filesystem::path& file, std::size_t max_bytes);

// Creates `directory` (missing parents too) with mode 0700, then checks that it
// is a real directory owned by this user and not writable by group or others.
// fx::Error saying why and what to do otherwise.
void prepare_private_directory(const std::filesystem::path& directory);

// The files of one cache entry, all named after the entry's key.
struct EntryPaths {
  std::string key;
  std::filesystem::path object;  // <key>.so
  std::filesystem::path hash;    // <key>.sha256: SHA-256 of the object's bytes
  std::filesystem::path source;  // <key>.cpp: kept so a failure or a profile can be read
  std::filesystem::path log;     // <key>.log: only after a failed compile
};
EntryPaths entry_paths(const std::filesystem::path& directory, const std::string& key);

// A fresh name beside `final_path` (same directory, so rename() is atomic),
// unique across processes and threads; it ends in ".tmp".
std::filesystem::path temporary_path_for(const std::filesystem::path& final_path);
// Writes `contents` under a temporary name, then renames it onto `final_path`.
void write_file_atomically(const std::filesystem::path& final_path, std::string_view contents);
// rename(), or fx::Error naming both paths.
void rename_or_throw(const std::filesystem::path& from, const std::filesystem::path& to);

// True when the entry's object exists and its bytes hash to the recorded
// value. A mismatch (corrupted or substituted object, or a hash without an
// object) removes the entry's object and hash so it is rebuilt, never loaded.
bool object_matches_recorded_hash(const EntryPaths& entry);
// Marks the entry as just used, for eviction.
void touch(const std::filesystem::path& file);
// Removes every file of the entry that exists.
void remove_entry(const EntryPaths& entry);

// When the entries in `directory` total more than `max_bytes`, removes the
// least recently used (by their object's mtime) until they fit, never the
// entry `keep_key`. Also removes temporary files abandoned by dead processes.
void evict_least_recently_used(const std::filesystem::path& directory, std::uint64_t max_bytes,
                               const std::string& keep_key);

// Up to `max_lines` first lines of a text file, each after `indent` (for
// error messages).
std::string read_first_lines(const std::filesystem::path& file, int max_lines, std::string_view indent);

}  // namespace fluxion::compiler
