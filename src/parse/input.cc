#include "parse/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace portstorm::parse {
namespace {

constexpr size_t kChunk = 256 * 1024;

enum class Compression { kPlain, kGzip, kZstd };

class FileLineReader : public LineReader {
 public:
  FileLineReader(int fd, bool owns_fd, size_t max_line, uint64_t raw_size, int64_t mtime_us)
      : fd_(fd), owns_fd_(owns_fd), max_line_(max_line < 1 ? 1 : max_line), raw_size_(raw_size),
        mtime_us_(mtime_us) {}

  ~FileLineReader() override {
    if (compression_ == Compression::kGzip) inflateEnd(&zs_);
    if (zd_ != nullptr) ZSTD_freeDCtx(zd_);
    if (owns_fd_ && fd_ >= 0) close(fd_);
  }

  // Reads the magic bytes and sets up the decompressor.
  Status Init() {
    buf_.resize(max_line_ + kChunk);
    raw_.resize(kChunk);
    while (raw_end_ < 4 && !raw_eof_) {
      if (!ReadRaw()) return status_;
    }
    const auto* m = reinterpret_cast<const unsigned char*>(raw_.data());
    if (raw_end_ >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
      std::memset(&zs_, 0, sizeof zs_);
      if (inflateInit2(&zs_, 15 + 32) != Z_OK) return Status::Internal("zlib: inflateInit2 failed");
      compression_ = Compression::kGzip;
    } else if (raw_end_ >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
      zd_ = ZSTD_createDCtx();
      if (zd_ == nullptr) return Status::Internal("zstd: cannot create a decompression context");
      compression_ = Compression::kZstd;
    } else {
      std::memcpy(buf_.data(), raw_.data(), raw_end_);
      end_ = raw_end_;
      raw_pos_ = raw_end_ = 0;
    }
    return Status::Ok();
  }

  bool Next(Line* line) override {
    for (;;) {
      char* base = buf_.data();
      size_t pending = end_ - begin_;
      const void* nl = scanned_ < pending
                           ? std::memchr(base + begin_ + scanned_, '\n', pending - scanned_)
                           : nullptr;
      if (nl != nullptr) {
        size_t len = static_cast<size_t>(static_cast<const char*>(nl) - (base + begin_));
        offset_ += len + 1;
        line->number = ++lineno_;
        line->end_offset = offset_;
        if (skipping_) {
          skipping_ = false;
          line->text = long_;
          line->too_long = true;
        } else {
          std::string_view text(base + begin_, len);
          if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
          line->too_long = text.size() > max_line_;
          line->text = line->too_long ? text.substr(0, max_line_) : text;
        }
        begin_ += len + 1;
        scanned_ = 0;
        return true;
      }
      scanned_ = pending;
      // A line longer than the limit: keep its first max_line bytes, drop
      // the rest as it streams past, so memory stays bounded.
      if (skipping_) {
        offset_ += pending;
        begin_ = end_ = scanned_ = 0;
      } else if (pending > max_line_) {
        long_.assign(base + begin_, max_line_);
        skipping_ = true;
        offset_ += pending;
        begin_ = end_ = scanned_ = 0;
      }
      if (eof_) {
        if (skipping_) {
          skipping_ = false;
          line->number = ++lineno_;
          line->end_offset = offset_;
          line->text = long_;
          line->too_long = true;
          return true;
        }
        if (end_ > begin_) {  // last line without a terminator
          std::string_view text(base + begin_, end_ - begin_);
          offset_ += text.size();
          begin_ = end_;
          scanned_ = 0;
          if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
          line->number = ++lineno_;
          line->end_offset = offset_;
          line->too_long = false;
          line->text = text;
          return true;
        }
        return false;
      }
      if (begin_ > 0) {
        std::memmove(base, base + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
      }
      if (Fill() == 0) eof_ = true;
    }
  }

  const Status& status() const override { return status_; }
  std::string_view compression() const override {
    switch (compression_) {
      case Compression::kGzip: return "gzip";
      case Compression::kZstd: return "zstd";
      default: return "plain";
    }
  }
  uint64_t raw_bytes_read() const override { return raw_read_; }
  uint64_t raw_size() const override { return raw_size_; }
  int64_t mtime_us() const override { return mtime_us_; }

  std::string_view Peek(size_t n) override {
    if (lineno_ == 0 && offset_ == 0 && (!peeked_ || peek_.size() < n)) {
      size_t want = std::min(n, buf_.size());
      while (end_ - begin_ < want && !eof_) {
        if (Fill() == 0) eof_ = true;
      }
      peek_.assign(buf_.data() + begin_, std::min(want, end_ - begin_));
      peeked_ = true;
    }
    return std::string_view(peek_).substr(0, n);
  }

 private:
  // Reads compressed/plain bytes into raw_; false on error (status_ set).
  bool ReadRaw() {
    if (raw_pos_ == raw_end_) raw_pos_ = raw_end_ = 0;
    for (;;) {
      ssize_t r = read(fd_, raw_.data() + raw_end_, raw_.size() - raw_end_);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        status_ = Status::FromErrno("read", errno);
        raw_eof_ = true;
        return false;
      }
      if (r == 0) raw_eof_ = true;
      raw_end_ += static_cast<size_t>(r);
      raw_read_ += static_cast<uint64_t>(r);
      return true;
    }
  }

  // Appends decompressed bytes at buf_[end_..]; returns how many (0 = end of
  // input or error).
  size_t Fill() {
    if (!status_.ok()) return 0;
    char* out = buf_.data() + end_;
    size_t room = buf_.size() - end_;
    if (room == 0) return 0;
    switch (compression_) {
      case Compression::kPlain: {
        for (;;) {
          ssize_t r = read(fd_, out, room);
          if (r < 0 && errno == EINTR) continue;
          if (r < 0) {
            status_ = Status::FromErrno("read", errno);
            return 0;
          }
          raw_read_ += static_cast<uint64_t>(r);
          end_ += static_cast<size_t>(r);
          return static_cast<size_t>(r);
        }
      }
      case Compression::kGzip: return FillGzip(out, room);
      case Compression::kZstd: return FillZstd(out, room);
    }
    return 0;
  }

  size_t FillGzip(char* out, size_t room) {
    size_t produced = 0;
    while (produced == 0) {
      if (raw_pos_ == raw_end_) {
        if (raw_eof_) {
          if (!stream_done_) status_ = Status::Corruption("gzip: unexpected end of compressed data");
          return 0;
        }
        if (!ReadRaw()) return 0;
        continue;
      }
      if (stream_done_) {
        // Another gzip member follows (concatenated .gz); anything else is
        // trailing garbage that gzip(1) also ignores.
        const auto* m = reinterpret_cast<const unsigned char*>(raw_.data() + raw_pos_);
        if (raw_end_ - raw_pos_ >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
          inflateReset(&zs_);
          stream_done_ = false;
        } else if (raw_end_ - raw_pos_ < 2 && !raw_eof_ && m[0] == 0x1f) {
          std::memmove(raw_.data(), raw_.data() + raw_pos_, raw_end_ - raw_pos_);
          raw_end_ -= raw_pos_;
          raw_pos_ = 0;
          if (!ReadRaw()) return 0;
          continue;
        } else {
          raw_pos_ = raw_end_;
          raw_eof_ = true;
          return 0;
        }
      }
      zs_.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_pos_);
      zs_.avail_in = static_cast<uInt>(raw_end_ - raw_pos_);
      zs_.next_out = reinterpret_cast<Bytef*>(out);
      zs_.avail_out = static_cast<uInt>(room);
      int rc = inflate(&zs_, Z_NO_FLUSH);
      raw_pos_ = raw_end_ - zs_.avail_in;
      produced = room - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        stream_done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        status_ = Status::Corruption(std::string("gzip: ") + (zs_.msg ? zs_.msg : "invalid data"));
        end_ += produced;
        return produced;
      }
    }
    end_ += produced;
    return produced;
  }

  size_t FillZstd(char* out, size_t room) {
    size_t produced = 0;
    while (produced == 0) {
      if (raw_pos_ == raw_end_) {
        if (raw_eof_) {
          if (!frame_done_) status_ = Status::Corruption("zstd: unexpected end of compressed data");
          return 0;
        }
        if (!ReadRaw()) return 0;
        continue;
      }
      ZSTD_inBuffer in{raw_.data() + raw_pos_, raw_end_ - raw_pos_, 0};
      ZSTD_outBuffer ob{out, room, 0};
      size_t rc = ZSTD_decompressStream(zd_, &ob, &in);
      raw_pos_ += in.pos;
      produced = ob.pos;
      if (ZSTD_isError(rc)) {
        status_ = Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(rc));
        end_ += produced;
        return produced;
      }
      frame_done_ = rc == 0;
    }
    end_ += produced;
    return produced;
  }

  int fd_;
  bool owns_fd_;
  size_t max_line_;
  uint64_t raw_size_;
  int64_t mtime_us_;
  Compression compression_ = Compression::kPlain;
  Status status_;

  std::vector<char> raw_;  // compressed bytes (and the magic sniffed at open)
  size_t raw_pos_ = 0, raw_end_ = 0;
  bool raw_eof_ = false;
  uint64_t raw_read_ = 0;
  z_stream zs_{};
  bool stream_done_ = false;
  ZSTD_DCtx* zd_ = nullptr;
  bool frame_done_ = true;

  std::vector<char> buf_;  // decompressed bytes; [begin_, end_) not yet returned
  size_t begin_ = 0, end_ = 0;
  size_t scanned_ = 0;  // bytes after begin_ known to hold no '\n'
  bool eof_ = false;
  bool skipping_ = false;  // dropping the tail of an over-long line
  std::string long_;
  uint64_t offset_ = 0;  // decompressed offset of buf_[begin_]
  uint64_t lineno_ = 0;
  std::string peek_;
  bool peeked_ = false;
};

}  // namespace

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t max_line) {
  int fd = 0;
  bool owns = false;
  uint64_t size = 0;
  int64_t mtime = 0;
  if (path != "-") {
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(path, errno);
    owns = true;
    struct stat st;
    if (fstat(fd, &st) != 0) {
      int err = errno;
      close(fd);
      return Status::FromErrno(path, err);
    }
    if (S_ISDIR(st.st_mode)) {
      close(fd);
      return Status::InvalidArgument(path + ": is a directory");
    }
    if (S_ISREG(st.st_mode)) size = static_cast<uint64_t>(st.st_size);
    mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000 + st.st_mtim.tv_nsec / 1000;
  }
  auto reader = std::make_unique<FileLineReader>(fd, owns, max_line, size, mtime);
  Status s = reader->Init();
  if (!s.ok()) return Status(s.code(), path + ": " + s.message());
  return std::unique_ptr<LineReader>(std::move(reader));
}

}  // namespace portstorm::parse
