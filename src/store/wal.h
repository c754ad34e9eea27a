// Write-ahead log: the record stream that makes an Append durable.
//
// A WAL file (DIR/wal-NNNNNNNNNNNNNNNN.log, number in hex) is a header
// followed by records; every record carries the store-wide sequence number
// of the change it describes. Layout (docs/formats/store.md, "WAL"):
//
//   file header: "PSWAL\0\0\0" (8) | u32 version=1 | u32 reserved=0
//   record:      u64 xxh64(of everything after this field) | u32 payload_len |
//                u8 type | u64 seq | payload[payload_len]
//
// WalWriter is not thread-safe; it owns its file. WalReader yields records
// until the first short or corrupt one, which it reports as the torn tail.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/status.h"
#include "store/fs.h"

namespace portstorm::store::detail {

enum class WalType : uint8_t {
  kEvents = 1,   // a batch of events + the progress of its origin
  kSensor = 2,   // a new sensor dictionary entry
  kOrigin = 3,   // a new origin registration
};

inline constexpr char kWalMagic[8] = {'P', 'S', 'W', 'A', 'L', 0, 0, 0};
inline constexpr uint32_t kWalVersion = 1;
inline constexpr size_t kWalFileHeaderSize = 16;
inline constexpr size_t kWalRecordHeaderSize = 8 + 4 + 1 + 8;
// Upper bound on a payload: protects recovery from allocating on garbage.
inline constexpr uint32_t kWalMaxPayload = 1u << 30;

// Payload of a kEvents record.
struct WalEvents {
  uint32_t origin = 0;
  uint64_t origin_bytes = 0, origin_lines = 0;
  std::span<const Event> events;  // borrowed when writing
};
// Encodes a kEvents payload; events are zstd-compressed when that helps.
void EncodeWalEvents(const WalEvents& batch, std::string* out);
// Decodes a kEvents payload, appending its events to *events.
Status DecodeWalEvents(std::string_view payload, WalEvents* batch, std::vector<Event>* events);

class WalWriter {
 public:
  // Creates (truncates) the file and writes and syncs its header.
  static Result<std::unique_ptr<WalWriter>> Create(FileSystem* fs, const std::string& path);
  // Appends one record and syncs the file before returning.
  Status AddRecord(WalType type, uint64_t seq, std::string_view payload);
  Status Close();

 private:
  WalWriter(std::unique_ptr<WritableFile> f, std::string path)
      : file_(std::move(f)), path_(std::move(path)) {}
  std::unique_ptr<WritableFile> file_;
  std::string path_;
  std::string buf_;
};

class WalReader {
 public:
  // Reads the whole file (a WAL holds at most one memtable's worth of data).
  static Result<std::unique_ptr<WalReader>> Open(FileSystem* fs, const std::string& path);
  // Next record; false at the end of the valid prefix. After false,
  // torn_bytes() tells how many trailing bytes were cut (0 = clean end).
  bool Next(WalType* type, uint64_t* seq, std::string_view* payload);
  uint64_t torn_bytes() const { return data_.size() - pos_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string data_;
  size_t pos_ = 0;
};

}  // namespace portstorm::store::detail
