// LineReader fuzz harness: writes the input to an in-memory file and reads
// it back with a small line limit, so plain, gzip and zstd streams (chosen by
// the input's own magic bytes), over-long lines and damaged compressed data
// are all reached. Checks that line numbers count up by one, offsets never
// go backwards or past the data, and no line is longer than the limit.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "parse/input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd_create("line_reader_fuzz", 0);
  if (fd < 0) return 0;
  size_t done = 0;
  while (done < size) {
    ssize_t w = write(fd, data + done, size - done);
    if (w <= 0) break;
    done += static_cast<size_t>(w);
  }
  lseek(fd, 0, SEEK_SET);
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  constexpr size_t kMaxLine = 64;
  auto reader = portstorm::parse::LineReader::Open(path, kMaxLine);
  if (reader.ok()) {
    auto& r = **reader;
    std::string_view peek = r.Peek(16);
    if (peek.size() > 16) std::abort();
    portstorm::parse::Line line;
    uint64_t expect = 1, last_offset = 0;
    // Decompressed output can be much larger than the input; bound the work.
    for (int i = 0; i < 100000 && r.Next(&line); ++i) {
      if (line.number != expect++) std::abort();
      if (line.text.size() > kMaxLine) std::abort();
      if (line.end_offset < last_offset) std::abort();
      if (r.compression() == "plain" && line.end_offset > size) std::abort();
      last_offset = line.end_offset;
    }
  }
  close(fd);
  return 0;
}
