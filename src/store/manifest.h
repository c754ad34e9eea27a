// The manifest (DIR/MANIFEST) names everything that is committed in a store,
// and the day-index files it points to. Rewritten whole at each flush:
// written to MANIFEST.tmp, synced, renamed, directory synced; the rename is
// the commit point of a flush. Layout (docs/formats/store.md, "manifest"):
//
//   "PSMANIF\0" | u32 version | u32 reserved | u64 body_len | u64 xxh64(body) | body
//   body: varint next_file | varint flushed_seq
//         | varint n | n * string sensor name            (sensor id = position + 1)
//         | varint n | n * origin {string name, u64 key_hash, varint key_len,
//                                  varint bytes, varint lines}  (id = position + 1)
//         | varint n | n * part {svarint hour, varint number, varint rows,
//                                svarint min_time, svarint max_time}
//         | varint n | n * day index {svarint day, varint gen, varint records}
//
// Day-index file (DIR/YYYY/MM/DD/index-<gen, 10 digits>.idx):
//
//   "PSINDEX\0" | u32 version | u32 codec (0 raw, 1 zstd) | i64 day | u64 raw_len |
//   u64 stored_len | u64 xxh64(the 40 bytes before it + stored bytes) | stored
//   (raw = DayIndex::AppendTo bytes, see day_index.h)
//
// Plain values; no synchronisation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/day_index.h"
#include "store/fs.h"
#include "store/store.h"

namespace portstorm::store::detail {

inline constexpr uint32_t kManifestVersion = 1;
inline constexpr uint32_t kIndexVersion = kDayIndexVersion;  // reads 1..this

struct PartMeta {
  int64_t hour = 0;
  uint64_t number = 0;
  uint64_t rows = 0;
  TimeUs min_time = 0, max_time = 0;
  friend bool operator==(const PartMeta&, const PartMeta&) = default;
};

struct DayIndexMeta {
  int64_t day = 0;
  uint64_t gen = 0;
  uint64_t records = 0;
  friend bool operator==(const DayIndexMeta&, const DayIndexMeta&) = default;
};

struct Manifest {
  uint64_t next_file = 1;    // next part number / index generation / WAL number
  uint64_t flushed_seq = 0;  // WAL records with seq <= this are in the files below
  std::vector<std::string> sensors;
  std::vector<OriginInfo> origins;
  std::vector<PartMeta> parts;        // sorted by (hour, number)
  std::vector<DayIndexMeta> indexes;  // sorted by day, one per day
};

std::string EncodeManifest(const Manifest& m);
Result<Manifest> DecodeManifest(std::string_view file, const std::string& path);

// Relative paths inside a store.
std::string HourDir(int64_t hour);  // "2005/01/11/01"
std::string DayDir(int64_t day);    // "2005/01/11"
std::string PartPath(const PartMeta& p);
std::string IndexPath(int64_t day, uint64_t gen);
std::string WalName(uint64_t number);  // "wal-000000000000002a.log"
// Parses "wal-<16 hex>.log"; false for other names.
bool ParseWalName(std::string_view name, uint64_t* number);

std::string EncodeIndexFile(const DayIndex& index, int zstd_level);
Result<DayIndex> DecodeIndexFile(std::string_view file, const std::string& path);
// The same file's entries without their address sets (day_index.h).
Result<DaySummary> DecodeIndexSummary(std::string_view file, const std::string& path);

}  // namespace portstorm::store::detail
