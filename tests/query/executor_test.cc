#include "query/executor.h"

#include <gtest/gtest.h>

#include "query/backend_conformance.h"
#include "query/memory_reader.h"

namespace portstorm::query {
namespace {

using testing::BackendConformance;
using testing::BackendUnderTest;
using testing::DataSet;
using testing::kFirstDay;
using testing::MemoryReader;

// An EmbeddedBackend that owns its MemoryReader.
class OwningEmbedded : public Backend {
 public:
  OwningEmbedded(const DataSet& d, Plan plan) : reader_(d.events), backend_(reader_, {plan}) {
    reader_.SetSensors(d.sensors);
  }
  std::string_view name() const override { return backend_.name(); }
  Result<Table> Execute(const Query& q) const override { return backend_.Execute(q); }
  Result<std::vector<int64_t>> Days() const override { return backend_.Days(); }

 private:
  MemoryReader reader_;
  EmbeddedBackend backend_;
};

INSTANTIATE_TEST_SUITE_P(
    Embedded, BackendConformance,
    ::testing::Values(
        BackendUnderTest{"embedded_auto",
                         [](const DataSet& d) { return std::make_unique<OwningEmbedded>(d, Plan::kAuto); }},
        // The index plan on every query it can answer must equal the scan plan.
        BackendUnderTest{"embedded_index",
                         [](const DataSet& d) { return std::make_unique<OwningEmbedded>(d, Plan::kIndex); },
                         /*answers_everything=*/false}),
    [](const auto& info) { return info.param.name; });

Event Ev(TimeUs t, const char* src, const char* dst, uint8_t proto, uint16_t dport,
         uint32_t count = 1, uint32_t sensor = 1) {
  Event e;
  e.time = t;
  e.src = *IpAddr::Parse(src);
  e.dst = *IpAddr::Parse(dst);
  e.proto = proto;
  e.sport = 40000;
  e.dport = dport;
  e.count = count;
  e.sensor = sensor;
  return e;
}

TimeUs At(int64_t day, int h, int m = 0, int s = 0) {
  return day * kUsPerDay + h * kUsPerHour + (m * 60 + s) * kUsPerSecond;
}

Query PortsQuery(int64_t day) {
  Query q;
  q.time = TimeRange::Day(day);
  q.group_by = {GroupKey::kProto, GroupKey::kDport};
  q.aggregates = {Agg::kRecords, Agg::kPackets, Agg::kDistinctSources, Agg::kDistinctTargets,
                  Agg::kFirstSeen, Agg::kLastSeen};
  q.order_by = {{2, true}};
  return q;
}

TEST(Executor, PlanSelection) {
  Query q = PortsQuery(kFirstDay);
  EXPECT_TRUE(EmbeddedBackend::IndexCanAnswer(q));
  q.filter = *ParseFilter("proto tcp and dst port 3771 or not dst port in [1 2]");
  EXPECT_TRUE(EmbeddedBackend::IndexCanAnswer(q));
  q.filter = *ParseFilter("port 3771");  // either side: needs the source port
  EXPECT_FALSE(EmbeddedBackend::IndexCanAnswer(q));
  q.filter = *ParseFilter("src net 10.0.0.0/8");
  EXPECT_FALSE(EmbeddedBackend::IndexCanAnswer(q));
  q.filter = Expr::True();
  q.time.until -= kUsPerHour;  // partial day
  EXPECT_FALSE(EmbeddedBackend::IndexCanAnswer(q));
  q.time = TimeRange{};  // all time
  EXPECT_TRUE(EmbeddedBackend::IndexCanAnswer(q));
  q.aggregates.push_back(Agg::kDistinctSensors);
  EXPECT_FALSE(EmbeddedBackend::IndexCanAnswer(q));
  q.aggregates.pop_back();
  q.group_by.push_back(GroupKey::kSrc);
  EXPECT_FALSE(EmbeddedBackend::IndexCanAnswer(q));
}

TEST(Executor, IndexPlanDoesNotScan) {
  MemoryReader reader({Ev(At(kFirstDay, 1), "1.1.1.1", "10.0.0.1", kProtoTcp, 3771),
                       Ev(At(kFirstDay, 2), "1.1.1.2", "10.0.0.1", kProtoTcp, 3771, 3),
                       Ev(At(kFirstDay, 3), "1.1.1.1", "10.0.0.2", kProtoUdp, 1026)});
  EmbeddedBackend be(reader);
  ExecStats stats;
  auto t = be.Execute(PortsQuery(kFirstDay), &stats);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(stats.plan, Plan::kIndex);
  EXPECT_EQ(stats.events_scanned, 0u);
  EXPECT_EQ(stats.days_indexed, 1u);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->columns[0].name, "proto");
  EXPECT_EQ(t->columns[1].name, "dport");
  EXPECT_EQ(t->rows[0], (std::vector<Cell>{std::string("tcp"), int64_t{3771}, int64_t{2},
                                           int64_t{4}, int64_t{2}, int64_t{1},
                                           int64_t{At(kFirstDay, 1)}, int64_t{At(kFirstDay, 2)}}));
  EXPECT_EQ(t->rows[1], (std::vector<Cell>{std::string("udp"), int64_t{1026}, int64_t{1},
                                           int64_t{1}, int64_t{1}, int64_t{1},
                                           int64_t{At(kFirstDay, 3)}, int64_t{At(kFirstDay, 3)}}));

  ExecStats scan_stats;
  EmbeddedBackend scan(reader, {Plan::kScan});
  auto t2 = scan.Execute(PortsQuery(kFirstDay), &scan_stats);
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(scan_stats.plan, Plan::kScan);
  EXPECT_EQ(scan_stats.events_scanned, 3u);
  EXPECT_EQ(*t2, *t);
}

TEST(Executor, ForcingTheIndexOnAnIneligibleQueryIsAnError) {
  MemoryReader reader;
  EmbeddedBackend be(reader, {Plan::kIndex});
  Query q = PortsQuery(kFirstDay);
  q.group_by = {GroupKey::kSrc};
  q.order_by.clear();
  auto t = be.Execute(q);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
}

TEST(Executor, NoKeysGivesOneRowEvenWithoutData) {
  MemoryReader reader;
  EmbeddedBackend be(reader);
  Query q;
  q.aggregates = {Agg::kRecords, Agg::kDistinctSources, Agg::kFirstSeen};
  auto t = be.Execute(q);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0], (std::vector<Cell>{int64_t{0}, int64_t{0}, Cell{}}));
  q.group_by = {GroupKey::kSrc};
  auto t2 = be.Execute(q);
  ASSERT_TRUE(t2.ok());
  EXPECT_TRUE(t2->rows.empty());
}

TEST(Executor, KeysAndTypes) {
  MemoryReader reader({Ev(At(kFirstDay, 1, 5), "84.1.1.1", "10.0.1.7", kProtoTcp, 80, 1, 2),
                       Ev(At(kFirstDay, 1, 9), "84.1.1.1", "10.0.1.9", kProtoTcp, 80, 1, 1),
                       Ev(At(kFirstDay, 2), "2001:db8::1", "2001:db8:ff:0:1::5", kProtoTcp, 80, 1, 1)});
  reader.SetSensors({"zeta", "alpha"});
  EmbeddedBackend be(reader);
  Query q;
  q.group_by = {GroupKey::kDstNet, GroupKey::kHour, GroupKey::kSensor};
  q.aggregates = {Agg::kRecords, Agg::kDistinctSensors};
  auto t = be.Execute(q);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->columns[0].privacy, Privacy::kTargetAddress);
  EXPECT_EQ(t->columns[2].privacy, Privacy::kSensor);
  EXPECT_EQ(t->columns[1].type, CellType::kTime);
  // Ordered by dst_net, then hour, then sensor *name* (alpha = id 2 before zeta = id 1).
  EXPECT_EQ(t->rows[0][0], Cell{*IpAddr::Parse("10.0.1.0")});
  EXPECT_EQ(t->rows[0][1], Cell{int64_t{At(kFirstDay, 1)}});
  EXPECT_EQ(t->rows[0][2], Cell{std::string("alpha")});
  EXPECT_EQ(t->rows[1][2], Cell{std::string("zeta")});
  EXPECT_EQ(t->rows[2][0], Cell{*IpAddr::Parse("2001:db8:ff::")});
  EXPECT_EQ(t->rows[2][1], Cell{int64_t{At(kFirstDay, 2)}});
}

TEST(Executor, IndexUnionsWhenEntriesMerge) {
  // Same source on two ports and two days: distinct counts must not double.
  MemoryReader reader({Ev(At(kFirstDay, 1), "1.1.1.1", "10.0.0.1", kProtoUdp, 1026),
                       Ev(At(kFirstDay, 1), "1.1.1.1", "10.0.0.2", kProtoUdp, 1027),
                       Ev(At(kFirstDay + 1, 1), "1.1.1.1", "10.0.0.1", kProtoUdp, 1026),
                       Ev(At(kFirstDay + 1, 1), "2001:db8::1", "10.0.0.1", kProtoUdp, 1026)});
  for (Plan p : {Plan::kIndex, Plan::kScan}) {
    EmbeddedBackend be(reader, {p});
    Query q;
    q.filter = *ParseFilter("proto udp and dst port 1026-1031");
    q.aggregates = {Agg::kRecords, Agg::kDistinctSources, Agg::kDistinctTargets};
    auto t = be.Execute(q);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->rows[0], (std::vector<Cell>{int64_t{4}, int64_t{2}, int64_t{2}}));
    q.group_by = {GroupKey::kDport};
    t = be.Execute(q);
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t->rows.size(), 2u);
    EXPECT_EQ(t->rows[0], (std::vector<Cell>{int64_t{1026}, int64_t{3}, int64_t{2}, int64_t{1}}));
  }
}

TEST(Executor, ScanDecodesOnlyNeededColumns) {
  namespace col = store::col;
  Query q;
  q.aggregates = {Agg::kRecords};
  EXPECT_EQ(EmbeddedBackend::ScanColumns(q), 0u);
  q.group_by = {GroupKey::kSrc, GroupKey::kDay};
  q.aggregates = {Agg::kPackets, Agg::kFirstSeen};
  q.filter = *ParseFilter("dst port 1026 and not src port 666");
  EXPECT_EQ(EmbeddedBackend::ScanColumns(q), col::kSrc | col::kTime | col::kCount | col::kPorts);
}

TEST(Executor, ValidateRejectsBadQueries) {
  MemoryReader reader;
  EmbeddedBackend be(reader);
  Query q;
  q.group_by = {GroupKey::kSrc, GroupKey::kSrc};
  EXPECT_EQ(be.Execute(q).status().code(), Code::kInvalidArgument);
  q.group_by = {GroupKey::kSrc};
  q.aggregates = {Agg::kRecords};
  q.order_by = {{2, true}};
  EXPECT_EQ(be.Execute(q).status().code(), Code::kInvalidArgument);
  q.order_by.clear();
  q.time = {10, 5};
  EXPECT_EQ(be.Execute(q).status().code(), Code::kInvalidArgument);
}

TEST(Executor, Describe) {
  Query q = PortsQuery(kFirstDay);
  q.filter = *ParseFilter("dst port 3771");
  q.limit = 10;
  EXPECT_EQ(Describe(q),
            "group by proto,dport agg records,packets,sources,targets,first_seen,last_seen "
            "where dst port 3771 from 2005-01-11 00:00:00 until 2005-01-12 00:00:00 "
            "order by 2 desc limit 10");
}

}  // namespace
}  // namespace portstorm::query
