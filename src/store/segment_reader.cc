// Segment decoding: see segment.h for the layout. Every length and offset
// read from the file is checked against the file size before use.
#include <zstd.h>

#include <cstring>

#include "store/coding.h"
#include "store/encoding.h"
#include "store/reader.h"
#include "store/segment.h"

namespace portstorm::store::detail {
namespace {

constexpr size_t kHeaderSize = 32, kFooterSize = 32;
constexpr size_t kBlockDirSize = 8 + 4 + 4 + 1 + 8;
// A block's raw size is bounded by its row count; this generous cap keeps a
// checksum-valid but absurd directory from asking for gigabytes.
constexpr uint32_t kMaxRawBlock = 64u << 20;

void SetField(Event& e, uint32_t c, uint64_t v) {
  switch (c) {
    case kColTime: e.time = static_cast<TimeUs>(v); break;
    case kColSport: e.sport = static_cast<uint16_t>(v); break;
    case kColDport: e.dport = static_cast<uint16_t>(v); break;
    case kColProto: e.proto = static_cast<uint8_t>(v); break;
    case kColFlags: e.tcp_flags = static_cast<uint8_t>(v); break;
    case kColAction: e.action = static_cast<Action>(static_cast<uint8_t>(v)); break;
    case kColCount: e.count = static_cast<uint32_t>(v); break;
    case kColSensor: e.sensor = static_cast<uint32_t>(v); break;
    case kColOrigin: e.origin = static_cast<uint32_t>(v); break;
    case kColLine: e.line = static_cast<uint32_t>(v); break;
    case kColTtl: e.ttl = static_cast<uint8_t>(v); break;
    case kColIpLen: e.ip_len = static_cast<uint16_t>(v); break;
    case kColIpId: e.ip_id = static_cast<uint16_t>(v); break;
    case kColIpFlags: e.ip_flags = static_cast<uint8_t>(v); break;
    case kColSeq: e.seq = static_cast<uint32_t>(v); break;
    case kColWindow: e.window = static_cast<uint16_t>(v); break;
    case kColMss: e.mss = static_cast<uint16_t>(v); break;
    case kColWscale: e.wscale = static_cast<uint8_t>(v); break;
    case kColTcpOpts: e.tcp_opts = static_cast<uint32_t>(v); break;
    case kColPayloadLen: e.payload_len = static_cast<uint16_t>(v); break;
    case kColPayload: std::memcpy(e.payload, &v, 8); break;
    case kColReserved: {
      uint32_t r = static_cast<uint32_t>(v);
      e.marks = static_cast<uint8_t>(r);
      e.reserved[0] = static_cast<uint8_t>(r >> 8);
      e.reserved[1] = static_cast<uint8_t>(r >> 16);
      e.reserved[2] = static_cast<uint8_t>(r >> 24);
      break;
    }
    default: break;
  }
}

}  // namespace

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(FileSystem* fs,
                                                           const std::string& path) {
  auto r = std::unique_ptr<SegmentReader>(new SegmentReader());
  r->path_ = path;
  PS_ASSIGN_OR_RETURN(r->file_, fs->NewRandomAccessFile(path));
  auto bad = [&](const std::string& what) { return Status::Corruption("segment " + path + ": " + what); };
  uint64_t size = r->file_->Size();
  if (size < kHeaderSize + kFooterSize) return bad("file too short");
  std::string header, footer, dir;
  PS_RETURN_IF_ERROR(r->file_->Read(0, kHeaderSize, &header));
  PS_RETURN_IF_ERROR(r->file_->Read(size - kFooterSize, kFooterSize, &footer));
  if (std::memcmp(header.data(), "PSSEG\0\0\0", 8) != 0) return bad("bad header magic");
  if (Checksum(std::string_view(header).substr(0, 24)) != LoadFixed64(header.data() + 24)) {
    return bad("header checksum mismatch");
  }
  uint32_t version = LoadFixed32(header.data() + 8);
  if (version < kOldestSegmentVersion || version > kSegmentVersion) {
    return Status::Unsupported("segment " + path + ": version " + std::to_string(version));
  }
  if (LoadFixed32(header.data() + 12) != kNumColumns) return bad("unexpected column count");
  r->hour_ = static_cast<int64_t>(LoadFixed64(header.data() + 16));
  if (std::memcmp(footer.data() + 24, "PSSEGEND", 8) != 0) return bad("bad footer magic");
  if (LoadFixed32(footer.data() + 12) != 0) return bad("reserved footer field not zero");
  uint64_t dir_offset = LoadFixed64(footer.data());
  uint32_t dir_len = LoadFixed32(footer.data() + 8);
  if (dir_offset < kHeaderSize || dir_offset > size - kFooterSize ||
      dir_len != size - kFooterSize - dir_offset) {
    return bad("bad directory position");
  }
  PS_RETURN_IF_ERROR(r->file_->Read(dir_offset, dir_len, &dir));
  if (Checksum(dir) != LoadFixed64(footer.data() + 16)) return bad("directory checksum mismatch");
  ByteReader d(dir);
  uint32_t n_groups;
  if (!d.U32(&n_groups) || n_groups > dir_len / (20 + kNumColumns * kBlockDirSize) + 1) {
    return bad("bad group count");
  }
  for (uint32_t gi = 0; gi < n_groups; ++gi) {
    GroupInfo g;
    if (!d.U32(&g.rows) || !d.I64(&g.min_time) || !d.I64(&g.max_time) || g.rows == 0 ||
        g.rows > kRowsPerGroup) {
      return bad("bad row group " + std::to_string(gi));
    }
    g.blocks.resize(kNumColumns);
    for (GroupInfo::Block& b : g.blocks) {
      if (!d.U64(&b.offset) || !d.U32(&b.stored_len) || !d.U32(&b.raw_len) || !d.U8(&b.codec) ||
          !d.U64(&b.checksum)) {
        return bad("truncated directory");
      }
      if (b.offset < kHeaderSize || b.offset > dir_offset || b.stored_len > dir_offset - b.offset ||
          b.raw_len > kMaxRawBlock || b.codec > 1) {
        return bad("bad block entry in group " + std::to_string(gi));
      }
    }
    r->groups_.push_back(std::move(g));
  }
  if (!d.empty()) return bad("trailing directory bytes");
  return r;
}

uint64_t SegmentReader::rows() const {
  uint64_t n = 0;
  for (const GroupInfo& g : groups_) n += g.rows;
  return n;
}

Status SegmentReader::ReadBlock(size_t g, uint32_t c, std::string* raw) const {
  const GroupInfo::Block& b = groups_[g].blocks[c];
  auto bad = [&](const std::string& what) {
    return Status::Corruption("segment " + path_ + ": row group " + std::to_string(g) +
                              ", column " + ColumnName(c) + ": " + what);
  };
  std::string stored;
  PS_RETURN_IF_ERROR(file_->Read(b.offset, b.stored_len, &stored));
  if (Checksum(stored) != b.checksum) return bad("checksum mismatch");
  if (b.codec == 0) {
    if (stored.size() != b.raw_len) return bad("size mismatch");
    *raw = std::move(stored);
    return Status::Ok();
  }
  raw->resize(b.raw_len);
  size_t n = ZSTD_decompress(raw->data(), raw->size(), stored.data(), stored.size());
  if (ZSTD_isError(n) || n != b.raw_len) return bad("bad zstd data");
  return Status::Ok();
}

Status SegmentReader::ReadGroup(size_t g, uint32_t columns, std::vector<Event>* out) const {
  if (g >= groups_.size()) return Status::InvalidArgument("no row group " + std::to_string(g));
  const size_t rows = groups_[g].rows;
  Event zero;
  zero.count = 0;  // skipped columns read as zero, not as Event's defaults
  out->assign(rows, zero);
  std::vector<uint32_t> src_idx, dst_idx;
  uint32_t src_space = 0, dst_space = 0;
  std::vector<IpAddr> addrs;
  std::vector<uint64_t> values;
  std::string raw;
  // Any column but time may be keyed by the source index: decode the source
  // column whenever something beyond time is asked for.
  bool need_src = (columns & ~col::kTime) != 0;
  // The line column is keyed by the sensor: decode the sensor for it.
  bool need_sensor = (columns & ColumnGroup(kColLine)) != 0;
  std::vector<uint32_t> sensor_keys;
  uint32_t sensor_space = 0;
  for (uint32_t c = 0; c < kNumColumns; ++c) {
    bool wanted = (ColumnGroup(c) & columns) != 0;
    if (!wanted && !(c == kColSrc && need_src) && !(c == kColSensor && need_sensor)) continue;
    PS_RETURN_IF_ERROR(ReadBlock(g, c, &raw));
    std::string_view in = raw;
    Status s;
    if (c == kColSrc || c == kColDst) {
      s = c == kColSrc
              ? DecodeAddrColumn(&in, rows, {}, 0, &addrs, &src_idx, &src_space)
              : DecodeAddrColumn(&in, rows, src_idx, src_space, &addrs, &dst_idx, &dst_space);
      if (s.ok() && wanted) {
        for (size_t i = 0; i < rows; ++i) {
          (c == kColSrc ? (*out)[i].src : (*out)[i].dst) = addrs[i];
        }
      }
    } else {
      s = c == kColLine ? DecodeIntColumn(&in, rows, sensor_keys, sensor_space, &values)
                        : DecodeIntColumn(&in, rows, src_idx, src_space, &values);
      if (s.ok() && wanted) {
        for (size_t i = 0; i < rows; ++i) SetField((*out)[i], c, values[i]);
      }
      if (s.ok() && c == kColSensor) sensor_space = DenseKeys(values, &sensor_keys);
    }
    if (s.ok() && !in.empty()) s = Status::Corruption("trailing bytes");
    if (!s.ok()) {
      return Status::Corruption("segment " + path_ + ": row group " + std::to_string(g) +
                                ", column " + ColumnName(c) + ": " + s.message());
    }
  }
  return Status::Ok();
}

Status SegmentReader::VerifyAll(uint64_t* blocks) const {
  std::vector<Event> rows;
  for (size_t g = 0; g < groups_.size(); ++g) {
    PS_RETURN_IF_ERROR(ReadGroup(g, col::kAll, &rows));
    *blocks += kNumColumns;
    for (const Event& e : rows) {
      if (e.time < groups_[g].min_time || e.time > groups_[g].max_time ||
          HourOf(e.time) != hour_) {
        return Status::Corruption("segment " + path_ + ": row group " + std::to_string(g) +
                                  ": time outside the group's range or hour");
      }
    }
  }
  return Status::Ok();
}

}  // namespace portstorm::store::detail
