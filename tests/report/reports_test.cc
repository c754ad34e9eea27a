#include "report/reports.h"

#include <gtest/gtest.h>

#include <cstring>

#include "query/executor.h"
#include "query/memory_reader.h"
#include "report/services.h"
#include "report/table_writer.h"

namespace portstorm::report {
namespace {

using query::EmbeddedBackend;
using query::testing::MemoryReader;

int64_t Day(const char* d) { return *ParseDay(d); }
TimeUs At(const char* day, int h, int m = 0, int s = 0) {
  return Day(day) * kUsPerDay + h * kUsPerHour + (m * 60 + s) * kUsPerSecond;
}

Event Ev(TimeUs t, const IpAddr& src, uint16_t sport, const IpAddr& dst, uint8_t proto,
         uint16_t dport, uint32_t count = 1) {
  Event e;
  e.time = t;
  e.src = src;
  e.dst = dst;
  e.sport = sport;
  e.dport = dport;
  e.proto = proto;
  e.count = count;
  return e;
}
IpAddr Ip(const char* s) { return *IpAddr::Parse(s); }

// Column `name` of every row as text.
std::vector<std::string> ColumnText(const Table& t, const char* name) {
  size_t c = *t.ColumnIndex(name);
  std::vector<std::string> out;
  for (const auto& r : t.rows) out.push_back(CellText(r[c], t.columns[c]));
  return out;
}

// ------------------------------------------------------------------ seed 000

struct SeedSource {
  const char* ip;
  int count;
};
// Yesterday's hits to tcp/3771 from seed 000 (26 listed sources) ...
constexpr SeedSource kSeed000[] = {
    {"83.50.134.3", 351},   {"82.82.174.237", 12},  {"80.140.166.187", 10}, {"82.212.35.212", 8},
    {"84.174.142.141", 7},  {"217.115.141.56", 7},  {"84.174.148.77", 5},   {"84.173.240.91", 5},
    {"84.173.214.61", 5},   {"84.173.212.241", 5},  {"84.173.218.91", 4},   {"82.83.60.182", 4},
    {"69.60.109.63", 4},    {"84.162.118.170", 3},  {"84.58.219.187", 2},   {"66.227.102.108", 2},
    {"84.173.202.13", 1},   {"84.166.173.97", 1},   {"82.83.102.34", 1},    {"69.60.97.125", 1},
    {"4.78.220.192", 1},    {"220.116.49.50", 1},   {"216.39.127.97", 1},   {"209.104.200.207", 1},
    {"209.104.200.199", 1}, {"209.104.200.177", 1},
};
// ... which add up to 444; the percentages printed there (351 = 78.88%) are
// of 445, so one more record came from a source the list left out.

MemoryReader Seed000Reader() {
  std::vector<Event> events;
  int n = 0;
  for (const SeedSource& s : kSeed000) {
    for (int i = 0; i < s.count; ++i, ++n) {
      events.push_back(Ev(At("2006-02-17", 0, 0, 10) + n * 90 * kUsPerSecond, Ip(s.ip), 4662,
                          Ip("192.0.2.50"), kProtoTcp, 3771));
    }
  }
  events.push_back(Ev(At("2006-02-17", 23, 0), Ip("2001:db8::77"), 4662, Ip("192.0.2.50"),
                      kProtoTcp, 3771));
  // Noise the report must not count: other ports, udp/3771, another day.
  events.push_back(Ev(At("2006-02-17", 5), Ip("83.50.134.3"), 4662, Ip("192.0.2.50"), kProtoUdp, 3771));
  events.push_back(Ev(At("2006-02-17", 5), Ip("83.50.134.3"), 4662, Ip("192.0.2.50"), kProtoTcp, 3772));
  events.push_back(Ev(At("2006-02-16", 5), Ip("83.50.134.3"), 4662, Ip("192.0.2.50"), kProtoTcp, 3771));
  return MemoryReader(std::move(events));
}

TEST(SourcesReport, Seed000TopSourcesWithPercent) {
  MemoryReader reader = Seed000Reader();
  EmbeddedBackend backend(reader);
  SourcesOptions o;
  o.port = 3771;
  o.proto = kProtoTcp;
  o.day = Day("2006-02-17");
  o.top = 26;
  auto t = SourcesReport(backend, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->rows.size(), 26u);
  EXPECT_EQ(ColumnText(*t, "count"),
            (std::vector<std::string>{"351", "12", "10", "8", "7", "7", "5", "5", "5", "5", "4",
                                      "4", "4", "3", "2", "2", "1", "1", "1", "1", "1", "1", "1",
                                      "1", "1", "1"}));
  EXPECT_EQ(ColumnText(*t, "percent"),
            (std::vector<std::string>{"78.88", "2.70", "2.25", "1.80", "1.57", "1.57", "1.12",
                                      "1.12", "1.12", "1.12", "0.90", "0.90", "0.90", "0.67",
                                      "0.45", "0.45", "0.22", "0.22", "0.22", "0.22", "0.22",
                                      "0.22", "0.22", "0.22", "0.22", "0.22"}));
  // Ties are broken by the address, numerically (the seed's list used a text sort).
  std::vector<std::string> ips = ColumnText(*t, "ip");
  EXPECT_EQ(ips[0], "83.50.134.3");
  EXPECT_EQ(ips[4], "84.174.142.141");
  EXPECT_EQ(ips[5], "217.115.141.56");
  EXPECT_EQ((std::vector<std::string>(ips.begin() + 16, ips.end())),
            (std::vector<std::string>{"4.78.220.192", "69.60.97.125", "82.83.102.34",
                                      "84.166.173.97", "84.173.202.13", "209.104.200.177",
                                      "209.104.200.199", "209.104.200.207", "216.39.127.97",
                                      "220.116.49.50"}));
  EXPECT_EQ(ColumnText(*t, "first_seen")[0], "2006-02-17 00:00:10");
  std::string tsv = FormatTable(*t, OutputFormat::kTsv);
  EXPECT_EQ(tsv.substr(0, tsv.find('\n', tsv.find('\n') + 1)),
            "count\tpercent\tip\tfirst_seen\tlast_seen\n"
            "351\t78.88\t83.50.134.3\t2006-02-17 00:00:10\t2006-02-17 08:45:10");
}

TEST(SourcesReport, DefaultsToTcpAndUdpOnTheLatestDay) {
  MemoryReader reader = Seed000Reader();
  EmbeddedBackend backend(reader);
  SourcesOptions o;
  o.port = 3771;
  o.top = 1;
  auto t = SourcesReport(backend, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(ColumnText(*t, "count")[0], "352");  // + the udp/3771 record
  EXPECT_EQ(ColumnText(*t, "percent")[0], "78.92");
  o.port = 9;
  t = SourcesReport(backend, o);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->rows.empty());
  EXPECT_EQ(t->columns.size(), 5u);
}

// ------------------------------------------------------------------ ports

struct PortDay {
  uint8_t proto;
  uint16_t port;
  int records;
  int sources;
};

void AddPortDay(const char* day, const std::vector<PortDay>& ports, std::vector<Event>* out) {
  uint32_t n = 0;
  for (const PortDay& p : ports) {
    for (int i = 0; i < p.records; ++i, ++n) {
      IpAddr src = IpAddr::V4((50u << 24) | static_cast<uint32_t>(i % p.sources));
      out->push_back(Ev(At(day, 1) + n * kUsPerSecond, src, 3000, IpAddr::V4((10u << 24) | (n % 5)),
                        p.proto, p.port));
    }
  }
}

MemoryReader TwoDays() {
  const uint8_t T = kProtoTcp, U = kProtoUdp;
  std::vector<Event> ev;
  AddPortDay("2006-02-16",
             {{T, 80, 100, 100}, {T, 445, 90, 90}, {U, 1026, 80, 80}, {T, 135, 70, 70},
              {U, 137, 60, 60}, {T, 22, 50, 50}, {T, 23, 40, 40}, {T, 1433, 30, 30},
              {T, 4899, 20, 20}, {T, 5000, 15, 15}, {T, 6346, 12, 12}, {T, 3771, 5, 5},
              {T, 25, 3, 3}},
             &ev);
  AddPortDay("2006-02-17",
             {{T, 80, 130, 130}, {T, 445, 120, 120}, {T, 3771, 105, 105}, {U, 1026, 80, 80},
              {T, 135, 70, 70}, {T, 5000, 65, 65}, {U, 137, 60, 60}, {T, 22, 50, 50},
              {T, 8080, 45, 45}, {T, 23, 40, 40}, {T, 1433, 30, 30}, {T, 4899, 20, 20},
              {T, 25, 3, 3}, {T, 7, 3, 3}, {U, 53, 3, 2}, {U, 31337, 1, 1}},
             &ev);
  return MemoryReader(std::move(ev));
}

TEST(PortsReport, RankChangeAcrossTwoDays) {
  MemoryReader reader = TwoDays();
  EmbeddedBackend backend(reader);
  PortsOptions o;
  o.top = 0;
  auto t = PortsReport(backend, o);  // default day: the latest, 2006-02-17
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::vector<std::string> lines;
  for (size_t r = 0; r < t->rows.size(); ++r) {
    std::string l;
    for (const char* c : {"rank", "port", "proto", "service", "records", "sources", "prev_rank",
                          "change"}) {
      size_t i = *t->ColumnIndex(c);
      l += (l.empty() ? "" : "|") + CellText(t->rows[r][i], t->columns[i]);
    }
    lines.push_back(l);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "1|80|tcp|http|130|130|1|=",
                       "2|445|tcp|microsoft-ds|120|120|2|=",
                       "3|3771|tcp|rtp-paging|105|105|12|jumped to #3",
                       "4|1026|udp|win-messenger|80|80|3|down 1",
                       "5|135|tcp|epmap|70|70|4|down 1",
                       "6|5000|tcp|upnp|65|65|10|up 4",
                       "7|137|udp|netbios-ns|60|60|5|down 2",
                       "8|22|tcp|ssh|50|50|6|down 2",
                       "9|8080|tcp|http-alt|45|45||jumped to #9",
                       "10|23|tcp|telnet|40|40|7|down 3",
                       "11|1433|tcp|ms-sql-s|30|30|8|down 3",
                       "12|4899|tcp|radmin|20|20|9|down 3",
                       "13|7|tcp|echo|3|3||new",
                       "14|25|tcp|smtp|3|3|13|down 1",
                       "15|53|udp|domain|3|2||new",
                       "16|31337|udp|back-orifice|1|1||new",
                   }));
  EXPECT_EQ(ColumnText(*t, "targets")[0], "5");
  EXPECT_TRUE(IsNull(t->rows[8][*t->ColumnIndex("prev_rank")]));

  o.top = 10;
  t = PortsReport(backend, o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows.size(), 10u);

  // The first day has nothing to compare with: change and prev_rank are null.
  o.day = Day("2006-02-16");
  t = PortsReport(backend, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 10u);
  EXPECT_EQ(ColumnText(*t, "port")[0], "80");
  EXPECT_TRUE(IsNull(t->rows[0][*t->ColumnIndex("change")]));
  EXPECT_TRUE(IsNull(t->rows[0][*t->ColumnIndex("prev_rank")]));

  // A filter applies to both days.
  o.day.reset();
  o.filter = *query::ParseFilter("proto udp");
  t = PortsReport(backend, o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(ColumnText(*t, "port"), (std::vector<std::string>{"1026", "137", "53", "31337"}));
  EXPECT_EQ(ColumnText(*t, "change"),
            (std::vector<std::string>{"=", "=", "jumped to #3", "jumped to #4"}));
}

// Seed 002/004: every SYN is retransmitted twice. Counting attempts ranks a
// port by how many connections were tried, not by how loudly each was retried.
TEST(PortsReport, CountsRecordsOrAttempts) {
  std::vector<Event> ev;
  // tcp/5000: 40 attempts, each SYN sent 3 times (0, 3, 9 s); tcp/80: 70 single SYNs.
  for (uint32_t i = 0; i < 40; ++i) {
    for (int k = 0; k < 3; ++k) {
      Event e = Ev(At("2005-01-11", 1) + i * 60 * kUsPerSecond + (k == 0 ? 0 : (k == 1 ? 3 : 9)) * kUsPerSecond,
                   IpAddr::V4((60u << 24) | i), 4117, Ip("192.0.2.50"), kProtoTcp, 5000);
      e.tcp_flags = tcp::kSyn;
      if (k > 0) e.marks |= mark::kRetransmission;
      ev.push_back(e);
    }
  }
  for (uint32_t i = 0; i < 70; ++i) {
    Event e = Ev(At("2005-01-11", 2) + i * kUsPerSecond, IpAddr::V4((61u << 24) | i), 3000,
                 Ip("192.0.2.51"), kProtoTcp, 80);
    e.tcp_flags = tcp::kSyn;
    ev.push_back(e);
  }
  MemoryReader reader(std::move(ev));
  EmbeddedBackend backend(reader);
  PortsOptions o;
  auto t = PortsReport(backend, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(ColumnText(*t, "port"), (std::vector<std::string>{"5000", "80"}));
  EXPECT_EQ(ColumnText(*t, "records"), (std::vector<std::string>{"120", "70"}));
  o.count = CountUnit::kAttempts;
  t = PortsReport(backend, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_FALSE(t->ColumnIndex("records").has_value());
  EXPECT_EQ(ColumnText(*t, "port"), (std::vector<std::string>{"80", "5000"}));
  EXPECT_EQ(ColumnText(*t, "attempts"), (std::vector<std::string>{"70", "40"}));

  SourcesOptions so;
  so.port = 5000;
  so.top = 1;
  so.count = CountUnit::kAttempts;
  auto st = SourcesReport(backend, so);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(ColumnText(*st, "count")[0], "1");
  EXPECT_EQ(ColumnText(*st, "percent")[0], "2.50");
  so.count = CountUnit::kRecords;
  st = SourcesReport(backend, so);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(ColumnText(*st, "count")[0], "3");
}

TEST(PortsReport, EmptyStoreGivesAnEmptyTable) {
  MemoryReader reader;
  EmbeddedBackend backend(reader);
  auto t = PortsReport(backend, {});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->rows.empty());
  EXPECT_EQ(t->columns.size(), 9u);
  EXPECT_EQ(FormatTable(*t, OutputFormat::kJson), "[]\n");
}

// A day of 10M records over 3000 ports, one port with 1M distinct sources:
// the ports report is answered from the day index alone (the reader holds no
// events, so a scan would find nothing). Its latency is measured in bench/,
// not here.
TEST(PortsReport, TenMillionRecordDayFromTheIndex) {
  const int64_t day = Day("2006-02-17");
  std::string bytes;
  auto put = [&](auto v) { bytes.append(reinterpret_cast<const char*>(&v), sizeof v); };
  const uint32_t kPorts = 3000;
  put(int64_t{day});
  put(uint32_t{kPorts});
  uint64_t total = 0;
  for (uint32_t p = 0; p < kPorts; ++p) {
    uint64_t records = p == 0 ? 10'000'000 - 2999ull * 3000 : 3000;
    total += records;
    put(uint8_t{p % 2 ? kProtoUdp : kProtoTcp});
    put(uint8_t{0});
    put(uint16_t(1000 + p));
    put(uint64_t{records});
    put(uint64_t{records});
    put(int64_t{day * kUsPerDay});
    put(int64_t{day * kUsPerDay + kUsPerDay - 1});
    store::AddrSet src, dst;
    uint32_t nsrc = p == 0 ? 1'000'000 : 1000 + p;
    for (uint32_t i = 0; i < nsrc; ++i) src.Add(IpAddr::V4(0x50000000u + i * 7));
    for (uint32_t i = 0; i < 50; ++i) dst.Add(IpAddr::V4(0x0a000000u + i));
    src.AppendTo(&bytes);
    dst.AppendTo(&bytes);
  }
  ASSERT_EQ(total, 10'000'000u);
  auto index = store::DayIndex::ReadFrom(bytes, /*version=*/1);  // written by hand as version 1
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  MemoryReader reader;
  reader.SetDayIndex(std::move(*index));
  query::EmbeddedBackend backend(reader);
  PortsOptions o;
  auto t = PortsReport(backend, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 10u);
  EXPECT_EQ(ColumnText(*t, "records")[0], std::to_string(10'000'000 - 2999 * 3000));
  EXPECT_EQ(ColumnText(*t, "sources")[0], "1000000");
  EXPECT_EQ(ColumnText(*t, "port")[1], "3999");  // most sources among the 3000-record ports
}

TEST(Services, WellKnownAndScannedPorts) {
  EXPECT_EQ(ServiceName(kProtoTcp, 135), "epmap");
  EXPECT_EQ(ServiceName(kProtoUdp, 137), "netbios-ns");
  EXPECT_EQ(ServiceName(kProtoUdp, 1026), "win-messenger");
  EXPECT_EQ(ServiceName(kProtoUdp, 1031), "win-messenger");
  EXPECT_EQ(ServiceName(kProtoTcp, 1026), "win-rpc");
  EXPECT_EQ(ServiceName(kProtoTcp, 3771), "rtp-paging");
  EXPECT_EQ(ServiceName(kProtoTcp, 5000), "upnp");
  EXPECT_EQ(ServiceName(kProtoTcp, 6346), "gnutella");
  EXPECT_EQ(ServiceName(kProtoTcp, 4899), "radmin");
  EXPECT_EQ(ServiceName(kProtoTcp, 445), "microsoft-ds");
  EXPECT_EQ(ServiceName(kProtoTcp, 1433), "ms-sql-s");
  EXPECT_EQ(ServiceName(kProtoUdp, 1434), "ms-sql-m");
  EXPECT_EQ(ServiceName(kProtoTcp, 514), "shell");
  EXPECT_EQ(ServiceName(kProtoUdp, 514), "syslog");
  EXPECT_EQ(ServiceName(kProtoUdp, 80), "");
  EXPECT_EQ(ServiceName(kProtoTcp, 1), "");
  EXPECT_EQ(ServiceName(kProtoIcmp, 80), "");
  EXPECT_EQ(ServiceName(kProtoTcp, 65535), "");
}

// ------------------------------------------------------------------ feed (seed 001)

MemoryReader Seed001Reader() {
  std::vector<Event> ev = {
      // The day before yesterday: outside "today or yesterday".
      Ev(At("2003-11-30", 10), Ip("9.9.9.9"), 3400, Ip("10.0.0.1"), kProtoUdp, 1026),
      // Yesterday.
      Ev(At("2003-12-01", 1, 2, 3), Ip("9.9.9.9"), 3400, Ip("10.0.0.1"), kProtoUdp, 1026),
      Ev(At("2003-12-01", 4, 5, 6), Ip("9.9.9.9"), 3401, Ip("10.0.0.2"), kProtoUdp, 1027, 3),
      Ev(At("2003-12-01", 7), Ip("100.1.1.1"), 1050, Ip("10.0.0.1"), kProtoUdp, 1031),
      Ev(At("2003-12-01", 8), Ip("2001:db8::5"), 1050, Ip("10.0.0.1"), kProtoUdp, 1028),
      Ev(At("2003-12-01", 9), Ip("10.2.2.2"), 666, Ip("10.0.0.1"), kProtoUdp, 1026),    // popup spam sport
      Ev(At("2003-12-01", 9), Ip("10.2.2.3"), 4177, Ip("10.0.0.1"), kProtoUdp, 1026),   // popup spam sport
      Ev(At("2003-12-01", 9), Ip("10.2.2.4"), 5000, Ip("10.0.0.1"), kProtoUdp, 1032),   // not 1026-1031
      // Today.
      Ev(At("2003-12-02", 0, 30), Ip("10.1.1.1"), 2000, Ip("10.0.0.9"), kProtoTcp, 1029),
      Ev(At("2003-12-02", 2), Ip("9.9.9.9"), 3402, Ip("10.0.0.1"), kProtoUdp, 1030, 2),
  };
  return MemoryReader(std::move(ev));
}

TEST(Feed, Seed001FilterTodayOrYesterdaySortedByIp) {
  MemoryReader reader = Seed001Reader();
  EmbeddedBackend backend(reader);
  const TimeUs now = At("2003-12-02", 4, 18, 45);
  auto window = ParseTimeWindow("yesterday", "", now);
  ASSERT_TRUE(window.ok());
  FeedOptions o;
  o.filter = *query::ParseFilter("dst port 1026-1031 and not src port in [666 4177]");
  o.time = *window;
  auto t = Feed(backend, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatTable(*t, OutputFormat::kTsv),
            "ip\tfirst_seen\tlast_seen\tpackets\tdate\n"
            "9.9.9.9\t2003-12-01 01:02:03\t2003-12-01 04:05:06\t4\t2003-12-01\n"
            "9.9.9.9\t2003-12-02 02:00:00\t2003-12-02 02:00:00\t2\t2003-12-02\n"
            "10.1.1.1\t2003-12-02 00:30:00\t2003-12-02 00:30:00\t1\t2003-12-02\n"
            "100.1.1.1\t2003-12-01 07:00:00\t2003-12-01 07:00:00\t1\t2003-12-01\n"
            "2001:db8::5\t2003-12-01 08:00:00\t2003-12-01 08:00:00\t1\t2003-12-01\n");
  // The default window is the same "today or yesterday".
  EXPECT_EQ(*ParseTimeWindow("", "", now), *window);

  // --until yesterday: yesterday only; --since/--until as explicit days.
  o.time = *ParseTimeWindow("2003-12-01", "yesterday", now);
  t = Feed(backend, o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(ColumnText(*t, "ip"),
            (std::vector<std::string>{"9.9.9.9", "100.1.1.1", "2001:db8::5"}));
  EXPECT_EQ(ColumnText(*t, "date")[0], "2003-12-01");

  // JSON uses the same column names; times in ISO 8601.
  std::string json = FormatTable(*t, OutputFormat::kJson);
  EXPECT_NE(json.find("{\"ip\": \"9.9.9.9\", \"first_seen\": \"2003-12-01T01:02:03Z\", "
                      "\"last_seen\": \"2003-12-01T04:05:06Z\", \"packets\": 4, "
                      "\"date\": \"2003-12-01\"}"),
            std::string::npos)
      << json;
}

TEST(Feed, TimeWindowForms) {
  const TimeUs now = At("2003-12-02", 4, 18, 45);
  auto w = ParseTimeWindow("today", "", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from, At("2003-12-02", 0));
  EXPECT_EQ(w->until, INT64_MAX);
  w = ParseTimeWindow("2003-11-30", "2003-12-01", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from, At("2003-11-30", 0));
  EXPECT_EQ(w->until, At("2003-12-02", 0));  // a day as --until is inclusive
  w = ParseTimeWindow("24h", "1h", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from, now - 24 * kUsPerHour);
  EXPECT_EQ(w->until, now - kUsPerHour);
  w = ParseTimeWindow("7d", "", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from, now - 7 * kUsPerDay);
  w = ParseTimeWindow("2003-12-01 10:00:00", "2003-12-01T12:30:00Z", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from, At("2003-12-01", 10));
  EXPECT_EQ(w->until, At("2003-12-01", 12, 30));

  for (const auto& [since, until] : std::vector<std::pair<const char*, const char*>>{
           {"tomorrow", ""}, {"2003-13-01", ""}, {"", "x"}, {"5x", ""},
           {"2003-12-01 25:00:00", ""}, {"today", "yesterday"}}) {
    auto bad = ParseTimeWindow(since, until, now);
    EXPECT_FALSE(bad.ok()) << since << " / " << until;
    if (!bad.ok()) {
      EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
    }
  }
  EXPECT_NE(ParseTimeWindow("tomorrow", "", now).status().message().find("--since"),
            std::string::npos);
}

}  // namespace
}  // namespace portstorm::report
