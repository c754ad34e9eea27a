// Backend conformance: the contract every query::Backend must meet.
//
// A backend under test is described by a BackendUnderTest: a name and a
// factory that loads a data set (events + sensor names) and returns the
// backend. The suite generates seeded random data sets, runs a fixed list of
// queries covering every group key, aggregate, filter primitive, time-range
// shape, order and limit, and requires each answer to equal the reference
// (the embedded executor's scan plan, the simplest code path).
//
// To plug in another backend (ClickHouse, a later issue), add in its test:
//   INSTANTIATE_TEST_SUITE_P(ClickHouse, BackendConformance,
//       ::testing::Values(BackendUnderTest{"clickhouse", MakeClickHouseBackend}));
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "query/backend.h"
#include "query/executor.h"
#include "query/memory_reader.h"

namespace portstorm::query::testing {

struct DataSet {
  std::vector<Event> events;
  std::vector<std::string> sensors;  // id = position + 1
};

struct BackendUnderTest {
  std::string name;
  // The returned backend may keep `data` by reference for its lifetime.
  std::function<std::unique_ptr<Backend>(const DataSet& data)> make;
  // Whether the backend can run every query (false: skip InvalidArgument answers).
  bool answers_everything = true;
};

inline std::ostream& operator<<(std::ostream& os, const BackendUnderTest& b) { return os << b.name; }

// Day 12794 = 2005-01-11, the seeds' era.
inline constexpr int64_t kFirstDay = 12794;

inline DataSet RandomDataSet(uint32_t seed, size_t n) {
  std::mt19937 rng(seed);
  auto pick = [&](uint32_t k) { return static_cast<uint32_t>(rng() % k); };
  DataSet d;
  d.sensors = {"home-gw", "dmz", "aset-border"};
  const uint16_t ports[] = {1026, 1027, 1031, 135, 137, 3771, 5000, 6346, 445, 80, 53};
  const uint8_t protos[] = {kProtoTcp, kProtoTcp, kProtoUdp, kProtoUdp, kProtoIcmp};
  for (size_t i = 0; i < n; ++i) {
    Event e;
    e.time = (kFirstDay + pick(3)) * kUsPerDay + static_cast<TimeUs>(pick(86400)) * kUsPerSecond +
             pick(1000);
    if (pick(10) == 0) {
      uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, static_cast<uint8_t>(pick(3))};
      b[15] = static_cast<uint8_t>(pick(20));
      e.src = IpAddr::V6(b);
    } else {
      e.src = IpAddr::V4((uint32_t{83 + pick(3)} << 24) | (pick(4) << 8) | pick(30));
    }
    if (pick(20) == 0) {
      uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, static_cast<uint8_t>(pick(2))};
      b[15] = static_cast<uint8_t>(pick(5));
      e.dst = IpAddr::V6(b);
    } else {
      e.dst = IpAddr::V4((10u << 24) | (pick(3) << 8) | pick(60));
    }
    e.proto = protos[pick(5)];
    e.sport = pick(3) == 0 ? (pick(2) ? 666 : 4177) : static_cast<uint16_t>(1024 + pick(50000));
    e.dport = e.proto == kProtoIcmp ? static_cast<uint16_t>(pick(4)) : ports[pick(11)];
    e.tcp_flags = e.proto == kProtoTcp ? static_cast<uint8_t>(pick(2) ? tcp::kSyn : tcp::kSyn | tcp::kAck) : 0;
    e.count = 1 + pick(4);
    e.sensor = 1 + pick(3);
    d.events.push_back(e);
  }
  return d;
}

inline std::vector<Query> ConformanceQueries() {
  std::vector<Query> qs;
  const std::vector<std::vector<GroupKey>> groupings = {
      {},
      {GroupKey::kProto, GroupKey::kDport},
      {GroupKey::kDay, GroupKey::kProto, GroupKey::kDport},
      {GroupKey::kDport},
      {GroupKey::kDay},
      {GroupKey::kProto},
      {GroupKey::kSrc},
      {GroupKey::kSrc, GroupKey::kDay},
      {GroupKey::kDst},
      {GroupKey::kDstNet},
      {GroupKey::kSport},
      {GroupKey::kSensor},
      {GroupKey::kHour, GroupKey::kProto},
  };
  const char* filters[] = {
      "",
      "proto tcp",
      "dst port 1026-1031",
      "proto udp and not dst port 1026",
      "dst port 1026-1031 and not src port in [666 4177]",
      "src net 84.0.0.0/8 or src net 2001:db8::/32",
      "flags S and not flags A",
      "sensor dmz",
      "sensor nosuch",
      "port 135",
  };
  const TimeRange ranges[] = {
      TimeRange{},
      TimeRange::Day(kFirstDay + 1),
      TimeRange::Days(kFirstDay, kFirstDay + 1),
      TimeRange{(kFirstDay + 1) * kUsPerDay + 6 * kUsPerHour, (kFirstDay + 2) * kUsPerDay},
      TimeRange::Day(kFirstDay + 9),  // no data
  };
  const std::vector<Agg> all_aggs = {Agg::kRecords,         Agg::kPackets,
                                     Agg::kDistinctSources, Agg::kDistinctTargets,
                                     Agg::kFirstSeen,       Agg::kLastSeen};
  size_t i = 0;
  for (const auto& g : groupings) {
    for (const char* f : filters) {
      for (const TimeRange& r : ranges) {
        Query q;
        q.group_by = g;
        q.filter = *ParseFilter(f);
        q.time = r;
        q.aggregates = all_aggs;
        if (i % 3 == 0) q.aggregates.push_back(Agg::kDistinctSensors);
        // Vary order and limit: records desc (top-N), sources desc, keys only.
        size_t recs = g.size();
        if (i % 4 == 0) q.order_by = {{recs, true}, {recs + 2, true}};
        if (i % 4 == 1) q.order_by = {{recs + 2, true}};
        if (i % 4 == 2) q.order_by = {{recs + 4, false}};
        if (i % 5 == 0) q.limit = 5;
        qs.push_back(std::move(q));
        ++i;
      }
    }
  }
  return qs;
}

class BackendConformance : public ::testing::TestWithParam<BackendUnderTest> {};

}  // namespace portstorm::query::testing
