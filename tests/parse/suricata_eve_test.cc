// suricata_eve parser: alert / drop / new-flow records, the protocol logs it
// skips, syslog-relayed lines and every rejection, on EVE lines written for
// these tests (documentation addresses).
#include "parse/formats/suricata_eve.h"

#include <gtest/gtest.h>

#include <string>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

const std::string kAlert =
    R"({"timestamp":"2024-03-02T15:32:54.123456+0000","flow_id":1204816365172212,)"
    R"("in_iface":"eth0","event_type":"alert","src_ip":"192.0.2.7","src_port":40312,)"
    R"("dest_ip":"198.51.100.20","dest_port":23,"proto":"TCP","pkt_src":"wire/pcap",)"
    R"("alert":{"action":"allowed","gid":1,"signature_id":9100023,"rev":2,)"
    R"("signature":"LOCAL telnet probe from outside","category":"Attempted Information Leak",)"
    R"("severity":2},"flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":60,)"
    R"("bytes_toclient":0,"start":"2024-03-02T15:32:54.123456+0000"}})";

const std::string kDrop =
    R"({"timestamp":"2024-03-02T16:32:55.000100+0100","flow_id":77,"in_iface":"eth1",)"
    R"("event_type":"drop","src_ip":"203.0.113.9","src_port":4117,"dest_ip":"198.51.100.20",)"
    R"("dest_port":5000,"proto":"TCP","drop":{"len":60,"tos":0,"ttl":49,"ipid":31988,)"
    R"("tcpseq":2813012345,"tcpack":0,"tcpwin":64240,"syn":true,"ack":false,"psh":false,)"
    R"("rst":false,"urg":false,"fin":false,"tcpres":0,"tcpurgp":0}})";

const std::string kNewFlowIcmp =
    R"({"timestamp":"2024-03-02T15:34:00.500000+00:00","flow_id":5,"event_type":"flow",)"
    R"("src_ip":"192.0.2.44","dest_ip":"198.51.100.20","proto":"ICMP","icmp_type":8,)"
    R"("icmp_code":0,"flow":{"pkts_toserver":3,"pkts_toclient":0,"bytes_toserver":252,)"
    R"("bytes_toclient":0,"start":"2024-03-02T15:33:58.500000+0000",)"
    R"("end":"2024-03-02T15:34:00.500000+0000","age":2,"state":"new","reason":"timeout",)"
    R"("alerted":false}})";

const std::string kNewFlowTcpDropped =
    R"({"timestamp":"2024-03-02T15:35:00.000000+0000","flow_id":6,"event_type":"flow",)"
    R"("src_ip":"2001:db8:bad::7","src_port":61000,"dest_ip":"2001:db8::20","dest_port":3389,)"
    R"("proto":"TCP","flow":{"pkts_toserver":2,"pkts_toclient":0,"state":"new",)"
    R"("reason":"timeout","alerted":true,"action":"drop"},"tcp":{"tcp_flags":"02",)"
    R"("tcp_flags_ts":"02","tcp_flags_tc":"00","syn":true,"state":"syn_sent"}})";

TEST(SuricataEve, AlertAllFields) {
  auto s = ParseLines("suricata_eve", {kAlert});
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2024, 3, 2, 15, 32, 54, 123456));
  EXPECT_EQ(e.src, Addr("192.0.2.7"));
  EXPECT_EQ(e.sport, 40312);
  EXPECT_EQ(e.dst, Addr("198.51.100.20"));
  EXPECT_EQ(e.dport, 23);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kAlert);
  EXPECT_EQ(e.count, 1u);  // flow.pkts_* are flow totals, not this record's count
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(s.hosts[0], "");
}

TEST(SuricataEve, DropEventCarriesPacketFields) {
  auto s = ParseLines("suricata_eve", {kDrop});
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2024, 3, 2, 15, 32, 55, 100));  // +0100 applied
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.src, Addr("203.0.113.9"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.ttl, 49);
  EXPECT_EQ(e.ip_len, 60);
  EXPECT_EQ(e.ip_id, 31988);
  EXPECT_EQ(e.seq, 2813012345u);
  EXPECT_EQ(e.window, 64240);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
}

TEST(SuricataEve, NewFlowsAreRecordsOthersAreNot) {
  auto s = ParseLines("suricata_eve", {kNewFlowIcmp, kNewFlowTcpDropped});
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& icmp = s.events[0];
  EXPECT_EQ(icmp.proto, kProtoIcmp);
  EXPECT_EQ(icmp.sport, 8);                  // type
  EXPECT_EQ(icmp.dport, 0);                  // code
  EXPECT_EQ(icmp.action, Action::kUnknown);  // Suricata only watched: no verdict
  EXPECT_EQ(icmp.count, 1u);
  const Event& tcp6 = s.events[1];
  EXPECT_EQ(tcp6.src, Addr("2001:db8:bad::7"));
  EXPECT_EQ(tcp6.dst, Addr("2001:db8::20"));
  EXPECT_EQ(tcp6.dport, 3389);
  EXPECT_EQ(tcp6.tcp_flags, tcp::kSyn);
  EXPECT_EQ(tcp6.action, Action::kDrop);  // flow.action
  EXPECT_EQ(tcp6.line, 2u);

  ParseOptions darknet;
  darknet.default_action = Action::kDrop;
  auto d = ParseLines("suricata_eve", {kNewFlowIcmp}, darknet);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].action, Action::kDrop);
}

TEST(SuricataEve, BlockedAndRejectedAlerts) {
  auto s = ParseLines(
      "suricata_eve",
      {R"({"timestamp":"2024-03-02T15:33:01.000001+0000","event_type":"alert","src_ip":"2001:db8::7",)"
       R"("src_port":51000,"dest_ip":"2001:db8:1::20","dest_port":445,"proto":"TCP",)"
       R"("alert":{"action":"blocked","signature_id":9000001,"signature":"LOCAL drop smb"}})",
       R"({"timestamp":"2024-03-02T15:33:02.000001+0000","event_type":"alert","src_ip":"192.0.2.3",)"
       R"("src_port":51001,"dest_ip":"198.51.100.9","dest_port":25,"proto":"TCP",)"
       R"("alert":{"action":"blocked","signature_id":9000002,"signature":"LOCAL reject smtp"},)"
       R"("verdict":{"action":"drop","reject-target":"to_client","reject":["tcp-reset"]}})"});
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.events[0].src, Addr("2001:db8::7"));
  EXPECT_EQ(s.events[1].action, Action::kReject);
}

TEST(SuricataEve, ProtocolLogsAreNotRecords) {
  auto s = ParseLines(
      "suricata_eve",
      {R"({"timestamp":"2024-03-02T15:40:00.000000+0000","flow_id":9,"event_type":"dns",)"
       R"("src_ip":"192.0.2.53","src_port":53,"dest_ip":"192.0.2.10","dest_port":40000,)"
       R"("proto":"UDP","dns":{"type":"answer","id":1,"rrname":"example.com"}})",
       R"({"timestamp":"2024-03-02T15:40:01.000000+0000","event_type":"stats","stats":{"uptime":60}})",
       R"({"timestamp":"2024-03-02T15:40:02.000000+0000","flow_id":10,"event_type":"flow",)"
       R"("src_ip":"192.0.2.10","src_port":40001,"dest_ip":"198.51.100.80","dest_port":443,)"
       R"("proto":"TCP","flow":{"pkts_toserver":9,"pkts_toclient":8,"state":"closed"}})",
       // Spaces after the colons (a re-encoded stream) take the full parse.
       R"({"timestamp": "2024-03-02T15:40:03.000000+0000", "event_type": "http", "src_ip": "192.0.2.10"})",
       "", "not json at all"});
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 6u);
  for (const auto& r : s.rejects) EXPECT_EQ(r.reason, Reason::kNotARecord) << r.detail;
  EXPECT_EQ(s.rejects[0].detail, "event_type dns: not a traffic record");
  EXPECT_NE(s.rejects[2].detail.find("flow state closed"), std::string::npos);
  EXPECT_EQ(s.rejects[3].detail, "event_type http: not a traffic record");
}

TEST(SuricataEve, SyslogRelayedLineAndSensorName) {
  auto s =
      ParseLines("suricata_eve", {"Mar  2 15:32:54 sensor1 suricata[2112]: " + kAlert,
                                  "<14>1 2024-03-02T15:32:54Z sensor2 suricata 2112 - - " + kDrop});
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.hosts[0], "sensor1");
  EXPECT_EQ(s.hosts[1], "sensor2");
  EXPECT_EQ(s.events[0].time, Utc(2024, 3, 2, 15, 32, 54, 123456));  // the object's own time

  std::string named = kAlert;
  named.insert(1, R"("host":"ids-7",)");
  auto n = ParseLines("suricata_eve", {"Mar  2 15:32:54 relay suricata: " + named});
  ASSERT_EQ(n.events.size(), 1u);
  EXPECT_EQ(n.hosts[0], "ids-7");  // EVE "host" (sensor-name) wins
}

TEST(SuricataEve, TimestampForms) {
  ParseOptions berlin;
  berlin.tz = *TimeZone::Load("+01:00");
  auto s = ParseLines(
      "suricata_eve",
      {R"({"timestamp":"2024-03-02T16:00:00.5","event_type":"drop","src_ip":"192.0.2.1","dest_ip":"192.0.2.2","proto":"UDP","src_port":1,"dest_port":2})",
       R"({"timestamp":"2024-03-02T15:00:00.000000-0000","event_type":"drop","src_ip":"192.0.2.1","dest_ip":"192.0.2.2","proto":"17"})",
       R"({"timestamp":"2024-03-02T15:00:00Z","event_type":"drop","src_ip":"192.0.2.1","dest_ip":"192.0.2.2","proto":"UDP"})"},
      berlin);
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].time, Utc(2024, 3, 2, 15, 0, 0, 500000));  // no offset: options.tz
  EXPECT_EQ(s.events[1].time, Utc(2024, 3, 2, 15, 0, 0));
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
  EXPECT_EQ(s.events[2].time, Utc(2024, 3, 2, 15, 0, 0));
}

TEST(SuricataEve, Icmpv6AnonymisedAndOtherProtocols) {
  auto s = ParseLines(
      "suricata_eve",
      {R"({"timestamp":"2024-03-02T15:00:00Z","event_type":"alert","src_ip":"2001:db8::5","dest_ip":"2001:db8::6","proto":"IPv6-ICMP","icmp_type":128,"icmp_code":0,"alert":{"action":"allowed"}})",
       R"({"timestamp":"2024-03-02T15:00:01Z","event_type":"alert","src_ip":"192.0.2.7","dest_ip":"x.x.250.50","src_port":1041,"dest_port":80,"proto":"TCP","alert":{"action":"allowed"}})",
       R"({"timestamp":"2024-03-02T15:00:02Z","event_type":"drop","src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"GRE"})",
       R"({"timestamp":"2024-03-02T15:00:03Z","event_type":"drop","src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"VRRP"})",
       R"({"timestamp":"2024-03-02T15:00:04Z","event_type":"drop","src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"SCTP","src_port":"2905","dest_port":2905})"});
  ASSERT_EQ(s.events.size(), 5u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].proto, kProtoIpv6Icmp);
  EXPECT_EQ(s.events[0].sport, 128);
  EXPECT_TRUE(s.events[1].dst.is_anonymised());
  EXPECT_EQ(s.events[1].dst.ToString(), "x.x.250.50");
  EXPECT_EQ(s.events[2].proto, 47);
  EXPECT_EQ(s.events[3].proto, 112);
  EXPECT_EQ(s.events[4].proto, 132);
  EXPECT_EQ(s.events[4].sport, 2905);  // a port written as a string
}

TEST(SuricataEve, Rejections) {
  const std::string head = R"({"timestamp":"2024-03-02T15:00:00Z","event_type":"alert",)";
  auto s = ParseLines(
      "suricata_eve",
      {
          head + R"("src_ip":"192.0.2.7","dest_ip":"198.51.100.1")",     // 1 cut short
          head + R"("dest_ip":"198.51.100.1","proto":"TCP"})",           // 2 no src_ip
          head + R"("src_ip":"192.0.2.700","dest_ip":"198.51.100.1"})",  // 3
          head + R"("src_ip":5,"dest_ip":"198.51.100.1"})",              // 4 wrong type
          head +
              R"("src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"TCP","dest_port":70000})",  // 5
          head +
              R"("src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"TCP","src_port":-1})",  // 6
          head + R"("src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"FOO"})",             // 7
          R"({"timestamp":"2024-13-02T15:00:00Z","event_type":"drop","src_ip":"192.0.2.7","dest_ip":"198.51.100.1"})",  // 8
          R"({"timestamp":"yesterday","event_type":"drop","src_ip":"192.0.2.7","dest_ip":"198.51.100.1"})",  // 9
          R"({"event_type":"drop","src_ip":"192.0.2.7","dest_ip":"198.51.100.1"})",  // 10
          head + R"("src_ip":"192.0.2.7","dest_ip":"198.51.100.1"} {"x":1})",        // 11 trailing
          std::string("{\"timestamp\":\"2024\0", 19) + "\"}",                        // 12 NUL
          R"({"timestamp":"2024-03-02T15:00:00Z","src_ip":"192.0.2.7","dest_ip":"198.51.100.1"})",  // 13
          head +
              R"("src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"TCP","tcp":{"tcp_flags":"zz"}})",  // 14
          R"({"timestamp":"2024-03-02T15:00:00Z","event_type":"alert","src_ip":"192.0.2.7","dest_ip":"198.51.100.1","proto":"ICMP","icmp_type":300})",  // 15
      });
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 15u);
  auto expect = [&](size_t i, Reason r, std::string_view part) {
    EXPECT_EQ(s.rejects[i].line, i + 1);
    EXPECT_EQ(s.rejects[i].reason, r) << i + 1 << ": " << s.rejects[i].detail;
    EXPECT_NE(s.rejects[i].detail.find(part), std::string::npos) << s.rejects[i].detail;
  };
  expect(0, Reason::kBadField, "invalid JSON (");
  expect(1, Reason::kTruncated, "no src_ip");
  expect(2, Reason::kUnparsableAddress, "192.0.2.700: src_ip");
  expect(3, Reason::kUnparsableAddress, "5: src_ip");
  expect(4, Reason::kBadPort, "70000: dest_port > 65535");
  expect(5, Reason::kBadPort, "-1: src_port not a number");
  expect(6, Reason::kUnknownProtocol, "FOO");
  expect(7, Reason::kBadTimestamp, "invalid date");
  expect(8, Reason::kBadTimestamp, "yesterday");
  expect(9, Reason::kBadTimestamp, "no timestamp");
  expect(10, Reason::kBadField, "TRAILING_CONTENT");
  expect(11, Reason::kBinary, "0x00");
  expect(12, Reason::kNotARecord, "no event_type");
  expect(13, Reason::kBadField, "tcp_flags");
  expect(14, Reason::kBadPort, "icmp_type > 255");
}

TEST(SuricataEve, GarbageAndHugeLinesNeverCrash) {
  std::string payload(300000, 'A');
  std::string big = kAlert;
  big.insert(big.size() - 1, R"(,"payload_printable":")" + payload + "\"");
  std::vector<std::string> lines = {
      big,
      "{",
      "}",
      "{}",
      "{\"",
      "{\"event_type\":\"alert\"",
      "{\"event_type\":\"alert\",\"alert\":[1,2,{\"action\":\"blocked\"}]}",
      std::string(5000, '{'),
      "{\"event_type\":\"flow\",\"flow\":\"new\"}",
      "\xff\xfe{\"a\":\"\xc3\x28\"}",
      "{\"event_type\":\"alert\",\"src_ip\":\"192.0.2.1\\u0000\"}",
      "  {\"event_type\":\"drop\",\"timestamp\":\"2024-03-02T15:00:00Z\",\"src_ip\":\"192.0.2.1\","
      "\"dest_ip\":\"192.0.2.2\"}  ",
  };
  auto s = ParseLines("suricata_eve", lines);
  EXPECT_EQ(s.events.size() + s.rejects.size(), lines.size());
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.events[0].dport, 23);
  EXPECT_EQ(s.events[1].line, 12u);
}

TEST(SuricataEve, Detector) {
  EXPECT_GE(DetectSuricataEve(kAlert), 90);
  EXPECT_GE(DetectSuricataEve(kDrop), 90);
  EXPECT_GE(
      DetectSuricataEve(
          R"({"timestamp":"2024-03-02T15:40:01.000000+0000","event_type":"stats","stats":{}})"),
      90);
  EXPECT_GE(DetectSuricataEve("Mar  2 15:32:54 sensor1 suricata[2112]: " + kAlert), 80);
  // Zeek JSON, other formats and plain text are not EVE.
  EXPECT_EQ(
      DetectSuricataEve(
          R"({"ts":1709393574.123456,"uid":"CAbc1","id.orig_h":"192.0.2.7","id.orig_p":40312,"id.resp_h":"198.51.100.20","id.resp_p":23,"proto":"tcp","conn_state":"S0"})"),
      0);
  EXPECT_EQ(DetectSuricataEve(
                "Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 PROTO=TCP"),
            0);
  EXPECT_EQ(DetectSuricataEve("timestamp,src_ip,dst_ip"), 0);
  EXPECT_EQ(DetectSuricataEve(""), 0);
  const FormatInfo* f = FindFormat("suricata_eve");
  ASSERT_NE(f, nullptr);
  std::string_view sample[] = {kAlert, kDrop};
  auto d = DetectFormat(sample);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->name, "suricata_eve");
}

}  // namespace
}  // namespace portstorm::parse
