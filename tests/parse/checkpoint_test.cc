// checkpoint parser on Check Point Log Exporter lines written for these tests.
#include "parse/formats/checkpoint.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

const std::string kDrop =
    "<134>1 2005-01-11T01:42:30Z mgmt1 CheckPoint 16953 - [action:\"Drop\"; flags:\"400644\"; "
    "ifdir:\"inbound\"; ifname:\"eth1\"; logid:\"0\"; loguid:\"{0x0,0x0,0x0,0x0}\"; "
    "origin:\"203.0.113.1\"; originsicname:\"cn=gw1,o=mgmt1..abcd\"; sequencenum:\"3\"; "
    "time:\"1105407742\"; version:\"5\"; __policy_id_tag:\"product=VPN-1 & "
    "FireWall-1[db_tag={00000000-0000-0000-0000-000000000000};mgmt=mgmt1;date=1105400000;"
    "policy_name=Standard\\]\"; dst:\"198.51.100.2\"; inzone:\"External\"; layer_name:\"Network\"; "
    "match_id:\"9\"; parent_rule:\"0\"; rule_action:\"Drop\"; rule_name:\"Cleanup rule\"; "
    "outzone:\"Internal\"; product:\"VPN-1 & FireWall-1\"; proto:\"6\"; s_port:\"4117\"; "
    "service:\"5000\"; service_id:\"tcp-5000\"; src:\"192.0.2.1\"; ]";

CollectSink One(const std::string& line) {
  ParseOptions o;
  o.reference_time = Utc(2005, 6, 1, 12, 0, 0);
  return ParseLines("checkpoint", {line}, o);
}

TEST(Checkpoint, DropEveryField) {
  auto s = One(kDrop);
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));  // time:"epoch", not the exporter's header
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.count, 1u);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(s.hosts[0], "203.0.113.1");  // origin: the gateway
}

// A value ending in an escaped backslash ends at its quote; an escaped quote
// does not end it.
TEST(Checkpoint, EscapedBackslashBeforeTheClosingQuote) {
  std::string line = kDrop;
  // The value right before dst: read past its end, dst would be lost.
  line.replace(line.find("Standard\\]"), 10, "C:\\\\");
  line.replace(line.find("inzone:\"External\""), 17, "inzone:\"Ex\\\"t\"");
  auto s = One(line);
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].dst, Addr("198.51.100.2"));
  EXPECT_EQ(s.events[0].sport, 4117);
  EXPECT_EQ(s.events[0].proto, kProtoTcp);
  EXPECT_EQ(s.events[0].action, Action::kDrop);
}

TEST(Checkpoint, PacketListIsOneRecordPerPacket) {
  auto s = One("<134>1 2005-01-11T01:42:22Z mgmt1 CheckPoint 16953 - [action:\"Drop\"; "
               "ifdir:\"inbound\"; time:\"1105407742\"; drop_reason:\"matched optimized drop\"; "
               "packet_amount:\"3\"; packets:\" <192.0.2.1,4117,198.51.100.2,22,6;eth0> "
               "<192.0.2.1,4118,198.51.100.3,53,17;eth0> <2001:db8::1,4119,2001:db8::2,80,6>\"]");
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].dport, 22);
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
  EXPECT_EQ(s.events[1].dst, Addr("198.51.100.3"));
  EXPECT_EQ(s.events[2].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[2].sport, 4119);
  for (const Event& e : s.events) {
    EXPECT_EQ(e.line, 1u);
    EXPECT_EQ(e.count, 1u);
    EXPECT_EQ(e.action, Action::kDrop);
  }
  EXPECT_EQ(s.hosts[0], "mgmt1");  // no origin: the header host
}

TEST(Checkpoint, ActionsIcmpIpv6AndOlderForms) {
  auto s = ParseLines(
      "checkpoint",
      {"action:\"Reject\" src:\"2001:db8::1\" s_port:\"4117\" dst:\"2001:db8::2\" "
       "service:\"25\" proto:\"6\"",
       "1 2005-01-11T01:42:22Z gw1 CheckPoint 1 - [action:\"Drop\"; src:\"192.0.2.1\"; "
       "dst:\"198.51.100.2\"; proto:\"1\"; icmp_type:\"8\"; icmp_code:\"0\"]",
       " 1 2005-01-11T01:42:22Z gw1 CheckPoint 1 - [action:\"Detect\"; src:\"192.0.2.1\"; "
       "dst:\"198.51.100.2\"; proto:\"6\"; s_port:\"4117\"; service:\"80\"; "
       "attack:\"Example Attack\"]"},
      {});
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kReject);
  EXPECT_EQ(s.events[0].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[0].dport, 25);
  EXPECT_EQ(s.events[1].proto, kProtoIcmp);
  EXPECT_EQ(s.events[1].sport, 8);
  EXPECT_EQ(s.events[1].dport, 0);
  EXPECT_EQ(s.events[1].time, Utc(2005, 1, 11, 1, 42, 22));  // header time
  EXPECT_EQ(s.events[2].action, Action::kAlert);
}

TEST(Checkpoint, NotRecords) {
  struct Case {
    std::string line;
    std::string detail;
  } cases[] = {
      {"<134>1 2005-01-11T01:42:22Z mgmt1 CheckPoint 1 - [action:\"Accept\"; src:\"192.0.2.1\"; "
       "dst:\"198.51.100.2\"; proto:\"6\"; service:\"443\"]",
       "Accept: not a drop, reject or detection"},
      {"<134>1 2005-01-11T01:42:22Z mgmt1 CheckPoint 1 - [action:\"Key Install\"; "
       "src:\"192.0.2.1\"; dst:\"198.51.100.2\"]",
       "Key Install: not a drop, reject or detection"},
      {"<134>1 2005-01-11T01:42:22Z mgmt1 CheckPoint 1 - [action:\"Reject\"; src:\"192.0.2.1\"; "
       "dst:\"198.51.100.2\"; reject_category:\"IKE failure\"]",
       "no protocol or ports: not a connection (VPN/IKE event)"},
      {"Jan 11 01:42:22 host sshd[1]: Accepted password", "no Check Point key:\"value\" fields"},
      {"", "empty line"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, Reason::kNotARecord) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Checkpoint, Rejections) {
  const std::string h = "<134>1 2005-01-11T01:42:22Z mgmt1 CheckPoint 1 - [action:\"Drop\"; ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {h + "src:\"192.0.2.1\"; dst:\"198.51.100.2\"; proto:\"6\"; service:\"70000\"]",
       Reason::kBadPort, "70000: port > 65535"},
      {h + "src:\"192.0.2\"; dst:\"198.51.100.2\"; proto:\"6\"; service:\"1\"]",
       Reason::kUnparsableAddress, "192.0.2: not an IPv4/IPv6 address"},
      {h + "src:\"192.0.2.1\"; dst:\"198.51.100.2\"; proto:\"foo\"; service:\"1\"]",
       Reason::kUnknownProtocol, "foo: unknown protocol"},
      {h + "src:\"192.0.2.1\"; proto:\"6\"; service:\"1\"]", Reason::kTruncated, "no dst: field"},
      {h + "flags:\"1\";...", Reason::kTruncated, "no src/dst/proto fields"},
      {h + "packets:\" <192.0.2.1,1,198.51.100.2\"]", Reason::kTruncated,
       "<192.0.2.1,1,198.51.100.2: packet without '>'"},
      {h + "packets:\" <192.0.2.1,1,198.51.100.2,2>\"]", Reason::kTruncated,
       "192.0.2.1,1,198.51.100.2,2: packet not <src,sport,dst,dport,proto>"},
      {"<134>1 2005-13-11T01:42:22Z mgmt1 CheckPoint 1 - [action:\"Drop\"; src:\"192.0.2.1\"; "
       "dst:\"198.51.100.2\"; proto:\"6\"]",
       Reason::kBadTimestamp, "2005-13-11T01:42:22Z: invalid date or time"},
      {h + "src:\"192.0.2.1\x7f\"", Reason::kBinary, "control byte 0x7f at column 80"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Checkpoint, TruncatedAndHugeLinesAreAnsweredOnce) {
  for (size_t n = 0; n <= kDrop.size(); ++n) {
    auto s = One(kDrop.substr(0, n));
    EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << n;
  }
  std::string many = "action:\"Drop\" packets:\"";
  for (int i = 0; i < 20000; ++i) many += " <192.0.2.1,1,198.51.100.2,2,6;eth0>";
  many += "\"";
  auto s = One(many);
  EXPECT_EQ(s.events.size(), 20000u);
  s = One(std::string(300000, ':') + std::string(300000, '"'));
  EXPECT_EQ(s.events.size() + s.rejects.size(), 1u);
}

TEST(Checkpoint, Detect) {
  EXPECT_EQ(DetectCheckpoint(kDrop), 95);
  EXPECT_EQ(DetectCheckpoint("action:\"Drop\" src:\"192.0.2.1\" s_port:\"4117\" "
                             "dst:\"198.51.100.2\" service:\"5000\" proto:\"6\""),
            80);
  EXPECT_EQ(DetectCheckpoint("{\"timestamp\":\"2005-01-11T01:42:22.123456+0000\","
                             "\"event_type\":\"drop\",\"src_ip\":\"192.0.2.1\"}"),
            0);
  EXPECT_EQ(DetectCheckpoint("date=2005-01-11 time=01:42:22 type=\"traffic\" action=\"deny\""),
            0);
}

}  // namespace
}  // namespace portstorm::parse
