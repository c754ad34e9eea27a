#include "store/manifest.h"

#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/time.h"
#include "store/coding.h"
#include "store/segment.h"

namespace portstorm::store::detail {
namespace {
constexpr char kManifestMagic[8] = {'P', 'S', 'M', 'A', 'N', 'I', 'F', 0};
constexpr char kIndexMagic[8] = {'P', 'S', 'I', 'N', 'D', 'E', 'X', 0};
constexpr size_t kManifestHeader = 32, kIndexHeader = 48;
// Upper bound for a decompressed day index: keeps garbage from allocating.
constexpr uint64_t kMaxIndexRaw = 4ull << 30;

void PutSigned(std::string* out, int64_t v) { PutVarint(out, ZigZag(v)); }
bool GetSigned(ByteReader* r, int64_t* v) {
  uint64_t u;
  if (!r->Varint(&u)) return false;
  *v = UnZigZag(u);
  return true;
}
}  // namespace

std::string EncodeManifest(const Manifest& m) {
  std::string body;
  PutVarint(&body, m.next_file);
  PutVarint(&body, m.flushed_seq);
  PutVarint(&body, m.sensors.size());
  for (const std::string& s : m.sensors) PutString(&body, s);
  PutVarint(&body, m.origins.size());
  for (const OriginInfo& o : m.origins) {
    PutString(&body, o.name);
    PutFixed64(&body, o.key_hash);
    PutVarint(&body, o.key_len);
    PutVarint(&body, o.bytes);
    PutVarint(&body, o.lines);
  }
  PutVarint(&body, m.parts.size());
  for (const PartMeta& p : m.parts) {
    PutSigned(&body, p.hour);
    PutVarint(&body, p.number);
    PutVarint(&body, p.rows);
    PutSigned(&body, p.min_time);
    PutSigned(&body, p.max_time);
  }
  PutVarint(&body, m.indexes.size());
  for (const DayIndexMeta& d : m.indexes) {
    PutSigned(&body, d.day);
    PutVarint(&body, d.gen);
    PutVarint(&body, d.records);
  }
  std::string out(kManifestMagic, 8);
  PutFixed32(&out, kManifestVersion);
  PutFixed32(&out, 0);
  PutFixed64(&out, body.size());
  PutFixed64(&out, Checksum(body));
  out += body;
  return out;
}

Result<Manifest> DecodeManifest(std::string_view file, const std::string& path) {
  auto bad = [&](const std::string& what) {
    return Status::Corruption("manifest " + path + ": " + what);
  };
  if (file.size() < kManifestHeader || std::memcmp(file.data(), kManifestMagic, 8) != 0) {
    return bad("bad magic or truncated header");
  }
  uint32_t version = LoadFixed32(file.data() + 8);
  if (version != kManifestVersion) {
    return Status::Unsupported("manifest " + path + ": version " + std::to_string(version));
  }
  if (LoadFixed32(file.data() + 12) != 0) return bad("reserved field not zero");
  uint64_t len = LoadFixed64(file.data() + 16);
  if (len != file.size() - kManifestHeader) return bad("length mismatch");
  std::string_view body = file.substr(kManifestHeader);
  if (Checksum(body) != LoadFixed64(file.data() + 24)) return bad("checksum mismatch");
  ByteReader r(body);
  Manifest m;
  uint64_t n;
  if (!r.Varint(&m.next_file) || !r.Varint(&m.flushed_seq) || !r.Varint(&n) ||
      n > r.remaining()) {
    return bad("bad header fields");
  }
  m.sensors.resize(n);
  for (std::string& s : m.sensors) {
    if (!r.String(&s)) return bad("bad sensor entry");
  }
  if (!r.Varint(&n) || n > r.remaining()) return bad("bad origin count");
  m.origins.resize(n);
  for (size_t i = 0; i < n; ++i) {
    OriginInfo& o = m.origins[i];
    o.id = static_cast<uint32_t>(i + 1);
    if (!r.String(&o.name) || !r.U64(&o.key_hash) || !r.Varint32(&o.key_len) ||
        !r.Varint(&o.bytes) || !r.Varint(&o.lines)) {
      return bad("bad origin entry");
    }
  }
  if (!r.Varint(&n) || n > r.remaining()) return bad("bad part count");
  m.parts.resize(n);
  for (PartMeta& p : m.parts) {
    if (!GetSigned(&r, &p.hour) || !r.Varint(&p.number) || !r.Varint(&p.rows) ||
        !GetSigned(&r, &p.min_time) || !GetSigned(&r, &p.max_time)) {
      return bad("bad part entry");
    }
  }
  if (!r.Varint(&n) || n > r.remaining()) return bad("bad day index count");
  m.indexes.resize(n);
  for (DayIndexMeta& d : m.indexes) {
    if (!GetSigned(&r, &d.day) || !r.Varint(&d.gen) || !r.Varint(&d.records)) {
      return bad("bad day index entry");
    }
  }
  if (!r.empty()) return bad("trailing bytes");
  return m;
}

std::string DayDir(int64_t day) {
  std::string dir = FormatDay(day);  // YYYY-MM-DD -> YYYY/MM/DD
  std::replace(dir.begin(), dir.end(), '-', '/');
  return dir;
}

std::string HourDir(int64_t hour) {
  int64_t day = hour >= 0 ? hour / 24 : -((-hour - 1) / 24) - 1;
  char buf[8];
  std::snprintf(buf, sizeof buf, "/%02d", static_cast<int>(hour - day * 24));
  return DayDir(day) + buf;
}

std::string PartPath(const PartMeta& p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/p%010llu.seg", static_cast<unsigned long long>(p.number));
  return HourDir(p.hour) + buf;
}

std::string IndexPath(int64_t day, uint64_t gen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/index-%010llu.idx", static_cast<unsigned long long>(gen));
  return DayDir(day) + buf;
}

std::string WalName(uint64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "wal-%016llx.log", static_cast<unsigned long long>(number));
  return buf;
}

bool ParseWalName(std::string_view name, uint64_t* number) {
  if (name.size() != 24 || name.substr(0, 4) != "wal-" || name.substr(20) != ".log") return false;
  uint64_t v = 0;
  for (char c : name.substr(4, 16)) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = v << 4 | static_cast<uint64_t>(d);
  }
  *number = v;
  return true;
}

std::string EncodeIndexFile(const DayIndex& index, int zstd_level) {
  std::string raw;
  index.AppendTo(&raw);
  std::string stored(ZSTD_compressBound(raw.size()), '\0');
  size_t z = ZSTD_compressCCtx(ThreadCCtx(), stored.data(), stored.size(), raw.data(), raw.size(),
                               zstd_level);
  uint32_t codec = 1;
  if (ZSTD_isError(z) || z >= raw.size()) {
    stored = raw;
    codec = 0;
  } else {
    stored.resize(z);
  }
  std::string out(kIndexMagic, 8);
  PutFixed32(&out, kIndexVersion);
  PutFixed32(&out, codec);
  PutFixed64(&out, static_cast<uint64_t>(index.day()));
  PutFixed64(&out, raw.size());
  PutFixed64(&out, stored.size());
  uint64_t sum = Checksum(out + stored);  // header fields are covered too
  PutFixed64(&out, sum);
  out += stored;
  return out;
}

namespace {
// Checks a day-index file's frame (magic, version, lengths, checksum) and
// returns its raw bytes: a view of `file` (codec 0) or of `*buf` (zstd).
Result<std::string_view> DecodeIndexFrame(std::string_view file, const std::string& path,
                                          std::string* buf, uint32_t* version) {
  auto bad = [&](const std::string& what) {
    return Status::Corruption("day index " + path + ": " + what);
  };
  if (file.size() < kIndexHeader || std::memcmp(file.data(), kIndexMagic, 8) != 0) {
    return bad("bad magic or truncated header");
  }
  *version = LoadFixed32(file.data() + 8);
  if (*version < kDayIndexOldestVersion || *version > kIndexVersion) {
    return Status::Unsupported("day index " + path + ": version " + std::to_string(*version));
  }
  uint32_t codec = LoadFixed32(file.data() + 12);
  uint64_t raw_len = LoadFixed64(file.data() + 24);
  uint64_t stored_len = LoadFixed64(file.data() + 32);
  if (stored_len != file.size() - kIndexHeader) return bad("length mismatch");
  std::string_view stored = file.substr(kIndexHeader);
  // xxh64(header[0, 40) ++ stored), streamed: no copy of a large index.
  XXH64_state_t* st = XXH64_createState();
  XXH64_reset(st, 0);
  XXH64_update(st, file.data(), 40);
  XXH64_update(st, stored.data(), stored.size());
  uint64_t sum = XXH64_digest(st);
  XXH64_freeState(st);
  if (sum != LoadFixed64(file.data() + 40)) return bad("checksum mismatch");
  if (codec == 0) {
    if (raw_len != stored.size()) return bad("size mismatch");
    return stored;
  }
  if (codec != 1) return bad("unknown codec");
  if (raw_len > kMaxIndexRaw) return bad("implausible size");
  buf->resize(raw_len);
  size_t n = ZSTD_decompress(buf->data(), buf->size(), stored.data(), stored.size());
  if (ZSTD_isError(n) || n != raw_len) return bad("bad zstd data");
  return std::string_view(*buf);
}
}  // namespace

Result<DayIndex> DecodeIndexFile(std::string_view file, const std::string& path) {
  std::string buf;
  uint32_t version = 0;
  PS_ASSIGN_OR_RETURN(std::string_view raw, DecodeIndexFrame(file, path, &buf, &version));
  auto index = DayIndex::ReadFrom(raw, version);
  if (!index.ok()) return Status::Corruption("day index " + path + ": " + index.status().message());
  if (index->day() != static_cast<int64_t>(LoadFixed64(file.data() + 16))) {
    return Status::Corruption("day index " + path + ": day mismatch");
  }
  return index;
}

Result<DaySummary> DecodeIndexSummary(std::string_view file, const std::string& path) {
  std::string buf;
  uint32_t version = 0;
  PS_ASSIGN_OR_RETURN(std::string_view raw, DecodeIndexFrame(file, path, &buf, &version));
  auto summary = DaySummary::ReadFrom(raw, version);
  if (!summary.ok()) {
    return Status::Corruption("day index " + path + ": " + summary.status().message());
  }
  if (summary->day != static_cast<int64_t>(LoadFixed64(file.data() + 16))) {
    return Status::Corruption("day index " + path + ": day mismatch");
  }
  return summary;
}

}  // namespace portstorm::store::detail
