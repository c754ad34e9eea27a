// Ingest: reads log inputs (files, gzip/zstd files, stdin), parses them with
// the right format and appends the records to a Store in durable batches.
//
// Each input is identified by a hash of its first bytes (store::OriginInfo),
// so ingesting the same file again skips what is already stored and a grown
// log resumes where the last run stopped; "duplicates skipped" counts those
// lines. A batch is acknowledged (OnBatchStored) only after the store has
// fsynced it. Rejected lines are counted per reason and the first few of each
// reason kept as "file:line: reason: detail" examples.
//
// Parsing runs on a second thread (IngestOptions::parse_thread) while the
// store writes and fsyncs the previous batch; the store itself is only ever
// called from the thread that called IngestInput. Batches, their boundaries
// and the progress they record are exactly those of a single-threaded run.
//
// Not thread-safe; one Ingester per command.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "core/status.h"
#include "ingest/dedup.h"
#include "parse/input.h"
#include "parse/parser.h"
#include "store/store.h"

namespace portstorm::ingest {

struct IngestOptions {
  std::string format = "auto";  // a format name or "auto"
  std::string sensor;           // sensor name for every record; "" = the host the line names, else "local"
  // Records whose line names no host (IMS, p0f, Zeek, EVE, ...) take the name
  // of their file's directory instead of "local": logs kept as DIR/<sensor>/*,
  // as syslog collectors and `portstorm simulate` lay them out.
  bool sensor_from_dir = false;
  parse::ParseOptions parse;    // year, tz, boot_time (reference_time is set per file)
  size_t batch_events = 262144;  // records per durable batch (one WAL write + fdatasync)
  size_t max_examples = 3;      // examples kept per reject reason
  // Parse the next batch on a second thread while the store appends this one.
  // false = parse and store on the calling thread, one after the other.
  bool parse_thread = true;
  // One packet, one record; SYN retries marked (ingest/dedup.h, docs/dedup.md).
  DedupOptions dedup;
};

struct IngestStats {
  uint64_t inputs = 0;
  uint64_t lines = 0;             // lines read (including skipped duplicates)
  uint64_t bytes = 0;             // decompressed bytes read
  uint64_t records = 0;           // records stored
  uint64_t duplicate_lines = 0;   // lines skipped because they were already ingested
  uint64_t merged = 0;            // records not stored: another log of the sensor had the packet
  uint64_t retransmissions = 0;   // stored SYNs marked as retries of an earlier attempt
  std::array<uint64_t, parse::kReasonCount> rejected{};
  std::vector<std::string> examples;  // "file:line: reason: detail"
  uint64_t rejected_total() const;
};

// Progress callback for terminals: called about every 100k lines.
struct Progress {
  std::string input;
  uint64_t raw_bytes = 0, raw_size = 0, lines = 0;
};

class Ingester {
 public:
  // `store` must outlive the Ingester.
  Ingester(store::Store* store, IngestOptions options);

  // Ingests one input ("-" = stdin). An unreadable input or a store error is
  // returned; bad lines are not errors (they are counted in stats()).
  Status IngestInput(const std::string& path);

  const IngestStats& stats() const { return stats_; }
  // Called after every durable batch: (input, records in batch, lines consumed so far),
  // on the thread that called IngestInput.
  std::function<void(const std::string&, uint64_t, uint64_t)> on_batch_stored;
  // Called on the parsing thread (see parse_thread), which is then the only
  // writer of stats().lines; stats().records is written by the calling thread.
  std::function<void(const Progress&)> on_progress;

 private:
  // Admits a batch's records through dedup_ (drops merged copies, marks
  // retries), first seeding it with stored records of earlier runs near them.
  Status Dedup(std::vector<Event>* events, uint32_t origin);

  store::Store* store_;
  IngestOptions options_;
  IngestStats stats_;
  PacketDedup dedup_;
  uint32_t sensors_before_ = 0;           // sensors with records from before this command: ids 1..n
  absl::flat_hash_set<int64_t> seeded_hours_;
  absl::flat_hash_set<uint32_t> run_origins_;  // origins written by this command
};

// An input opened for parsing: its reader, its format (detected from the
// first lines unless given), and those first lines, already read from the
// reader, to be parsed before the reader's remaining lines.
struct OpenedInput {
  struct BufferedLine {
    std::string text;
    parse::Line meta;
  };
  std::unique_ptr<parse::LineReader> reader;
  const parse::FormatInfo* format = nullptr;
  std::vector<BufferedLine> first;
  std::string head;  // the first up to 4096 decompressed bytes (input identity)

  // Calls fn(text, meta) for every line: the buffered first lines, then the rest.
  Status ForEachLine(const std::function<Status(std::string_view, const parse::Line&)>& fn);
};

// Opens `path` ("-" = stdin) and picks its format: `format` is a name or
// "auto". An undetectable input is an InvalidArgument naming --format.
Result<OpenedInput> OpenInput(const std::string& path, std::string_view format);

// Identity of an input from its first bytes: (xxh64, length used).
std::pair<uint64_t, uint32_t> InputKey(std::string_view head);

}  // namespace portstorm::ingest
