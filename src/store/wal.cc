#include "store/wal.h"

#include <xxhash.h>
#include <zstd.h>

#include <cstring>

#include "store/coding.h"
#include "store/segment.h"

namespace portstorm::store::detail {

uint64_t Checksum(std::string_view data) { return XXH64(data.data(), data.size(), 0); }

namespace {
// Batches below this size are stored raw: compressing them buys little and
// an fsync dominates anyway.
constexpr size_t kCompressMin = 4096;
// A fast zstd level: the WAL is on the acknowledgement path and read only
// after a crash, so speed matters more than ratio.
constexpr int kWalZstdLevel = -5;
enum : uint8_t { kCodecRaw = 0, kCodecZstd = 1 };
}  // namespace

// kEvents payload: u32 origin | u64 origin_bytes | u64 origin_lines |
// u32 n_events | u8 codec | u32 stored_len | stored bytes, which are
// n_events * 96 raw Event bytes (little-endian, core/event.h), zstd-compressed
// when codec = 1.
void EncodeWalEvents(const WalEvents& batch, std::string* out) {
  PutFixed32(out, batch.origin);
  PutFixed64(out, batch.origin_bytes);
  PutFixed64(out, batch.origin_lines);
  PutFixed32(out, static_cast<uint32_t>(batch.events.size()));
  const char* raw = reinterpret_cast<const char*>(batch.events.data());
  size_t raw_len = batch.events.size() * sizeof(Event);
  if (raw_len >= kCompressMin) {
    size_t head = out->size();
    PutFixed8(out, kCodecZstd);
    PutFixed32(out, 0);
    size_t at = out->size();
    out->resize(at + ZSTD_compressBound(raw_len));
    // A reused context: ZSTD_compress would allocate (and page-fault in) a
    // fresh one for every batch.
    size_t n = ZSTD_compressCCtx(ThreadCCtx(), out->data() + at, out->size() - at, raw, raw_len,
                                 kWalZstdLevel);
    if (!ZSTD_isError(n) && n < raw_len) {
      out->resize(at + n);
      StoreFixed32(out->data() + head + 1, static_cast<uint32_t>(n));
      return;
    }
    out->resize(head);
  }
  PutFixed8(out, kCodecRaw);
  PutFixed32(out, static_cast<uint32_t>(raw_len));
  out->append(raw, raw_len);
}

Status DecodeWalEvents(std::string_view payload, WalEvents* batch, std::vector<Event>* events) {
  ByteReader r(payload);
  uint32_t n, stored_len;
  uint8_t codec;
  std::string_view stored;
  if (!r.U32(&batch->origin) || !r.U64(&batch->origin_bytes) || !r.U64(&batch->origin_lines) ||
      !r.U32(&n) || !r.U8(&codec) || !r.U32(&stored_len) || !r.Bytes(stored_len, &stored) ||
      !r.empty() || n > kWalMaxPayload / sizeof(Event)) {
    return Status::Corruption("WAL events record: bad layout");
  }
  size_t raw_len = size_t{n} * sizeof(Event);
  size_t at = events->size();
  events->resize(at + n);
  char* dst = reinterpret_cast<char*>(events->data() + at);
  if (codec == kCodecRaw) {
    if (stored.size() != raw_len) {
      events->resize(at);
      return Status::Corruption("WAL events record: size mismatch");
    }
    if (raw_len > 0) std::memcpy(dst, stored.data(), raw_len);
  } else if (codec == kCodecZstd) {
    size_t got = ZSTD_decompress(dst, raw_len, stored.data(), stored.size());
    if (ZSTD_isError(got) || got != raw_len) {
      events->resize(at);
      return Status::Corruption("WAL events record: bad zstd data");
    }
  } else {
    events->resize(at);
    return Status::Corruption("WAL events record: unknown codec");
  }
  return Status::Ok();
}

Result<std::unique_ptr<WalWriter>> WalWriter::Create(FileSystem* fs, const std::string& path) {
  PS_ASSIGN_OR_RETURN(auto f, fs->NewWritableFile(path));
  std::string header(kWalMagic, sizeof kWalMagic);
  PutFixed32(&header, kWalVersion);
  PutFixed32(&header, 0);
  PS_RETURN_IF_ERROR(f->Append(header));
  PS_RETURN_IF_ERROR(f->Sync());
  return std::unique_ptr<WalWriter>(new WalWriter(std::move(f), path));
}

Status WalWriter::AddRecord(WalType type, uint64_t seq, std::string_view payload) {
  if (payload.size() > kWalMaxPayload) {
    return Status::InvalidArgument("WAL record too large (" + std::to_string(payload.size()) +
                                   " bytes)");
  }
  buf_.clear();
  PutFixed64(&buf_, 0);  // checksum, filled below
  PutFixed32(&buf_, static_cast<uint32_t>(payload.size()));
  PutFixed8(&buf_, static_cast<uint8_t>(type));
  PutFixed64(&buf_, seq);
  // One write per record keeps a torn tail to the last record only.
  buf_.append(payload);
  StoreFixed64(buf_.data(), Checksum(std::string_view(buf_).substr(8)));
  PS_RETURN_IF_ERROR(file_->Append(buf_));
  if (buf_.capacity() > (1u << 24)) std::string().swap(buf_);  // don't pin a huge batch
  return file_->Sync();
}

Status WalWriter::Close() { return file_->Close(); }

Result<std::unique_ptr<WalReader>> WalReader::Open(FileSystem* fs, const std::string& path) {
  auto r = std::unique_ptr<WalReader>(new WalReader());
  r->path_ = path;
  PS_RETURN_IF_ERROR(fs->ReadFile(path, &r->data_));
  // A file cut inside its header (crash right after create) holds nothing.
  if (r->data_.size() < kWalFileHeaderSize) {
    r->pos_ = 0;
    r->data_.resize(0);
    return r;
  }
  if (std::memcmp(r->data_.data(), kWalMagic, sizeof kWalMagic) != 0) {
    return Status::Corruption(path + ": not a WAL file (bad magic)");
  }
  uint32_t version = LoadFixed32(r->data_.data() + 8);
  if (version != kWalVersion) {
    return Status::Unsupported(path + ": WAL version " + std::to_string(version));
  }
  if (LoadFixed32(r->data_.data() + 12) != 0) {
    return Status::Corruption(path + ": WAL header reserved field not zero");
  }
  r->pos_ = kWalFileHeaderSize;
  return r;
}

bool WalReader::Next(WalType* type, uint64_t* seq, std::string_view* payload) {
  std::string_view rest = std::string_view(data_).substr(pos_);
  if (rest.size() < kWalRecordHeaderSize) return false;
  uint64_t sum = LoadFixed64(rest.data());
  uint32_t len = LoadFixed32(rest.data() + 8);
  if (len > kWalMaxPayload || rest.size() - kWalRecordHeaderSize < len) return false;
  std::string_view body = rest.substr(8, kWalRecordHeaderSize - 8 + len);
  if (Checksum(body) != sum) return false;
  *type = static_cast<WalType>(static_cast<uint8_t>(rest[12]));
  *seq = LoadFixed64(rest.data() + 13);
  *payload = rest.substr(kWalRecordHeaderSize, len);
  pos_ += kWalRecordHeaderSize + len;
  return true;
}

}  // namespace portstorm::store::detail
