// DShield submission format.
#include "parse/formats/dshield.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

TEST(Dshield, FullRecord) {
  auto s = ParseLines("dshield", {"2005-01-11 01:42:22 -05:00\t1234\t3\t192.0.2.9\t4177\t198.51.100.50\t"
                           "1026\t17\t"});
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 6, 42, 22));
  EXPECT_EQ(e.count, 3u);
  EXPECT_EQ(e.src, Addr("192.0.2.9"));
  EXPECT_EQ(e.sport, 4177);
  EXPECT_EQ(e.dst, Addr("198.51.100.50"));
  EXPECT_EQ(e.dport, 1026);
  EXPECT_EQ(e.proto, kProtoUdp);
  EXPECT_EQ(e.tcp_flags, 0);
  EXPECT_EQ(s.hosts[0], "1234");
}

// A submitter's hidden address: "10." in place of the first octet, or letters.
TEST(Dshield, AnonymisedTargets) {
  auto s = ParseLines("dshield", {
      "2005-01-11 01:42:22 -05:00\t1234\t1\t192.0.2.9\t4177\t10.51.100.2\t1026\t17\t",
      "2005-01-11 01:42:23 -05:00\t1234\t1\t192.0.2.9\t4177\tx.x.x.50\t1026\t17\t",
      "2005-01-11 01:42:24 -05:00\t1234\t1\t192.0.2.9\t4177\tA.B.C.50\t1026\t17\t",
      "2005-01-11 01:42:25 -05:00\t1234\t1\t10.0.0.7\t4177\t198.51.100.2\t1026\t17\t",
      "2005-01-11 01:42:26 -05:00\t1234\t1\t192.0.2.9\t4177\tx.y.z\t1026\t17\t"});
  ASSERT_EQ(s.events.size(), 4u);
  EXPECT_TRUE(s.events[0].dst.is_anonymised());
  EXPECT_EQ(s.events[0].dst.ToString(), "x.51.100.2");
  EXPECT_NE(s.events[0].dst, Addr("10.51.100.2"));
  EXPECT_EQ(s.events[1].dst.ToString(), "x.x.x.50");
  EXPECT_EQ(s.events[2].dst, s.events[1].dst);
  // Only targets are obfuscated: a 10.x source is the source it says.
  EXPECT_EQ(s.events[3].src, Addr("10.0.0.7"));
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kUnparsableAddress);
  EXPECT_EQ(IpAddr::AnonymisedV4(0x0a336402, 0b0111), s.events[0].dst);
}

TEST(Dshield, FlagsProtocolsAndUnknownPorts) {
  auto s = ParseLines("dshield",
               {"2002-03-02 15:32:54 +00:00\t0\t1\t192.0.2.112\t3504\t198.51.100.120\t6346\t6\tS",
                "2002-03-02 15:32:54 +0000\t0\t1\t192.0.2.112\t3504\t198.51.100.120\t6346\tTCP\tSFAPRU12",
                "2002-03-02 15:32:54 +00:00\t0\t1\t192.0.2.1\t???\t198.51.100.1\t???\ttcp\tA",
                "2002-03-02 15:32:54 +00:00\t0\t1\t192.0.2.1\t8\t198.51.100.1\t0\tICMP",
                "2002-03-02 15:32:54 +00:00\t0\t1\t2001:db8::1\t5\t2001:db8::2\t6\t58\t",
                "2002-03-02 15:32:54 +00:00\t0\t1\t192.0.2.1\t0\t198.51.100.1\t0\t???"});
  ASSERT_EQ(s.events.size(), 6u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].tcp_flags, tcp::kSyn);
  EXPECT_EQ(s.events[1].tcp_flags, 0xff);
  EXPECT_EQ(s.events[1].proto, kProtoTcp);
  EXPECT_EQ(s.events[2].sport, 0);
  EXPECT_EQ(s.events[2].dport, 0);
  EXPECT_EQ(s.events[2].tcp_flags, tcp::kAck);
  EXPECT_EQ(s.events[3].proto, kProtoIcmp);
  EXPECT_EQ(s.events[3].sport, 8);  // ICMP type in the source-port column
  EXPECT_EQ(s.events[4].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[4].proto, kProtoIpv6Icmp);
  EXPECT_EQ(s.events[5].proto, 0);
}

TEST(Dshield, ZoneMissingUsesOption) {
  ParseOptions o;
  o.tz = *TimeZone::Load("+02:00");
  auto s = ParseLines("dshield", {"2005-01-11 01:42:22\t7\t1\t192.0.2.9\t1\t198.51.100.50\t2\t6\tS"}, o);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 10, 23, 42, 22));
}

TEST(Dshield, Rejections) {
  const std::string t = "2005-01-11 01:42:22 -05:00\t1234\t";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {t + "1\t192.0.2.9\t70000\t198.51.100.50\t1026\t17", Reason::kBadPort, "70000: port > 65535"},
      {t + "1\t192.0.2.9\tabc\t198.51.100.50\t1026\t17", Reason::kBadPort,
       "abc: port not a number or ???"},
      {t + "1\t192.0.2\t1\t198.51.100.50\t1026\t17", Reason::kUnparsableAddress,
       "192.0.2: source not an IPv4/IPv6 address"},
      {t + "1\t192.0.2.9\t1\t198.51.100.500\t1026\t17", Reason::kUnparsableAddress,
       "198.51.100.500: target not an IPv4/IPv6 address"},
      {t + "1\t192.0.2.9\t1\t198.51.100.5\t1026\tfoo", Reason::kUnknownProtocol,
       "foo: unknown protocol"},
      {t + "0\t192.0.2.9\t1\t198.51.100.5\t1026\t6", Reason::kBadField,
       "0: count not 1..4294967295"},
      {t + "1\t192.0.2.9\t1\t198.51.100.5\t1026\t6\tSX", Reason::kBadField,
       "SX: flags not letters of SFAPRU12"},
      {t + "1\t192.0.2.9\t1\t198.51.100.5\t1026\t6\tS\tx\ty", Reason::kBadField,
       "more than 9 tab-separated fields"},
      {t + "1\t192.0.2.9\t1\t198.51.100.5", Reason::kTruncated,
       "6 tab-separated fields, expected 8 or 9"},
      {"2005-13-11 01:42:22\t1\t1\t192.0.2.9\t1\t198.51.100.5\t2\t6", Reason::kBadTimestamp,
       "2005-13-11 01:42:22: invalid date or time"},
      {"yesterday\t1\t1\t192.0.2.9\t1\t198.51.100.5\t2\t6", Reason::kBadTimestamp,
       "yesterday: not YYYY-MM-DD HH:MM:SS [±HH:MM]"},
      {"# DShield log", Reason::kNotARecord, "1 tab-separated fields, expected 8 or 9"},
      {"", Reason::kNotARecord, "empty line"},
      {std::string("2005\0", 5), Reason::kBinary, "control byte 0x00 at column 5"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("dshield", {c.line});
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Dshield, Detect) {
  EXPECT_EQ(DetectDshield("2005-01-11 01:42:22 -05:00\t1\t1\t192.0.2.9\t1\t198.51.100.5\t2\t6"), 95);
  EXPECT_EQ(DetectDshield("Mar  2 15:32:54 gw kernel: x"), 0);
}

}  // namespace
}  // namespace portstorm::parse
