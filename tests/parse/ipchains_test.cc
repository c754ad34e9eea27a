// ipchains parser, with the records of seed 004 as the analyst quoted them
// (wrapped over three lines) and as the kernel wrote them (one line).
#include "parse/formats/ipchains.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::CollectSink;
using testing::Utc;

ParseOptions Year2002() {
  ParseOptions o;
  o.year = 2002;
  return o;
}

void ExpectSeedRecord(const Event& e, uint16_t ip_id, TimeUs time) {
  EXPECT_EQ(e.time, time);
  EXPECT_EQ(e.src, Addr("207.95.12.112"));
  EXPECT_EQ(e.sport, 3504);
  EXPECT_EQ(e.dst, Addr("12.82.129.120"));
  EXPECT_EQ(e.dport, 6346);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.ip_len, 48);
  EXPECT_EQ(e.ip_id, ip_id);
  EXPECT_EQ(e.ip_flags, ipf::kDf);
  EXPECT_EQ(e.ttl, 117);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.action, Action::kDrop);
}

TEST(Ipchains, Seed004Unwrapped) {
  auto s = ParseLines("ipchains",
               {"Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6 "
                "207.95.12.112:3504 12.82.129.120:6346 L=48 S=0x00 I=31988 F=0x4000 T=117 SYN "
                "(#64)",
                "Mar  2 15:32:57 greatwall kernel: Packet log: input DENY ppp0 PROTO=6 "
                "207.95.12.112:3504 12.82.129.120:6346 L=48 S=0x00 I=32007 F=0x4000 T=117 SYN "
                "(#64)"},
               Year2002());
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  ExpectSeedRecord(s.events[0], 31988, Utc(2002, 3, 2, 15, 32, 54));
  ExpectSeedRecord(s.events[1], 32007, Utc(2002, 3, 2, 15, 32, 57));
  EXPECT_EQ(s.hosts[0], "greatwall");
  EXPECT_EQ(s.events[1].line, 2u);
}

TEST(Ipchains, Seed004Wrapped) {
  auto s = ParseLines("ipchains",
               {"Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6",
                " 207.95.12.112:3504 12.82.129.120:6346",
                " L=48 S=0x00 I=31988 F=0x4000 T=117 SYN (#64)",
                "Mar  2 15:32:57 greatwall kernel: Packet log: input DENY ppp0 PROTO=6",
                " 207.95.12.112:3504 12.82.129.120:6346",
                " L=48 S=0x00 I=32007 F=0x4000 T=117 SYN (#64)",
                "Mar  2 15:33:03 greatwall kernel: Packet log: input DENY ppp0 PROTO=6",
                " 207.95.12.112:3504 12.82.129.120:6346",
                " L=48 S=0x00 I=32053 F=0x4000 T=117 SYN (#64)"},
               Year2002());
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_TRUE(s.rejects.empty());
  ExpectSeedRecord(s.events[0], 31988, Utc(2002, 3, 2, 15, 32, 54));
  ExpectSeedRecord(s.events[2], 32053, Utc(2002, 3, 2, 15, 33, 3));
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.events[1].line, 4u);
  EXPECT_EQ(s.events[2].line, 7u);
}

TEST(Ipchains, RecordWithoutRuleNumberIsHeldUntilNextLine) {
  CollectSink sink;
  auto p = FindFormat("ipchains")->make(Year2002());
  p->Line("May 14 11:03:57 gw kernel: Packet log: input DENY eth0 PROTO=6 192.0.2.4:3894 "
          "198.51.100.8:10008 L=60 S=0x00 I=50210 F=0x4000 T=48",
          1, sink);
  EXPECT_TRUE(sink.events.empty());
  p->Line(" SYN (#3)", 2, sink);  // a wrapped tail still belongs to it
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].tcp_flags, tcp::kSyn);
  p->Line("May 14 11:03:58 gw kernel: Packet log: input ACCEPT eth0 PROTO=17 192.0.2.4:67 "
          "198.51.100.8:68 L=328 S=0x01 I=35569 F=0x0000 T=64",
          3, sink);
  p->Finish(sink);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].action, Action::kAllow);
  EXPECT_EQ(sink.events[1].proto, kProtoUdp);
  EXPECT_EQ(sink.events[1].line, 3u);
  EXPECT_TRUE(sink.rejects.empty());
}

TEST(Ipchains, IcmpTypeAndCodeInPorts) {
  auto s = ParseLines("ipchains",
               {"Dec 15 12:30:15 fw kernel: Packet log: bad-if DENY lo PROTO=1 192.0.2.4:3 "
                "198.51.100.8:1 L=92 S=0xC0 I=4595 F=0x0000 T=255 (#1)",
                "Aug 20 11:39:08 fw kernel: Packet log: input REJECT eth0 PROTO=1 192.0.2.4:8 "
                "198.51.100.8:0 L=60 S=0x00 I=5612 F=0x2000 T=128 (#11)"},
               Year2002());
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].proto, kProtoIcmp);
  EXPECT_EQ(s.events[0].sport, 3);
  EXPECT_EQ(s.events[0].dport, 1);
  EXPECT_EQ(s.events[0].ip_flags, 0);
  EXPECT_EQ(s.events[1].action, Action::kReject);
  EXPECT_EQ(s.events[1].ip_flags, ipf::kMf);
}

TEST(Ipchains, TruncatedAtNextLineAndAtFinish) {
  auto s = ParseLines("ipchains",
               {"Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6",
                " 207.95.12.112:3504 12.82.129.120:6346",
                "Mar  2 15:32:57 greatwall kernel: Packet log: input DENY ppp0 PROTO=6 "
                "207.95.12.112:3504 12.82.129.120:6346 L=48 S=0x00 I=32007 F=0x4000 T=117 SYN (#64)",
                "Mar  2 15:33:03 greatwall kernel: Packet log: input DENY ppp0 PROTO=6"},
               Year2002());
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].line, 3u);
  ASSERT_EQ(s.rejects.size(), 2u);
  EXPECT_EQ(s.rejects[0].line, 1u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kTruncated);
  EXPECT_EQ(s.rejects[0].detail, "no L= field");
  EXPECT_EQ(s.rejects[1].line, 4u);
  EXPECT_EQ(s.rejects[1].detail, "no source address:port");
}

TEST(Ipchains, Rejections) {
  const std::string h = "Mar  2 15:32:54 gw kernel: Packet log: input DENY ppp0 ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {h + "PROTO=6 192.0.2.1:99999 198.51.100.2:80 L=48 S=0x00 I=1 F=0x4000 T=117 (#1)",
       Reason::kBadPort, "192.0.2.1:99999: port > 65535"},
      {h + "PROTO=6 192.0.2:1 198.51.100.2:80 L=48 S=0x00 I=1 F=0x4000 T=117 (#1)",
       Reason::kUnparsableAddress, "192.0.2:1: not an IPv4 address:port"},
      {h + "PROTO=x 192.0.2.1:1 198.51.100.2:80 L=48 S=0x00 I=1 F=0x4000 T=117 (#1)",
       Reason::kUnknownProtocol, "PROTO=x: not a protocol number"},
      {h + "PROTO=6 192.0.2.1:1 198.51.100.2:80 L=48 S=0x00 I=1 F=0x4000 T=999 (#1)",
       Reason::kBadField, "T=999: TTL not 0..255"},
      {h + "PROTO=6 192.0.2.1:1 198.51.100.2:80 L=48 S=0x00 I=1 F=0xZZ T=9 (#1)",
       Reason::kBadField, "F=0xZZ: fragment word not 0x0000..0xFFFF"},
      {"Mar 32 15:32:54 gw kernel: Packet log: input DENY ppp0 PROTO=6 192.0.2.1:1 "
       "198.51.100.2:80 L=48 S=0x00 I=1 F=0x4000 T=117 (#1)",
       Reason::kBadTimestamp, "Mar 32 15:32:54: invalid date or time"},
      {"Mar  2 15:32:54 gw kernel: eth0: link up", Reason::kNotARecord,
       "no ipchains \"Packet log:\" marker"},
      {" 207.95.12.112:3504 12.82.129.120:6346", Reason::kNotARecord,
       "continuation line without a record"},
      {std::string("Mar\x1b[0m", 7), Reason::kBinary, "control byte 0x1b at column 4"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("ipchains", {c.line}, Year2002());
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Ipchains, Detect) {
  EXPECT_EQ(DetectIpchains("Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6"),
            95);
  EXPECT_EQ(DetectIpchains("Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1"), 0);
}

}  // namespace
}  // namespace portstorm::parse
