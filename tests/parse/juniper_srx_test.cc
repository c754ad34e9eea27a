// juniper_srx parser on RT_FLOW / RT_SCREEN lines written for these tests.
#include "parse/formats/juniper_srx.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

const std::string kPlainDeny =
    "Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied "
    "192.0.2.1/4117->198.51.100.2/5000 0x0 junos-tcp-any 6(0) default-deny(global) untrust "
    "trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny";

const std::string kSdDeny =
    "<14>1 2005-01-11T02:42:22.250+01:00 srx1 RT_FLOW - RT_FLOW_SESSION_DENY "
    "[junos@2636.1.1.1.2.40 source-address=\"192.0.2.1\" source-port=\"4117\" "
    "destination-address=\"198.51.100.2\" destination-port=\"5000\" connection-tag=\"0\" "
    "service-name=\"None\" protocol-id=\"6\" icmp-type=\"0\" policy-name=\"deny-all\" "
    "source-zone-name=\"untrust\" destination-zone-name=\"trust\" application=\"UNKNOWN\" "
    "nested-application=\"UNKNOWN\" username=\"N/A\" roles=\"N/A\" "
    "packet-incoming-interface=\"ge-0/0/0.0\" encrypted=\"No\" reason=\"Denied by policy\"]";

ParseOptions Opts() {
  ParseOptions o;
  o.year = 2005;
  o.reference_time = Utc(2005, 6, 1, 12, 0, 0);
  return o;
}

CollectSink One(const std::string& line) { return ParseLines("juniper_srx", {line}, Opts()); }

void ExpectDeny(const Event& e) {
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.count, 1u);
}

TEST(JuniperSrx, PlainDeny) {
  auto s = One(kPlainDeny);
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  ExpectDeny(s.events[0]);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.hosts[0], "srx1");
}

TEST(JuniperSrx, StructuredDeny) {
  auto s = One(kSdDeny);
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  ExpectDeny(s.events[0]);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22, 250000));
  EXPECT_EQ(s.hosts[0], "srx1");
}

TEST(JuniperSrx, BareMessageUsesReferenceTime) {
  auto s = One("RT_FLOW_SESSION_DENY: session denied 192.0.2.1/4117->198.51.100.2/5000 None "
               "6(0) default-deny(global) untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 "
               "UNKNOWN policy deny");
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  ExpectDeny(s.events[0]);
  EXPECT_EQ(s.events[0].time, Utc(2005, 6, 1, 12, 0, 0));
}

TEST(JuniperSrx, CreateAndCloseAreAllowRecords) {
  auto s = ParseLines(
      "juniper_srx",
      {"Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE: session created "
       "192.0.2.1/4117->198.51.100.2/22 junos-ssh 192.0.2.1/4117->198.51.100.2/22 None None 6 "
       "allow-ssh untrust trust 4711 N/A(N/A) ge-0/0/0.0",
       "Jan 11 01:42:25 srx1 RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed TCP FIN: "
       "192.0.2.1/4117->198.51.100.2/22 0x0 junos-ssh 203.0.113.9/30001->198.51.100.2/22 0x0 "
       "source rule nat-1 N/A N/A 6 allow-ssh untrust trust 4711 12(1200) 10(2400) 3 UNKNOWN "
       "UNKNOWN N/A(N/A) ge-0/0/0.0 No",
       "<14>1 2005-01-11T01:42:22Z srx1 RT_FLOW - RT_FLOW_SESSION_CLOSE_LS [junos@2636.1.1.1.2.40 "
       "reason=\"idle Timeout\" source-address=\"2001:db8::1\" source-port=\"4117\" "
       "destination-address=\"2001:db8:0:1::2\" destination-port=\"53\" service-name=\"junos-dns-udp\" "
       "protocol-id=\"17\" policy-name=\"allow-dns\" packets-from-client=\"1\"]"},
      Opts());
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kAllow);
  EXPECT_EQ(s.events[0].proto, kProtoTcp);
  EXPECT_EQ(s.events[0].dport, 22);
  EXPECT_EQ(s.events[1].action, Action::kAllow);
  EXPECT_EQ(s.events[1].proto, kProtoTcp);  // after "source rule nat-1 N/A N/A"
  EXPECT_EQ(s.events[1].src, Addr("192.0.2.1"));  // not the NAT address
  EXPECT_EQ(s.events[1].count, 1u);
  EXPECT_EQ(s.events[2].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[2].dst, Addr("2001:db8:0:1::2"));
  EXPECT_EQ(s.events[2].proto, kProtoUdp);
}

TEST(JuniperSrx, IcmpPortsAsGiven) {
  auto s = One("<14>1 2005-01-11T01:42:22Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY "
               "[junos@2636.1.1.1.2.40 source-address=\"192.0.2.1\" source-port=\"2048\" "
               "destination-address=\"198.51.100.2\" destination-port=\"512\" protocol-id=\"1\" "
               "icmp-type=\"8\"]");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].proto, kProtoIcmp);
  EXPECT_EQ(s.events[0].sport, 2048);
  EXPECT_EQ(s.events[0].dport, 512);
}

TEST(JuniperSrx, ScreenAlarms) {
  auto s = ParseLines(
      "juniper_srx",
      {"Jan 11 01:42:22 srx1 RT_IDS: RT_SCREEN_TCP: TCP port scan! source: 192.0.2.1:4117, "
       "destination: 198.51.100.2:23, zone name: untrust, interface name: ge-0/0/0.0, action: "
       "drop",
       "Jan 11 01:42:22 192.0.2.254 junos-ids: 2005-01-11T01:42:21.500Z srx1 RT_IDS - "
       "RT_SCREEN_IP [junos@2636.1.1.1.2.40 attack-name=\"IP spoofing!\" "
       "source-address=\"192.0.2.1\" destination-address=\"198.51.100.2\" protocol-id=\"17\" "
       "source-zone-name=\"untrust\" interface-name=\"ge-0/0/0.0\" action=\"alarm-without-drop\"]",
       "Jan 11 01:42:22 srx1 RT_IDS: RT_SCREEN_ICMP: ICMP flood! source: 192.0.2.1, "
       "destination: 198.51.100.2, zone name: untrust, interface name: ge-0/0/0.0, action: drop"},
      Opts());
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.events[0].proto, kProtoTcp);
  EXPECT_EQ(s.events[0].dport, 23);
  EXPECT_EQ(s.events[1].action, Action::kAlert);
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
  EXPECT_EQ(s.events[1].time, Utc(2005, 1, 11, 1, 42, 21, 500000));  // the device's own stamp
  EXPECT_EQ(s.hosts[1], "srx1");
  EXPECT_EQ(s.events[2].proto, kProtoIcmp);
  EXPECT_EQ(s.events[2].dst, Addr("198.51.100.2"));
}

TEST(JuniperSrx, NotRecords) {
  for (const std::string& line :
       {std::string("<14>1 2005-01-11T01:42:22Z srx1 RT_FLOW - APPTRACK_SESSION_CLOSE "
                    "[junos@2636.1.1.1.2.40 source-address=\"192.0.2.1\"]"),
        std::string("Jan 11 01:42:22 srx1 mgd[123]: UI_COMMIT: User 'admin' requested commit"),
        std::string("")}) {
    auto s = One(line);
    EXPECT_TRUE(s.events.empty()) << line;
    ASSERT_EQ(s.rejects.size(), 1u) << line;
    EXPECT_EQ(s.rejects[0].reason, Reason::kNotARecord) << line;
  }
}

TEST(JuniperSrx, Rejections) {
  const std::string h = "Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {h + "192.0.2.1/99999->198.51.100.2/5000 None 6(0) p untrust trust", Reason::kBadPort,
       "192.0.2.1/99999->198.51.100.2/5000: port > 65535"},
      {h + "192.0.2/1->198.51.100.2/5000 None 6(0) p untrust trust", Reason::kUnparsableAddress,
       "192.0.2/1->198.51.100.2/5000: not an IPv4/IPv6 address"},
      {h + "192.0.2.1/1->198.51.100.2/5000 None 300(0) p untrust trust",
       Reason::kUnknownProtocol, "300(0): protocol not 0..255"},
      {h + "192.0.2.1/1->198.51.100.2/5000", Reason::kTruncated, "no protocol(icmp-type) word"},
      {h, Reason::kTruncated, "no address/port->address/port"},
      {"<14>1 2005-01-11T01:42:22Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.40 "
       "protocol-id=\"6\"]",
       Reason::kTruncated, "no source-address/destination-address"},
      {"<14>1 2005-01-11T01:42:22Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.40 "
       "source-address=\"192.0.2.1\" destination-address=\"198.51.100.2\" protocol-id=\"x\"]",
       Reason::kUnknownProtocol, "x: protocol-id not 0..255"},
      {"<14>1 2005-02-30T01:42:22Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.40 "
       "source-address=\"192.0.2.1\" destination-address=\"198.51.100.2\" protocol-id=\"6\"]",
       Reason::kBadTimestamp, "2005-02-30T01:42:22Z: invalid date or time"},
      {h + "192.0.2.1/1\x02", Reason::kBinary, "control byte 0x02 at column 79"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(JuniperSrx, TruncatedAndHugeLinesAreAnsweredOnce) {
  for (const std::string& full : {kPlainDeny, kSdDeny}) {
    for (size_t n = 0; n <= full.size(); ++n) {
      auto s = One(full.substr(0, n));
      EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << n;
    }
  }
  auto s = One(kSdDeny.substr(0, kSdDeny.size() - 1) + " pad=\"" + std::string(300000, 'x'));
  EXPECT_EQ(s.events.size(), 1u);
  s = One("RT_FLOW_SESSION_CREATE: " + std::string(200000, '1') + " 1/1->1/1");
  EXPECT_EQ(s.events.size() + s.rejects.size(), 1u);
}

TEST(JuniperSrx, Detect) {
  EXPECT_EQ(DetectJuniperSrx(kPlainDeny), 95);
  EXPECT_EQ(DetectJuniperSrx(kSdDeny), 95);
  EXPECT_EQ(DetectJuniperSrx("<14>1 2005-01-11T01:42:22Z srx1 RT_FLOW - APPTRACK_SESSION_CLOSE "
                             "[junos@2636.1.1.1.2.40]"),
            60);
  EXPECT_EQ(DetectJuniperSrx("Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src "
                             "outside:192.0.2.1/4117 dst inside:198.51.100.2/5000"),
            0);
}

}  // namespace
}  // namespace portstorm::parse
