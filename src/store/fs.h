// FileSystem: the one seam through which the store touches files.
//
// Modelled on leveldb's Env, cut down to what the store needs: append-only
// writable files with Sync, whole-file and positional reads, rename, remove,
// directory listing/creation/sync, an exclusive lock file and file sizes.
// PosixFileSystem (FileSystem::Default()) is the real thing; tests use
// FaultInjectionFileSystem (store/fault_fs.h), an in-memory model that keeps
// apart what has been made durable (Sync, SyncDir) and what has not, so a
// "power loss" can be simulated by dropping the latter.
//
// Durability contract the store relies on (and the fault model enforces):
//   * WritableFile::Sync makes the file's bytes durable, not its name;
//   * a create, rename or remove is durable only after SyncDir of its parent.
//
// Paths are plain strings joined with '/'. All methods return Status values,
// never throw. Thread-safety: a FileSystem may be used from several threads;
// a file object by one thread at a time. Callers own the returned objects.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace portstorm::store {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Makes every byte appended so far durable (fdatasync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads exactly n bytes at offset into *out (replacing its contents); a
  // short read is Corruption (the file is shorter than its metadata claims).
  virtual Status Read(uint64_t offset, size_t n, std::string* out) const = 0;
  virtual uint64_t Size() const = 0;
};

// Held while a process owns a store for writing; released on destruction.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The process-wide POSIX file system (never null, never freed).
  static FileSystem* Default();

  // Creates or truncates `path` for appending.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) = 0;
  virtual Status ReadFile(const std::string& path, std::string* out) = 0;
  // Atomically replaces `to` with `from` (durable after SyncDir of the parent).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Removes an empty directory.
  virtual Status RemoveDir(const std::string& path) = 0;
  // Names (not paths) of the entries of a directory, without "." and "..".
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  // Creates one directory level; ok if it already exists.
  virtual Status CreateDir(const std::string& path) = 0;
  virtual Status SyncDir(const std::string& path) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual bool IsDir(const std::string& path) = 0;
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;
  // Takes an exclusive lock (flock) on `path`, creating it if needed; fails
  // with IOError if another process (or FileLock) holds it.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) = 0;
};

// "a/b" + "c" -> "a/b/c".
std::string JoinPath(std::string_view a, std::string_view b);
// "a/b/c" -> "a/b"; "c" -> ".".
std::string ParentDir(std::string_view path);
// Writes `data` to `path` + ".tmp", syncs it, renames it over `path` and
// syncs the parent directory: after an ok return `path` durably holds `data`.
Status WriteFileAtomically(FileSystem* fs, const std::string& path, std::string_view data);

}  // namespace portstorm::store
