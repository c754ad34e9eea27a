// pfsense_filterlog parser: pfSense/OPNsense filterlog CSV behind the header
// forms pfSense and OPNsense write (our own lines, documentation addresses).
#include "parse/formats/filterlog.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

ParseOptions Year2005() {
  ParseOptions o;
  o.year = 2005;
  return o;
}

const std::string kTcp =
    "5,,,1000000103,em0,match,block,in,4,0x0,,52,54321,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,4117,"
    "5000,0,S,1296947564,,65535,,mss;nop;wscale;sackOK;TS";

Event One(const std::string& line, ParseOptions o = Year2005()) {
  auto s = ParseLines("pfsense_filterlog", {line}, o);
  EXPECT_EQ(s.events.size(), 1u) << line << (s.rejects.empty() ? "" : " -> " + s.rejects[0].detail);
  return s.events.empty() ? Event{} : s.events[0];
}

TEST(Filterlog, Ipv4TcpEveryField) {
  auto s =
      ParseLines("pfsense_filterlog", {"Jan 11 01:42:22 fw filterlog[4711]: " + kTcp}, Year2005());
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(s.hosts[0], "fw");
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.ttl, 52);
  EXPECT_EQ(e.ip_id, 54321);
  EXPECT_EQ(e.ip_len, 60);
  EXPECT_EQ(e.ip_flags, ipf::kDf);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.seq, 1296947564u);
  EXPECT_EQ(e.window, 65535);
  EXPECT_EQ(e.payload_len, 0);
  EXPECT_EQ(TcpOptsString(e), "M0,N,W,S,T");  // filterlog names options, without values
  EXPECT_EQ(e.count, 1u);
}

TEST(Filterlog, HeaderForms) {
  // pfSense 2.x BSD syslog to a remote host: no host name, "filterlog[pid]:".
  auto bsd = ParseLines("pfsense_filterlog", {"<134>Jan 11 01:42:22 filterlog[4711]: " + kTcp},
                        Year2005());
  ASSERT_EQ(bsd.events.size(), 1u);
  EXPECT_EQ(bsd.hosts[0], "");
  // pfSense 2.2 local log: "host filterlog:".
  auto local =
      ParseLines("pfsense_filterlog", {"Jan 11 01:42:22 fw filterlog: " + kTcp}, Year2005());
  ASSERT_EQ(local.events.size(), 1u);
  EXPECT_EQ(local.hosts[0], "fw");
  // RFC 5424 with nil structured data (pfSense 2.5+) and OPNsense's [meta ...].
  auto r5424 = ParseLines(
      "pfsense_filterlog",
      {"<134>1 2005-01-11T01:42:22.250000+01:00 fw.example.org filterlog 4711 - - " + kTcp,
       "<134>1 2005-01-11T01:42:22Z opn filterlog 4711 - [meta sequenceId=\"17\"] " + kTcp,
       "1 2005-01-11T01:42:22-05:00 fw filterlog 4711 - - " + kTcp});
  ASSERT_EQ(r5424.events.size(), 3u) << (r5424.rejects.empty() ? "" : r5424.rejects[0].detail);
  EXPECT_EQ(r5424.events[0].time, Utc(2005, 1, 11, 0, 42, 22, 250000));
  EXPECT_EQ(r5424.hosts[0], "fw.example.org");
  EXPECT_EQ(r5424.events[1].time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(r5424.hosts[1], "opn");
  EXPECT_EQ(r5424.events[2].time, Utc(2005, 1, 11, 6, 42, 22));
  // ISO 8601 header (syslog-ng / rsyslog templates).
  Event iso = One("2005-01-11T01:42:22+00:00 fw filterlog[1]: " + kTcp);
  EXPECT_EQ(iso.time, Utc(2005, 1, 11, 1, 42, 22));
}

TEST(Filterlog, LocalTimeAndYearInference) {
  ParseOptions o;
  o.reference_time = Utc(2005, 3, 1, 0, 0, 0);
  auto tz = TimeZone::Load("+02:00");
  ASSERT_TRUE(tz.ok());
  o.tz = *tz;
  auto s = ParseLines(
      "pfsense_filterlog",
      {"Dec 31 23:59:59 fw filterlog: " + kTcp, "Jan  1 00:00:01 fw filterlog: " + kTcp}, o);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].time, Utc(2004, 12, 31, 21, 59, 59));
  EXPECT_EQ(s.events[1].time, Utc(2004, 12, 31, 22, 0, 1));
}

TEST(Filterlog, TcpDataSegmentAndFlags) {
  Event e = One(
      "Jan 11 01:42:22 fw filterlog: 53,,,1000000301,em0,match,block,in,4,0x0,,64,420,0,none,6,tcp,"
      "460,203.0.113.5,198.51.100.2,53742,22,420,PA,29633380:29633800,3617062173,1026,,");
  EXPECT_EQ(e.tcp_flags, tcp::kPsh | tcp::kAck);
  EXPECT_EQ(e.seq, 29633380u);
  EXPECT_EQ(e.payload_len, 420);
  EXPECT_EQ(e.window, 1026);
  EXPECT_EQ(e.ip_flags, 0);
  EXPECT_EQ(e.tcp_opts, 0u);
  // ECN-setup SYN: pf writes CWR as W, pfSense as C.
  Event ecn = One(
      "Jan 11 01:42:22 fw filterlog: 9,,,1,em0,match,pass,in,4,0x2,0,128,848,0,DF,6,tcp,52,"
      "198.51.100.7,203.0.113.9,1029,443,0,SEC,3291118522,,8192,,mss;nop;wscale;nop;nop;sackOK");
  EXPECT_EQ(ecn.tcp_flags, tcp::kSyn | tcp::kEce | tcp::kCwr);
  EXPECT_EQ(ecn.action, Action::kAllow);
  EXPECT_EQ(TcpOptsString(ecn), "M0,N,W,N,N,S");
  Event fin =
      One("Jan 11 01:42:22 fw filterlog: 6,,,1,em0,match,block,out,4,0x0,,64,0,0,DF,6,tcp,40,"
          "198.51.100.2,203.0.113.5,22,53742,0,FA,3617062173,29633380,65535,,");
  EXPECT_EQ(fin.tcp_flags, tcp::kFin | tcp::kAck);
  EXPECT_EQ(fin.sport, 22);
}

TEST(Filterlog, UdpAndPass) {
  Event e = One(
      "Jan 11 01:42:22 fw filterlog: 103,,,40b9591224d055de,re0,match,pass,in,4,0x0,,116,11172,0,"
      "none,17,udp,48,203.0.113.77,198.51.100.200,64752,51918,28");
  EXPECT_EQ(e.proto, kProtoUdp);
  EXPECT_EQ(e.action, Action::kAllow);
  EXPECT_EQ(e.sport, 64752);
  EXPECT_EQ(e.dport, 51918);
  EXPECT_EQ(e.ip_len, 48);
  EXPECT_EQ(e.payload_len, 20);  // the UDP length less its 8-byte header
  EXPECT_EQ(e.ttl, 116);
}

TEST(Filterlog, Ipv6) {
  Event t = One(
      "<134>1 2005-01-11T01:42:22Z fw filterlog 4711 - - 621,,,1644355515,vtnet0.10,match,block,in,"
      "6,0x00,0x07c63,64,TCP,6,44,2001:db8:10::d8,2001:db8:5::6,65382,443,0,S,1927530165,,0,,"
      "mss;nop;wscale;nop;nop;TS;sackOK;eol");
  EXPECT_EQ(t.src, Addr("2001:db8:10::d8"));
  EXPECT_EQ(t.dst, Addr("2001:db8:5::6"));
  EXPECT_EQ(t.proto, kProtoTcp);
  EXPECT_EQ(t.ttl, 64);          // hop limit
  EXPECT_EQ(t.ip_len, 44 + 40);  // payload length + IPv6 header
  EXPECT_EQ(t.seq, 1927530165u);
  EXPECT_EQ(TcpOptsString(t), "M0,N,W,N,N,T,S");
  Event u = One(
      "<134>Jan 11 01:42:22 filterlog[72237]: 6,,,1000000105,igb1,match,block,in,6,0x00,0xf6279,1,"
      "UDP,17,32,fe80::208:9bff:fef3:652b,ff02::1:2,546,547,32");
  EXPECT_EQ(u.proto, kProtoUdp);
  EXPECT_EQ(u.dport, 547);
  EXPECT_EQ(u.ttl, 1);
  EXPECT_EQ(u.ip_len, 72);
  Event icmp6 = One(
      "Jan 11 01:42:22 fw filterlog: 7,,,1,em0,match,block,in,6,0x00,0x00000,255,ipv6-icmp,58,32,"
      "2001:db8::1,2001:db8::2,datalength=32");
  EXPECT_EQ(icmp6.proto, kProtoIpv6Icmp);
  EXPECT_EQ(icmp6.payload_len, 32);
  // Hop-by-hop options header: protocol id 0, text "Options".
  Event hbh =
      One("Jan 11 01:42:22 fw filterlog: 7,,,1,em0,match,block,in,6,0x00,0x00000,1,Options,0,36,"
          "fe80::1,ff02::16,HBH,RTALERT,0x0000,PADN,");
  EXPECT_EQ(hbh.proto, 0);
  EXPECT_EQ(hbh.dst, Addr("ff02::16"));
}

TEST(Filterlog, IcmpTypesAndCodes) {
  const std::string h =
      "Jan 11 01:42:22 fw filterlog: 7,,,1,em0,match,block,in,4,0x0,,64,100,0,none,1,icmp,84,"
      "192.0.2.9,198.51.100.2,";
  struct Case {
    std::string tail;
    uint16_t type, code, payload;
  } cases[] = {
      {"request,37728,164", 8, 0, 0},
      {"reply,37728,164", 0, 0, 0},
      {"unreachport,198.51.100.2,udp,33434", 3, 3, 0},
      {"unreachproto,198.51.100.2,47", 3, 2, 0},
      {"needfrag,198.51.100.2,1480", 3, 4, 0},
      {"unreach,host 198.51.100.2 unreachable", 3, 0, 0},
      {"timexceed,time exceeded in-transit", 11, 0, 0},
      {"paramprob,parameter problem", 12, 0, 0},
      {"redirect,redirect 198.51.100.3", 5, 0, 0},
      {"maskreply,mask reply", 18, 0, 0},
      {"tstamp,1,2", 13, 0, 0},
      {"tstampreply,1,2,3,4,5", 14, 0, 0},
      // As pfSense prints them: the echo data length glued to the sequence,
      // a blank after the timestamp reply's comma.
      {"request,56026,2526864", 8, 0, 0},
      {"tstampreply, 1234,5,6,7,8", 14, 0, 0},
      {"datalength=36", 0, 0, 36},
  };
  for (const Case& c : cases) {
    Event e = One(h + c.tail);
    EXPECT_EQ(e.proto, kProtoIcmp) << c.tail;
    EXPECT_EQ(e.sport, c.type) << c.tail;
    EXPECT_EQ(e.dport, c.code) << c.tail;
    EXPECT_EQ(e.payload_len, c.payload) << c.tail;
  }
  // No protocol data at all.
  Event bare = One(h.substr(0, h.size() - 1));
  EXPECT_EQ(bare.sport, 0);
}

TEST(Filterlog, OtherProtocols) {
  Event carp =
      One("Jan 11 01:42:22 fw filterlog: "
          "60,,,1000000,em1,match,pass,out,4,0x10,,255,0,0,DF,112,carp,56,"
          "192.0.2.2,224.0.0.18,advertise,255,1,2,1,0");
  EXPECT_EQ(carp.proto, 112);
  EXPECT_EQ(carp.sport, 0);
  EXPECT_EQ(carp.ttl, 255);
  Event igmp =
      One("Jan 11 01:42:22 fw filterlog: "
          "199,,,1557957510,igb1.12,match,pass,in,4,0xc0,,1,0,0,DF,2,igmp,"
          "32,192.0.2.17,224.0.0.22,datalength=8");
  EXPECT_EQ(igmp.proto, kProtoIgmp);
  EXPECT_EQ(igmp.payload_len, 8);
  EXPECT_EQ(igmp.count, 1u);  // datalength is not a packet count
  Event esp =
      One("Jan 11 01:42:22 fw filterlog: 8,,,1,em0,match,block,in,4,0x0,,50,1,0,none,50,esp,120,"
          "192.0.2.3,198.51.100.2,datalength=100");
  EXPECT_EQ(esp.proto, 50);
}

TEST(Filterlog, ActionsAndFragments) {
  const std::string pre = "Jan 11 01:42:22 fw filterlog: 5,,,1,em0,match,";
  const std::string post = ",in,4,0x0,,64,77,185,+,17,udp,548,192.0.2.1,198.51.100.2,4117,5000,528";
  EXPECT_EQ(One(pre + "block" + post).action, Action::kDrop);
  EXPECT_EQ(One(pre + "pass" + post).action, Action::kAllow);
  EXPECT_EQ(One(pre + "synproxy-drop" + post).action, Action::kDrop);
  EXPECT_EQ(One(pre + "rdr" + post).action, Action::kUnknown);
  ParseOptions drop = Year2005();
  drop.default_action = Action::kDrop;
  EXPECT_EQ(One(pre + "match" + post, drop).action, Action::kDrop);
  Event frag = One(pre + "block" + post);
  EXPECT_EQ(frag.ip_flags, ipf::kMf | ipf::kFragment);
  EXPECT_EQ(frag.ip_id, 77);
}

TEST(Filterlog, AnonymisedAddressIsKept) {
  Event e =
      One("Jan 11 01:42:22 fw filterlog: 5,,,1,em0,match,block,in,4,0x0,,64,1,0,none,17,udp,48,"
          "192.0.2.1,x.x.x.50,4117,5000,28");
  EXPECT_TRUE(e.dst.is_anonymised());
  EXPECT_EQ(e.dst.ToString(), "x.x.x.50");
}

TEST(Filterlog, Rejections) {
  const std::string h = "Jan 11 01:42:22 fw filterlog: ";
  const std::string v4 = "5,,,1,em0,match,block,in,4,0x0,,64,1,0,none,";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {"Jan 11 01:42:22 fw php-fpm[388]: /index.php: Successful login for user 'admin'",
       Reason::kNotARecord, "no filterlog tag"},
      {"", Reason::kNotARecord, "empty line"},
      {"<134>1 2005-01-11T01:42:22Z fw dhcpd 4711 - - DHCPACK on 192.0.2.5", Reason::kNotARecord,
       "no filterlog tag"},
      {"Jan 32 01:42:22 fw filterlog: " + v4 + "17,udp,48,192.0.2.1,198.51.100.2,1,2,28",
       Reason::kBadTimestamp, "Jan 32 01:42:22: invalid date or time"},
      {"<134>1 - fw filterlog 4711 - - " + v4 + "17,udp,48,192.0.2.1,198.51.100.2,1,2,28",
       Reason::kBadTimestamp, "-: RFC 5424 line without a timestamp"},
      {h + v4 + "17,udp,48,192.0.2.1,198.51.100.2,1,2", Reason::kTruncated,
       "22 fields, no UDP data length field"},
      {h + v4 + "17,udp,48,192.0.2.1,198.51", Reason::kTruncated,
       "20 fields, no UDP data length field"},
      {h + v4 + "17,udp,48,192.0", Reason::kTruncated, "19 fields, no IPv4 destination field"},
      {h + "5,,,1,em0,match", Reason::kTruncated, "6 fields, no IP version field"},
      {h + v4 + "6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,S,1,,65535", Reason::kTruncated,
       "27 fields, no TCP options field"},
      {h + v4 + "1,icmp,84,192.0.2.1,198.51.100.2,request,5", Reason::kTruncated,
       "22 fields, no ICMP request subfields"},
      {h + v4 + "17,udp,48,192.0.2.300,198.51.100.2,1,2,28", Reason::kUnparsableAddress,
       "192.0.2.300: source not an IPv4/IPv6 address"},
      {h + v4 + "17,udp,48,192.0.2.1,,1,2,28", Reason::kUnparsableAddress,
       ": destination not an IPv4/IPv6 address"},
      {h + v4 + "17,udp,48,192.0.2.1,198.51.100.2,70000,2,28", Reason::kBadPort,
       "70000: port > 65535"},
      {h + v4 + "17,udp,48,192.0.2.1,198.51.100.2,1,x,28", Reason::kBadPort,
       "x: port not a number"},
      {h + v4 + ",bogus,48,192.0.2.1,198.51.100.2,1,2,28", Reason::kUnknownProtocol,
       "bogus: unknown protocol"},
      {h + v4 + "300,udp,48,192.0.2.1,198.51.100.2,1,2,28", Reason::kUnknownProtocol,
       "300: unknown protocol"},
      {h + "5,,,1,em0,match,block,in,4,0x0,,300,1,0,none,17,udp,48,192.0.2.1,198.51.100.2,1,2,28",
       Reason::kBadField, "300: TTL not 0..255"},
      {h + "5,,,1,em0,match,block,in,5,0x0,,64,1,0,none,17,udp,48,192.0.2.1,198.51.100.2,1,2,28",
       Reason::kBadField, "5: IP version not 4 or 6"},
      {h + "5,,,1,em0,match,block,in,4,zz,,64,1,0,none,17,udp,48,192.0.2.1,198.51.100.2,1,2,28",
       Reason::kBadField, "zz: TOS not 0x00..0xff"},
      {h + v4 + "6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,SX,1,,65535,,", Reason::kBadField,
       "SX: TCP flags not letters of FSRPAUEWC"},
      {h + v4 + "6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,S,1,,70000,,", Reason::kBadField,
       "70000: window not 0..65535"},
      {h + v4 + "6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,S,1:x,,65535,,", Reason::kBadField,
       "1:x: sequence not n or n:m"},
      {h + std::string(60, ','), Reason::kBadField,
       std::string(60, ',') + ": more than 48 comma-separated fields"},
      {std::string("Jan 11 01:42:22 fw filterlog: 5,\0,", 34), Reason::kBinary,
       "control byte 0x00 at column 33"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("pfsense_filterlog", {c.line}, Year2005());
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
    EXPECT_EQ(s.rejects[0].line, 1u);
  }
}

TEST(Filterlog, HostileInputNeverCrashes) {
  // A 1 MiB field: the reject detail stays short.
  std::string big(1 << 20, '7');
  auto s =
      ParseLines("pfsense_filterlog",
                 {"Jan 11 01:42:22 fw filterlog: 5,,,1,em0,match,block,in,4,0x0,,64,1,0,none,17,"
                  "udp,48," +
                      big + ",198.51.100.2,1,2,28",
                  "Jan 11 01:42:22 fw filterlog: " + std::string(1 << 20, 'a'),
                  "Jan 11 01:42:22 fw filterlog:", "filterlog", "\xff\xfe filterlog: 1,2,3"},
                 Year2005());
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 5u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kUnparsableAddress);
  EXPECT_LT(s.rejects[0].detail.size(), 200u);
  EXPECT_EQ(s.rejects[1].reason, Reason::kTruncated);
  EXPECT_EQ(s.rejects[2].reason, Reason::kTruncated);
  EXPECT_EQ(s.rejects[3].reason, Reason::kNotARecord);
  EXPECT_EQ(s.rejects[4].reason, Reason::kNotARecord);
  // Every cut of a record is answered exactly once.
  const std::string line = "Jan 11 01:42:22 fw filterlog: " + kTcp;
  for (size_t n = 0; n <= line.size(); ++n) {
    auto c = ParseLines("pfsense_filterlog", {line.substr(0, n)}, Year2005());
    EXPECT_EQ(c.events.size() + c.rejects.size(), 1u) << n;
  }
}

TEST(Filterlog, Detect) {
  EXPECT_EQ(DetectFilterlog("Jan 11 01:42:22 fw filterlog[4711]: " + kTcp), 95);
  EXPECT_EQ(DetectFilterlog("<134>1 2005-01-11T01:42:22Z fw filterlog 4711 - - " + kTcp), 95);
  EXPECT_EQ(DetectFilterlog("Jan 11 01:42:22 fw filterlog: 5,,,1,em0,match,block,in,4,0x0"), 60);
  EXPECT_EQ(DetectFilterlog("Jan 11 01:42:22 fw sshd[1]: Accepted publickey for root"), 0);
  EXPECT_EQ(
      DetectFilterlog("Jan 11 01:42:22 fw kernel: IN=em0 OUT= SRC=192.0.2.1 DST=198.51.100.2"), 0);
  EXPECT_EQ(DetectFilterlog(""), 0);
}

}  // namespace
}  // namespace portstorm::parse
