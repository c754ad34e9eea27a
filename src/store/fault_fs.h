// FaultInjectionFileSystem: an in-memory FileSystem for durability tests.
//
// Like leveldb's fault_injection_test Env, but a complete model rather than a
// wrapper: every file's bytes and every directory's entries exist in two
// versions, the live one (what a running process sees) and the durable one
// (what survives a power loss). WritableFile::Sync copies a file's live
// bytes to durable; SyncDir copies a directory's live entries (creates,
// renames, removes) to durable. SimulateCrash() throws the live state away:
//   * kDropAll: every unsynced append and every entry change not followed by
//     SyncDir of its directory vanishes (the worst case);
//   * kRandom: each file keeps a random prefix of its unsynced bytes and each
//     directory, at random, keeps all or none of its unsynced entry changes
//     (the orders a real file system may persist things in).
// Directories whose entry vanished vanish with their contents. A directory
// whose parent was never created through this object is a root and always
// durable.
//
// Faults on demand: FailAfter(n) lets n more mutating operations succeed and
// fails every later one with IOError until ClearFailures(), which is how tests
// stop a store at a chosen point; SetFailHook fails selected operations.
//
// Thread-safe (one mutex). File objects must not outlive the file system.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>

#include "store/fs.h"

namespace portstorm::store {

class FaultInjectionFileSystem final : public FileSystem {
 public:
  enum class Op { kCreate, kAppend, kSync, kClose, kRename, kRemove, kMkdir, kSyncDir };
  enum class CrashMode { kDropAll, kRandom };

  FaultInjectionFileSystem();
  ~FaultInjectionFileSystem() override;

  // --- fault control ---
  // The next n mutating operations succeed, all later ones fail (n >= 0).
  void FailAfter(int64_t n);
  // Fails each operation for which hook(op, path) returns true.
  void SetFailHook(std::function<bool(Op, const std::string&)> hook);
  void ClearFailures();
  // Mutating operations attempted so far (successful or not).
  int64_t mutating_ops() const;
  // Power loss: drops unsynced state as described above, releases all locks.
  void SimulateCrash(CrashMode mode, uint32_t seed = 0);
  // Test helpers: overwrite bytes of a file in both versions (bit rot), and
  // read the live contents.
  Status Corrupt(const std::string& path, uint64_t offset, std::string_view bytes);

  // --- FileSystem ---
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override;
  Status ReadFile(const std::string& path, std::string* out) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RemoveFile(const std::string& path) override;
  Status RemoveDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  bool FileExists(const std::string& path) override;
  bool IsDir(const std::string& path) override;
  Result<uint64_t> FileSize(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override;

  // Internal: shared by the file objects.
  struct Inode {
    std::string data;   // live bytes
    size_t synced = 0;  // data[0, synced) is durable
  };
  Status MaybeFail(Op op, const std::string& path);  // takes mu_
  void Unlock(const std::string& path);

 private:
  struct Entry {
    std::shared_ptr<Inode> inode;  // null for a subdirectory
  };
  struct Dir {
    bool root = false;
    std::map<std::string, Entry> live, durable;
  };
  // Splits a path into its directory (must exist) and base name. mu_ held.
  Result<std::pair<Dir*, std::string>> Locate(const std::string& path);
  void PruneVanishedDirs();  // mu_ held

  mutable std::mutex mu_;
  std::map<std::string, Dir> dirs_;
  std::set<std::string> locks_;
  int64_t ops_ = 0;
  int64_t fail_after_ = -1;  // < 0: no countdown
  bool failing_ = false;
  std::function<bool(Op, const std::string&)> hook_;
};

}  // namespace portstorm::store
