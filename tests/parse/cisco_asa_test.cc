// cisco_asa parser on ASA/PIX messages written for these tests (documentation
// addresses), in the header forms relays put in front of them.
#include "parse/formats/cisco_asa.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

ParseOptions Opts() {
  ParseOptions o;
  o.year = 2005;
  o.reference_time = Utc(2005, 6, 1, 12, 0, 0);
  return o;
}

CollectSink One(const std::string& line, const ParseOptions& o = Opts()) {
  return ParseLines("cisco_asa", {line}, o);
}

TEST(CiscoAsa, Deny106023WithDeviceTimestamp) {
  auto s = One("Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src outside:192.0.2.1/4117 dst "
               "inside:198.51.100.2/5000 by access-group \"outside_in\" [0x0, 0x0]");
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.count, 1u);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(s.hosts[0], "");
}

TEST(CiscoAsa, Inbound106001WithSyslogHeaderAndFlags) {
  auto s = One("Jan 11 01:42:22 fw1 %PIX-2-106001: Inbound TCP connection denied from "
               "192.0.2.1/4117 to 198.51.100.2/5000 flags SYN ACK  on interface outside");
  ASSERT_EQ(s.events.size(), 1u);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn | tcp::kAck);
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(s.hosts[0], "fw1");
}

TEST(CiscoAsa, UdpDenials106006And106007) {
  auto s = ParseLines(
      "cisco_asa",
      {"Jan 11 2005 01:42:22: %ASA-2-106006: Deny inbound UDP from 192.0.2.1/137 to "
       "198.51.100.2/137 on interface outside",
       "Jan 11 2005 01:42:23: %ASA-2-106007: Deny inbound UDP from 192.0.2.1/53 to "
       "198.51.100.2/33000 due to DNS Response"},
      Opts());
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].proto, kProtoUdp);
  EXPECT_EQ(s.events[0].dport, 137);
  EXPECT_EQ(s.events[1].sport, 53);
  EXPECT_EQ(s.events[1].dport, 33000);
  EXPECT_EQ(s.events[1].line, 2u);
}

TEST(CiscoAsa, IcmpTypeAndCodeInPorts) {
  auto s = ParseLines(
      "cisco_asa",
      {"Jan 11 2005 01:42:22: %ASA-4-106023: Deny icmp src outside:192.0.2.1 dst "
       "inside:198.51.100.2 (type 8, code 0) by access-group \"outside_in\" [0x0, 0x0]",
       "Jan 11 2005 01:42:22: %ASA-3-106014: Deny inbound icmp src outside:192.0.2.1 dst "
       "inside:198.51.100.2(type 3, code 3)",
       "Jan 11 2005 01:42:22: %ASA-3-313001: Denied ICMP type=5, code=1 from 192.0.2.1 on "
       "interface outside",
       "Jan 11 2005 01:42:22: %ASA-4-313004: Denied ICMP type=0, from laddr 192.0.2.1 on "
       "interface inside to 198.51.100.2: no matching session"},
      Opts());
  ASSERT_EQ(s.events.size(), 4u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].proto, kProtoIcmp);
  EXPECT_EQ(s.events[0].sport, 8);
  EXPECT_EQ(s.events[0].dport, 0);
  EXPECT_EQ(s.events[1].sport, 3);
  EXPECT_EQ(s.events[1].dport, 3);
  EXPECT_EQ(s.events[1].dst, Addr("198.51.100.2"));
  EXPECT_EQ(s.events[2].src, Addr("192.0.2.1"));
  EXPECT_EQ(s.events[2].dst, IpAddr());  // 313001 names no target
  EXPECT_EQ(s.events[2].sport, 5);
  EXPECT_EQ(s.events[2].dport, 1);
  EXPECT_EQ(s.events[3].dst, Addr("198.51.100.2"));
  EXPECT_EQ(s.events[3].sport, 0);
}

TEST(CiscoAsa, Ipv6AndInterfacePrefixes) {
  auto s = ParseLines(
      "cisco_asa",
      {"Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src outside:2001:db8::1/4117 dst "
       "inside:2001:db8:0:1::2/443 by access-group \"outside_in\" [0x0, 0x0]",
       "LOCAL4.WARNING: fw-1 %ASA-4-106023: Deny udp src v1:outside:192.0.2.1/4117 dst "
       "v2:inside:198.51.100.2 by access-group \"outside_in\" [0x0, 0x0]"},
      Opts());
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[0].dst, Addr("2001:db8:0:1::2"));
  EXPECT_EQ(s.events[0].dport, 443);
  EXPECT_EQ(s.events[1].src, Addr("192.0.2.1"));
  EXPECT_EQ(s.events[1].dst, Addr("198.51.100.2"));
  EXPECT_EQ(s.events[1].dport, 0);  // no port on that side
  EXPECT_EQ(s.hosts[1], "fw-1");
  // No timestamp at all: the reference time (file mtime, or now).
  EXPECT_EQ(s.events[1].time, Utc(2005, 6, 1, 12, 0, 0));
}

TEST(CiscoAsa, AccessList106100AllowAndDrop) {
  auto s = ParseLines(
      "cisco_asa",
      {"Jan 11 2005 01:42:22: %ASA-6-106100: access-list outside_in denied tcp "
       "outside/192.0.2.1(4117) -> inside/198.51.100.2(5000) hit-cnt 1 first hit [0x1a2b3c4d, 0x0]",
       "Jan 11 2005 01:42:22: %ASA-6-106100: access-list inside_out permitted udp "
       "inside/198.51.100.7(1039) -> outside/203.0.113.5(53) hit-cnt 144 300-second interval "
       "[0x1a2b3c4d, 0x0]",
       "Jan 11 2005 01:42:22: %ASA-6-106100: access-list outside_in denied icmp "
       "outside/192.0.2.1(8) -> inside/198.51.100.2(0) hit-cnt 1 first hit [0x1a2b3c4d, 0x0]"},
      Opts());
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.events[0].sport, 4117);
  EXPECT_EQ(s.events[0].dport, 5000);
  EXPECT_EQ(s.events[1].action, Action::kAllow);
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
  EXPECT_EQ(s.events[1].count, 1u);  // hit-cnt is an ACL aggregate, not packets
  EXPECT_EQ(s.events[2].proto, kProtoIcmp);
  EXPECT_EQ(s.events[2].sport, 8);
}

TEST(CiscoAsa, MessageRepeatedIsOneRecordWithCount) {
  auto s = One("Jan 11 01:42:22 192.0.2.254 %ASA-2-106006: message repeated 3 times: [ Deny "
               "inbound UDP from 192.0.2.1/137 to 198.51.100.2/137 on interface outside]");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].count, 3u);
  EXPECT_EQ(s.events[0].dport, 137);
  EXPECT_EQ(s.hosts[0], "192.0.2.254");
}

TEST(CiscoAsa, ServiceNamesAndOtherDenials) {
  auto s = ParseLines(
      "cisco_asa",
      {"Jan 11 2005 01:42:22: %PIX-3-710003: TCP access denied by ACL from 192.0.2.1/2984 to "
       "outside:198.51.100.2/ssh",
       "Jan 11 2005 01:42:22: %ASA-3-710003: UDP access denied by ACL from 192.0.2.1/2984 to "
       "outside:198.51.100.2/some-service",
       "Jan 11 2005 01:42:22: %ASA-6-106015: Deny TCP (no connection) from 192.0.2.1/80 to "
       "198.51.100.2/3782 flags RST ACK  on interface outside",
       "Jan 11 2005 01:42:22: %ASA-2-106016: Deny IP spoof from (0.0.0.0) to 198.51.100.2 on "
       "interface outside",
       "Jan 11 2005 01:42:22: %ASA-4-106023: Deny protocol 47 src outside:192.0.2.1 dst "
       "inside:198.51.100.2 by access-group \"outside_in\" [0x0, 0x0]",
       "Jan 11 2005 01:42:22: %ASA-4-419001: Dropping TCP packet from outside:192.0.2.1/80 to "
       "inside:198.51.100.2/49043, reason: MSS exceeded, MSS 1380, data 1460",
       "Jan 11 2005 01:42:22: %ASA-4-338008: Dynamic Filter dropped blacklisted TCP traffic from "
       "inside:198.51.100.2/33340 (203.0.113.1/33340) to outside:192.0.2.1/80 (192.0.2.1/80), "
       "destination 192.0.2.1 resolved from dynamic list: 192.0.2.1/255.255.255.255"},
      Opts());
  ASSERT_EQ(s.events.size(), 7u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].dport, 22);
  EXPECT_EQ(s.events[0].proto, kProtoTcp);
  EXPECT_EQ(s.events[1].dport, 0);  // a name portstorm does not know: port unknown
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
  EXPECT_EQ(s.events[2].tcp_flags, tcp::kRst | tcp::kAck);
  EXPECT_EQ(s.events[3].src, Addr("0.0.0.0"));
  EXPECT_EQ(s.events[3].proto, 0);
  EXPECT_EQ(s.events[4].proto, 47);
  EXPECT_EQ(s.events[5].proto, kProtoTcp);
  EXPECT_EQ(s.events[5].dport, 49043);
  EXPECT_EQ(s.events[6].action, Action::kDrop);
  EXPECT_EQ(s.events[6].src, Addr("198.51.100.2"));
  EXPECT_EQ(s.events[6].dport, 80);
}

TEST(CiscoAsa, AnonymisedTargetIsKept) {
  auto s = One("%PIX-6-106015: Deny TCP (no connection) from 192.0.2.1/110 to x.x.x.50/3782 "
               "flags RST ACK");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_TRUE(s.events[0].dst.is_anonymised());
  EXPECT_EQ(s.events[0].dst.ToString(), "x.x.x.50");
}

TEST(CiscoAsa, HeaderForms) {
  auto s = ParseLines(
      "cisco_asa",
      {"<166>1 2005-01-11T02:42:22+01:00 fw1 - - - %ASA-2-106006: Deny inbound UDP from "
       "192.0.2.1/1 to 198.51.100.2/2 on interface outside",
       "Jan 11 01:42:30 relay1 192.0.2.254/192.0.2.254 :Jan 11 2005 01:42:22 EST: "
       "%ASA-session-2-106006: Deny inbound UDP from 192.0.2.1/1 to 198.51.100.2/2 on "
       "interface outside",
       "Jan 11 2005 01:42:22 FW-A : %ASA-2-106006: Deny inbound UDP from 192.0.2.1/1 to "
       "198.51.100.2/2 on interface outside",
       "ASA-2-106006: Deny inbound UDP from 192.0.2.1/1 to 198.51.100.2/2 on interface outside"},
      Opts());
  ASSERT_EQ(s.events.size(), 4u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(s.hosts[0], "fw1");
  EXPECT_EQ(s.events[1].time, Utc(2005, 1, 11, 6, 42, 22));  // the device's own EST stamp
  EXPECT_EQ(s.hosts[1], "relay1");
  EXPECT_EQ(s.hosts[2], "FW-A");
  EXPECT_EQ(s.events[3].dport, 2);  // a relay stripped the '%'
}

TEST(CiscoAsa, ZoneOptionAndYearInference) {
  ParseOptions o;
  o.tz = *TimeZone::Load("+01:00");
  o.reference_time = Utc(2006, 1, 5, 0, 0, 0);
  auto s = ParseLines("cisco_asa",
                      {"Dec 31 23:59:59 fw1 %ASA-2-106006: Deny inbound UDP from 192.0.2.1/1 "
                       "to 198.51.100.2/2 on interface outside",
                       "Jan  1 00:00:01 fw1 %ASA-2-106006: Deny inbound UDP from 192.0.2.1/1 "
                       "to 198.51.100.2/2 on interface outside"},
                      o);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 12, 31, 22, 59, 59));
  EXPECT_EQ(s.events[1].time, Utc(2005, 12, 31, 23, 0, 1));
}

TEST(CiscoAsa, NotRecords) {
  struct Case {
    std::string line;
    std::string detail;
  } cases[] = {
      {"Jan 11 2005 01:42:22: %ASA-6-302013: Built outbound TCP connection 9 for "
       "outside:192.0.2.1/80 (192.0.2.1/80) to inside:198.51.100.2/1772 (198.51.100.2/1772)",
       "message 302013 is not a traffic verdict"},
      {"Jan 11 2005 01:42:22: %ASA-4-733100: [ Scanning] drop rate-1 exceeded. Current burst "
       "rate is 160 per second",
       "message 733100 is not a traffic verdict"},
      {"Jan 11 01:42:22 fw1 sshd[12]: Accepted publickey for root", "no %ASA-/%PIX- message tag"},
      {"", "empty line"},
      {"Jan 11 2005 01:42:22: %ASA-5-338303: Address 192.0.2.1 (example.org) timed out. "
       "Removing rule",
       "message 338303 is not a traffic verdict"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, Reason::kNotARecord) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(CiscoAsa, Rejections) {
  const std::string h = "Jan 11 2005 01:42:22: %ASA-4-106023: ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {h + "Deny tcp src outside:192.0.2.1/99999 dst inside:198.51.100.2/5000 by access-group "
           "\"a\"",
       Reason::kBadPort, "outside:192.0.2.1/99999: port > 65535"},
      {h + "Deny tcp src outside:192.0.2/1 dst inside:198.51.100.2/5000 by access-group \"a\"",
       Reason::kUnparsableAddress, "outside:192.0.2/1: not an IPv4/IPv6 address"},
      {h + "Deny tcp src outside:source_address/1 dst inside:198.51.100.2/5000",
       Reason::kUnparsableAddress, "outside:source_address/1: not an IPv4/IPv6 address"},
      {h + "Deny xyz src outside:192.0.2.1/1 dst inside:198.51.100.2/5000", Reason::kUnknownProtocol,
       "xyz: not a protocol"},
      {h + "Deny tcp src outside:192.0.2.1/4117", Reason::kTruncated, "no \"dst\" address"},
      {h + "Deny tcp", Reason::kTruncated, "no \"src\" address"},
      {"Jan 11 2005 01:42:22: %ASA-2-106001: Inbound TCP connection denied from 192.0.2.1/1",
       Reason::kTruncated, "no \"to\" address"},
      {"Feb 30 2005 01:42:22: %ASA-2-106006: Deny inbound UDP from 192.0.2.1/1 to "
       "198.51.100.2/2 on interface outside",
       Reason::kBadTimestamp, "Feb 30 2005 01:42:22: invalid date or time"},
      {"Jan 11 2005 01:42:22: %ASA-6-106100: access-list a allowed tcp o/192.0.2.1(1) -> "
       "i/198.51.100.2(2) hit-cnt 1",
       Reason::kBadField, "allowed: access-list verdict not permitted/denied/est-allowed"},
      {h + "Deny\x01tcp", Reason::kBinary, "control byte 0x01 at column 42"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(CiscoAsa, TruncatedAndHugeLinesAreAnsweredOnce) {
  const std::string full =
      "Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src outside:192.0.2.1/4117 dst "
      "inside:198.51.100.2/5000 by access-group \"outside_in\" [0x0, 0x0]";
  for (size_t n = 0; n <= full.size(); ++n) {
    auto s = One(full.substr(0, n));
    EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << n;
  }
  std::string huge = "Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src outside:192.0.2.1/4117 "
                     "dst inside:198.51.100.2/5000 by access-group \"" +
                     std::string(200000, 'a') + "\"";
  auto s = One(huge);
  ASSERT_EQ(s.events.size(), 1u);
  auto junk = One(std::string(100000, '%') + "ASA-" + std::string(100000, '1'));
  EXPECT_EQ(junk.events.size() + junk.rejects.size(), 1u);
}

TEST(CiscoAsa, Detect) {
  EXPECT_EQ(DetectCiscoAsa("Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src "
                           "outside:192.0.2.1/4117 dst inside:198.51.100.2/5000"),
            95);
  EXPECT_EQ(DetectCiscoAsa("Jan 11 01:42:22 fw %PIX-2-106001: Inbound TCP connection denied"), 95);
  EXPECT_EQ(DetectCiscoAsa("Jan 11 01:42:22 fw %ASA-session-5-106100: access-list"), 95);
  EXPECT_EQ(DetectCiscoAsa("Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2"),
            0);
  EXPECT_EQ(DetectCiscoAsa("date=2005-01-11 time=01:42:22 type=\"traffic\" srcip=192.0.2.1"), 0);
  EXPECT_EQ(DetectCiscoAsa("100% done, %ASA is a word"), 0);
}

}  // namespace
}  // namespace portstorm::parse
