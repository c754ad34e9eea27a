// Segment files: one flush's events of one hour, stored column by column.
//
// Path: DIR/YYYY/MM/DD/HH/p<part, 10 digits>.seg. Rows are sorted by time
// (stable: ingest order among equal times) and cut into row groups of up to
// kRowsPerGroup rows; every column of every group is one block, encoded
// (store/encoding.h), zstd-compressed when that helps, and checksummed.
// Layout (docs/formats/store.md, "segment file"):
//
//   +--------------------------------------------------------------+
//   | header: "PSSEG\0\0\0" | u32 version | u32 n_columns |          |
//   |         i64 hour | u64 xxh64(previous 24 bytes)    (32 bytes) |
//   +--------------------------------------------------------------+
//   | group 0: block col 0 | block col 1 | ... | block col n-1       |
//   | group 1: ...                                                  |
//   +--------------------------------------------------------------+
//   | directory: u32 n_groups | per group: u32 rows | i64 min_time | |
//   |   i64 max_time | per column: u64 offset | u32 stored_len |     |
//   |   u32 raw_len | u8 codec | u64 xxh64(stored bytes)            |
//   +--------------------------------------------------------------+
//   | footer: u64 dir_offset | u32 dir_len | u32 reserved |          |
//   |         u64 xxh64(directory) | "PSSEGEND"          (32 bytes) |
//   +--------------------------------------------------------------+
//
// SegmentReader verifies a block's checksum before decoding it and decodes
// only the blocks a column mask (store/reader.h col::) asks for. A reader is
// immutable after Open and safe for concurrent const use.
#pragma once

#include <zstd.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "store/fs.h"

namespace portstorm::store::detail {

// Version 2: the line column's keyed transform keys on the row's sensor
// (DenseKeys), so interleaved logs of many sensors keep line deltas of 1.
// Version 1 files (no keyed line column) decode with the same rules.
inline constexpr uint32_t kSegmentVersion = 2;
inline constexpr uint32_t kOldestSegmentVersion = 1;
inline constexpr size_t kRowsPerGroup = 1 << 17;

enum Column : uint32_t {
  kColTime, kColSrc, kColDst, kColSport, kColDport, kColProto, kColFlags, kColAction,
  kColCount, kColSensor, kColOrigin, kColLine, kColTtl, kColIpLen, kColIpId, kColIpFlags,
  kColSeq, kColWindow, kColMss, kColWscale, kColTcpOpts, kColPayloadLen, kColPayload,
  kColReserved, kNumColumns
};
const char* ColumnName(uint32_t c);
// The col:: group bit a column belongs to.
uint32_t ColumnGroup(uint32_t c);

struct GroupInfo {
  uint32_t rows = 0;
  TimeUs min_time = 0, max_time = 0;
  struct Block {
    uint64_t offset = 0;
    uint32_t stored_len = 0, raw_len = 0;
    uint8_t codec = 0;
    uint64_t checksum = 0;
  };
  std::vector<Block> blocks;  // kNumColumns
};

struct SegmentInfo {
  uint64_t rows = 0;
  TimeUs min_time = 0, max_time = 0;
  std::vector<uint64_t> column_bytes;  // stored bytes per column (for tuning/benchmarks)
};

// Encodes the events base[order[i]] (already in file order) as the image of
// one segment file for `hour` (hours since the epoch).
void EncodeSegment(int64_t hour, const Event* base, std::span<const uint32_t> order,
                   int zstd_level, std::string* file, SegmentInfo* info);

// A zstd compression context owned by the calling thread.
ZSTD_CCtx* ThreadCCtx();

class SegmentReader {
 public:
  static Result<std::unique_ptr<SegmentReader>> Open(FileSystem* fs, const std::string& path);
  int64_t hour() const { return hour_; }
  const std::vector<GroupInfo>& groups() const { return groups_; }
  uint64_t rows() const;
  // Decodes group g into *out (resized to its row count). Fields of columns
  // outside `columns` are zero.
  Status ReadGroup(size_t g, uint32_t columns, std::vector<Event>* out) const;
  // Reads and checks every block of every group; counts blocks.
  Status VerifyAll(uint64_t* blocks) const;
  const std::string& path() const { return path_; }

 private:
  Status ReadBlock(size_t g, uint32_t c, std::string* raw) const;
  std::string path_;
  std::unique_ptr<RandomAccessFile> file_;
  int64_t hour_ = 0;
  std::vector<GroupInfo> groups_;
};

}  // namespace portstorm::store::detail
