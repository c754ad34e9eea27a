// Segment encoding: see segment.h for the file layout and
// docs/formats/store.md for every byte.
#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "store/coding.h"
#include "store/encoding.h"
#include "store/reader.h"
#include "store/segment.h"

namespace portstorm::store::detail {
namespace {

struct ColumnDef {
  const char* name;
  uint32_t group;
  bool try_delta, try_keyed;
};

// Bits of the Event field behind each integer column (the reader keeps only
// those, so the encoder may wrap deltas at that width).
constexpr int kColumnBits[kNumColumns] = {
    64, 64, 64, 16, 16, 8, 8, 8,    // time, src, dst, sport, dport, proto, tcp_flags, action
    32, 32, 32, 32, 8, 16, 16, 8,   // count, sensor, origin, line, ttl, ip_len, ip_id, ip_flags
    32, 16, 16, 8, 32, 16, 64, 32,  // seq, window, mss, wscale, tcp_opts, payload_len, payload, reserved
};

// Which transforms each column may use. Most header fields are properties
// of the sending host, so "same as this source's previous row" (keyed) is
// often the best predictor; counters (time, line, IP ID, source port) move
// in small steps.
constexpr ColumnDef kColumns[kNumColumns] = {
    {"time", col::kTime, true, false},       {"src", col::kSrc, false, false},
    {"dst", col::kDst, false, true},         {"sport", col::kPorts, true, true},
    {"dport", col::kPorts, false, true},     {"proto", col::kProto, false, true},
    {"tcp_flags", col::kFlags, false, true}, {"action", col::kFlags, false, true},
    {"count", col::kCount, false, true},     {"sensor", col::kSensor, true, false},
    {"origin", col::kOrigin, true, false},   {"line", col::kOrigin, true, true},
    {"ttl", col::kIpHeader, false, true},    {"ip_len", col::kIpHeader, false, true},
    {"ip_id", col::kIpHeader, true, true},   {"ip_flags", col::kIpHeader, false, true},
    {"seq", col::kTcpHeader, false, true},   {"window", col::kTcpHeader, false, true},
    {"mss", col::kTcpHeader, false, true},   {"wscale", col::kTcpHeader, false, true},
    {"tcp_opts", col::kTcpHeader, false, true},
    {"payload_len", col::kPayload, false, true},
    {"payload", col::kPayload, false, true}, {"reserved", col::kFlags, false, false},
};

// Splits rows into one value vector per integer column in a single pass
// over the rows (one pass per column would read every row 22 times).
void ExtractColumns(const Event* base, std::span<const uint32_t> order,
                    std::vector<uint64_t> (&cols)[kNumColumns]) {
  const size_t n = order.size();
  for (auto& c : cols) c.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Event& e = base[order[i]];
    uint64_t payload;
    uint32_t reserved;
    std::memcpy(&payload, e.payload, 8);
    // The "reserved" column holds marks (low byte) and the three reserved bytes.
    reserved = e.marks | uint32_t{e.reserved[0]} << 8 | uint32_t{e.reserved[1]} << 16 |
               uint32_t{e.reserved[2]} << 24;
    cols[kColTime][i] = static_cast<uint64_t>(e.time);
    cols[kColSport][i] = e.sport;
    cols[kColDport][i] = e.dport;
    cols[kColProto][i] = e.proto;
    cols[kColFlags][i] = e.tcp_flags;
    cols[kColAction][i] = static_cast<uint8_t>(e.action);
    cols[kColCount][i] = e.count;
    cols[kColSensor][i] = e.sensor;
    cols[kColOrigin][i] = e.origin;
    cols[kColLine][i] = e.line;
    cols[kColTtl][i] = e.ttl;
    cols[kColIpLen][i] = e.ip_len;
    cols[kColIpId][i] = e.ip_id;
    cols[kColIpFlags][i] = e.ip_flags;
    cols[kColSeq][i] = e.seq;
    cols[kColWindow][i] = e.window;
    cols[kColMss][i] = e.mss;
    cols[kColWscale][i] = e.wscale;
    cols[kColTcpOpts][i] = e.tcp_opts;
    cols[kColPayloadLen][i] = e.payload_len;
    cols[kColPayload][i] = payload;
    cols[kColReserved][i] = reserved;
  }
}

}  // namespace

ZSTD_CCtx* ThreadCCtx() {
  // Creating a context costs more than compressing a small block; one per
  // thread, reused, and freed at thread exit.
  struct Holder {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    ~Holder() { ZSTD_freeCCtx(c); }
  };
  thread_local Holder h;
  return h.c;
}

const char* ColumnName(uint32_t c) { return c < kNumColumns ? kColumns[c].name : "?"; }
uint32_t ColumnGroup(uint32_t c) { return c < kNumColumns ? kColumns[c].group : 0; }

void EncodeSegment(int64_t hour, const Event* base, std::span<const uint32_t> order,
                   int zstd_level, std::string* file, SegmentInfo* info) {
  file->clear();
  file->append("PSSEG\0\0\0", 8);
  PutFixed32(file, kSegmentVersion);
  PutFixed32(file, kNumColumns);
  PutFixed64(file, static_cast<uint64_t>(hour));
  PutFixed64(file, Checksum(std::string_view(*file).substr(0, 24)));

  *info = SegmentInfo{};
  info->rows = order.size();
  info->column_bytes.assign(kNumColumns, 0);
  ZSTD_CCtx* cctx = ThreadCCtx();
  std::vector<GroupInfo> groups;
  // Scratch kept per thread across calls: freeing and re-allocating ~30 MB
  // per part showed up as page faults in ingest profiles.
  struct Scratch {
    std::vector<uint64_t> cols[kNumColumns];
    std::vector<IpAddr> addrs;
    std::vector<uint32_t> src_idx, dst_idx, sensor_keys;
    std::string raw, packed;
  };
  thread_local Scratch scratch;
  auto& cols = scratch.cols;
  auto& addrs = scratch.addrs;
  auto& src_idx = scratch.src_idx;
  auto& dst_idx = scratch.dst_idx;
  auto& sensor_keys = scratch.sensor_keys;
  std::string& raw = scratch.raw;
  std::string& packed = scratch.packed;
  for (size_t start = 0; start < order.size(); start += kRowsPerGroup) {
    size_t n = std::min(kRowsPerGroup, order.size() - start);
    std::span<const uint32_t> group_rows = order.subspan(start, n);
    ExtractColumns(base, group_rows, cols);
    GroupInfo g;
    g.rows = static_cast<uint32_t>(n);
    g.min_time = g.max_time = static_cast<TimeUs>(cols[kColTime][0]);
    for (uint64_t t : cols[kColTime]) {
      g.min_time = std::min(g.min_time, static_cast<TimeUs>(t));
      g.max_time = std::max(g.max_time, static_cast<TimeUs>(t));
    }
    uint32_t src_space = 0, dst_space = 0;
    for (uint32_t c = 0; c < kNumColumns; ++c) {
      raw.clear();
      if (c == kColSrc || c == kColDst) {
        addrs.resize(n);
        for (size_t i = 0; i < n; ++i) {
          const Event& e = base[group_rows[i]];
          addrs[i] = c == kColSrc ? e.src : e.dst;
        }
        if (c == kColSrc) {
          EncodeAddrColumn(addrs, {}, 0, &raw, &src_idx, &src_space);
        } else {
          EncodeAddrColumn(addrs, src_idx, src_space, &raw, &dst_idx, &dst_space);
        }
      } else if (c == kColLine) {
        // Keyed by the sensor: each sensor's log counts its lines up by one,
        // however the sensors interleave in time.
        uint32_t space = DenseKeys(cols[kColSensor], &sensor_keys);
        EncodeIntColumn(cols[c], sensor_keys, space,
                        {.try_delta = true, .try_keyed = true, .bits = kColumnBits[c]}, &raw);
      } else {
        EncodeIntColumn(cols[c], src_idx, src_space,
                        {.try_delta = kColumns[c].try_delta,
                         .try_keyed = kColumns[c].try_keyed,
                         .bits = kColumnBits[c]},
                        &raw);
      }
      GroupInfo::Block b;
      b.offset = file->size();
      b.raw_len = static_cast<uint32_t>(raw.size());
      std::string_view stored = raw;
      if (raw.size() > 64) {
        packed.resize(ZSTD_compressBound(raw.size()));
        size_t z = ZSTD_compressCCtx(cctx, packed.data(), packed.size(), raw.data(), raw.size(),
                                     zstd_level);
        if (!ZSTD_isError(z) && z < raw.size()) {
          b.codec = 1;
          stored = std::string_view(packed.data(), z);
        }
      }
      b.stored_len = static_cast<uint32_t>(stored.size());
      b.checksum = Checksum(stored);
      file->append(stored);
      info->column_bytes[c] += stored.size();
      g.blocks.push_back(b);
    }
    if (groups.empty()) {
      info->min_time = g.min_time, info->max_time = g.max_time;
    } else {
      info->min_time = std::min(info->min_time, g.min_time);
      info->max_time = std::max(info->max_time, g.max_time);
    }
    groups.push_back(std::move(g));
  }

  uint64_t dir_offset = file->size();
  std::string dir;
  PutFixed32(&dir, static_cast<uint32_t>(groups.size()));
  for (const GroupInfo& g : groups) {
    PutFixed32(&dir, g.rows);
    PutFixed64(&dir, static_cast<uint64_t>(g.min_time));
    PutFixed64(&dir, static_cast<uint64_t>(g.max_time));
    for (const GroupInfo::Block& b : g.blocks) {
      PutFixed64(&dir, b.offset);
      PutFixed32(&dir, b.stored_len);
      PutFixed32(&dir, b.raw_len);
      PutFixed8(&dir, b.codec);
      PutFixed64(&dir, b.checksum);
    }
  }
  file->append(dir);
  PutFixed64(file, dir_offset);
  PutFixed32(file, static_cast<uint32_t>(dir.size()));
  PutFixed32(file, 0);
  PutFixed64(file, Checksum(dir));
  file->append("PSSEGEND", 8);
}

}  // namespace portstorm::store::detail
