// fortigate parser on FortiOS key=value lines written for these tests.
#include "parse/formats/fortigate.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

const std::string kDeny =
    "<188>date=2005-01-11 time=01:42:22 devname=\"fg1\" devid=\"FG100E0000000001\" "
    "logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" "
    "eventtime=1105407742123456789 tz=\"+0100\" srcip=192.0.2.1 srcport=4117 srcintf=\"wan1\" "
    "srcintfrole=\"wan\" dstip=198.51.100.2 dstport=5000 dstintf=\"internal\" "
    "dstintfrole=\"lan\" sessionid=4711 proto=6 action=\"deny\" policyid=0 "
    "policytype=\"policy\" service=\"tcp/5000\" dstcountry=\"Reserved\" srccountry=\"Reserved\" "
    "trandisp=\"noop\" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 appcat=\"unscanned\" "
    "msg=\"Denied by forward policy check (policy 0)\"";

CollectSink One(const std::string& line, const ParseOptions& o = {}) {
  return ParseLines("fortigate", {line}, o);
}

TEST(Fortigate, DenyRecordEveryField) {
  auto s = One(kDeny);
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22, 123456));  // eventtime in ns
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.count, 1u);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(s.hosts[0], "fg1");
}

TEST(Fortigate, TimeFromDateTimeAndTz) {
  // No eventtime: date/time are local to tz.
  auto s = One("date=2005-01-11 time=01:42:22 devname=\"fg1\" type=\"traffic\" "
               "subtype=\"local\" tz=\"+0100\" srcip=192.0.2.1 srcport=4117 dstip=198.51.100.2 "
               "dstport=22 proto=6 action=\"deny\"");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 0, 42, 22));
  // No tz either: ParseOptions::tz.
  ParseOptions o;
  o.tz = *TimeZone::Load("-05:00");
  s = One("date=2005-01-11 time=01:42:22 type=traffic srcip=192.0.2.1 srcport=1 "
          "dstip=198.51.100.2 dstport=2 proto=17 action=deny",
          o);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 6, 42, 22));
  EXPECT_EQ(s.events[0].proto, kProtoUdp);
  // eventtime in seconds and in microseconds; tz "UTC+2:00" form.
  s = One("date=2005-01-11 time=01:42:22 type=traffic eventtime=1105407742 srcip=192.0.2.1 "
          "dstip=198.51.100.2 proto=6 srcport=1 dstport=2 action=deny");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22));
  s = One("date=2005-01-11 time=01:42:22 type=traffic eventtime=1105407742000001 "
          "srcip=192.0.2.1 dstip=198.51.100.2 proto=6 srcport=1 dstport=2 action=deny");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22, 1));
  s = One("date=2005-01-11 time=03:42:22 tz=\"UTC+2:00\" type=traffic srcip=192.0.2.1 "
          "dstip=198.51.100.2 proto=6 srcport=1 dstport=2 action=deny");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22));
}

TEST(Fortigate, Ipv6AndIcmp) {
  auto s = ParseLines(
      "fortigate",
      {"date=2005-01-11 time=01:42:22 devname=\"fg1\" logid=\"0001000014\" type=\"traffic\" "
       "subtype=\"local\" srcip=2001:db8::1 srcport=4117 dstip=2001:db8:0:1::2 dstport=443 "
       "proto=6 action=\"deny\" policyid=0",
       "date=2005-01-11 time=01:42:22 devname=\"fg1\" logid=\"0000000006\" type=\"traffic\" "
       "subtype=\"forward\" srcip=192.0.2.1 identifier=512 dstip=198.51.100.2 proto=1 "
       "action=\"deny\" service=\"PING\" icmptype=0x08 icmpcode=0x00",
       "date=2005-01-11 time=01:42:22 devname=\"fg1\" type=\"traffic\" subtype=\"forward\" "
       "srcip=2001:db8::1 dstip=2001:db8::2 proto=58 action=\"deny\" service=\"icmp6/128/0\""},
      {});
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[0].dst, Addr("2001:db8:0:1::2"));
  EXPECT_EQ(s.events[1].proto, kProtoIcmp);
  EXPECT_EQ(s.events[1].sport, 8);
  EXPECT_EQ(s.events[1].dport, 0);
  EXPECT_EQ(s.events[2].proto, kProtoIpv6Icmp);
  EXPECT_EQ(s.events[2].sport, 128);
}

TEST(Fortigate, NotRecords) {
  struct Case {
    std::string line;
    std::string detail;
  } cases[] = {
      {"date=2005-01-11 time=01:42:22 type=\"traffic\" srcip=192.0.2.1 srcport=1 "
       "dstip=198.51.100.2 dstport=443 proto=6 action=\"accept\"",
       "accept: session the policy allowed, not blocked traffic"},
      {"date=2005-01-11 time=01:42:22 type=\"traffic\" srcip=192.0.2.1 srcport=1 "
       "dstip=198.51.100.2 dstport=443 proto=6 action=\"server-rst\"",
       "server-rst: session the policy allowed, not blocked traffic"},
      {"date=2005-01-11 time=01:42:22 type=\"utm\" subtype=\"webfilter\" srcip=192.0.2.1 "
       "dstip=198.51.100.2 action=\"blocked\"",
       "utm: not a traffic log"},
      {"date=2005-01-11 time=01:42:22 type=\"event\" subtype=\"system\" action=\"login\"",
       "event: not a traffic log"},
      {"Jan 11 01:42:22 host sshd[1]: Accepted password", "no FortiGate key=value fields"},
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

TEST(Fortigate, Rejections) {
  const std::string h = "date=2005-01-11 time=01:42:22 type=\"traffic\" ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {h + "srcip=192.0.2.1 srcport=99999 dstip=198.51.100.2 dstport=1 proto=6 action=deny",
       Reason::kBadPort, "srcport=99999: port > 65535"},
      {h + "srcip=192.0.2.1 srcport=1 dstip=198.51.100.2 dstport=ab proto=6 action=deny",
       Reason::kBadPort, "dstport=ab: port not a number"},
      {h + "srcip=192.0.2 srcport=1 dstip=198.51.100.2 dstport=1 proto=6 action=deny",
       Reason::kUnparsableAddress, "192.0.2: srcip not an IPv4/IPv6 address"},
      {h + "srcip=192.0.2.1 srcport=1 dstip=198.51.100.2 dstport=1 proto=tcp action=deny",
       Reason::kUnknownProtocol, "tcp: proto not a number 0..255"},
      {h + "srcip=192.0.2.1 srcport=1 dstport=1 proto=6 action=deny", Reason::kTruncated,
       "no dstip="},
      {h + "srcip=192.0.2.1 srcport=1 dstip=198.51.100.2 dstport=1 proto=6", Reason::kTruncated,
       "no action= field"},
      {"date=2005-02-30 time=01:42:22 type=traffic srcip=192.0.2.1 dstip=198.51.100.2 proto=6 "
       "action=deny",
       Reason::kBadTimestamp, "2005-02-30 01:42:22: invalid date or time"},
      {"type=traffic srcip=192.0.2.1 dstip=198.51.100.2 proto=6 action=deny",
       Reason::kBadTimestamp, "no date=/time= or eventtime="},
      {h + "srcip=192.0.2.1\x1b dstip=198.51.100.2", Reason::kBinary,
       "control byte 0x1b at column 61"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Fortigate, TruncatedAndHugeLinesAreAnsweredOnce) {
  for (size_t n = 0; n <= kDeny.size(); ++n) {
    auto s = One(kDeny.substr(0, n));
    EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << n;
  }
  auto s = One(kDeny + " msg2=\"" + std::string(300000, 'x'));  // unterminated quote
  EXPECT_EQ(s.events.size(), 1u);
  s = One(std::string(200000, '='));
  EXPECT_EQ(s.events.size() + s.rejects.size(), 1u);
}

TEST(Fortigate, Detect) {
  EXPECT_EQ(DetectFortigate(kDeny), 95);
  EXPECT_EQ(DetectFortigate("date=2005-01-11 time=01:42:22 type=\"traffic\" subtype=\"forward\" "
                            "srcip=192.0.2.1 srcport=4117 dstip=198.51.100.2 dstport=5000 "
                            "proto=6 action=\"deny\""),
            85);
  EXPECT_EQ(DetectFortigate("Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 "
                            "DST=198.51.100.2 PROTO=TCP SPT=1 DPT=2"),
            0);
  EXPECT_EQ(DetectFortigate("<14>1 2005-01-11T01:42:22Z srx RT_FLOW - RT_FLOW_SESSION_DENY "
                            "[junos@2636.1.1.1.2.40 source-address=\"192.0.2.1\"]"),
            0);
}

}  // namespace
}  // namespace portstorm::parse
