// snort_full: snort -vd packet dumps (seed 004's "=+=+" blocks, addresses
// changed to documentation ranges) and alert_full blocks.
#include "parse/formats/snort_full.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "parse/formats/ims.h"
#include "parse/formats/p0f.h"
#include "parse/formats/snort_fast.h"
#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

ParseOptions Year2002() {
  ParseOptions o;
  o.year = 2002;
  return o;
}

std::string Detail(const CollectSink& s) { return s.rejects.empty() ? "" : s.rejects[0].detail; }

const std::string kSep =
    "=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+";

TEST(SnortFull, Seed004Dump) {
  auto s = ParseLines("snort_full",
                      {kSep, "03/02-15:32:54.630347 192.0.2.112:3504 -> 198.51.100.120:6346",
                       "TCP TTL:117 TOS:0x0 ID:31988 IpLen:20 DgmLen:48 DF",
                       "******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28",
                       "TCP Options (4) => MSS: 1460 NOP NOP SackOK ", "", kSep,
                       "03/02-15:32:57.590663 192.0.2.112:3504 -> 198.51.100.120:6346",
                       "TCP TTL:117 TOS:0x0 ID:32007 IpLen:20 DgmLen:48 DF",
                       "******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28",
                       "TCP Options (4) => MSS: 1460 NOP NOP SackOK ", "", kSep, ""},
                      Year2002());
  ASSERT_EQ(s.events.size(), 2u) << Detail(s);
  EXPECT_TRUE(s.rejects.empty()) << Detail(s);
  const Event& e = s.events[0];
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.time, Utc(2002, 3, 2, 15, 32, 54, 630347));
  EXPECT_EQ(e.src, Addr("192.0.2.112"));
  EXPECT_EQ(e.sport, 3504);
  EXPECT_EQ(e.dst, Addr("198.51.100.120"));
  EXPECT_EQ(e.dport, 6346);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.ttl, 117);
  EXPECT_EQ(e.ip_id, 31988);
  EXPECT_EQ(e.ip_len, 48);
  EXPECT_EQ(e.ip_flags, ipf::kDf);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.seq, 0xEE01EA38u);
  EXPECT_EQ(e.window, 0x16D0);
  EXPECT_EQ(e.mss, 1460);
  EXPECT_EQ(e.wscale, 0);
  EXPECT_EQ(TcpOptsString(e), "M1460,N,N,S");
  EXPECT_EQ(e.payload_len, 0);
  EXPECT_EQ(e.action, Action::kUnknown);  // a packet log, no verdict
  EXPECT_EQ(s.events[1].line, 8u);
  EXPECT_EQ(s.events[1].ip_id, 32007);
}

TEST(SnortFull, PayloadDumpAndDefaultAction) {
  ParseOptions o = Year2002();
  o.default_action = Action::kDrop;
  auto s = ParseLines("snort_full",
                      {"01/11-16:58:24.839498 192.0.2.5:1035 -> 198.51.100.1:80",
                       "TCP TTL:128 TOS:0x0 ID:1556 IpLen:20 DgmLen:58 DF",
                       "***AP**F Seq: 0x1  Ack: 0x2  Win: 0xFFFF  TcpLen: 20",
                       "47 45 54 20 2F 20 48 54 54 50 2F 31 2E 31 0D 0A  GET / HTTP/1.1..",
                       "0D 0A                                            ..", "", kSep, "",
                       "01/11-16:58:25.000000 192.0.2.5:1036 -> 198.51.100.1:53",
                       "UDP TTL:64 TOS:0x10 ID:7 IpLen:20 DgmLen:60", "Len: 32",
                       "00 01 01 00 00 01 00 00 00 00 00 00 03 77 77 77  .............www",
                       "06 67 6F 6F 67 6C 65 03 63 6F 6D 00 00 01 00 01  .google.com.....", ""},
                      o);
  ASSERT_EQ(s.events.size(), 2u) << Detail(s);
  EXPECT_TRUE(s.rejects.empty()) << Detail(s);
  const Event& t = s.events[0];
  EXPECT_EQ(t.tcp_flags, tcp::kAck | tcp::kPsh | tcp::kFin);
  EXPECT_EQ(t.window, 0xFFFF);
  EXPECT_EQ(t.payload_len, 18);
  const uint8_t get[8] = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T'};
  EXPECT_EQ(0, std::memcmp(t.payload, get, 8));
  EXPECT_EQ(t.action, Action::kDrop);
  const Event& u = s.events[1];
  EXPECT_EQ(u.proto, kProtoUdp);
  EXPECT_EQ(u.dport, 53);
  EXPECT_EQ(u.payload_len, 32);
  EXPECT_EQ(u.payload[0], 0x00);
  EXPECT_EQ(u.payload[1], 0x01);
  EXPECT_EQ(u.ip_flags, 0);
}

TEST(SnortFull, AlertFullBlocks) {
  auto s = ParseLines(
      "snort_full",
      {"[**] [1:1000006:0] TCP connection [**]", "[Priority: 0] ",
       "09/04-21:42:42.860730 192.0.2.59:57263 -> 198.51.100.190:22",
       "TCP TTL:127 TOS:0x0 ID:53730 IpLen:20 DgmLen:108 DF",
       "***AP*** Seq: 0x688E00E4  Ack: 0xBC730BB6  Win: 0x80B  TcpLen: 20", "",
       "[**] [1:1000004:0] Pinging... [**]",
       "[Classification: Attempted Information Leak] [Priority: 2] ",
       "[Xref => http://www.example.com/x]",
       "09/04-21:53:15.299988 198.51.100.190 -> 203.0.113.142",
       "ICMP TTL:64 TOS:0x0 ID:6922 IpLen:20 DgmLen:84 DF", "Type:8  Code:0  ID:101   Seq:1  ECHO",
       "", "[**] [1:1000005:0] UDP Connection [**]",
       "[Classification: A Network Trojan was Detected] [Priority: 1] ",
       "09/04-21:53:15.358155 198.51.100.1:53 -> 198.51.100.190:56012",
       "UDP TTL:64 TOS:0x0 ID:33955 IpLen:20 DgmLen:153", "Len: 125"},
      Year2002());
  ASSERT_EQ(s.events.size(), 3u) << Detail(s);
  EXPECT_EQ(s.events[0].line, 1u);  // the "[**]" line opens the record
  EXPECT_EQ(s.events[0].action, Action::kAlert);
  EXPECT_EQ(s.events[0].tcp_flags, tcp::kAck | tcp::kPsh);
  EXPECT_EQ(s.events[0].payload_len, 68);  // DgmLen - IpLen - TcpLen
  EXPECT_EQ(s.events[1].line, 7u);
  EXPECT_EQ(s.events[1].proto, kProtoIcmp);
  EXPECT_EQ(s.events[1].sport, 8);  // type
  EXPECT_EQ(s.events[1].dport, 0);  // code
  EXPECT_EQ(s.events[1].payload_len, 56);
  EXPECT_EQ(s.events[2].line, 14u);
  EXPECT_EQ(s.events[2].payload_len, 125);
  EXPECT_EQ(s.events[2].time, Utc(2002, 9, 4, 21, 53, 15, 358155));
}

TEST(SnortFull, DatalinkLayoutOptionsIpv6AndIcmpDump) {
  auto s = ParseLines(
      "snort_full",
      {"03/02-15:32:54.630347 0:D0:9:7E:E5:E9 -> 0:50:DA:36:E5:E3 type:0x800 len:0x4A",
       "192.0.2.7:40000 -> 198.51.100.9:443 TCP TTL:52 TOS:0x0 ID:0 IpLen:20 DgmLen:60 DF",
       "******S* Seq: 0x1  Ack: 0x0  Win: 0xFAF0  TcpLen: 40",
       "TCP Options (5) => MSS: 1460 SackOK TS: 12345 0 NOP WS: 7 ",
       "",
       "03/02-15:32:55.000000 2001:db8::7:40000 -> 2001:db8::9:22",
       "TCP TTL:64 TOS:0x0 ID:0 IpLen:40 DgmLen:80",
       "******S* Seq: 0xFFFFFFFF  Ack: 0x0  Win: 0x7080  TcpLen: 40",
       "TCP Options (6) => MSS: 1440 NOP NOP TS: 1 0 NOP WS: 6 Opt 30 (4): 0011",
       "",
       "03/02-15:32:56.000000 198.51.100.1 -> 192.0.2.7",
       "ICMP TTL:255 TOS:0xC0 ID:4595 IpLen:20 DgmLen:56",
       "Type:3  Code:3  DESTINATION UNREACHABLE: PORT UNREACHABLE",
       "** ORIGINAL DATAGRAM DUMP:",
       "192.0.2.7:53 -> 198.51.100.1:33434",
       "UDP TTL:1 TOS:0x0 ID:9 IpLen:20 DgmLen:40",
       "Len: 12  Csum: 0",
       "** END OF DUMP",
       "",
       "03/02-15:32:57.000000 192.0.2.7 -> 198.51.100.9",
       "TCP TTL:52 TOS:0x0 ID:77 IpLen:20 DgmLen:1500 MF",
       "Frag Offset: 0x00B9   Frag Size: 0x05C8",
       ""},
      Year2002());
  ASSERT_EQ(s.events.size(), 4u) << Detail(s);
  EXPECT_TRUE(s.rejects.empty()) << Detail(s);
  const Event& e = s.events[0];
  EXPECT_EQ(e.src, Addr("192.0.2.7"));
  EXPECT_EQ(e.dport, 443);
  EXPECT_EQ(e.ttl, 52);
  EXPECT_EQ(e.window, 0xFAF0);
  EXPECT_EQ(e.mss, 1460);
  EXPECT_EQ(e.wscale, 8);  // value + 1
  EXPECT_EQ(TcpOptsString(e), "M1460,S,T,N,W7");
  const Event& v6 = s.events[1];
  EXPECT_EQ(v6.src, Addr("2001:db8::7"));
  EXPECT_EQ(v6.sport, 40000);
  EXPECT_EQ(v6.dst, Addr("2001:db8::9"));
  EXPECT_EQ(v6.dport, 22);
  EXPECT_EQ(v6.seq, 0xFFFFFFFFu);
  EXPECT_EQ(v6.payload_len, 0);
  EXPECT_EQ(v6.tcp_opts & 0xf, static_cast<uint32_t>(TcpOpt::kMss));
  EXPECT_EQ((v6.tcp_opts >> 24) & 0xf, static_cast<uint32_t>(TcpOpt::kOther));
  const Event& icmp = s.events[2];
  EXPECT_EQ(icmp.proto, kProtoIcmp);
  EXPECT_EQ(icmp.sport, 3);
  EXPECT_EQ(icmp.dport, 3);
  EXPECT_EQ(icmp.ttl, 255);  // not the embedded datagram's
  EXPECT_EQ(icmp.ip_id, 4595);
  const Event& frag = s.events[3];
  EXPECT_EQ(frag.ip_flags, ipf::kMf | ipf::kFragment);
  EXPECT_EQ(frag.sport, 0);
  EXPECT_EQ(frag.payload_len, 0);
}

TEST(SnortFull, Rejections) {
  struct Case {
    std::vector<std::string> lines;
    Reason reason;
    std::string detail;
  } cases[] = {
      {{"03/02-15:32:54.630347 192.0.2.300:1 -> 198.51.100.2:2",
        "TCP TTL:1 TOS:0x0 ID:1 IpLen:20 "
        "DgmLen:40",
        "******S* Seq: 0x1  Ack: 0x0  Win: 0x1  TcpLen: 20"},
       Reason::kUnparsableAddress,
       "192.0.2.300:1: not an IP address"},
      {{"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:99999",
        "UDP TTL:1 TOS:0x0 ID:1 "
        "IpLen:20 DgmLen:40"},
       Reason::kBadPort,
       "198.51.100.2:99999: port > 65535"},
      {{"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", "FOO TTL:1 TOS:0x0 ID:1"},
       Reason::kUnknownProtocol,
       "FOO: unknown protocol"},
      {{"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", "TCP TTL:300 TOS:0x0 ID:1"},
       Reason::kBadField,
       "TTL:300: TTL not 0..255"},
      {{"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", "TCP TTL:3 TOS:0x0 ID:1",
        "******Q* Seq: 0x1  Ack: 0x0  Win: 0x1  TcpLen: 20"},
       Reason::kBadField,
       "******Q*: not a snort TCP flag string"},
      {{"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", "TCP TTL:3 TOS:0x0 ID:1",
        "******S* Seq: 0x1  Ack: 0x0  Win: 0x10000  TcpLen: 20"},
       Reason::kBadField,
       "0x10000: Win not 0x0..0xFFFF"},
      {{"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", "TCP TTL:3 TOS:0x0 ID:1"},
       Reason::kTruncated,
       "no TCP header line (\"******S* Seq: ...\")"},
      {{"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2"},
       Reason::kTruncated,
       "no IP header line (\"TCP TTL:...\")"},
      {{"02/30-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", "UDP TTL:3 TOS:0x0 ID:1"},
       Reason::kBadTimestamp,
       "02/30-15:32:54.630347: invalid date or time"},
      {{"03/02-15:32:54.630347 ARP who-has 192.0.2.1 tell 192.0.2.2"},
       Reason::kNotARecord,
       "not an IP packet (no \"src -> dst\")"},
      {{"[**] [1:1:1] x [**]", "[Priority: 0] ", ""},
       Reason::kNotARecord,
       "alert without a packet dump"},
      {{"hello world"}, Reason::kNotARecord, "not part of a snort packet dump"},
      {{""}, Reason::kNotARecord, "empty line"},
      {{std::string("TCP\x01")}, Reason::kBinary, "control byte 0x01 at column 4"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("snort_full", c.lines, Year2002());
    EXPECT_TRUE(s.events.empty()) << c.lines[0];
    ASSERT_EQ(s.rejects.size(), 1u) << c.lines[0];
    EXPECT_EQ(s.rejects[0].line, 1u) << c.lines[0];
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.lines[0];
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.lines[0];
  }
}

TEST(SnortFull, HoldingAndFraming) {
  CollectSink sink;
  auto p = FindFormat("snort_full")->make(Year2002());
  p->Line(kSep, 1, sink);
  p->Line("", 2, sink);  // snort writes a blank line after each separator
  EXPECT_FALSE(p->holding());
  p->Line("03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", 3, sink);
  EXPECT_TRUE(p->holding());
  p->Line("UDP TTL:3 TOS:0x0 ID:1 IpLen:20 DgmLen:28", 4, sink);
  p->Line("Len: 0", 5, sink);
  p->Line(kSep, 6, sink);
  EXPECT_FALSE(p->holding());
  p->Finish(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_EQ(sink.events[0].line, 3u);
}

TEST(SnortFull, TruncatedGarbageAndLongLines) {
  const std::vector<std::string> block = {
      "[**] [1:1000006:0] TCP connection [**]",
      "[Priority: 0] ",
      "09/04-21:42:42.860730 2001:db8::59:57263 -> 2001:db8::190:22",
      "TCP TTL:127 TOS:0x0 ID:53730 IpLen:40 DgmLen:108 DF",
      "***AP*** Seq: 0x688E00E4  Ack: 0xBC730BB6  Win: 0x80B  TcpLen: 20",
      "TCP Options (3) => NOP NOP TS: 1 2",
      "47 45 54 20"};
  for (size_t k = 0; k < block.size(); ++k) {
    for (size_t n = 0; n <= block[k].size(); ++n) {
      std::vector<std::string> lines(block.begin(), block.begin() + static_cast<long>(k));
      lines.push_back(block[k].substr(0, n));
      auto s = ParseLines("snort_full", lines, Year2002());
      EXPECT_LE(s.events.size() + s.rejects.size(), lines.size());
    }
  }
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  auto g = ParseLines("snort_full", {garbage, "=+=+", "[**]", "TCP TTL:x", "Type:", "47 4"});
  EXPECT_TRUE(g.events.empty());
  std::string long_hex;
  for (int i = 0; i < 100000; ++i) long_hex += "AB ";
  auto l =
      ParseLines("snort_full",
                 {"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2",
                  "UDP TTL:3 TOS:0x0 ID:1 IpLen:20 DgmLen:40", long_hex, std::string(300000, 'x')},
                 Year2002());
  ASSERT_EQ(l.events.size(), 1u);
  EXPECT_EQ(l.events[0].payload_len, 16);
}

TEST(SnortFull, Detect) {
  EXPECT_EQ(DetectSnortFull(kSep), 90);
  EXPECT_EQ(DetectSnortFull("03/02-15:32:54.630347 192.0.2.112:3504 -> 198.51.100.120:6346"), 90);
  EXPECT_EQ(DetectSnortFull("TCP TTL:117 TOS:0x0 ID:31988 IpLen:20 DgmLen:48 DF"), 90);
  EXPECT_EQ(DetectSnortFull("******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28"), 90);
  EXPECT_EQ(DetectSnortFull("[**] [1:1000006:0] TCP connection [**]"), 85);
  for (std::string_view other : {
           "03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] {TCP} a -> b",
           "Mar  2 15:32:54 greatwall snort: [1:0:0] TCP to 6346 gnutella {TCP}",
           " 192.0.2.112:3504 -> 198.51.100.120:6346",
           "Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4",
           "[2012/01/01 10:00:00] mod=syn|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=cli",
           "01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1 0",
           "Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2 TTL=1",
       }) {
    EXPECT_EQ(DetectSnortFull(other), 0) << other;
  }
  EXPECT_EQ(DetectSnortFast(kSep), 0);
  EXPECT_EQ(DetectSnortFast("[**] [1:1000006:0] TCP connection [**]"), 0);
  EXPECT_EQ(DetectP0f("[**] [1:1000006:0] TCP connection [**]"), 0);
  EXPECT_EQ(DetectIms("03/02-15:32:54.630347 192.0.2.112:3504 -> 198.51.100.120:6346"), 0);
}

}  // namespace
}  // namespace portstorm::parse
