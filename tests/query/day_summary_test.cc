// Day summaries: the day index without its address sets (store/day_index.h),
// read from raw bytes (format versions 1 and 2), from a Store on disk, and
// used by the executor's index plan, which decodes sets only when a group
// merges several index entries. The same conformance suite as the executor
// runs here over a real Store, flushed and with an unflushed tail.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "query/backend_conformance.h"
#include "query/executor.h"
#include "query/memory_reader.h"
#include "store/day_index.h"
#include "store/store.h"

namespace portstorm::query {
namespace {

namespace fs = std::filesystem;
using store::DayIndex;
using store::DaySummary;
using testing::BackendConformance;
using testing::BackendUnderTest;
using testing::DataSet;
using testing::kFirstDay;
using testing::MemoryReader;
using testing::RandomDataSet;

DayIndex IndexOf(const std::vector<Event>& events, int64_t day) {
  DayIndex index(day);
  for (const Event& e : events) {
    if (DayOf(e.time) == day) index.Add(e);
  }
  index.Optimize();
  return index;
}

// Version-1 bytes of `index` (entries with inline sets, no cardinalities).
std::string EncodeV1(const DayIndex& index) {
  std::string out;
  auto put = [&](auto v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(int64_t{index.day()});
  put(static_cast<uint32_t>(index.ports().size()));
  for (const auto& [k, s] : index.ports()) {
    put(k.proto);
    put(uint8_t{0});
    put(k.port);
    put(s.records);
    put(s.packets);
    put(s.first_seen);
    put(s.last_seen);
    s.sources.AppendTo(&out);
    s.targets.AppendTo(&out);
  }
  return out;
}

TEST(DaySummary, RoundTripsAndMatchesTheFullIndex) {
  DataSet data = RandomDataSet(3, 3000);
  DayIndex index = IndexOf(data.events, kFirstDay + 1);
  ASSERT_GT(index.ports().size(), 5u);
  std::string bytes;
  index.AppendTo(&bytes);
  auto full = DayIndex::ReadFrom(bytes);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_TRUE(*full == index);
  auto summary = DaySummary::ReadFrom(bytes);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(*summary, index.Summary());
  EXPECT_EQ(summary->day, kFirstDay + 1);
  ASSERT_EQ(summary->ports.size(), index.ports().size());
  const auto& [key, stats] = *index.ports().begin();
  EXPECT_EQ(summary->ports[0].key, key);
  EXPECT_EQ(summary->ports[0].sources, stats.sources.size());
  EXPECT_EQ(summary->ports[0].targets, stats.targets.size());
}

TEST(DaySummary, ReadsVersionOne) {
  DataSet data = RandomDataSet(4, 1000);
  DayIndex index = IndexOf(data.events, kFirstDay);
  std::string v1 = EncodeV1(index);
  auto full = DayIndex::ReadFrom(v1, 1);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_TRUE(*full == index);
  auto summary = DaySummary::ReadFrom(v1, 1);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(*summary, index.Summary());
  // Version-1 bytes are not version-2 bytes.
  EXPECT_FALSE(DaySummary::ReadFrom(v1, 2).ok());
}

TEST(DaySummary, UnknownVersionsAreUnsupported) {
  std::string bytes;
  DayIndex(kFirstDay).AppendTo(&bytes);
  for (uint32_t v : {0u, 3u}) {
    EXPECT_EQ(DayIndex::ReadFrom(bytes, v).status().code(), Code::kUnsupported);
    EXPECT_EQ(DaySummary::ReadFrom(bytes, v).status().code(), Code::kUnsupported);
  }
}

TEST(DaySummary, TruncatedOrPaddedBytesAreCorruption) {
  DataSet data = RandomDataSet(5, 300);
  std::string bytes;
  IndexOf(data.events, kFirstDay).AppendTo(&bytes);
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::string_view cut(bytes.data(), n);
    EXPECT_EQ(DaySummary::ReadFrom(cut).status().code(), Code::kCorruption) << n;
    EXPECT_EQ(DayIndex::ReadFrom(cut).status().code(), Code::kCorruption) << n;
  }
  std::string padded = bytes + '\0';
  EXPECT_EQ(DaySummary::ReadFrom(padded).status().code(), Code::kCorruption);
  EXPECT_EQ(DayIndex::ReadFrom(padded).status().code(), Code::kCorruption);
}

TEST(DaySummary, CountsThatDisagreeWithTheSetsAreCorruption) {
  DataSet data = RandomDataSet(6, 300);
  std::string bytes;
  IndexOf(data.events, kFirstDay).AppendTo(&bytes);
  // Entry 0's `sources` field: 16-byte header + 40 bytes into the entry.
  uint64_t sources;
  std::memcpy(&sources, bytes.data() + 16 + 40, 8);
  ++sources;
  std::memcpy(bytes.data() + 16 + 40, &sources, 8);
  EXPECT_EQ(DayIndex::ReadFrom(bytes).status().code(), Code::kCorruption);
  // The summary trusts the table (that is its point); Store::Verify reads the
  // full index and catches it.
  EXPECT_TRUE(DaySummary::ReadFrom(bytes).ok());
}

TEST(DaySummary, EntriesOutOfOrderAreCorruption) {
  DayIndex index(kFirstDay);
  Event a;
  a.time = kFirstDay * kUsPerDay;
  a.proto = kProtoTcp;
  a.dport = 80;
  index.Add(a);
  a.dport = 81;
  index.Add(a);
  std::string bytes;
  index.AppendTo(&bytes);
  // Swap the two 56-byte entries of the table.
  std::string e0 = bytes.substr(16, 56);
  bytes.replace(16, 56, bytes.substr(16 + 56, 56));
  bytes.replace(16 + 56, 56, e0);
  EXPECT_EQ(DaySummary::ReadFrom(bytes).status().code(), Code::kCorruption);
  EXPECT_EQ(DayIndex::ReadFrom(bytes).status().code(), Code::kCorruption);
}

// ------------------------------------------------------------ on a Store

class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = fs::temp_directory_path() /
            ("portstorm-summary-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    fs::remove_all(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

// Writes `data` to a new store; events from `unflushed_from` on stay in the
// memtable (and the WAL) instead of being flushed.
std::unique_ptr<store::Store> FillStore(const std::string& dir, const DataSet& data,
                                        size_t unflushed_from) {
  auto s = store::Store::Open(dir);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return nullptr;
  for (const std::string& name : data.sensors) EXPECT_TRUE((*s)->SensorId(name).ok());
  std::span<const Event> all(data.events);
  size_t cut = std::min(unflushed_from, all.size());
  EXPECT_TRUE((*s)->Append(all.first(cut), 0, 0, 0).ok());
  EXPECT_TRUE((*s)->Flush().ok());
  if (cut < all.size()) {
    EXPECT_TRUE((*s)->Append(all.subspan(cut), 0, 0, 0).ok());
  }
  return std::move(*s);
}

TEST(DaySummary, StoreSummaryEqualsTheFullIndex) {
  TempDir dir;
  DataSet data = RandomDataSet(8, 3000);
  auto s = FillStore(dir.str(), data, 2000);
  ASSERT_NE(s, nullptr);
  for (int64_t d = kFirstDay - 1; d <= kFirstDay + 3; ++d) {
    auto index = s->ReadDayIndex(d);
    auto summary = s->ReadDaySummary(d);
    ASSERT_TRUE(index.ok() && summary.ok()) << summary.status().ToString();
    EXPECT_EQ(*summary, index->Summary()) << d;
    EXPECT_EQ(summary->day, d);
  }
  ASSERT_TRUE(s->Close().ok());
  // After the close flushed everything, and read-only.
  auto r = store::Store::Open(dir.str(), {.read_only = true});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  MemoryReader mem(data.events);
  for (int64_t d = kFirstDay; d <= kFirstDay + 2; ++d) {
    auto summary = (*r)->ReadDaySummary(d);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(*summary, *mem.ReadDaySummary(d)) << d;
  }
}

// ------------------------------------------------ the executor's index plan

Query Ranking(TimeRange range, std::vector<GroupKey> keys) {
  Query q;
  q.time = range;
  q.group_by = std::move(keys);
  q.aggregates = {Agg::kRecords, Agg::kDistinctSources, Agg::kDistinctTargets,
                  Agg::kFirstSeen};
  return q;
}

struct PlanCase {
  const char* what;
  Query q;
  uint64_t days_indexed, day_sets_read;
};

TEST(IndexPlan, DecodesSetsOnlyForMergedGroups) {
  DataSet data = RandomDataSet(9, 2000);
  MemoryReader reader(data.events);
  const TimeRange one = TimeRange::Day(kFirstDay + 1);
  const TimeRange two = TimeRange::Days(kFirstDay, kFirstDay + 1);
  Query no_distinct = Ranking(two, {GroupKey::kProto});
  no_distinct.aggregates = {Agg::kRecords, Agg::kPackets, Agg::kLastSeen};
  Query tcp_only = Ranking(one, {GroupKey::kDport});
  tcp_only.filter = *ParseFilter("proto tcp");
  const PlanCase cases[] = {
      {"ports of one day", Ranking(one, {GroupKey::kProto, GroupKey::kDport}), 1, 0},
      {"ports per day", Ranking(two, {GroupKey::kDay, GroupKey::kProto, GroupKey::kDport}), 2, 0},
      {"ports over two days", Ranking(two, {GroupKey::kProto, GroupKey::kDport}), 2, 2},
      {"dport merges protocols", Ranking(one, {GroupKey::kDport}), 1, 1},
      {"one protocol: nothing merges", tcp_only, 1, 0},
      {"no distinct counts", no_distinct, 2, 0},
      {"totals per day", Ranking(two, {GroupKey::kDay}), 2, 2},
  };
  for (const PlanCase& c : cases) {
    EmbeddedBackend index(reader, {Plan::kIndex});
    EmbeddedBackend scan(reader, {Plan::kScan});
    ExecStats stats;
    auto got = index.Execute(c.q, &stats);
    auto want = scan.Execute(c.q);
    ASSERT_TRUE(got.ok() && want.ok()) << c.what;
    EXPECT_EQ(*got, *want) << c.what;
    EXPECT_FALSE(got->rows.empty()) << c.what;
    EXPECT_EQ(stats.days_indexed, c.days_indexed) << c.what;
    EXPECT_EQ(stats.day_sets_read, c.day_sets_read) << c.what;
  }
}

// The conformance suite over a real store: the index plan reads version-2
// summaries from disk (flushed), or merges an unflushed tail (memtable).
class StoreBackend : public Backend {
 public:
  StoreBackend(const DataSet& d, size_t unflushed_from)
      : store_(FillStore(dir_.str(), d, unflushed_from)), backend_(*store_) {}
  std::string_view name() const override { return backend_.name(); }
  Result<Table> Execute(const Query& q) const override { return backend_.Execute(q); }
  Result<std::vector<int64_t>> Days() const override { return backend_.Days(); }

 private:
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  EmbeddedBackend backend_;
};

INSTANTIATE_TEST_SUITE_P(
    Store, BackendConformance,
    ::testing::Values(
        BackendUnderTest{"store_flushed",
                         [](const DataSet& d) {
                           return std::make_unique<StoreBackend>(d, d.events.size());
                         }},
        BackendUnderTest{"store_memtable",
                         [](const DataSet& d) {
                           return std::make_unique<StoreBackend>(d, d.events.size() / 2);
                         }}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace portstorm::query
