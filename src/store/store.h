// Store: the embedded, durable, columnar event store (a directory).
//
// Write path: Append() writes a batch to the write-ahead log and fsyncs it
// before returning — an ok Append is an acknowledgement; from then on the
// batch survives any crash exactly once. Appended events are held in memory
// and written as hourly columnar segments plus per-day port indexes by
// Flush() (also called when memory passes StoreOptions::memtable_events, and
// by Close()). Open() recovers: it replays the WAL past the last flush, cuts a
// torn tail, removes files no manifest names, and flushes.
//
// Layout and byte formats: docs/formats/store.md. All I/O goes through a
// FileSystem (store/fs.h) so tests inject faults.
//
// Thread-safety: one writer process at a time (an exclusive lock on
// DIR/LOCK); a read-only Store needs no lock: it reads the last committed
// manifest and replays the WAL into memory (writing nothing), so it sees
// every acknowledged batch even right after a writer crashed.
// A Store object is not thread-safe for writes; const reads may run
// concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "store/reader.h"

namespace portstorm::store {

class FileSystem;

// Largest batch Append accepts (96 MiB of events): a batch is one WAL record
// and is held whole in memory until flushed, so this bounds both.
inline constexpr size_t kMaxBatchEvents = size_t{1} << 20;

struct StoreOptions {
  bool read_only = false;
  bool create_if_missing = true;
  FileSystem* fs = nullptr;           // nullptr = the real POSIX file system
  size_t memtable_events = 2'000'000; // flush when this many events are unflushed
  // Segment column blocks: level 1 costs ~1% in size against 3 and is much
  // faster, and ingest is CPU-bound on compression. The day index is small
  // and read often, so it keeps a stronger level.
  int zstd_level = 1;
  int index_zstd_level = 3;
};

// How far one input (file or stdin stream) has been ingested. A file is
// identified by a hash of its first key_len bytes (key_len = min(size, 4096)),
// so the same file ingested again — even under another name, or grown since —
// resumes after `bytes` instead of counting its records twice.
struct OriginInfo {
  uint32_t id = 0;
  std::string name;       // path as given at first ingest ("-" for stdin)
  uint64_t key_hash = 0;  // xxh64 of the first key_len bytes (decompressed)
  uint32_t key_len = 0;
  uint64_t bytes = 0;     // decompressed bytes consumed and stored
  uint64_t lines = 0;     // lines consumed (records + rejects)
};

struct VerifyReport {
  uint64_t segments = 0, indexes = 0, records = 0, blocks = 0;
  std::vector<std::string> problems;  // empty = store is sound
};

class Store : public Reader {
 public:
  static Result<std::unique_ptr<Store>> Open(const std::string& dir,
                                             const StoreOptions& options = {});
  ~Store() override;  // flushes a writable store (errors are lost: call Close())

  // --- write side (not on a read-only store) ---
  // Id of a sensor, created (durably, via the WAL) if new.
  Result<uint32_t> SensorId(std::string_view name);
  // Sensors named so far; ids are 1..SensorCount(), in order of first use.
  uint32_t SensorCount() const;
  // Registers an input, or returns the existing one with the same key
  // (key_hash, key_len); its bytes/lines tell where to resume.
  Result<OriginInfo> RegisterOrigin(std::string_view name, uint64_t key_hash, uint32_t key_len);
  // Origins already known whose key_len differs from 4096 (short files), so
  // a caller can check whether a new file starts with one of them.
  std::vector<OriginInfo> Origins() const;
  // Durably appends events and, atomically with them, the new progress of
  // their origin (bytes/lines consumed through this batch). fsync before return.
  Status Append(std::span<const Event> events, uint32_t origin, uint64_t origin_bytes,
                uint64_t origin_lines);
  Status Flush();
  Status Close();

  // --- read side ---
  std::vector<int64_t> Days() const override;
  Status Scan(const ScanOptions& options,
              const std::function<Status(std::span<const Event>)>& fn) const override;
  Result<DayIndex> ReadDayIndex(int64_t day) const override;
  Result<DaySummary> ReadDaySummary(int64_t day) const override;
  std::string SensorName(uint32_t id) const override;
  std::optional<uint32_t> FindSensor(std::string_view name) const override;
  uint64_t total_records() const;

  // Reads every file of the store, checks every checksum and cross-checks
  // segment row counts against the day indexes.
  Result<VerifyReport> Verify() const;

  const std::string& dir() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace portstorm::store
