// LineReader on plain, gzip and zstd files (compressed in the test with the
// zlib/zstd APIs), long lines, terminators, offsets, Peek and errors.
#include "parse/input.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace portstorm::parse {
namespace {

class InputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ps_input_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  std::filesystem::path dir_;
};

std::string Gzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

struct Read {
  std::vector<std::string> lines;
  std::vector<uint64_t> offsets;
  std::vector<bool> too_long;
  std::string compression;
  Status status;
};

Read ReadAll(const std::string& path, size_t max_line = kDefaultMaxLine) {
  Read r;
  auto reader = LineReader::Open(path, max_line);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return r;
  Line l;
  uint64_t n = 0;
  while ((*reader)->Next(&l)) {
    EXPECT_EQ(l.number, ++n);
    r.lines.emplace_back(l.text);
    r.offsets.push_back(l.end_offset);
    r.too_long.push_back(l.too_long);
  }
  r.compression = std::string((*reader)->compression());
  r.status = (*reader)->status();
  return r;
}

const std::string kText =
    "Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1\n"
    "second line\r\n"
    "\n"
    "last line without newline";

TEST_F(InputTest, PlainGzipZstdGiveTheSameLines) {
  for (const auto& [name, bytes, comp] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"a.log", kText, "plain"}, {"a.log.gz", Gzip(kText), "gzip"},
           {"a.log.zst", Zstd(kText), "zstd"}, {"gz-without-suffix", Gzip(kText), "gzip"}}) {
    Read r = ReadAll(Write(name, bytes));
    EXPECT_TRUE(r.status.ok()) << name << ": " << r.status.ToString();
    EXPECT_EQ(r.compression, comp);
    ASSERT_EQ(r.lines.size(), 4u) << name;
    EXPECT_EQ(r.lines[0], "Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1");
    EXPECT_EQ(r.lines[1], "second line");
    EXPECT_EQ(r.lines[2], "");
    EXPECT_EQ(r.lines[3], "last line without newline");
    EXPECT_EQ(r.offsets[0], 54u);
    EXPECT_EQ(r.offsets[1], 54u + 13u);
    EXPECT_EQ(r.offsets[3], kText.size());
  }
}

TEST_F(InputTest, EmptyFilesHaveNoLines) {
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"e.log", ""}, {"e.gz", Gzip("")}, {"e.zst", Zstd("")}}) {
    Read r = ReadAll(Write(name, bytes));
    EXPECT_TRUE(r.lines.empty()) << name;
    EXPECT_TRUE(r.status.ok()) << name;
  }
}

TEST_F(InputTest, BigCompressedFilesAndConcatenatedMembers) {
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "line " + std::to_string(i) + "\n";
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"b.gz", Gzip(big)}, {"b.zst", Zstd(big)}, {"b2.gz", Gzip(big) + Gzip(big)},
           {"b2.zst", Zstd(big) + Zstd(big)}}) {
    Read r = ReadAll(Write(name, bytes));
    size_t copies = name[1] == '2' ? 2 : 1;
    ASSERT_EQ(r.lines.size(), 200000u * copies) << name;
    EXPECT_EQ(r.lines[199999], "line 199999");
    EXPECT_EQ(r.offsets.back(), big.size() * copies);
    EXPECT_TRUE(r.status.ok()) << name;
  }
}

TEST_F(InputTest, TenMegabyteLineIsCutAndCountedOnce) {
  std::string text = "before\n" + std::string(10 << 20, 'x') + "\nafter\n" +
                     std::string(3000, 'y');
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"long.log", text}, {"long.gz", Gzip(text)}, {"long.zst", Zstd(text)}}) {
    Read r = ReadAll(Write(name, bytes));
    ASSERT_EQ(r.lines.size(), 4u) << name;
    EXPECT_EQ(r.lines[0], "before");
    EXPECT_FALSE(r.too_long[0]);
    EXPECT_TRUE(r.too_long[1]);
    EXPECT_EQ(r.lines[1].size(), kDefaultMaxLine);
    EXPECT_EQ(r.offsets[1], 7u + (10u << 20) + 1u);
    EXPECT_EQ(r.lines[2], "after");
    EXPECT_FALSE(r.too_long[2]);
    EXPECT_EQ(r.offsets[3], text.size());
  }
  // A small limit: a line in the buffer, longer than the limit.
  Read small = ReadAll(Write("s.log", "abcdefghij\nabc\nabcdefghijklmnopqrstuvwxyz"), 5);
  ASSERT_EQ(small.lines.size(), 3u);
  EXPECT_EQ(small.lines[0], "abcde");
  EXPECT_TRUE(small.too_long[0]);
  EXPECT_EQ(small.lines[1], "abc");
  EXPECT_TRUE(small.too_long[2]);
}

TEST_F(InputTest, BinaryGarbageIsStillSplitIntoLines) {
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919) & 0xff);
  Read r = ReadAll(Write("g.bin", garbage));
  size_t newlines = std::count(garbage.begin(), garbage.end(), '\n');
  EXPECT_GE(r.lines.size(), newlines);
  EXPECT_EQ(r.offsets.back(), garbage.size());
}

TEST_F(InputTest, DamagedCompressedDataSetsStatus) {
  std::string gz = Gzip(kText + "\nmore text to make it longer\n");
  Read r = ReadAll(Write("t.gz", gz.substr(0, gz.size() / 2)));
  EXPECT_EQ(r.compression, "gzip");
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kCorruption);
  std::string zs = Zstd(kText);
  Read z = ReadAll(Write("t.zst", zs.substr(0, zs.size() - 3)));
  EXPECT_FALSE(z.status.ok());
  std::string bad = gz;
  for (size_t i = 12; i < bad.size(); ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5a);
  Read b = ReadAll(Write("bad.gz", bad));
  EXPECT_FALSE(b.status.ok());
}

TEST_F(InputTest, PeekMetadataAndErrors) {
  std::string path = Write("p.gz", Gzip(kText));
  auto reader = LineReader::Open(path);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Peek(10), "Mar  2 15:");
  EXPECT_EQ((*reader)->Peek(10000), kText);
  Line l;
  ASSERT_TRUE((*reader)->Next(&l));
  EXPECT_EQ(l.text.substr(0, 3), "Mar");
  EXPECT_EQ((*reader)->Peek(3), "Mar");
  EXPECT_EQ((*reader)->raw_size(), std::filesystem::file_size(path));
  EXPECT_GT((*reader)->mtime_us(), 1'600'000'000'000'000);
  while ((*reader)->Next(&l)) {
  }
  EXPECT_EQ((*reader)->raw_bytes_read(), std::filesystem::file_size(path));

  auto missing = LineReader::Open((dir_ / "missing.log").string());
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kIOError);
  auto folder = LineReader::Open(dir_.string());
  EXPECT_FALSE(folder.ok());
}


// Regular plain files are read through a memory map, everything else
// (pipes, stdin, compressed files) with read(). Both must cut the same bytes
// into the same lines: terminators, "\r\n", empty lines, lines at and around
// the limit (also max_line + "\r\n"), a last line without a terminator.
TEST_F(InputTest, MappedAndStreamedFilesGiveTheSameLines) {
  constexpr size_t kMax = 64;
  std::mt19937 rng(11);
  for (int trial = 0; trial < 30; ++trial) {
    std::string text;
    int lines = 1 + static_cast<int>(rng() % 400);
    for (int i = 0; i < lines; ++i) {
      size_t len;
      switch (rng() % 6) {
        case 0: len = kMax - 1 + rng() % 4; break;  // around the limit
        case 1: len = rng() % 4; break;
        case 2: len = kMax + rng() % 3000; break;   // too long
        default: len = rng() % 120; break;
      }
      for (size_t k = 0; k < len; ++k) text += static_cast<char>('a' + rng() % 26);
      if (rng() % 4 == 0) text += '\r';
      if (i + 1 < lines || rng() % 2 == 0) text += '\n';
    }
    std::string file = Write("m" + std::to_string(trial) + ".log", text);
    Read mapped = ReadAll(file, kMax);

    std::string fifo = (dir_ / ("f" + std::to_string(trial))).string();
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] {
      int fd = open(fifo.c_str(), O_WRONLY);
      std::mt19937 chunks(trial);
      for (size_t at = 0; at < text.size();) {
        size_t n = std::min<size_t>(text.size() - at, 1 + chunks() % 700);
        ssize_t w = write(fd, text.data() + at, n);
        if (w <= 0) break;
        at += static_cast<size_t>(w);
      }
      close(fd);
    });
    Read streamed = ReadAll(fifo, kMax);
    writer.join();

    EXPECT_EQ(mapped.compression, "plain");
    EXPECT_TRUE(mapped.status.ok());
    EXPECT_TRUE(streamed.status.ok());
    EXPECT_EQ(mapped.lines, streamed.lines) << "trial " << trial;
    EXPECT_EQ(mapped.offsets, streamed.offsets) << "trial " << trial;
    EXPECT_EQ(mapped.too_long, streamed.too_long) << "trial " << trial;
    ASSERT_FALSE(mapped.offsets.empty());
    EXPECT_EQ(mapped.offsets.back(), text.size());
  }
}

// A line of exactly the limit ended by "\r\n" is not too long, even when a
// read() ends right after its '\r'.
TEST_F(InputTest, LimitLineWithCrLfSplitAcrossReads) {
  constexpr size_t kMax = 64;
  std::string fifo = (dir_ / "crlf").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string line(kMax, 'x');
  std::thread writer([&] {
    int fd = open(fifo.c_str(), O_WRONLY);
    std::string first = line + "\r";
    EXPECT_EQ(write(fd, first.data(), first.size()), static_cast<ssize_t>(first.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the reader sees only this
    EXPECT_EQ(write(fd, "\nnext\n", 6), 6);
    close(fd);
  });
  Read r = ReadAll(fifo, kMax);
  writer.join();
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0], line);
  EXPECT_FALSE(r.too_long[0]);
  EXPECT_EQ(r.lines[1], "next");
  EXPECT_EQ(r.offsets[0], kMax + 2);
}

std::string Numbered(int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) s += "line " + std::to_string(i) + " of a log that is being written\n";
  return s;
}

// Peek on a mapped (plain, regular) file: the first bytes, however many of
// them there are, before and after other peeks.
TEST_F(InputTest, PeekOnAPlainFile) {
  auto reader = LineReader::Open(Write("small.log", kText));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->compression(), "plain");
  EXPECT_EQ((*reader)->Peek(3), "Mar");
  EXPECT_EQ((*reader)->Peek(4096), kText);
  EXPECT_EQ((*reader)->Peek(10), "Mar  2 15:");
  Line l;
  ASSERT_TRUE((*reader)->Next(&l));
  EXPECT_EQ((*reader)->Peek(4096), kText);
}

// A log that grows while it is read is read to its end, as read() would.
TEST_F(InputTest, FileGrowingWhileReadIsReadToItsEnd) {
  std::string path = Write("grow.log", Numbered(0, 1000));
  auto reader = LineReader::Open(path);
  ASSERT_TRUE(reader.ok());
  Line l;
  ASSERT_TRUE((*reader)->Next(&l));
  EXPECT_EQ(l.text, "line 0 of a log that is being written");
  std::ofstream(path, std::ios::app) << Numbered(1000, 5000) << "unterminated";
  int n = 1;
  std::string last;
  while ((*reader)->Next(&l)) {
    ++n;
    last = std::string(l.text);
  }
  EXPECT_TRUE((*reader)->status().ok());
  EXPECT_EQ(n, 5001);
  EXPECT_EQ(last, "unterminated");
  EXPECT_EQ(l.end_offset, std::filesystem::file_size(path));
}

// A log that shrinks while it is read (logrotate's copytruncate) must not
// crash the reader (a mapped page past the new end raises SIGBUS): it reads
// on as read() would, from the file as it now is, and never hands out bytes
// that are not in the file.
TEST_F(InputTest, FileShrinkingWhileReadDoesNotCrash) {
  const std::string text = Numbered(0, 100000);  // ~4.8 MB
  for (size_t cut : {size_t{0}, size_t{4096}, size_t{1000037}, text.size() - 5}) {
    std::string path = Write("shrink.log", text);
    auto reader = LineReader::Open(path);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->Peek(4), "line");
    Line l;
    size_t read_before = 0;
    for (int i = 0; i < 10 && (*reader)->Next(&l); ++i) read_before = l.end_offset;
    ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(cut)), 0);
    uint64_t offset = read_before;
    while ((*reader)->Next(&l)) {
      EXPECT_EQ(l.text.find('\0'), std::string_view::npos) << "cut " << cut;
      EXPECT_GT(l.end_offset, offset);
      // Every line is a line of the file, or the unterminated piece the cut left.
      std::string_view want(text.data() + offset, l.end_offset - offset);
      if (!want.empty() && want.back() == '\n') want.remove_suffix(1);
      EXPECT_EQ(l.text, want) << "cut " << cut << " at " << offset;
      offset = l.end_offset;
    }
    EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status().ToString();
    EXPECT_LE(offset, std::max(read_before, cut)) << "cut " << cut;
  }
}

}  // namespace
}  // namespace portstorm::parse
