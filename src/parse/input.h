// Input: reads a log file (plain, gzip or zstd, detected by magic bytes) or
// stdin, and splits it into lines for a Parser.
//
// LineReader tracks the 1-based line number and the byte offset (in the
// decompressed stream) of the end of the last line returned, so ingest can
// record how far a file has been consumed and resume there. Lines longer than
// max_line bytes are returned once with too_long = true and their text cut to
// the limit (the rest is skipped), so a 10 MB line costs no more memory than
// the limit. Not thread-safe; one reader per stream.
//
// A regular uncompressed file is read through a read-only memory map of the
// size it had at open (no copy into a buffer), then with read() from there,
// so a file that grows while it is read is read to its end; pages already
// read are dropped from the map as it goes. A file that shrinks under the
// map would raise SIGBUS: the first mapped reader installs a process-wide
// SIGBUS handler that only acts on faults inside live reader maps (anything
// else goes to the previous handler), and the reader then re-reads from the
// start of the current line with read(). Gzip, zstd, pipes and stdin are
// always read with read().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace portstorm::parse {

inline constexpr size_t kDefaultMaxLine = 1 << 20;  // 1 MiB

struct Line {
  std::string_view text;  // without "\n" / "\r\n"; valid until the next Next()
  uint64_t number = 0;    // 1-based
  uint64_t end_offset = 0;  // byte offset just past this line's terminator
  bool too_long = false;
};

class LineReader {
 public:
  // path "-" = stdin.
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                  size_t max_line = kDefaultMaxLine);
  virtual ~LineReader() = default;
  // Returns false at end of input; check status() afterwards for a read error.
  virtual bool Next(Line* line) = 0;
  virtual const Status& status() const = 0;
  // Compression detected: "plain", "gzip", "zstd".
  virtual std::string_view compression() const = 0;
  // Bytes read from the underlying file so far (compressed), for progress.
  virtual uint64_t raw_bytes_read() const = 0;
  // Total size of the underlying file, 0 if unknown (stdin, pipe).
  virtual uint64_t raw_size() const = 0;
  // Modification time of the file (UTC us), 0 for stdin.
  virtual int64_t mtime_us() const = 0;
  // The first up to `n` bytes of the decompressed stream, without consuming
  // them (available before the first Next()); used for file identity.
  virtual std::string_view Peek(size_t n) = 0;
};

}  // namespace portstorm::parse
