// Column encodings, WAL framing and segment files in isolation, including
// decoding garbage (must fail cleanly, never crash).
#include "store/encoding.h"

#include <gtest/gtest.h>

#include <random>

#include "store/coding.h"
#include "store/fault_fs.h"
#include "store/reader.h"
#include "store/segment.h"
#include "store/wal.h"
#include "test_util.h"

namespace portstorm::store::detail {
namespace {

void RoundTrip(const std::vector<uint64_t>& v, const std::vector<uint32_t>& keys,
               uint32_t key_space) {
  std::string enc;
  EncodeIntColumn(v, keys, key_space, {.try_delta = true, .try_keyed = !keys.empty()}, &enc);
  std::string_view in = enc;
  std::vector<uint64_t> out;
  ASSERT_TRUE(DecodeIntColumn(&in, v.size(), keys, key_space, &out).ok());
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(out, v);
}

TEST(EncodingTest, IntColumnShapes) {
  std::mt19937_64 rng(1);
  std::vector<uint32_t> keys(5000);
  for (auto& k : keys) k = static_cast<uint32_t>(rng() % 50);
  std::vector<std::vector<uint64_t>> cases;
  cases.push_back(std::vector<uint64_t>(5000, 7));                       // const
  cases.push_back({});                                                   // empty
  cases.push_back({42});                                                 // single
  std::vector<uint64_t> v(5000);
  for (auto& x : v) x = rng() % 3;
  cases.push_back(v);                                                    // tiny dict
  for (auto& x : v) x = rng() % 200 * 1000;
  cases.push_back(v);                                                    // dict
  for (auto& x : v) x = rng();
  cases.push_back(v);                                                    // random 64-bit
  for (auto& x : v) x = rng() & 0xffff;
  cases.push_back(v);                                                    // plain 16
  for (size_t i = 0; i < v.size(); ++i) v[i] = 1'100'000'000'000'000 + i / 3 * 1'000'000;
  cases.push_back(v);                                                    // times
  for (size_t i = 0; i < v.size(); ++i) v[i] = keys[i] * 77 + (rng() % 2);
  cases.push_back(v);                                                    // keyed
  for (size_t i = 0; i < v.size(); ++i) v[i] = i % 2 ? UINT64_MAX : 0;
  cases.push_back(v);                                                    // wrap
  for (const auto& c : cases) {
    std::vector<uint32_t> k(keys.begin(), keys.begin() + static_cast<long>(c.size()));
    RoundTrip(c, k, 50);
    RoundTrip(c, {}, 0);
  }
}

TEST(EncodingTest, KeyedAndScaledColumnsAreSmall) {
  std::vector<uint64_t> ttl(100000), time(100000);
  std::vector<uint32_t> keys(100000);
  std::mt19937_64 rng(2);
  for (size_t i = 0; i < ttl.size(); ++i) {
    keys[i] = static_cast<uint32_t>(rng() % 1000);
    ttl[i] = 40 + keys[i] % 80;  // a property of the source
    time[i] = 1'100'000'000'000'000 + i / 10 * 1'000'000;
  }
  std::string a, b;
  EncodeIntColumn(ttl, keys, 1000, {.try_keyed = true}, &a);
  EncodeIntColumn(time, {}, 0, {.try_delta = true}, &b);
  EXPECT_EQ(a[0], 2);  // keyed transform chosen
  EXPECT_EQ(b[0], 1);  // delta transform chosen
  EXPECT_LT(b.size(), 110000u);  // one byte a row before zstd: scaled to seconds
}

// Deltas wrap at the field width: the decoded values agree with the input in
// their low `bits` bits (all a reader keeps), and a random 16-bit column
// costs no more than 2 bytes a row before zstd.
TEST(EncodingTest, WrappedDeltasKeepLowBits) {
  std::mt19937_64 rng(11);
  const size_t n = 5000;
  std::vector<uint64_t> v(n);
  std::vector<uint32_t> keys(n);
  for (size_t i = 0; i < n; ++i) {
    keys[i] = static_cast<uint32_t>(rng() % 50);
    // Half counters that wrap past 65535 per key, half random.
    v[i] = keys[i] < 25 ? (65530 + i) & 0xffff : rng() & 0xffff;
  }
  for (int bits : {8, 16, 32, 64}) {
    std::vector<uint64_t> in = v;
    if (bits < 64) {
      for (uint64_t& x : in) x &= (uint64_t{1} << bits) - 1;
    }
    for (bool keyed : {false, true}) {
      std::string enc;
      EncodeIntColumn(in, keys, 50, {.try_delta = true, .try_keyed = keyed, .bits = bits}, &enc);
      if (bits == 16) {
        EXPECT_LE(enc.size(), 2 * n + 16) << "keyed " << keyed;
      }
      std::string_view rest = enc;
      std::vector<uint64_t> out;
      ASSERT_TRUE(DecodeIntColumn(&rest, n, keys, 50, &out).ok());
      EXPECT_TRUE(rest.empty());
      for (size_t i = 0; i < n; ++i) {
        uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
        ASSERT_EQ(out[i] & mask, in[i]) << "bits " << bits << " keyed " << keyed << " row " << i;
      }
    }
  }
}

TEST(EncodingTest, AddrColumnRoundTrip) {
  std::mt19937_64 rng(3);
  std::vector<Event> ev;
  for (int i = 0; i < 3000; ++i) ev.push_back(testing::RandomEvent(rng, 0, 1000));
  std::vector<IpAddr> src, dst;
  for (auto& e : ev) src.push_back(e.src), dst.push_back(e.dst);
  std::string enc;
  std::vector<uint32_t> si, di, si2, di2;
  uint32_t ss, ds, ss2, ds2;
  EncodeAddrColumn(src, {}, 0, &enc, &si, &ss);
  size_t src_len = enc.size();
  EncodeAddrColumn(dst, si, ss, &enc, &di, &ds);
  std::string_view in = enc;
  std::vector<IpAddr> s2, d2;
  ASSERT_TRUE(DecodeAddrColumn(&in, src.size(), {}, 0, &s2, &si2, &ss2).ok());
  EXPECT_EQ(in.size(), enc.size() - src_len);
  ASSERT_TRUE(DecodeAddrColumn(&in, dst.size(), si2, ss2, &d2, &di2, &ds2).ok());
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(s2, src);
  EXPECT_EQ(d2, dst);
}

TEST(EncodingTest, GarbageNeverCrashes) {
  std::mt19937_64 rng(4);
  std::vector<uint32_t> keys(300, 1);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string junk(rng() % 64, '\0');
    for (auto& c : junk) c = static_cast<char>(rng() % 5 == 0 ? 0xff : rng() % 9);
    std::string_view in = junk;
    std::vector<uint64_t> out;
    (void)DecodeIntColumn(&in, rng() % 300, keys, 2, &out);
    in = junk;
    std::vector<IpAddr> addrs;
    std::vector<uint32_t> idx;
    uint32_t n;
    (void)DecodeAddrColumn(&in, rng() % 300, keys, 2, &addrs, &idx, &n);
  }
}

TEST(EncodingTest, SegmentRoundTripAndMasks) {
  std::mt19937_64 rng(5);
  std::vector<Event> ev;
  for (int i = 0; i < 140000; ++i) ev.push_back(testing::RandomEvent(rng, 0, kUsPerHour));
  std::sort(ev.begin(), ev.end(), [](auto& a, auto& b) { return a.time < b.time; });
  std::vector<uint32_t> order(ev.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::string file;
  SegmentInfo info;
  EncodeSegment(0, ev.data(), order, 3, &file, &info);
  FaultInjectionFileSystem fs;
  ASSERT_TRUE(fs.CreateDir("/s").ok());
  auto f = fs.NewWritableFile("/s/p.seg");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Append(file).ok());
  auto r = SegmentReader::Open(&fs, "/s/p.seg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->rows(), ev.size());
  EXPECT_EQ((*r)->groups().size(), 2u);
  std::vector<Event> got, rows;
  for (size_t g = 0; g < (*r)->groups().size(); ++g) {
    ASSERT_TRUE((*r)->ReadGroup(g, col::kAll, &rows).ok());
    got.insert(got.end(), rows.begin(), rows.end());
  }
  EXPECT_TRUE(got == ev);
  ASSERT_TRUE((*r)->ReadGroup(1, col::kDst | col::kIpHeader, &rows).ok());
  for (size_t i = 0; i < rows.size(); ++i) {
    Event want = ev[kRowsPerGroup + i];
    Event masked{};
    masked.dst = want.dst;
    masked.ttl = want.ttl, masked.ip_len = want.ip_len, masked.ip_id = want.ip_id;
    masked.ip_flags = want.ip_flags;
    masked.count = 0;
    ASSERT_TRUE(rows[i] == masked) << i;
  }
  uint64_t blocks = 0;
  EXPECT_TRUE((*r)->VerifyAll(&blocks).ok());
  // Flip one byte in each region of the file: never a crash, always an error.
  for (size_t pos = 0; pos < file.size(); pos += file.size() / 41 + 1) {
    std::string bad = file;
    bad[pos] ^= 0x5a;
    auto g = fs.NewWritableFile("/s/bad.seg");
    ASSERT_TRUE((*g)->Append(bad).ok());
    auto br = SegmentReader::Open(&fs, "/s/bad.seg");
    if (!br.ok()) {
      EXPECT_NE(br.status().code(), Code::kOk);
      continue;
    }
    uint64_t b = 0;
    Status s = (*br)->VerifyAll(&b);
    EXPECT_EQ(s.code(), Code::kCorruption) << pos;
    EXPECT_NE(s.message().find("bad.seg"), std::string::npos);
  }
}

TEST(WalTest, TornTailIsCut) {
  FaultInjectionFileSystem fs;
  ASSERT_TRUE(fs.CreateDir("/w").ok());
  auto w = WalWriter::Create(&fs, "/w/wal.log");
  ASSERT_TRUE(w.ok());
  for (uint64_t s = 1; s <= 5; ++s) {
    ASSERT_TRUE((*w)->AddRecord(WalType::kSensor, s, std::string(100 * s, 'x')).ok());
  }
  std::string full;
  ASSERT_TRUE(fs.ReadFile("/w/wal.log", &full).ok());
  for (size_t cut = kWalFileHeaderSize; cut <= full.size(); cut += 7) {
    auto f = fs.NewWritableFile("/w/cut.log");
    ASSERT_TRUE((*f)->Append(full.substr(0, cut)).ok());
    auto r = WalReader::Open(&fs, "/w/cut.log");
    ASSERT_TRUE(r.ok());
    WalType t;
    uint64_t seq, n = 0;
    std::string_view p;
    while ((*r)->Next(&t, &seq, &p)) {
      EXPECT_EQ(seq, ++n);
      EXPECT_EQ(p.size(), 100 * n);
    }
    size_t expect = 0, at = kWalFileHeaderSize;
    for (uint64_t s = 1; s <= 5; ++s) {
      at += kWalRecordHeaderSize + 100 * s;
      if (at <= cut) expect = s;
    }
    EXPECT_EQ(n, expect) << cut;
  }
}


// Logs of many sensors interleave in time, each counting its own lines up by
// one: the line column is keyed by the sensor, so it costs almost nothing, and
// reading it alone still works (the reader decodes the sensor for its keys).
TEST(EncodingTest, LineColumnKeyedBySensor) {
  std::mt19937_64 rng(11);
  std::vector<Event> ev;
  std::vector<uint32_t> next_line(50, 1);
  for (int i = 0; i < 20000; ++i) {
    Event e = testing::RandomEvent(rng, 0, kUsPerHour);
    e.sensor = 1000 + static_cast<uint32_t>(rng() % 50) * 7919;  // sparse, some above 4096
    e.line = next_line[(e.sensor - 1000) / 7919]++;
    ev.push_back(e);
  }
  std::vector<uint32_t> order(ev.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::string file;
  SegmentInfo info;
  EncodeSegment(0, ev.data(), order, 3, &file, &info);
  EXPECT_LT(info.column_bytes[kColLine], ev.size() / 50) << "line deltas per sensor should be ~free";
  FaultInjectionFileSystem fs;
  ASSERT_TRUE(fs.CreateDir("/s").ok());
  auto f = fs.NewWritableFile("/s/p.seg");
  ASSERT_TRUE((*f)->Append(file).ok());
  auto r = SegmentReader::Open(&fs, "/s/p.seg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<Event> rows;
  ASSERT_TRUE((*r)->ReadGroup(0, col::kOrigin, &rows).ok());
  ASSERT_EQ(rows.size(), ev.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].line, ev[i].line) << i;
    ASSERT_EQ(rows[i].origin, ev[i].origin) << i;
    ASSERT_EQ(rows[i].sensor, 0u) << "sensor was not asked for";
  }
  ASSERT_TRUE((*r)->ReadGroup(0, col::kAll, &rows).ok());
  EXPECT_TRUE(rows == ev);
}

}  // namespace
}  // namespace portstorm::store::detail
