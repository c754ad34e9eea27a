// LineReader on plain, gzip and zstd files (compressed in the test with the
// zlib/zstd APIs), long lines, terminators, offsets, Peek and errors.
#include "parse/input.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
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

}  // namespace
}  // namespace portstorm::parse
