#include "parse/input.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace portstorm::parse {
namespace {

constexpr size_t kChunk = 256 * 1024;

// --- Mapped plain files -------------------------------------------------
//
// A regular, uncompressed file is read through one read-only mapping of the
// size it had at open: lines are handed out as views into the page cache, so
// the kernel copies nothing and the reader no memmoves. When the mapping is
// used up, the reader goes on with read() from the file offset where the map
// ended, exactly as for a stream, so a file that grows while it is read is
// read to its end as before.
//
// A file that shrinks while it is mapped (logrotate's copytruncate) makes
// the pages past its new end raise SIGBUS. A process-wide handler catches
// faults inside the registered mappings only: it maps zero pages over the
// rest of that mapping and flags it; the reader sees the flag before it hands
// out a line and re-reads from the start of that line with read(), which
// sees the file as it now is. Faults anywhere else go to the handler that
// was installed before (or the default action).
//
// Consumed pages are dropped from the mapping as the reader moves on, so
// the input does not count towards the process's resident memory.

constexpr size_t kMapSlots = 64;     // mapped readers alive at once; more read() instead
constexpr size_t kDropEvery = 8 << 20;  // bytes consumed between MADV_DONTNEED calls

struct MapSlot {
  std::atomic<bool> used{false};
  std::atomic<uintptr_t> begin{0}, end{0};
  std::atomic<bool> hit{false};
};
MapSlot g_map_slots[kMapSlots];
struct sigaction g_old_sigbus;
uintptr_t g_page_size = 4096;

void OnSigbus(int sig, siginfo_t* info, void* ctx) {
  auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (MapSlot& slot : g_map_slots) {
    uintptr_t b = slot.begin.load(std::memory_order_acquire);
    uintptr_t e = slot.end.load(std::memory_order_acquire);
    if (b == 0 || addr < b || addr >= e) continue;
    uintptr_t page = addr & ~(g_page_size - 1);
    // mmap is async-signal-safe; the zero pages stand in for the vanished
    // file pages until the reader notices `hit` and stops using the map.
    void* r = mmap(reinterpret_cast<void*>(page), e - page, PROT_READ,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (r != MAP_FAILED) {
      slot.hit.store(true, std::memory_order_release);
      return;
    }
    break;
  }
  // Not ours (or no way to patch it): behave as if we had never been here.
  if (g_old_sigbus.sa_flags & SA_SIGINFO) {
    if (g_old_sigbus.sa_sigaction != nullptr) {
      g_old_sigbus.sa_sigaction(sig, info, ctx);
      return;
    }
  } else if (g_old_sigbus.sa_handler != SIG_DFL && g_old_sigbus.sa_handler != SIG_IGN) {
    g_old_sigbus.sa_handler(sig);
    return;
  }
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(SIGBUS, &dfl, nullptr);  // the faulting access repeats and takes the default action
}

bool InstallSigbusHandler() {
  static const bool installed = [] {
    long ps = sysconf(_SC_PAGESIZE);
    if (ps > 0) g_page_size = static_cast<uintptr_t>(ps);
    struct sigaction sa {};
    sa.sa_sigaction = &OnSigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGBUS, &sa, &g_old_sigbus) == 0;
  }();
  return installed;
}

MapSlot* RegisterMap(const char* p, size_t n) {
  if (!InstallSigbusHandler()) return nullptr;
  for (MapSlot& slot : g_map_slots) {
    bool expected = false;
    if (!slot.used.compare_exchange_strong(expected, true)) continue;
    slot.hit.store(false, std::memory_order_relaxed);
    slot.end.store(reinterpret_cast<uintptr_t>(p) + n, std::memory_order_release);
    slot.begin.store(reinterpret_cast<uintptr_t>(p), std::memory_order_release);
    return &slot;
  }
  return nullptr;
}

void UnregisterMap(MapSlot* slot) {
  slot->begin.store(0, std::memory_order_release);
  slot->end.store(0, std::memory_order_release);
  slot->used.store(false, std::memory_order_release);
}

enum class Compression { kPlain, kGzip, kZstd };

class FileLineReader : public LineReader {
 public:
  FileLineReader(int fd, bool owns_fd, size_t max_line, uint64_t raw_size, int64_t mtime_us)
      : fd_(fd), owns_fd_(owns_fd), max_line_(max_line < 1 ? 1 : max_line), raw_size_(raw_size),
        mtime_us_(mtime_us) {}

  ~FileLineReader() override {
    Unmap();
    if (compression_ == Compression::kGzip) inflateEnd(&zs_);
    if (zd_ != nullptr) ZSTD_freeDCtx(zd_);
    if (owns_fd_ && fd_ >= 0) close(fd_);
  }

  // Maps a regular file (map_size = its size) if it is plain text; reads the
  // magic bytes and sets up the decompressor otherwise.
  Status Init(uint64_t map_size) {
    if (map_size > 0 && TryMap(map_size)) return Status::Ok();
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
    if (map_ != nullptr && NextMapped(line)) return true;
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
      } else if (TooLongWithoutEnd(base + begin_, pending)) {
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
  uint64_t raw_bytes_read() const override { return map_ != nullptr ? begin_ : raw_read_; }
  uint64_t raw_size() const override { return raw_size_; }
  int64_t mtime_us() const override { return mtime_us_; }

  std::string_view Peek(size_t n) override {
    if (map_ != nullptr && lineno_ == 0 && offset_ == 0 && (!peeked_ || peek_.size() < n)) {
      peek_.assign(map_, std::min<size_t>(n, map_size_));
      peeked_ = true;
      if (!slot_->hit.load(std::memory_order_acquire)) return std::string_view(peek_).substr(0, n);
      LeaveMap();  // the file shrank under us: peek through read() instead
      peeked_ = false;
    }
    if (map_ == nullptr && lineno_ == 0 && offset_ == 0 && (!peeked_ || peek_.size() < n)) {
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
  bool TryMap(uint64_t size) {
    if (size > SIZE_MAX / 2) return false;
    void* m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (m == MAP_FAILED) return false;  // not mappable (a special file): read() it
    const char* p = static_cast<const char*>(m);
    slot_ = RegisterMap(p, size);
    if (slot_ == nullptr) {
      munmap(m, size);
      return false;
    }
    map_ = p;
    map_size_ = size;
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    bool gzip = size >= 2 && u[0] == 0x1f && u[1] == 0x8b;
    bool zstd = size >= 4 && u[0] == 0x28 && u[1] == 0xb5 && u[2] == 0x2f && u[3] == 0xfd;
    if (gzip || zstd || slot_->hit.load(std::memory_order_acquire)) {
      Unmap();  // compressed (or already shrinking): the stream reader handles it
      return false;
    }
    madvise(m, size, MADV_SEQUENTIAL);
    begin_ = end_ = 0;
    return true;
  }

  void Unmap() {
    if (map_ == nullptr) return;
    munmap(const_cast<char*>(map_), map_size_);
    UnregisterMap(slot_);
    map_ = nullptr;
    slot_ = nullptr;
  }

  // The next line from the mapping; false when the mapping holds no further
  // complete line (the reader has then left it for read(), see LeaveMap).
  bool NextMapped(Line* line) {
    const char* p = map_ + begin_;
    size_t pending = map_size_ - begin_;
    const void* nl = pending > 0 ? std::memchr(p, '\n', pending) : nullptr;
    if (nl == nullptr || slot_->hit.load(std::memory_order_acquire)) {
      LeaveMap();
      return false;
    }
    size_t len = static_cast<size_t>(static_cast<const char*>(nl) - p);
    offset_ += len + 1;
    line->number = ++lineno_;
    line->end_offset = offset_;
    std::string_view text(p, len);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line->too_long = text.size() > max_line_;
    line->text = line->too_long ? text.substr(0, max_line_) : text;
    // Pages before this line are done with (the line itself is still to be read).
    if (begin_ - dropped_ >= kDropEvery) {
      size_t upto = begin_ & ~static_cast<size_t>(g_page_size - 1);
      madvise(const_cast<char*>(map_) + dropped_, upto - dropped_, MADV_DONTNEED);
      dropped_ = upto;
    }
    begin_ += len + 1;
    return true;
  }

  // Goes on with read() where the mapping stops being usable: at its end,
  // carrying over an unterminated tail; or, if the file shrank, from the
  // start of the line being read (re-read from the file as it is now).
  void LeaveMap() {
    bool shrank = slot_->hit.load(std::memory_order_acquire);
    if (!shrank) {
      // Bytes past a shrunk file's end in its last page read as zeros
      // without a fault: check the size before trusting the tail.
      struct stat st;
      shrank = fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) < map_size_;
    }
    uint64_t resume_at = map_size_;
    buf_.resize(max_line_ + kChunk);
    size_t pending = map_size_ - begin_;
    if (shrank) {
      resume_at = offset_;
      pending = 0;
    } else if (TooLongWithoutEnd(map_ + begin_, pending)) {
      long_.assign(map_ + begin_, max_line_);
      skipping_ = true;
      offset_ += pending;
      pending = 0;
    } else if (pending > 0) {
      std::memcpy(buf_.data(), map_ + begin_, pending);
    }
    Unmap();
    begin_ = 0;
    end_ = pending;
    scanned_ = pending;
    raw_read_ = resume_at;
    if (lseek(fd_, static_cast<off_t>(resume_at), SEEK_SET) < 0) {
      status_ = Status::FromErrno("lseek", errno);
    }
  }

  // Whether `pending` bytes that hold no '\n' are surely the start of a line
  // longer than the limit. max_line + 1 bytes ending in '\r' are not: they
  // may be a line of exactly max_line bytes ended by "\r\n", so the reader
  // waits for one more byte (there is always room for it), and whether a
  // line counts as too long never depends on where a read() happened to end.
  bool TooLongWithoutEnd(const char* p, size_t pending) const {
    return pending > max_line_ + 1 || (pending == max_line_ + 1 && p[max_line_] != '\r');
  }

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

  // Mapped plain file (map_ != nullptr): the bytes are map_[0, map_size_),
  // begin_ is the offset of the first byte not yet returned.
  const char* map_ = nullptr;
  size_t map_size_ = 0;
  size_t dropped_ = 0;  // pages below this offset were dropped (MADV_DONTNEED)
  MapSlot* slot_ = nullptr;
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
  Status s = reader->Init(/*map_size=*/size);
  if (!s.ok()) return Status(s.code(), path + ": " + s.message());
  return std::unique_ptr<LineReader>(std::move(reader));
}

}  // namespace portstorm::parse
