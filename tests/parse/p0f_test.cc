// p0f: p0f 3 log lines, p0f 2 text output and seed 004's p0f 1 lines
// (addresses changed to documentation ranges).
#include "parse/formats/p0f.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parse/formats/ims.h"
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

const std::string kV3Syn =
    "[2012/01/01 10:00:00] mod=syn|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=cli|os=Linux 3.x|"
    "dist=10|params=none|raw_sig=4:54+10:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0";

TEST(P0f, V3SynLine) {
  auto s = ParseLines("p0f", {kV3Syn});
  ASSERT_EQ(s.events.size(), 1u) << Detail(s);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2012, 1, 1, 10, 0, 0));
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 1234);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 80);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.ttl, 54);  // the observed TTL; "+10" is p0f's distance guess
  EXPECT_EQ(e.mss, 1460);
  EXPECT_EQ(e.window, 29200);  // mss*20
  EXPECT_EQ(e.wscale, 8);
  EXPECT_EQ(TcpOptsString(e), "M1460,S,T,N,W7");
  EXPECT_EQ(e.ip_flags, ipf::kDf);
  EXPECT_EQ(e.action, Action::kUnknown);
  EXPECT_EQ(e.line, 1u);
}

TEST(P0f, V3SynAckIpv6AndZone) {
  ParseOptions o;
  o.tz = *TimeZone::Load("+02:00");
  o.default_action = Action::kDrop;
  auto s = ParseLines(
      "p0f",
      {"[2012/01/01 10:00:01] mod=syn+ack|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=srv|os=???|"
       "dist=0|params=tos:0x08|raw_sig=4:64+0:0:1460:65535,9:mss,nop,nop,sok,nop,ws:df:0",
       "[2012/01/01 10:00:02] mod=syn|cli=2001:db8::1/40000|srv=2001:db8::2/22|subj=cli|os=???|"
       "dist=7|params=none|raw_sig=6:57+7:0:1440:mtu*4,7:mss,sok,ts,nop,ws,eol+1,?30:flow:+",
       "[2012/01/01 10:00:03] mod=syn|cli=192.0.2.1/1|srv=198.51.100.2/2|subj=cli|os=???|dist=0|"
       "params=none|raw_sig=4:128+?:0:*:*,0::id+:0"},
      o);
  ASSERT_EQ(s.events.size(), 3u) << Detail(s);
  const Event& sa = s.events[0];
  // A SYN+ACK goes from the server to the client.
  EXPECT_EQ(sa.src, Addr("198.51.100.2"));
  EXPECT_EQ(sa.sport, 80);
  EXPECT_EQ(sa.dst, Addr("192.0.2.1"));
  EXPECT_EQ(sa.dport, 1234);
  EXPECT_EQ(sa.tcp_flags, tcp::kSyn | tcp::kAck);
  EXPECT_EQ(sa.window, 65535);
  EXPECT_EQ(sa.wscale, 10);
  EXPECT_EQ(sa.time, Utc(2012, 1, 1, 8, 0, 1));
  EXPECT_EQ(sa.action, Action::kDrop);
  const Event& v6 = s.events[1];
  EXPECT_EQ(v6.src, Addr("2001:db8::1"));
  EXPECT_EQ(v6.sport, 40000);
  EXPECT_EQ(v6.dst, Addr("2001:db8::2"));
  EXPECT_EQ(v6.ttl, 57);
  EXPECT_EQ(v6.window, (1440 + 40) * 4);
  EXPECT_EQ(v6.ip_flags, 0);
  EXPECT_EQ(TcpOptsString(v6), "M1440,S,T,N,W7,?");
  const Event& bare = s.events[2];
  EXPECT_EQ(bare.ttl, 128);
  EXPECT_EQ(bare.mss, 0);
  EXPECT_EQ(bare.window, 0);
  EXPECT_EQ(bare.tcp_opts, 0u);
}

TEST(P0f, V3ObservationsThatAreNotPackets) {
  auto s = ParseLines(
      "p0f",
      {"[2012/01/01 10:00:00] mod=mtu|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=cli|"
       "link=Ethernet or modem|raw_mtu=1500",
       "[2012/01/01 10:00:00] mod=uptime|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=cli|"
       "uptime=0 days 11 hrs 16 min (modulo 198 days)|raw_freq=250.00 Hz",
       "[2012/01/01 10:00:00] mod=http request|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=cli|"
       "app=Firefox 10.x or "
       "newer|lang=English|params=none|raw_sig=1:Host,User-Agent:Accept:Mozilla"});
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 3u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kNotARecord);
  EXPECT_EQ(s.rejects[0].detail, "mtu: p0f observation that is not a SYN or SYN+ACK");
  EXPECT_EQ(s.rejects[2].detail, "http request: p0f observation that is not a SYN or SYN+ACK");
}

TEST(P0f, V2MultiLineAndOneLine) {
  auto s = ParseLines(
      "p0f",
      {"<Sat Mar  2 15:32:54 2002> 192.0.2.112:3504 - Windows 2000 SP4, XP SP1+ (up: 12 hrs)",
       "  -> 198.51.100.120:6346 (distance 12, link: ethernet/modem)",
       "<2002-03-02T15:32:55.123456Z> 192.0.2.5:1035 - UNKNOWN [S4:64:1:60:M1460,S,T,N,W0:.:?:?] "
       "(up: 3 hrs) -> 198.51.100.1:80 (link: ethernet/modem)",
       "<1015083176.500000> 192.0.2.6:1036 - Linux 2.4/2.6 <= 2.6.7 (up: 1 hrs) ",
       "  Signature: [T4:60:0:*(1500):M1400,N,W2,E:P] ",
       "  -> 198.51.100.1:25 (distance 4, link: ethernet/modem)", "  # Payload: \"EHLO\"",
       "  [00] 45 00 00 3c 00 00 40 00  | E..<..@.",
       "<Sat Mar  2 15:32:57 2002> 192.0.2.7/host.example:3505 - FreeBSD 4.6-4.8 -> "
       "198.51.100.120:6346 (distance 8, link: ethernet/modem)"});
  ASSERT_EQ(s.events.size(), 4u) << Detail(s);
  EXPECT_TRUE(s.rejects.empty()) << Detail(s);
  const Event& a = s.events[0];
  EXPECT_EQ(a.line, 1u);
  EXPECT_EQ(a.time, Utc(2002, 3, 2, 15, 32, 54));
  EXPECT_EQ(a.src, Addr("192.0.2.112"));
  EXPECT_EQ(a.sport, 3504);
  EXPECT_EQ(a.dst, Addr("198.51.100.120"));
  EXPECT_EQ(a.dport, 6346);
  EXPECT_EQ(a.tcp_flags, tcp::kSyn);
  EXPECT_EQ(a.ttl, 0);  // a known system's line carries no signature
  const Event& b = s.events[1];
  EXPECT_EQ(b.line, 3u);
  EXPECT_EQ(b.time, Utc(2002, 3, 2, 15, 32, 55, 123456));
  EXPECT_EQ(b.ttl, 64);
  EXPECT_EQ(b.ip_flags, ipf::kDf);
  EXPECT_EQ(b.ip_len, 60);
  EXPECT_EQ(b.mss, 1460);
  EXPECT_EQ(b.window, 5840);  // S4
  EXPECT_EQ(b.wscale, 1);
  EXPECT_EQ(TcpOptsString(b), "M1460,S,T,N,W0");
  EXPECT_EQ(b.dport, 80);
  const Event& c = s.events[2];
  EXPECT_EQ(c.line, 4u);
  EXPECT_EQ(c.time, 1015083176'500000);
  EXPECT_EQ(c.window, (1400 + 40) * 4);  // T4
  EXPECT_EQ(c.ip_len, 1500);
  EXPECT_EQ(c.ip_flags, 0);
  EXPECT_EQ(TcpOptsString(c), "M1400,N,W2");
  EXPECT_EQ(c.dport, 25);
  EXPECT_EQ(s.events[3].src, Addr("192.0.2.7"));
  EXPECT_EQ(s.events[3].line, 9u);
}

TEST(P0f, Seed004V1Lines) {
  ParseOptions o;
  o.default_action = Action::kDrop;
  auto s =
      ParseLines("p0f",
                 {"Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4",
                  " 192.0.2.112:3504 -> 198.51.100.120:6346",
                  "Sat Mar  2 16:44:00 2002 192.0.2.148 [12 hops]: Windows 95 or early NT4",
                  " + 192.0.2.148:4665 -> 198.51.100.120:6346",
                  "<Sat Mar  2 16:44:03 2002> 192.0.2.148 [12 hops]: Windows 95 or early NT4 *",
                  " + 192.0.2.148:4665 -> 198.51.100.120:6346 (timestamp: 123 @1015087443)"},
                 o);
  ASSERT_EQ(s.events.size(), 3u) << Detail(s);
  EXPECT_TRUE(s.rejects.empty());
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.events[0].time, Utc(2002, 3, 2, 15, 32, 54));
  EXPECT_EQ(s.events[0].src, Addr("192.0.2.112"));
  EXPECT_EQ(s.events[0].sport, 3504);
  EXPECT_EQ(s.events[0].dst, Addr("198.51.100.120"));
  EXPECT_EQ(s.events[0].dport, 6346);
  EXPECT_EQ(s.events[0].proto, kProtoTcp);
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.events[1].line, 3u);
  EXPECT_EQ(s.events[1].sport, 4665);
  EXPECT_EQ(s.events[2].line, 5u);
  EXPECT_EQ(s.events[2].time, Utc(2002, 3, 2, 16, 44, 3));
}

TEST(P0f, HoldingUntilTheArrowLine) {
  CollectSink sink;
  auto p = FindFormat("p0f")->make({});
  p->Line("Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4", 1, sink);
  EXPECT_TRUE(p->holding());
  p->Line(" 192.0.2.112:3504 -> 198.51.100.120:6346", 2, sink);
  EXPECT_FALSE(p->holding());
  EXPECT_EQ(sink.events.size(), 1u);
}

TEST(P0f, Rejections) {
  struct Case {
    std::vector<std::string> lines;
    Reason reason;
    std::string detail;
  } cases[] = {
      {{"[2012/13/01 10:00:00] mod=syn|cli=192.0.2.1/1|srv=198.51.100.2/2|raw_sig=4:1+1:0:1:1,0::"
        ":0"},
       Reason::kBadTimestamp,
       "2012/13/01 10:00:00: invalid date or time"},
      {{"[2012/01/01 10:00:00] mod=syn|cli=192.0.2.999/1|srv=198.51.100.2/2"},
       Reason::kUnparsableAddress,
       "192.0.2.999/1: not address/port"},
      {{"[2012/01/01 10:00:00] mod=syn|cli=192.0.2.9/1|srv=198.51.100.2/77777"},
       Reason::kBadPort,
       "198.51.100.2/77777: not address/port"},
      {{"[2012/01/01 10:00:00] mod=syn|cli=192.0.2.9/1"}, Reason::kTruncated, "no srv= field"},
      {{"[2012/01/01 10:00:00] mod=syn|cli=192.0.2.9/1|srv=198.51.100.2/2|raw_sig=4:999+0:0:1:1,0"
        "::df:0"},
       Reason::kBadField,
       "4:999+0:0:1:1,0::df:0: TTL not 0..255"},
      {{"[2012/01/01 10:00:00] mod=syn|cli=192.0.2.9/1|srv=198.51.100.2/2|raw_sig=4:64"},
       Reason::kBadField,
       "4:64: not ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass"},
      {{"[2012/01/01 10:00:00] cli=192.0.2.9/1"}, Reason::kNotARecord, "p0f 3 line without mod="},
      {{"[1234] something"}, Reason::kNotARecord, "not a p0f line"},
      {{"192.0.2.5:1035 - Linux 2.6 -> 198.51.100.1:80 (distance 0, link: ethernet/modem)"},
       Reason::kBadTimestamp,
       "no timestamp (p0f run without -t)"},
      {{"<Sat Feb 30 15:32:54 2002> 192.0.2.5:1035 - Linux 2.6 -> 198.51.100.1:80"},
       Reason::kBadTimestamp,
       "Sat Feb 30 15:32:54 2002: invalid date or time"},
      {{"<Sat Mar  2 15:32:54 2002> 192.0.2.5:1035 - UNKNOWN [S4:64:1:60:M1460,Q:.:?:?] -> "
        "198.51.100.1:80"},
       Reason::kBadField,
       "S4:64:1:60:M1460,Q:.:?:?: unknown TCP option in the signature"},
      {{"<Sat Mar  2 15:32:54 2002> 192.0.2.5:99999 - Linux 2.6 -> 198.51.100.1:80"},
       Reason::kBadPort,
       "192.0.2.5:99999: not address:port"},
      {{"<Sat Mar  2 15:32:54 2002> 192.0.2.5:1 - Linux 2.6", "  -> 198.51.100:80 (distance 1)"},
       Reason::kUnparsableAddress,
       "198.51.100:80: not address:port"},
      {{"Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4"},
       Reason::kTruncated,
       "no \"src:port -> dst:port\" line (p0f 1 without -v)"},
      {{"<Sat Mar  2 15:32:54 2002> 192.0.2.5:1 - Linux 2.6"},
       Reason::kTruncated,
       "no \"-> dst:port\" line"},
      {{"<Sat Mar  2 15:32:54 2002> 192.0.2.1: UNKNOWN [8192:117:1460:1:-1:1:1]."},
       Reason::kNotARecord,
       "p0f 1 UNKNOWN line: names no target"},
      {{">> Masquerade at 192.0.2.1: indicators at 75%."},
       Reason::kNotARecord,
       "p0f masquerade report, not a packet"},
      {{"p0f - passive os fingerprinting utility, version 2.0.8"},
       Reason::kNotARecord,
       "not a p0f line"},
      {{""}, Reason::kNotARecord, "empty line"},
      {{"  -> 198.51.100.1:80 (distance 1)"},
       Reason::kNotARecord,
       "continuation line without a record"},
      {{std::string("[2012/01/01\x7f")}, Reason::kBinary, "control byte 0x7f at column 12"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("p0f", c.lines);
    EXPECT_TRUE(s.events.empty()) << c.lines[0];
    ASSERT_EQ(s.rejects.size(), 1u) << c.lines[0];
    EXPECT_EQ(s.rejects[0].line, 1u) << c.lines[0];
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.lines[0];
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.lines[0];
  }
}

TEST(P0f, TruncatedGarbageAndLongLines) {
  const std::string lines[] = {
      kV3Syn,
      "<Sat Mar  2 15:32:54 2002> 192.0.2.5:1035 - UNKNOWN [S4:64:1:60:M1460,S,T,N,W0:.:?:?] -> "
      "198.51.100.1:80 (link: ethernet/modem)",
      "Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4"};
  for (const std::string& line : lines) {
    for (size_t n = 0; n <= line.size(); ++n) {
      auto s = ParseLines("p0f", {line.substr(0, n)});
      EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << line.substr(0, n);
    }
  }
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  auto g = ParseLines("p0f", {garbage, "<>", "[2012/01/01 10:00:00] mod=syn|||||", "<<<<"});
  EXPECT_TRUE(g.events.empty());
  EXPECT_EQ(g.rejects.size(), 4u);
  auto l = ParseLines("p0f", {kV3Syn + "|os2=" + std::string(300000, 'z')});
  EXPECT_EQ(l.events.size(), 1u);
}

TEST(P0f, Detect) {
  EXPECT_EQ(DetectP0f(kV3Syn), 95);
  EXPECT_EQ(DetectP0f("Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4"),
            95);
  EXPECT_EQ(DetectP0f("<Sat Mar  2 15:32:54 2002> 192.0.2.112:3504 - Windows 2000 SP4, XP SP1+"),
            90);
  EXPECT_EQ(DetectP0f("<1015083176.500000> 192.0.2.6:1036 - Linux 2.4/2.6 <= 2.6.7"), 90);
  EXPECT_EQ(DetectP0f(">> Masquerade at 192.0.2.1: indicators at 75%."), 50);
  for (std::string_view other : {
           "03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] {TCP} a -> b",
           "03/02-15:32:54.630347 192.0.2.112:3504 -> 198.51.100.120:6346",
           "Mar  2 15:32:54 greatwall snort: [1:0:0] TCP to 6346 gnutella {TCP}",
           "[**] [1:1000006:0] TCP connection [**]",
           "01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1 0",
           "Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6",
           "[ 1234.567890] IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2 PROTO=TCP",
       }) {
    EXPECT_EQ(DetectP0f(other), 0) << other;
  }
  EXPECT_EQ(DetectSnortFast(kV3Syn), 0);
  EXPECT_EQ(DetectSnortFull(kV3Syn), 0);
  EXPECT_EQ(DetectIms(kV3Syn), 0);
  EXPECT_EQ(DetectSnortFull("Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95"), 0);
}

}  // namespace
}  // namespace portstorm::parse
