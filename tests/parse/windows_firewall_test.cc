// windows_firewall parser: pfirewall.log (W3C extended log format) on our
// own lines: the #Fields header decides the columns.
#include "parse/formats/windows_firewall.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

const std::vector<std::string> kHeader = {
    "#Version: 1.5",
    "#Software: Microsoft Windows Firewall",
    "#Time Format: Local",
    "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn "
    "tcpack "
    "tcpwin icmptype icmpcode info path",
    "",
};

std::vector<std::string> WithHeader(std::vector<std::string> lines) {
  std::vector<std::string> all = kHeader;
  all.insert(all.end(), lines.begin(), lines.end());
  return all;
}

TEST(WindowsFirewall, HeaderLinesAreNotRecords) {
  auto s = ParseLines("windows_firewall", kHeader);
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 5u);
  for (const auto& r : s.rejects) EXPECT_EQ(r.reason, Reason::kNotARecord);
  EXPECT_EQ(s.rejects[0].detail, "W3C header line");
  EXPECT_EQ(s.rejects[3].detail, "W3C #Fields header");
  EXPECT_EQ(s.rejects[4].detail, "empty line");
}

TEST(WindowsFirewall, TcpDropEveryField) {
  auto s =
      ParseLines("windows_firewall",
                 WithHeader({"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S "
                             "1296947564 0 65535 - - - RECEIVE"}));
  ASSERT_EQ(s.events.size(), 1u) << s.rejects.back().detail;
  const Event& e = s.events[0];
  EXPECT_EQ(s.hosts[0], "");
  EXPECT_EQ(e.line, 6u);
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.ip_len, 48);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.seq, 1296947564u);
  EXPECT_EQ(e.window, 65535);
  EXPECT_EQ(e.count, 1u);
}

TEST(WindowsFirewall, UdpIcmpIpv6AndActions) {
  auto s = ParseLines(
      "windows_firewall",
      WithHeader({
          "2005-01-11 01:42:23 DROP UDP 192.0.2.7 198.51.100.255 137 137 78 - - - - - - - RECEIVE",
          "2005-01-11 01:42:24 DROP ICMP 192.0.2.9 198.51.100.2 - - 60 - - - - 8 0 - RECEIVE",
          "2005-01-11 01:42:25 ALLOW TCP 2001:db8::5 2001:db8::2 49152 443 0 - - - - - - - SEND",
          "2005-01-11 01:42:26 OPEN TCP 198.51.100.2 203.0.113.80 1606 445 - - - - - - - - -",
          "2005-01-11 01:42:27 CLOSE TCP 198.51.100.2 203.0.113.80 1606 445 - - - - - - - - -",
          "2005-01-11 01:42:28 OPEN-INBOUND TCP 203.0.113.80 198.51.100.2 3389 1025 - - - - - - - "
          "- -",
          "2005-01-11 01:42:29 INFO-EVENTS-LOST - - - - - - - - - - - - 59 -",
          "2005-01-11 01:42:30 DROP ICMPv6 2001:db8::9 2001:db8::2 - - 104 - - - - 128 0 - RECEIVE",
          "2005-01-11 01:42:31 DROP 2 192.0.2.3 224.0.0.1 - - 28 - - - - - - - RECEIVE",
          "2005-01-11 01:42:32 DROP TCP 192.0.2.1 198.51.100.2 80 1693 40 FA 2351482979 694744025 "
          "64675 - - - RECEIVE",
      }));
  ASSERT_EQ(s.events.size(), 8u);
  EXPECT_EQ(s.events[0].proto, kProtoUdp);
  EXPECT_EQ(s.events[0].dport, 137);
  EXPECT_EQ(s.events[0].ip_len, 78);
  EXPECT_EQ(s.events[1].proto, kProtoIcmp);
  EXPECT_EQ(s.events[1].sport, 8);  // icmptype
  EXPECT_EQ(s.events[1].dport, 0);  // icmpcode
  EXPECT_EQ(s.events[2].src, Addr("2001:db8::5"));
  EXPECT_EQ(s.events[2].action, Action::kAllow);
  EXPECT_EQ(s.events[3].action, Action::kAllow);  // OPEN
  EXPECT_EQ(s.events[3].dport, 445);
  EXPECT_EQ(s.events[4].action, Action::kAllow);  // OPEN-INBOUND
  EXPECT_EQ(s.events[5].proto, kProtoIpv6Icmp);
  EXPECT_EQ(s.events[5].sport, 128);
  EXPECT_EQ(s.events[6].proto, kProtoIgmp);
  EXPECT_EQ(s.events[7].tcp_flags, tcp::kFin | tcp::kAck);
  EXPECT_EQ(s.events[7].seq, 2351482979u);
  ASSERT_EQ(s.rejects.size(), 7u);  // 5 header lines, CLOSE, INFO-EVENTS-LOST
  EXPECT_EQ(s.rejects[5].line, 10u);
  EXPECT_EQ(s.rejects[5].reason, Reason::kNotARecord);
  EXPECT_EQ(s.rejects[5].detail, "CLOSE: end of a connection its OPEN line recorded");
  EXPECT_EQ(s.rejects[6].detail, "INFO-EVENTS-LOST: events the firewall did not log");
}

TEST(WindowsFirewall, FieldsHeaderDecidesColumns) {
  // Windows 10+ adds pid; a reordered, shorter header is honoured too.
  auto s =
      ParseLines("windows_firewall", {"#Fields: date time action protocol src-ip dst-ip src-port "
                                      "dst-port size tcpflags tcpsyn tcpack "
                                      "tcpwin icmptype icmpcode info path pid",
                                      "2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 "
                                      "5000 52 S 1 0 64240 - - - RECEIVE 4",
                                      "#Fields: time date src-ip dst-ip action protocol dst-port",
                                      "01:42:23 2005-01-11 192.0.2.5 198.51.100.2 DROP UDP 53"});
  ASSERT_EQ(s.events.size(), 2u) << s.rejects.back().detail;
  EXPECT_EQ(s.events[0].window, 64240);
  EXPECT_EQ(s.events[1].time, Utc(2005, 1, 11, 1, 42, 23));
  EXPECT_EQ(s.events[1].src, Addr("192.0.2.5"));
  EXPECT_EQ(s.events[1].dport, 53);
  EXPECT_EQ(s.events[1].sport, 0);
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
}

TEST(WindowsFirewall, NoHeaderUsesDefaultOrder) {
  auto s =
      ParseLines("windows_firewall",
                 {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S 1296947564 0 "
                  "65535 - - - RECEIVE"});
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].dport, 5000);
}

TEST(WindowsFirewall, LocalTimeAndUtcHeader) {
  ParseOptions o;
  auto tz = TimeZone::Load("-05:00");
  ASSERT_TRUE(tz.ok());
  o.tz = *tz;
  const std::string rec =
      "2005-01-11 01:42:22 DROP UDP 192.0.2.1 198.51.100.2 1 2 30 - - - - - - - RECEIVE";
  auto local = ParseLines("windows_firewall", {"#Time Format: Local", rec}, o);
  ASSERT_EQ(local.events.size(), 1u);
  EXPECT_EQ(local.events[0].time, Utc(2005, 1, 11, 6, 42, 22));
  auto utc = ParseLines("windows_firewall", {"#Time Format: UTC", rec}, o);
  ASSERT_EQ(utc.events.size(), 1u);
  EXPECT_EQ(utc.events[0].time, Utc(2005, 1, 11, 1, 42, 22));
}

TEST(WindowsFirewall, AnonymisedAddressIsKept) {
  auto s =
      ParseLines("windows_firewall",
                 {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 A.B.C.50 4117 5000 48 S 1 0 65535 - - - "
                  "RECEIVE"});
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_TRUE(s.events[0].dst.is_anonymised());
}

TEST(WindowsFirewall, Rejections) {
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S 1", Reason::kTruncated,
       "11 columns, the #Fields line names 17"},
      {"2005-01-11 01:42:22", Reason::kTruncated, "2 columns, no action column"},
      {"hello", Reason::kNotARecord, "1 columns, no action column"},
      {"2005-13-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 1 2 48 S 1 0 65535 - - - RECEIVE",
       Reason::kBadTimestamp, "2005-13-11 01:42:22: invalid date or time"},
      {"2005/01/11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 1 2 48 S 1 0 65535 - - - RECEIVE",
       Reason::kBadTimestamp, "2005/01/11 01:42:22: not YYYY-MM-DD HH:MM:SS"},
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.256 198.51.100.2 1 2 48 S 1 0 65535 - - - RECEIVE",
       Reason::kUnparsableAddress, "192.0.2.256: src-ip not an IPv4/IPv6 address"},
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 - 1 2 48 S 1 0 65535 - - - RECEIVE",
       Reason::kUnparsableAddress, "-: dst-ip not an IPv4/IPv6 address"},
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 65536 2 48 S 1 0 65535 - - - RECEIVE",
       Reason::kBadPort, "65536: port > 65535"},
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 1 http 48 S 1 0 65535 - - - RECEIVE",
       Reason::kBadPort, "http: port not a number or -"},
      {"2005-01-11 01:42:22 DROP XTP2 192.0.2.1 198.51.100.2 1 2 48 - - - - - - - RECEIVE",
       Reason::kUnknownProtocol, "XTP2: unknown protocol"},
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 1 2 48 SX 1 0 65535 - - - RECEIVE",
       Reason::kBadField, "SX: tcpflags not letters of SAFPRUEC"},
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 1 2 48 S 1 0 65536 - - - RECEIVE",
       Reason::kBadField, "65536: tcpwin not 0..65535 or -"},
      {"2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 1 2 70000 S 1 0 1 - - - RECEIVE",
       Reason::kBadField, "70000: size not 0..65535 or -"},
      {"2005-01-11 01:42:22 DROP ICMP 192.0.2.1 198.51.100.2 - - 60 - - - - 300 0 - RECEIVE",
       Reason::kBadField, "300: icmptype not 0..255 or -"},
      {"#Fields:", Reason::kBadField, "#Fields: names no columns"},
      {std::string(40, 'x') + std::string(1, '\x01'), Reason::kBinary,
       "control byte 0x01 at column 41"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("windows_firewall", {c.line});
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
  // A #Fields line without src-ip: every record names the missing column.
  auto s = ParseLines("windows_firewall", {"#Fields: date time action protocol dst-ip",
                                           "2005-01-11 01:42:22 DROP TCP 198.51.100.2"});
  ASSERT_EQ(s.rejects.size(), 2u);
  EXPECT_EQ(s.rejects[1].reason, Reason::kBadField);
  EXPECT_EQ(s.rejects[1].detail, "no src-ip column in #Fields");
}

TEST(WindowsFirewall, HostileInputNeverCrashes) {
  const std::string line =
      "2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S 1296947564 0 65535 - - - "
      "RECEIVE";
  for (size_t n = 0; n <= line.size(); ++n) {
    auto c = ParseLines("windows_firewall", {line.substr(0, n)});
    EXPECT_EQ(c.events.size() + c.rejects.size(), 1u) << n;
  }
  std::string many;
  for (int i = 0; i < 40; ++i) many += "x ";
  auto s =
      ParseLines("windows_firewall", {many,
                                      "2005-01-11 01:42:22 DROP TCP " + std::string(1 << 20, '1') +
                                          " 198.51.100.2 1 2 48 S 1 0 65535 - - - RECEIVE",
                                      "#Fields: " + std::string(1 << 20, 'f')});
  ASSERT_EQ(s.rejects.size(), 3u);
  EXPECT_EQ(s.rejects[0].detail, "more than 32 columns");
  EXPECT_EQ(s.rejects[1].reason, Reason::kUnparsableAddress);
  EXPECT_LT(s.rejects[1].detail.size(), 200u);
}

TEST(WindowsFirewall, Detect) {
  EXPECT_EQ(DetectWindowsFirewall("#Software: Microsoft Windows Firewall"), 100);
  EXPECT_EQ(DetectWindowsFirewall(kHeader[3]), 100);
  EXPECT_EQ(DetectWindowsFirewall("#Version: 1.5"), 30);
  EXPECT_EQ(
      DetectWindowsFirewall("2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S "
                            "1296947564 0 65535 - - - RECEIVE"),
      90);
  EXPECT_EQ(DetectWindowsFirewall("#Software: Microsoft Internet Information Services 10.0"), 0);
  EXPECT_EQ(
      DetectWindowsFirewall("2005-01-11 01:42:22 192.0.2.1 GET /index.html - 80 - 198.51.100.2"),
      0);
  EXPECT_EQ(
      DetectWindowsFirewall("2005-01-11 01:42:22 -05:00\t1234\t1\t192.0.2.9\t4177\t198.51.100.50"
                            "\t1026\t17\t"),
      0);
  EXPECT_EQ(DetectWindowsFirewall(""), 0);
}

}  // namespace
}  // namespace portstorm::parse
