// Store::Impl, shared by store.cc (open, recovery, write path) and
// store_read.cc (scan, day indexes, verify). Internal; see store.h.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/fs.h"
#include "store/manifest.h"
#include "store/store.h"
#include "store/wal.h"

namespace portstorm::store {

struct Store::Impl {
  std::string dir;
  StoreOptions options;
  FileSystem* fs = nullptr;
  std::unique_ptr<FileLock> lock;

  detail::Manifest manifest;  // the last committed state
  // Live dictionaries and progress: the manifest's plus what the WAL added.
  std::vector<std::string> sensors;  // id = index + 1
  absl::flat_hash_map<std::string, uint32_t> sensor_ids;
  std::vector<OriginInfo> origins;   // id = index + 1
  uint64_t last_seq = 0;             // highest sequence number used
  std::vector<Event> mem;            // appended, not yet in segments
  std::string wal_scratch;           // Append's WAL payload buffer, reused

  std::unique_ptr<detail::WalWriter> wal;
  uint64_t wal_number = 0;
  std::vector<uint64_t> old_wals;    // WAL files whose records are all flushed
  std::set<std::string> known_dirs;  // relative dirs known to exist durably
  Status error;                      // sticky: set by the first failed write
  bool closed = false;

  std::string Path(const std::string& rel) const { return JoinPath(dir, rel); }
  bool dirty() const {
    return !mem.empty() || sensors.size() != manifest.sensors.size() ||
           origins.size() != manifest.origins.size() || last_seq != manifest.flushed_seq;
  }

  // store.cc
  Status Recover();
  Status RemoveOrphans();
  Status WriteWal(detail::WalType type, std::string_view payload);
  Status EnsureDir(const std::string& rel);
  Status WriteDurably(const std::string& rel, std::string_view data);
  Status FlushMemtable();      // segments + indexes + manifest; no WAL rotation
  Status RotateWal();          // new WAL, old ones removed
  Status Fail(Status s);       // records a write error (sticky) and returns it
  Status CheckWritable() const;

  // store_read.cc
  Result<DayIndex> CommittedDayIndex(int64_t day) const;
};

namespace detail {
// Zeroes the fields of the column groups not in `columns`.
void MaskEvent(Event* e, uint32_t columns);
}  // namespace detail

}  // namespace portstorm::store
