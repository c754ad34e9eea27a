// csv parser: header auto-mapping, --csv-map by name and by index, quoting,
// time forms, and every rejection, on CSV exports written for these tests.
#include "parse/formats/csv.h"

#include <gtest/gtest.h>

#include <string>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

ParseOptions Map(std::string map) {
  ParseOptions o;
  o.csv_map = std::move(map);
  return o;
}

TEST(Csv, AutoMappedHeaderAllFields) {
  auto s = ParseLines(
      "csv", {"timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action,count,ttl,tcp_flags",
              "2024-03-02T15:32:54.25Z,192.0.2.7,40312,198.51.100.20,23,tcp,deny,3,49,S"});
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.size() > 1 ? s.rejects[1].detail : "");
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2024, 3, 2, 15, 32, 54, 250000));
  EXPECT_EQ(e.src, Addr("192.0.2.7"));
  EXPECT_EQ(e.sport, 40312);
  EXPECT_EQ(e.dst, Addr("198.51.100.20"));
  EXPECT_EQ(e.dport, 23);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.count, 3u);
  EXPECT_EQ(e.ttl, 49);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.line, 2u);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kNotARecord);
  EXPECT_EQ(s.rejects[0].detail, "CSV header");
}

TEST(Csv, HeaderNameVariantsQuotingAndActions) {
  auto s = ParseLines(
      "csv",
      {R"("Source IP","Source Port","Destination IP","Destination Port","Protocol","Time","Verdict","Note")",
       R"("192.0.2.7","40312","198.51.100.20","23","TCP","2024-03-02 15:32:54","Reject","say ""hi"", twice")",
       R"(192.0.2.8,,2001:db8::20,,ICMPv6,1709393575,allowed,)",
       R"(192.0.2.9,1,x.x.x.50,2,udp,1709393576123,Blocked,)",
       R"(192.0.2.9,1,198.51.100.21,2,,2024/03/02 15:32:57,whatever,)"});
  ASSERT_EQ(s.events.size(), 4u) << (s.rejects.size() > 1 ? s.rejects[1].detail : "");
  EXPECT_EQ(s.events[0].src, Addr("192.0.2.7"));
  EXPECT_EQ(s.events[0].dport, 23);
  EXPECT_EQ(s.events[0].time, Utc(2024, 3, 2, 15, 32, 54));
  EXPECT_EQ(s.events[0].action, Action::kReject);
  EXPECT_EQ(s.events[1].dst, Addr("2001:db8::20"));
  EXPECT_EQ(s.events[1].proto, kProtoIpv6Icmp);
  EXPECT_EQ(s.events[1].time, Utc(2024, 3, 2, 15, 32, 55));
  EXPECT_EQ(s.events[1].action, Action::kAllow);
  EXPECT_TRUE(s.events[2].dst.is_anonymised());
  EXPECT_EQ(s.events[2].time, Utc(2024, 3, 2, 15, 32, 56, 123000));  // 13 digits: ms
  EXPECT_EQ(s.events[2].action, Action::kDrop);
  EXPECT_EQ(s.events[3].time, Utc(2024, 3, 2, 15, 32, 57));
  EXPECT_EQ(s.events[3].proto, 0);
  EXPECT_EQ(s.events[3].action, Action::kUnknown);
}

TEST(Csv, ExplicitMapByNameAndIndexAndZone) {
  ParseOptions o = Map("src=attacker , dst=#4, dport=service_port,time=when");
  o.tz = *TimeZone::Load("+02:00");
  auto s = ParseLines("csv",
                      {"when;attacker;sensor;victim;service_port",
                       "2024-03-02 17:32:54;192.0.2.7;s1;198.51.100.20;22"},
                      o);
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.size() > 1 ? s.rejects[1].detail : "");
  EXPECT_EQ(s.events[0].time, Utc(2024, 3, 2, 15, 32, 54));  // no zone in the cell: options.tz
  EXPECT_EQ(s.events[0].src, Addr("192.0.2.7"));
  EXPECT_EQ(s.events[0].dst, Addr("198.51.100.20"));
  EXPECT_EQ(s.events[0].dport, 22);
}

TEST(Csv, IndexOnlyMapNeedsNoHeader) {
  auto s = ParseLines(
      "csv",
      {"192.0.2.7\t198.51.100.20\t1709393574\t23", "192.0.2.8\t198.51.100.20\t1709393575\t24"},
      Map("src=#1,dst=#2,time=#3,dport=#4"));
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].dport, 23);
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.events[1].line, 2u);
}

TEST(Csv, SeparateDateAndTimeColumns) {
  auto s = ParseLines(
      "csv", {"date,time,src,dst,dpt,proto", "2024-03-02,15:32:54,192.0.2.7,198.51.100.20,445,6",
              "2024-03-02,2024-03-02T15:32:55Z,192.0.2.7,198.51.100.20,445,6"});
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.size() > 1 ? s.rejects[1].detail : "");
  EXPECT_EQ(s.events[0].time, Utc(2024, 3, 2, 15, 32, 54));
  EXPECT_EQ(s.events[0].proto, kProtoTcp);
  EXPECT_EQ(s.events[1].time, Utc(2024, 3, 2, 15, 32, 55));  // a full stamp is not joined
}

TEST(Csv, CommentsBlankAndRepeatedHeader) {
  auto s = ParseLines(
      "csv", {"# exported 2024-03-02", "", "time,src,dst", "1709393574,192.0.2.7,198.51.100.20",
              "time,src,dst", "1709393575,192.0.2.8,198.51.100.20"});
  ASSERT_EQ(s.events.size(), 2u);
  ASSERT_EQ(s.rejects.size(), 4u);
  for (const auto& r : s.rejects) EXPECT_EQ(r.reason, Reason::kNotARecord) << r.detail;
  EXPECT_EQ(s.rejects[3].detail, "repeated CSV header");
}

TEST(Csv, MapAndHeaderErrorsNameTheColumn) {
  auto missing = ParseLines("csv", {"time,src,dst", "1709393574,192.0.2.7,198.51.100.20"},
                            Map("dport=dest_port"));
  ASSERT_EQ(missing.rejects.size(), 2u);
  for (const auto& r : missing.rejects) {
    EXPECT_EQ(r.reason, Reason::kBadField);
    EXPECT_NE(r.detail.find("'dest_port'"), std::string::npos) << r.detail;
  }
  auto beyond =
      ParseLines("csv", {"time,src,dst", "1709393574,192.0.2.7,198.51.100.20"}, Map("dport=#9"));
  ASSERT_EQ(beyond.rejects.size(), 2u);
  EXPECT_NE(beyond.rejects[0].detail.find("#9"), std::string::npos) << beyond.rejects[0].detail;

  auto no_dst = ParseLines("csv", {"time,src,host", "1709393574,192.0.2.7,a"});
  ASSERT_EQ(no_dst.rejects.size(), 2u);
  EXPECT_EQ(no_dst.rejects[0].reason, Reason::kBadField);
  EXPECT_NE(no_dst.rejects[0].detail.find("no dst column"), std::string::npos);
  EXPECT_NE(no_dst.rejects[0].detail.find("--csv-map dst="), std::string::npos);

  auto no_time = ParseLines("csv", {"src,dst", "192.0.2.7,198.51.100.20"});
  EXPECT_NE(no_time.rejects[0].detail.find("no time column"), std::string::npos);

  auto row_first = ParseLines("csv", {"1709393574,192.0.2.7,198.51.100.20", "time,src,dst",
                                      "1709393575,192.0.2.7,198.51.100.20"});
  ASSERT_EQ(row_first.events.size(), 1u);
  EXPECT_EQ(row_first.rejects[0].reason, Reason::kBadField);
  EXPECT_NE(row_first.rejects[0].detail.find("row before the CSV header"), std::string::npos);

  for (std::string bad : {"srcip=a", "src", "src=a,src=b", "src=#0", "src=", "dst=#x"}) {
    auto r = ParseLines("csv", {"time,src,dst"}, Map(bad));
    ASSERT_EQ(r.rejects.size(), 1u);
    EXPECT_EQ(r.rejects[0].reason, Reason::kBadField);
    EXPECT_NE(r.rejects[0].detail.find("csv map:"), std::string::npos) << r.rejects[0].detail;
    EXPECT_FALSE(CheckCsvMap(bad).ok()) << bad;
  }
  EXPECT_TRUE(CheckCsvMap("").ok());
  EXPECT_TRUE(CheckCsvMap("src=source_ip,dst=dest_ip,dport=dest_port,time=ts").ok());
  EXPECT_EQ(CheckCsvMap("foo=bar").code(), Code::kInvalidArgument);
}

TEST(Csv, RowRejections) {
  auto s =
      ParseLines("csv", {
                            "time,src,sport,dst,dport,proto,count,ttl,flags",              // 1
                            "1709393574,192.0.2.7,1,198.51.100.20",                        // 2
                            "1709393574,192.0.2.700,1,198.51.100.20,2,tcp,1,64,S",         // 3
                            "1709393574,192.0.2.7,1,,2,tcp,1,64,S",                        // 4
                            "1709393574,192.0.2.7,x,198.51.100.20,2,tcp,1,64,S",           // 5
                            "1709393574,192.0.2.7,1,198.51.100.20,99999,tcp,1,64,S",       // 6
                            "1709393574,192.0.2.7,1,198.51.100.20,2,xtp,1,64,S",           // 7
                            "1709393574,192.0.2.7,1,198.51.100.20,2,tcp,0,64,S",           // 8
                            "1709393574,192.0.2.7,1,198.51.100.20,2,tcp,1,256,S",          // 9
                            "1709393574,192.0.2.7,1,198.51.100.20,2,tcp,1,64,SX",          // 10
                            "yesterday,192.0.2.7,1,198.51.100.20,2,tcp,1,64,S",            // 11
                            "2024-02-30 10:00:00,192.0.2.7,1,198.51.100.20,2,tcp,1,64,S",  // 12
                            ",192.0.2.7,1,198.51.100.20,2,tcp,1,64,S",                     // 13
                            "\"1709393574,192.0.2.7",                                      // 14
                            "\"1709393574\"x,192.0.2.7",                                   // 15
                            std::string("1709393574,192.0.2.7\0", 21),                     // 16
                            "17093935740000,192.0.2.7,1,198.51.100.20,2,tcp,1,64,S",       // 17
                        });
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 17u);
  auto expect = [&](size_t line, Reason r, std::string_view part) {
    const auto& x = s.rejects[line - 1];
    EXPECT_EQ(x.line, line);
    EXPECT_EQ(x.reason, r) << line << ": " << x.detail;
    EXPECT_NE(x.detail.find(part), std::string::npos) << line << ": " << x.detail;
  };
  expect(2, Reason::kTruncated, "4 columns, the mapping needs 9");
  expect(3, Reason::kUnparsableAddress, "192.0.2.700: src");
  expect(4, Reason::kUnparsableAddress, "dst cell empty");
  expect(5, Reason::kBadPort, "x: sport not a number");
  expect(6, Reason::kBadPort, "99999: dport > 65535");
  expect(7, Reason::kUnknownProtocol, "xtp");
  expect(8, Reason::kBadField, "count");
  expect(9, Reason::kBadField, "ttl");
  expect(10, Reason::kBadField, "flags");
  expect(11, Reason::kBadTimestamp, "yesterday");
  expect(12, Reason::kBadTimestamp, "invalid date");
  expect(13, Reason::kBadTimestamp, "empty time cell");
  expect(14, Reason::kBadField, "unterminated quoted cell");
  expect(15, Reason::kBadField, "text after a closing quote");
  expect(16, Reason::kBinary, "0x00");
  expect(17, Reason::kBadTimestamp, "epoch");
}

TEST(Csv, HugeAndGarbageLinesNeverCrash) {
  std::string huge = "1709393574,192.0.2.7,198.51.100.20," + std::string(500000, ',');
  std::string quotes(100001, '"');
  std::vector<std::string> lines = {
      "time,src,dst", huge, quotes, "\"\"\"", ",,,,", "\xff,\xfe", std::string(1000, ';')};
  auto s = ParseLines("csv", lines);
  EXPECT_EQ(s.events.size() + s.rejects.size(), lines.size());
  ASSERT_GE(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].line, 2u);
}

TEST(Csv, DetectorOnlyScoresAddressHeaders) {
  EXPECT_EQ(DetectCsv("timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action"), 40);
  EXPECT_EQ(DetectCsv("time,src,sport,dst,dport,proto"), 40);
  EXPECT_EQ(DetectCsv("\"Source IP\";\"Destination IP\";\"Time\""), 40);
  // Data rows, headers without both addresses, and other formats score nothing.
  EXPECT_EQ(DetectCsv("2024-03-02T15:32:54Z,192.0.2.7,40312,198.51.100.20,23,tcp,deny"), 0);
  EXPECT_EQ(DetectCsv("name,address,city"), 0);
  EXPECT_EQ(DetectCsv("#Fields: date time action protocol src-ip dst-ip src-port dst-port"), 0);
  EXPECT_EQ(DetectCsv("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p"), 0);
  EXPECT_EQ(DetectCsv("5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,"
                      "198.51.100.2,4117,23,0,S,1,,64240,,mss"),
            0);
  EXPECT_EQ(DetectCsv("Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2"), 0);
  EXPECT_EQ(DetectCsv(R"({"src_ip":"192.0.2.1","dest_ip":"192.0.2.2"})"), 0);
  std::string_view first[] = {"time,src,dst", "1709393574,192.0.2.7,198.51.100.20"};
  auto d = DetectFormat(first);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->name, "csv");
}

}  // namespace
}  // namespace portstorm::parse
