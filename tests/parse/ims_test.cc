// ims: IMS-style darknet sensor records as seed 002 quotes them (mail
// quoting, wrapped after the protocol, anonymised targets); sources changed
// to documentation addresses.
#include "parse/formats/ims.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parse/formats/dshield.h"
#include "parse/formats/p0f.h"
#include "parse/formats/snort_fast.h"
#include "parse/formats/snort_full.h"
#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

std::string Detail(const CollectSink& s) { return s.rejects.empty() ? "" : s.rejects[0].detail; }

IpAddr Anon(std::string_view s) {
  IpAddr a;
  EXPECT_TRUE(IpAddr::ParseAnonymisedV4(s, &a));
  return a;
}

TEST(Ims, OneLineRecord) {
  auto s =
      ParseLines("ims", {"01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 198.51.100.50 5000 TCP "
                         "-S------ 1296947564 0"});
  ASSERT_EQ(s.events.size(), 1u) << Detail(s);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(e.src, Addr("192.0.2.239"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.50"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.seq, 1296947564u);
  EXPECT_EQ(e.action, Action::kUnknown);
  EXPECT_EQ(e.count, 1u);
  EXPECT_EQ(e.line, 1u);
}

TEST(Ims, Seed002QuotedWrappedAnonymised) {
  auto s =
      ParseLines("ims", {"> 01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP ",
                         "> -S------ 1296947564 0",
                         "> 01-11-2005 01:42:23 0005a24c 192.0.2.239 4117 A.B.C.50 5000 TCP ",
                         "> ----A--- 1296947565 2137390756",
                         "> 01-11-2005 01:42:24 0005a274 192.0.2.239 4117 A.B.C.50 5000 TCP ",
                         "> F---A--- 1296947565 2137390756", "> ",
                         "> 01-11-2005 00:10:15 00008d4c 203.0.113.69 4109 A.B.C.50 5000  TCP  ",
                         "> -S------ 644319027 0"});
  ASSERT_EQ(s.events.size(), 4u) << Detail(s);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].line, 7u);
  EXPECT_EQ(s.rejects[0].detail, "empty line");
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.events[0].dst, Anon("A.B.C.50"));
  EXPECT_TRUE(s.events[0].dst.is_anonymised());
  EXPECT_EQ(s.events[0].dst.ToString(), "x.x.x.50");
  EXPECT_EQ(s.events[0].tcp_flags, tcp::kSyn);
  EXPECT_EQ(s.events[1].line, 3u);
  EXPECT_EQ(s.events[1].tcp_flags, tcp::kAck);
  EXPECT_EQ(s.events[1].seq, 1296947565u);
  EXPECT_EQ(s.events[2].tcp_flags, tcp::kFin | tcp::kAck);
  EXPECT_EQ(s.events[3].line, 8u);
  EXPECT_EQ(s.events[3].src, Addr("203.0.113.69"));
  EXPECT_EQ(s.events[3].time, Utc(2005, 1, 11, 0, 10, 15));
}

TEST(Ims, FlagPositionsOtherProtocolsZoneAndAction) {
  ParseOptions o;
  o.tz = *TimeZone::Load("-05:00");
  o.default_action = Action::kDrop;
  auto s = ParseLines("ims",
                      {"01-11-2005 01:42:22 1 192.0.2.1 1 x.x.x.50 2 TCP FSRPAUEC 4294967295 1",
                       "01-11-2005 01:42:23 2 192.0.2.1 53 198.51.100.7 33000 UDP",
                       "01-11-2005 01:42:24 3 192.0.2.1 8 198.51.100.7 0 ICMP -------- 0 0",
                       "01-11-2005 01:42:25 4 2001:db8::1 1 2001:db8::2 2 TCP --R----- 5 0"},
                      o);
  ASSERT_EQ(s.events.size(), 4u) << Detail(s);
  EXPECT_EQ(s.events[0].tcp_flags, 0xff);
  EXPECT_EQ(s.events[0].seq, 4294967295u);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 6, 42, 22));
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
  EXPECT_EQ(s.events[1].tcp_flags, 0);
  EXPECT_EQ(s.events[1].line, 2u);
  EXPECT_EQ(s.events[2].proto, kProtoIcmp);
  EXPECT_EQ(s.events[2].sport, 8);
  EXPECT_EQ(s.events[3].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[3].tcp_flags, tcp::kRst);
}

TEST(Ims, HoldingAndWrapElsewhere) {
  CollectSink sink;
  auto p = FindFormat("ims")->make({});
  p->Line("01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117", 1, sink);
  EXPECT_TRUE(p->holding());
  p->Line("  A.B.C.50 5000 TCP -S------", 2, sink);
  EXPECT_TRUE(p->holding());
  p->Line("1296947564 0", 3, sink);
  EXPECT_FALSE(p->holding());
  p->Finish(sink);
  ASSERT_EQ(sink.events.size(), 1u) << (sink.rejects.empty() ? "" : sink.rejects[0].detail);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_EQ(sink.events[0].line, 1u);
  EXPECT_EQ(sink.events[0].seq, 1296947564u);
}

TEST(Ims, Rejections) {
  const std::string d = "01-11-2005 01:42:22 0005a1f4 ";
  struct Case {
    std::vector<std::string> lines;
    Reason reason;
    std::string detail;
  } cases[] = {
      {{d + "192.0.2.999 4117 A.B.C.50 5000 TCP -S------ 1 0"},
       Reason::kUnparsableAddress,
       "192.0.2.999: not an IP address"},
      {{d + "192.0.2.9 4117 A.B.C.D.E 5000 TCP -S------ 1 0"},
       Reason::kUnparsableAddress,
       "A.B.C.D.E: not an IP address"},
      {{d + "192.0.2.9 65536 A.B.C.50 5000 TCP -S------ 1 0"},
       Reason::kBadPort,
       "65536: port > 65535"},
      {{d + "192.0.2.9 1 A.B.C.50 http TCP -S------ 1 0"},
       Reason::kBadPort,
       "http: port not a number"},
      {{d + "192.0.2.9 1 A.B.C.50 2 FOO -S------ 1 0"},
       Reason::kUnknownProtocol,
       "FOO: unknown protocol"},
      {{d + "192.0.2.9 1 A.B.C.50 2 TCP -X------ 1 0"},
       Reason::kBadField,
       "-X------: flags not 8 positions \"FSRPAUEC\""},
      {{d + "192.0.2.9 1 A.B.C.50 2 TCP -S---- 1 0"},
       Reason::kBadField,
       "-S----: flags not 8 positions \"FSRPAUEC\""},
      {{d + "192.0.2.9 1 A.B.C.50 2 TCP -S------ 4294967296 0"},
       Reason::kBadField,
       "4294967296: sequence number not 0..4294967295"},
      {{d + "192.0.2.9 1 A.B.C.50 2 TCP -S------ 1 -1"},
       Reason::kBadField,
       "-1: acknowledgement number not 0..4294967295"},
      {{"01-11-2005 01:42:22 zz 192.0.2.9 1 A.B.C.50 2 TCP -S------ 1 0"},
       Reason::kBadField,
       "zz: record id not hexadecimal"},
      {{"02-30-2005 01:42:22 1 192.0.2.9 1 A.B.C.50 2 TCP -S------ 1 0"},
       Reason::kBadTimestamp,
       "02-30-2005 01:42:22: invalid date or time"},
      {{"01-11-2005 1:42:22 1 192.0.2.9 1 A.B.C.50 2 TCP -S------ 1 0"},
       Reason::kBadTimestamp,
       "1:42:22: not HH:MM:SS"},
      {{d + "192.0.2.9 1 A.B.C.50 2 TCP"}, Reason::kTruncated, "no TCP flags field"},
      {{d + "192.0.2.9 1 A.B.C.50 2 TCP -S------ 1"},
       Reason::kTruncated,
       "no acknowledgement number field"},
      {{d + "192.0.2.9 1"}, Reason::kTruncated, "no target address field"},
      {{"> Are other folks seeing this activity as well?"},
       Reason::kNotARecord,
       "not an IMS sensor record"},
      {{""}, Reason::kNotARecord, "empty line"},
      {{std::string("01-11-2005\x1f")}, Reason::kBinary, "control byte 0x1f at column 11"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("ims", c.lines);
    EXPECT_TRUE(s.events.empty()) << c.lines[0];
    ASSERT_EQ(s.rejects.size(), 1u) << c.lines[0];
    EXPECT_EQ(s.rejects[0].line, 1u) << c.lines[0];
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.lines[0];
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.lines[0];
  }
}

TEST(Ims, ATruncatedRecordDoesNotSwallowTheNextOne) {
  auto s = ParseLines("ims", {"01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP",
                              "01-11-2005 01:42:23 0005a24c 192.0.2.239 4117 A.B.C.50 5000 TCP",
                              "----A--- 1296947565 2137390756"});
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].line, 2u);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].line, 1u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kTruncated);
}

TEST(Ims, TruncatedGarbageAndLongLines) {
  const std::string line =
      "> 01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1296947564 0";
  for (size_t n = 0; n <= line.size(); ++n) {
    auto s = ParseLines("ims", {line.substr(0, n)});
    EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << line.substr(0, n);
  }
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  auto g = ParseLines("ims", {garbage, ">>>>>", "01-11-2005", "-S------ 1 0"});
  EXPECT_TRUE(g.events.empty());
  EXPECT_EQ(g.rejects.size(), 4u);
  auto l = ParseLines(
      "ims", {line + " " + std::string(300000, 'q'),
              "01-11-2005 01:42:22 1 192.0.2.1 1 A.B.C.50 2 TCP", std::string(300000, '-')});
  EXPECT_EQ(l.events.size(), 1u);  // extra fields after the eleventh are ignored
  EXPECT_EQ(l.rejects.size(), 2u);
}

TEST(Ims, Detect) {
  EXPECT_EQ(DetectIms("01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP "
                      "-S------ 1296947564 0"),
            95);
  EXPECT_EQ(DetectIms("> 01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP "), 95);
  for (std::string_view other : {
           "> -S------ 1296947564 0",
           "2005-01-11 01:42:22 -05:00\t1234\t1\t192.0.2.9\t4177\t198.51.100.50\t1026\t17\t",
           "2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S 1 0 65535 - - - "
           "RECEIVE",
           "03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] {TCP} a -> b",
           "Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4",
       }) {
    EXPECT_EQ(DetectIms(other), 0) << other;
  }
  const std::string ims =
      "01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1 0";
  EXPECT_EQ(DetectSnortFast(ims), 0);
  EXPECT_EQ(DetectSnortFull(ims), 0);
  EXPECT_EQ(DetectP0f(ims), 0);
  EXPECT_EQ(DetectDshield(ims), 0);
}

}  // namespace
}  // namespace portstorm::parse
