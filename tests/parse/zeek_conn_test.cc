// zeek_conn parser: TSV conn.log with its header, the JSON writer, action
// from conn_state, ICMP and IPv6, and every rejection, on conn.log lines
// written for these tests (documentation addresses).
#include "parse/formats/zeek_conn.h"

#include <gtest/gtest.h>

#include <string>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

// 2024-03-02T15:32:54.123456Z
constexpr std::string_view kTs = "1709393574.123456";

std::vector<std::string> Header() {
  return {"#separator \\x09",
          "#set_separator\t,",
          "#empty_field\t(empty)",
          "#unset_field\t-",
          "#path\tconn",
          "#open\t2024-03-02-15-00-00",
          "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
          "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
          "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto",
          "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
          "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount"};
}

std::string Row(std::string_view orig, std::string_view op, std::string_view resp,
                std::string_view rp, std::string_view proto, std::string_view state,
                std::string_view history, std::string_view ip_proto = "6") {
  std::string r(kTs);
  r += "\tCq3Xbd2kTzDq1Lfx5\t";
  r += std::string(orig) + "\t" + std::string(op) + "\t" + std::string(resp) + "\t" +
       std::string(rp) + "\t" + std::string(proto) + "\t-\t2.998123\t0\t0\t" + std::string(state) +
       "\tF\tT\t0\t" + std::string(history) + "\t3\t180\t0\t0\t(empty)\t" + std::string(ip_proto);
  return r;
}

std::vector<std::string> WithHeader(std::vector<std::string> rows) {
  auto lines = Header();
  lines.insert(lines.end(), rows.begin(), rows.end());
  lines.push_back("#close\t2024-03-02-16-00-00");
  return lines;
}

TEST(ZeekConn, TsvS0AttemptAllFields) {
  auto s =
      ParseLines("zeek_conn",
                 WithHeader({Row("192.0.2.7", "40312", "198.51.100.20", "23", "tcp", "S0", "S")}));
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2024, 3, 2, 15, 32, 54, 123456));
  EXPECT_EQ(e.src, Addr("192.0.2.7"));
  EXPECT_EQ(e.sport, 40312);
  EXPECT_EQ(e.dst, Addr("198.51.100.20"));
  EXPECT_EQ(e.dport, 23);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.action, Action::kUnknown);  // unanswered: no verdict on the wire
  EXPECT_EQ(e.count, 1u);                 // one connection, orig_pkts 3 is its total
  EXPECT_EQ(e.line, 9u);
  // The 8 header lines and #close are counted as not-a-record.
  ASSERT_EQ(s.rejects.size(), 9u);
  for (const auto& r : s.rejects) EXPECT_EQ(r.reason, Reason::kNotARecord) << r.detail;
  EXPECT_EQ(s.rejects[6].detail, "Zeek header #fields");
  EXPECT_EQ(s.rejects[8].detail, "Zeek trailer #close");
}

TEST(ZeekConn, ActionFromConnState) {
  auto s = ParseLines(
      "zeek_conn",
      WithHeader({Row("192.0.2.7", "40312", "198.51.100.20", "23", "tcp", "REJ", "Sr"),
                  Row("192.0.2.7", "40313", "198.51.100.20", "80", "tcp", "SF", "ShADadFf"),
                  Row("192.0.2.7", "40314", "198.51.100.20", "25", "tcp", "RSTO", "ShAR"),
                  Row("192.0.2.7", "40315", "198.51.100.20", "22", "tcp", "SH", "SF"),
                  Row("192.0.2.7", "40316", "198.51.100.20", "21", "tcp", "OTH", "C"),
                  Row("192.0.2.7", "40317", "198.51.100.20", "53", "udp", "S0", "D", "17")}));
  ASSERT_EQ(s.events.size(), 6u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kReject);
  EXPECT_EQ(s.events[0].tcp_flags, tcp::kSyn);  // lower-case r is the responder's
  EXPECT_EQ(s.events[1].action, Action::kAllow);
  EXPECT_EQ(s.events[1].tcp_flags, tcp::kSyn | tcp::kAck | tcp::kFin);
  EXPECT_EQ(s.events[2].action, Action::kAllow);
  EXPECT_EQ(s.events[2].tcp_flags, tcp::kSyn | tcp::kAck | tcp::kRst);
  EXPECT_EQ(s.events[3].action, Action::kUnknown);
  EXPECT_EQ(s.events[4].action, Action::kUnknown);
  EXPECT_EQ(s.events[5].action, Action::kUnknown);
  EXPECT_EQ(s.events[5].proto, kProtoUdp);
  EXPECT_EQ(s.events[5].tcp_flags, 0);

  ParseOptions darknet;
  darknet.default_action = Action::kDrop;
  auto d =
      ParseLines("zeek_conn",
                 WithHeader({Row("192.0.2.7", "1", "198.51.100.20", "23", "tcp", "S0", "S"),
                             Row("192.0.2.7", "2", "198.51.100.20", "23", "tcp", "REJ", "Sr")}),
                 darknet);
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events[0].action, Action::kDrop);
  EXPECT_EQ(d.events[1].action, Action::kReject);
}

TEST(ZeekConn, IcmpAndIpv6) {
  auto s = ParseLines(
      "zeek_conn",
      WithHeader({Row("192.0.2.7", "8", "198.51.100.20", "0", "icmp", "OTH", "-", "1"),
                  Row("2001:db8::7", "128", "2001:db8::20", "0", "icmp", "OTH", "-", "-"),
                  Row("2001:db8::7", "51000", "2001:db8::20", "443", "tcp", "S0", "S", "-")}));
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].proto, kProtoIcmp);
  EXPECT_EQ(s.events[0].sport, 8);               // type
  EXPECT_EQ(s.events[0].dport, 0);               // code
  EXPECT_EQ(s.events[1].proto, kProtoIpv6Icmp);  // Zeek says "icmp" for ICMPv6 too
  EXPECT_EQ(s.events[1].src, Addr("2001:db8::7"));
  EXPECT_EQ(s.events[1].sport, 128);
  EXPECT_EQ(s.events[2].dst, Addr("2001:db8::20"));
  EXPECT_EQ(s.events[2].proto, kProtoTcp);
}

TEST(ZeekConn, RowsWithoutHeaderUseDefaultColumns) {
  // Zeek's classic 21 columns, as the registry sample shows them.
  auto s = ParseLines("zeek_conn",
                      {"1709393574.123456\tCq3Xbd2kTzDq1Lfx5\t192.0.2.7\t40312\t198.51.100.20\t23\t"
                       "tcp\t-\t-\t-\t-\tS0\t-\t-\t0\tS\t1\t60\t0\t0\t-"});
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].dport, 23);
  EXPECT_EQ(s.events[0].tcp_flags, tcp::kSyn);

  // 12 columns reach conn_state but not history (found by the fuzzer).
  auto short_row = ParseLines(
      "zeek_conn", {"1709393574.123456	C1	192.0.2.7	40312	"
                    "198.51.100.20	23	tcp	-	-	-	-	REJ"});
  ASSERT_EQ(short_row.events.size(), 1u);
  EXPECT_EQ(short_row.events[0].action, Action::kReject);
  EXPECT_EQ(short_row.events[0].tcp_flags, 0);
}

TEST(ZeekConn, ReorderedFieldsAndOtherSeparator) {
  auto s =
      ParseLines("zeek_conn", {"#separator \\x7c", "#fields|id.resp_h|id.resp_p|id.orig_h|ts|proto",
                               "198.51.100.20|3389|203.0.113.5|1709393574.5|tcp",
                               "198.51.100.20|-|203.0.113.6|1709393575|udp"});
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].src, Addr("203.0.113.5"));
  EXPECT_EQ(s.events[0].dport, 3389);
  EXPECT_EQ(s.events[0].sport, 0);
  EXPECT_EQ(s.events[0].time, Utc(2024, 3, 2, 15, 32, 54, 500000));
  EXPECT_EQ(s.events[1].dport, 0);  // unset
  EXPECT_EQ(s.events[1].time, Utc(2024, 3, 2, 15, 32, 55));
}

TEST(ZeekConn, OtherZeekLogsAreNotRecords) {
  auto s = ParseLines(
      "zeek_conn", {"#separator \\x09", "#path\tdns",
                    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery",
                    "1709393574.123456\tCx\t192.0.2.7\t5353\t198.51.100.53\t53\tudp\texample.com",
                    "#path\tfiles", "#fields\tts\tfuid\ttx_hosts", "1709393574.1\tFx\t192.0.2.7"});
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 7u);
  for (const auto& r : s.rejects) EXPECT_EQ(r.reason, Reason::kNotARecord) << r.detail;
  EXPECT_EQ(s.rejects[3].detail, "#path dns: not a conn log");
  EXPECT_EQ(s.rejects[6].detail, "#path files: not a conn log");
}

TEST(ZeekConn, Json) {
  auto s = ParseLines(
      "zeek_conn",
      {R"({"ts":1709393574.123456,"uid":"Cq3Xbd2kTzDq1Lfx5","id.orig_h":"192.0.2.7","id.orig_p":40312,"id.resp_h":"198.51.100.20","id.resp_p":23,"proto":"tcp","conn_state":"S0","local_orig":false,"local_resp":true,"missed_bytes":0,"history":"S","orig_pkts":2,"orig_ip_bytes":120,"resp_pkts":0,"resp_ip_bytes":0})",
       R"({"ts":"2024-03-02T15:32:55.250000Z","uid":"C2","id.orig_h":"2001:db8::7","id.orig_p":51000,"id.resp_h":"2001:db8::20","id.resp_p":22,"proto":"tcp","conn_state":"REJ","history":"Sr"})",
       R"({"_path":"conn","ts":1.7093935761e9,"uid":"C3","id":{"orig_h":"192.0.2.8","orig_p":8,"resp_h":"198.51.100.21","resp_p":0},"proto":"icmp","conn_state":"OTH"})",
       R"({"_path":"dns","ts":1709393577.0,"uid":"C4","id.orig_h":"192.0.2.7","id.orig_p":5353,"id.resp_h":"198.51.100.53","id.resp_p":53,"proto":"udp","query":"example.com"})",
       R"({"ts":1709393578.0,"uid":"C5","id.orig_h":"192.0.2.7","id.orig_p":5353,"id.resp_h":"198.51.100.53","id.resp_p":53,"proto":"udp","query":"example.com"})"});
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].time, Utc(2024, 3, 2, 15, 32, 54, 123456));  // exact, not via double
  EXPECT_EQ(s.events[0].src, Addr("192.0.2.7"));
  EXPECT_EQ(s.events[0].dport, 23);
  EXPECT_EQ(s.events[0].tcp_flags, tcp::kSyn);
  EXPECT_EQ(s.events[0].action, Action::kUnknown);
  EXPECT_EQ(s.events[1].time, Utc(2024, 3, 2, 15, 32, 55, 250000));
  EXPECT_EQ(s.events[1].src, Addr("2001:db8::7"));
  EXPECT_EQ(s.events[1].action, Action::kReject);
  EXPECT_EQ(s.events[2].time, Utc(2024, 3, 2, 15, 32, 56, 100000));
  EXPECT_EQ(s.events[2].src, Addr("192.0.2.8"));
  EXPECT_EQ(s.events[2].proto, kProtoIcmp);
  EXPECT_EQ(s.events[2].sport, 8);
  EXPECT_EQ(s.events[2].line, 3u);
  ASSERT_EQ(s.rejects.size(), 2u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kNotARecord);
  EXPECT_EQ(s.rejects[0].detail, "_path dns: not a conn log");
  EXPECT_EQ(s.rejects[1].reason, Reason::kNotARecord);
}

TEST(ZeekConn, Rejections) {
  auto lines = WithHeader({
      Row("192.0.2.7", "40312", "198.51.100.20", "23", "tcp", "S0", "S").substr(0, 60),  // 9
      Row("192.0.2.700", "1", "198.51.100.20", "23", "tcp", "S0", "S"),                  // 10
      Row("192.0.2.7", "70000", "198.51.100.20", "23", "tcp", "S0", "S"),                // 11
      Row("192.0.2.7", "1", "198.51.100.20", "23", "xtp", "S0", "S", "-"),               // 12
      Row("-", "1", "198.51.100.20", "23", "tcp", "S0", "S"),                            // 13
      Row("192.0.2.7", "1", "198.51.100.20", "23", "tcp", "S0", "S") + "\textra",        // 14
      "garbage without tabs",                                                            // 15
  });
  lines.push_back(Row("192.0.2.7", "1", "198.51.100.20", "23", "tcp", "S0", "S"));
  lines.back().replace(0, kTs.size(), "17093935x4.1");                                  // 17
  lines.push_back(R"({"ts":1709393574.1,"id.orig_h":"192.0.2.7","conn_state":"S0")");   // 18
  lines.push_back(std::string("1709393574.1\tC\t192.0.2.7\0", 25));                     // 19
  lines.push_back("#separator \\xZZ");                                                  // 20
  lines.push_back(R"({"ts":1709393574.1,"id.orig_h":"192.0.2.7","conn_state":"S0"})");  // 21
  auto s = ParseLines("zeek_conn", lines);
  EXPECT_TRUE(s.events.empty());
  auto find = [&](uint64_t line) -> const testing::Rejected* {
    for (const auto& r : s.rejects) {
      if (r.line == line) return &r;
    }
    return nullptr;
  };
  auto expect = [&](uint64_t line, Reason reason, std::string_view part) {
    const testing::Rejected* r = find(line);
    ASSERT_NE(r, nullptr) << line;
    EXPECT_EQ(r->reason, reason) << line << ": " << r->detail;
    EXPECT_NE(r->detail.find(part), std::string::npos) << line << ": " << r->detail;
  };
  expect(9, Reason::kTruncated, "#fields names 22");
  expect(10, Reason::kUnparsableAddress, "192.0.2.700: id.orig_h");
  expect(11, Reason::kBadPort, "70000: id.orig_p > 65535");
  expect(12, Reason::kUnknownProtocol, "xtp");
  expect(13, Reason::kTruncated, "no id.orig_h");
  expect(14, Reason::kBadField, "23 columns");
  expect(15, Reason::kNotARecord, "no separator");
  expect(17, Reason::kBadTimestamp, "17093935x4.1");
  expect(18, Reason::kBadField, "invalid JSON (");
  expect(19, Reason::kBinary, "0x00");
  expect(20, Reason::kBadField, "#separator");
  expect(21, Reason::kTruncated, "no id.resp_h");
  EXPECT_EQ(s.rejects.size(), lines.size());
}

TEST(ZeekConn, GarbageAndHugeLinesNeverCrash) {
  std::string huge = Row("192.0.2.7", "1", "198.51.100.20", "23", "tcp", "S0", "S");
  huge.replace(huge.find("(empty)"), 7, std::string(200000, 'x'));
  std::vector<std::string> lines = {"#fields", "#fields\t",   "\t\t\t\t",    huge,
                                    "{",       "{}",          "{\"ts\":[]}", std::string(3000, '['),
                                    "#",       "\xff\xfe\xfd"};
  auto s = ParseLines("zeek_conn", lines);
  EXPECT_EQ(s.events.size() + s.rejects.size(), lines.size());
}

TEST(ZeekConn, Detector) {
  EXPECT_EQ(DetectZeekConn("#separator \\x09"), 100);
  EXPECT_EQ(DetectZeekConn(Header()[6]), 100);
  EXPECT_EQ(DetectZeekConn("#path\tconn"), 100);
  EXPECT_GE(DetectZeekConn(Row("192.0.2.7", "40312", "198.51.100.20", "23", "tcp", "S0", "S")), 90);
  EXPECT_GE(
      DetectZeekConn(
          R"({"ts":1709393574.123456,"uid":"C1","id.orig_h":"192.0.2.7","id.orig_p":1,"id.resp_h":"198.51.100.20","id.resp_p":23,"proto":"tcp","conn_state":"S0"})"),
      90);
  // Not Zeek: EVE JSON, the Windows firewall header, DShield rows, a CSV header.
  EXPECT_EQ(DetectZeekConn(
                R"({"timestamp":"2024-03-02T15:00:00Z","event_type":"drop","src_ip":"192.0.2.1"})"),
            0);
  EXPECT_EQ(DetectZeekConn("#Fields: date time action protocol src-ip dst-ip src-port dst-port"),
            0);
  EXPECT_EQ(DetectZeekConn(
                "2005-01-11 01:42:22 -05:00\t1234\t3\t192.0.2.9\t4177\t198.51.100.50\t1026\t17"),
            0);
  EXPECT_EQ(DetectZeekConn("ts,src_ip,dst_ip"), 0);
  std::vector<std::string> h = Header();
  std::vector<std::string_view> first(h.begin(), h.end());
  auto d = DetectFormat(first);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->name, "zeek_conn");
}

}  // namespace
}  // namespace portstorm::parse
