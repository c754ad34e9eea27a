// pf parser: OpenBSD/FreeBSD pflog as tcpdump prints it (OpenBSD -ttt,
// tcpdump.org -tttt, tcpdump 3.9 -v, syslog-wrapped), on our own lines.
// There is no third-party corpus for this format, so these tests are the
// conformance check: every printer variant, every field, every rejection.
#include "parse/formats/pf.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

ParseOptions Year2005() {
  ParseOptions o;
  o.year = 2005;
  return o;
}

Event One(const std::string& line, ParseOptions o = Year2005()) {
  auto s = ParseLines("pf", {line}, o);
  EXPECT_EQ(s.events.size(), 1u) << line << (s.rejects.empty() ? "" : " -> " + s.rejects[0].detail);
  return s.events.empty() ? Event{} : s.events[0];
}

const std::string kSyn =
    "Jan 11 01:42:22.123456 rule 2/(match) block in on em0: 192.0.2.1.4117 > 198.51.100.2.5000: "
    "S 1296947564:1296947564(0) win 65535 <mss 1460,nop,nop,sackOK> (DF)";

TEST(Pf, OpenBsdTcpSynEveryField) {
  auto s = ParseLines("pf", {kSyn}, Year2005());
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(s.hosts[0], "");
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22, 123456));
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.seq, 1296947564u);
  EXPECT_EQ(e.payload_len, 0);
  EXPECT_EQ(e.window, 65535);
  EXPECT_EQ(e.mss, 1460);
  EXPECT_EQ(TcpOptsString(e), "M1460,N,N,S");
  EXPECT_EQ(e.ip_flags, ipf::kDf);
  EXPECT_EQ(e.count, 1u);
}

TEST(Pf, OpenBsdVerboseIpFields) {
  Event e = One(
      "Jan 11 01:42:23.000001 rule 2/(match) [uid 0, pid 4711] block in on em0: 192.0.2.1.4117 > "
      "198.51.100.2.5000: S 1296947564:1296947564(0) win 16384 <mss 1460,nop,wscale 3,nop,nop,"
      "timestamp 123 0,sackOK> (DF) (ttl 52, id 4711, len 64)");
  EXPECT_EQ(e.ttl, 52);
  EXPECT_EQ(e.ip_id, 4711);
  EXPECT_EQ(e.ip_len, 64);
  EXPECT_EQ(e.wscale, 4);  // value + 1
  EXPECT_EQ(TcpOptsString(e), "M1460,N,W3,N,N,T,S");
  EXPECT_EQ(e.window, 16384);
}

TEST(Pf, OpenBsdOtherTcpUdpIcmp) {
  Event rst = One(
      "Jan 11 01:42:33.000000 rule 2/(match) block in on em0: 192.0.2.1.80 > 198.51.100.2.1024: "
      "R 0:0(0) ack 1 win 0 (DF)");
  EXPECT_EQ(rst.tcp_flags, tcp::kRst | tcp::kAck);
  Event ack = One(
      "Jan 11 01:42:34.000000 rule 2/(match) block in on em0: 192.0.2.1.80 > 198.51.100.2.1024: . "
      "ack 1 win 512");
  EXPECT_EQ(ack.tcp_flags, tcp::kAck);
  EXPECT_EQ(ack.window, 512);
  Event data = One(
      "Jan 11 01:42:34.000000 rule 2/(match) block in on em0: 192.0.2.1.1025 > 198.51.100.2.80: P "
      "1:101(100) ack 1 win 512 urg 1");
  EXPECT_EQ(data.tcp_flags, tcp::kPsh | tcp::kAck | tcp::kUrg);
  EXPECT_EQ(data.payload_len, 100);
  EXPECT_EQ(data.seq, 1u);
  Event cut = One(
      "Jan 11 01:42:35.000000 rule 2/(match) block in on em0: 192.0.2.1.4117 > 198.51.100.2.5000: "
      "[|tcp] (DF)");
  EXPECT_EQ(cut.proto, kProtoTcp);
  EXPECT_EQ(cut.dport, 5000);
  Event udp =
      One("Jan 11 01:42:24.5 rule 5/(match) block in on em0: 192.0.2.7.1434 > 198.51.100.2.1434: "
          "udp 376");
  EXPECT_EQ(udp.proto, kProtoUdp);
  EXPECT_EQ(udp.payload_len, 376);
  EXPECT_EQ(udp.time, Utc(2005, 1, 11, 1, 42, 24, 500000));
  // An application decode instead of "udp N": still UDP.
  Event dns = One(
      "Jan 11 01:42:32.000000 rule 2/(match) block in on em0: 192.0.2.1.53 > 198.51.100.2.1024: "
      "4711 NXDomain 0/1/0 (100)");
  EXPECT_EQ(dns.proto, kProtoUdp);
  EXPECT_EQ(dns.sport, 53);
  Event echo = One(
      "Jan 11 01:42:25.000000 rule 7/(match) block in on em0: 192.0.2.9 > 198.51.100.2: icmp: echo "
      "request");
  EXPECT_EQ(echo.proto, kProtoIcmp);
  EXPECT_EQ(echo.sport, 8);
  EXPECT_EQ(echo.dport, 0);
  Event unreach = One(
      "Jan 11 01:42:25.100000 rule def/(match) block out on em0: 198.51.100.2 > 192.0.2.9: icmp: "
      "192.0.2.9 udp port 33434 unreachable");
  EXPECT_EQ(unreach.sport, 3);
  EXPECT_EQ(unreach.dport, 3);
  Event frag =
      One("Jan 11 01:42:25.100000 rule 7/(match) block in on em0: 192.0.2.9 > 198.51.100.2: icmp: "
          "198.51.100.2 unreachable - need to frag (mtu 1480)");
  EXPECT_EQ(frag.dport, 4);
  Event ttl =
      One("Jan 11 01:42:25.100000 rule 7/(match) block in on em0: 192.0.2.9 > 198.51.100.2: icmp: "
          "time exceeded in-transit [ttl 1]");
  EXPECT_EQ(ttl.sport, 11);
  EXPECT_EQ(ttl.ttl, 1);
  Event redirect =
      One("Jan 11 01:42:25.100000 rule 7/(match) block in on em0: 192.0.2.9 > 198.51.100.2: icmp: "
          "redirect 203.0.113.1 to net 198.51.100.0");
  EXPECT_EQ(redirect.sport, 5);
}

TEST(Pf, Ipv6) {
  Event t =
      One("Jan 11 01:42:26.000000 rule 3.anchor.1/(match) block in on vio0: 2001:db8::1.4117 > "
          "2001:db8::2.22: S 1:1(0) win 16384 <mss 1440> (len 24, hlim 57)");
  EXPECT_EQ(t.src, Addr("2001:db8::1"));
  EXPECT_EQ(t.sport, 4117);
  EXPECT_EQ(t.dst, Addr("2001:db8::2"));
  EXPECT_EQ(t.dport, 22);
  EXPECT_EQ(t.mss, 1440);
  EXPECT_EQ(t.ttl, 57);
  EXPECT_EQ(t.ip_len, 24 + 40);
  Event icmp6 = One(
      "Jan 11 01:42:27.000000 rule 4/(match) block in on vio0: 2001:db8::1 > 2001:db8::2: icmp6: "
      "echo request");
  EXPECT_EQ(icmp6.proto, kProtoIpv6Icmp);
  EXPECT_EQ(icmp6.sport, 128);
  Event ns =
      One("2005-01-11 01:42:27.000000 rule 4/0(match): pass in on em0: fe80::1 > ff02::1:ff00:2: "
          "ICMP6, "
          "neighbor solicitation, who has 2001:db8::2, length 32");
  EXPECT_EQ(ns.sport, 135);
  EXPECT_EQ(ns.action, Action::kAllow);
  Event v6opts =
      One("Jan 11 01:42:42.000000 rule 2/0(match): block in on em0: (flowlabel 0x12345, hlim 64, "
          "next-header TCP (6) payload length: 40) 2001:db8::1.4117 > 2001:db8::2.5000: Flags [S], "
          "seq 1, "
          "win 65535, length 0");
  EXPECT_EQ(v6opts.ttl, 64);
  EXPECT_EQ(v6opts.ip_len, 80);
  EXPECT_EQ(v6opts.proto, kProtoTcp);
}

TEST(Pf, TcpdumpOrgForms) {
  Event e =
      One("2005-01-11 01:42:22.123456 rule 21/0(match): block in on em0: 192.0.2.1.4117 > "
          "198.51.100.2.5000: Flags [S], seq 1296947564, win 65535, options [mss 1460,nop,wscale 7,"
          "sackOK,TS val 1 ecr 0], length 0");
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22, 123456));
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.seq, 1296947564u);
  EXPECT_EQ(e.window, 65535);
  EXPECT_EQ(TcpOptsString(e), "M1460,N,W7,S,T");
  Event sa =
      One("2005-01-11 01:42:22.123456 rule 21/0(match): block in on em0: 192.0.2.1.80 > "
          "198.51.100.2.5000: "
          "Flags [S.], seq 7, ack 1296947565, win 65535, length 0");
  EXPECT_EQ(sa.tcp_flags, tcp::kSyn | tcp::kAck);
  Event icmp = One(
      "2005-01-11 01:42:22.223456 rule 21..16777216/0(match): pass out on bridge3: 192.0.2.66 > "
      "198.51.100.143: ICMP echo request, id 61377, seq 0, length 64");
  EXPECT_EQ(icmp.proto, kProtoIcmp);
  EXPECT_EQ(icmp.sport, 8);
  EXPECT_EQ(icmp.action, Action::kAllow);
  Event udp =
      One("2005-01-11 01:42:23.000000 rule 9/0(match) [uid 0]: block in on em0: 192.0.2.1.138 > "
          "198.51.100.255.138: UDP, length 201");
  EXPECT_EQ(udp.proto, kProtoUdp);
  EXPECT_EQ(udp.payload_len, 201);
  // -tttt dates are local time.
  ParseOptions berlin = Year2005();
  auto tz = TimeZone::Load("+01:00");
  ASSERT_TRUE(tz.ok());
  berlin.tz = *tz;
  EXPECT_EQ(One("2005-01-11 01:42:23.000000 rule 9/0(match): block in on em0: 192.0.2.1.138 > "
                "198.51.100.255.138: UDP, length 201",
                berlin)
                .time,
            Utc(2005, 1, 11, 0, 42, 23));
  // tcpdump 3.9 -v: the IP header values on the same line.
  Event v = One(
      "Jan 11 01:42:28.000000 rule 2/0(match): block in on em0: (tos 0x0, ttl  52, id 4711, offset "
      "0, "
      "flags [DF], proto: TCP (6), length: 48) 192.0.2.1.4117 > 198.51.100.2.5000: S, cksum 0x1234 "
      "(correct), 1296947564:1296947564(0) win 65535 <mss 1460,nop,nop,sackOK>");
  EXPECT_EQ(v.ttl, 52);
  EXPECT_EQ(v.ip_id, 4711);
  EXPECT_EQ(v.ip_len, 48);
  EXPECT_EQ(v.ip_flags, ipf::kDf);
  EXPECT_EQ(v.tcp_flags, tcp::kSyn);
  EXPECT_EQ(v.seq, 1296947564u);
}

TEST(Pf, SyslogWrappedAndTimestamps) {
  // OpenBSD FAQ style: tcpdump | logger -t pf. The packet's own date wins.
  auto s = ParseLines(
      "pf",
      {"Jan 11 01:42:23 fw pf: Jan 11 01:42:22.123456 rule 2/(match) block in on em0: "
       "192.0.2.1.4117 > "
       "198.51.100.2.5000: S 1:1(0) win 65535 (DF)",
       "Jan 11 01:42:23 fw pf: 00:00:01.123456 rule 2/0(match): block in on em0: 192.0.2.1.4117 > "
       "198.51.100.2.5000: Flags [S], seq 1, win 65535, length 0",
       "<134>Jan 11 01:42:24 pf: rule 2/(match) block in on em0: 192.0.2.1.4117 > "
       "198.51.100.2.5000: "
       "S 1:1(0) win 65535"},
      Year2005());
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22, 123456));
  EXPECT_EQ(s.hosts[0], "fw");
  EXPECT_EQ(s.events[1].time, Utc(2005, 1, 11, 1, 42, 23));  // delta dropped, syslog time used
  EXPECT_EQ(s.events[2].time, Utc(2005, 1, 11, 1, 42, 24));
  EXPECT_EQ(s.hosts[2], "");
  // -tt: epoch seconds.
  EXPECT_EQ(
      One("1105407742.123456 rule 2/(match) block in on em0: 192.0.2.1.4117 > 198.51.100.2.5000: "
          "S 1:1(0) win 65535")
          .time,
      Utc(2005, 1, 11, 1, 42, 22, 123456));
  // Year inference as for RFC 3164: the year step at New Year.
  ParseOptions ref;
  ref.reference_time = Utc(2005, 6, 1, 0, 0, 0);
  auto y = ParseLines(
      "pf",
      {"Dec 31 23:59:59.000000 rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: "
       "icmp: echo request",
       "Jan  1 00:00:01.000000 rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: "
       "icmp: echo request"},
      ref);
  ASSERT_EQ(y.events.size(), 2u);
  EXPECT_EQ(y.events[0].time, Utc(2004, 12, 31, 23, 59, 59));
  EXPECT_EQ(y.events[1].time, Utc(2005, 1, 1, 0, 0, 1));
}

TEST(Pf, ActionsAndOtherProtocols) {
  const std::string tail = " in on em0: 192.0.2.1 > 198.51.100.2: icmp: echo request";
  EXPECT_EQ(One("Jan 11 01:42:22.000000 rule 1/(match) block" + tail).action, Action::kDrop);
  EXPECT_EQ(One("Jan 11 01:42:22.000000 rule 1/(match) pass" + tail).action, Action::kAllow);
  EXPECT_EQ(One("Jan 11 01:42:22.000000 rule 1/(match) match" + tail).action, Action::kUnknown);
  ParseOptions drop = Year2005();
  drop.default_action = Action::kDrop;
  EXPECT_EQ(One("Jan 11 01:42:22.000000 rule 1/(match) rdr" + tail, drop).action, Action::kDrop);
  // Without -e: no pflog header, so no verdict of its own.
  Event bare =
      One("Jan 11 01:42:43.000000 192.0.2.1.4117 > 198.51.100.2.5000: S 1:1(0) win 65535", drop);
  EXPECT_EQ(bare.action, Action::kDrop);
  EXPECT_EQ(bare.dport, 5000);
  Event carp =
      One("Jan 11 01:42:31.000000 rule 2/(match) pass in on em0: 192.0.2.1 > 224.0.0.18: "
          "CARPv2-advertise "
          "36: vhid=1 advbase=1 advskew=0 demote=0 (DF) [tos 0x10]");
  EXPECT_EQ(carp.proto, 112);
  EXPECT_EQ(One("Jan 11 01:42:31.000000 rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: "
                "ESP(spi=0x00001000,seq=0x1)")
                .proto,
            50);
  EXPECT_EQ(One("Jan 11 01:42:31.000000 rule 2/(match) block in on em0: 192.0.2.1 > 224.0.0.1: "
                "igmp query v2 [max resp time 10]")
                .proto,
            kProtoIgmp);
  EXPECT_EQ(One("Jan 11 01:42:31.000000 rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: "
                "ip-proto-47 24")
                .proto,
            47);
  Event frag =
      One("Jan 11 01:42:30.000000 rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: (frag "
          "4711:1480@1480+)");
  EXPECT_EQ(frag.proto, 0);  // a later fragment: tcpdump does not say
  EXPECT_EQ(frag.ip_id, 4711);
  EXPECT_EQ(frag.ip_flags, ipf::kMf | ipf::kFragment);
}

TEST(Pf, Rejections) {
  const std::string h = "Jan 11 01:42:36.000000 rule 2/(match) block in on em0: ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {"reading from file /var/log/pflog, link-type PFLOG (OpenBSD pflog file)",
       Reason::kNotARecord, "no pflog \"rule\" header and no \"src > dst:\" packet"},
      {"", Reason::kNotARecord, "empty line"},
      {"Jan 11 01:42:22 fw sshd[4711]: Accepted publickey for root", Reason::kNotARecord,
       "no pflog \"rule\" header and no \"src > dst:\" packet"},
      {"00:00:01.123456 rule 2/0(match): block in on em0: 192.0.2.1.4117 > 198.51.100.2.5000: "
       "Flags "
       "[S], seq 1, win 65535, length 0",
       Reason::kBadTimestamp,
       "00:00:01.123456: relative tcpdump timestamp (a -ttt/-tttt delta) has no date; print "
       "absolute "
       "dates (OpenBSD tcpdump -ttt, tcpdump.org -tttt)"},
      {"000001 00:00:00.000000 rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: icmp: "
       "echo "
       "request",
       Reason::kBadTimestamp,
       "000001: relative tcpdump timestamp (a -ttt/-tttt delta) has no date; print absolute dates "
       "(OpenBSD tcpdump -ttt, tcpdump.org -tttt)"},
      {"rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: icmp: echo request",
       Reason::kBadTimestamp, "no timestamp (tcpdump -t)"},
      {"Jan 32 01:42:38.000000 rule 2/(match) block in on em0: 192.0.2.1 > 198.51.100.2: icmp: "
       "echo",
       Reason::kBadTimestamp, "Jan 32 01:42:38.000000: invalid date or time"},
      {h + "192.0.2.1.4117 > 198.51.100.2.99999: S 1:1(0) win 65535", Reason::kBadPort,
       "198.51.100.2.99999: port > 65535"},
      {h + "192.0.2.1.4117 > 198.51.100: S 1:1(0) win 65535", Reason::kUnparsableAddress,
       "198.51.100: destination not an address[.port] (read the log with tcpdump -n)"},
      {h + "gw.example.org.ssh > 198.51.100.2.5000: S 1:1(0) win 65535", Reason::kUnparsableAddress,
       "gw.example.org.ssh: source not an address[.port] (read the log with tcpdump -n)"},
      {h + "192.0.2.1.4117 > 2001:db8::2.5000: S 1:1(0) win 65535", Reason::kUnparsableAddress,
       "192.0.2.1.4117 > 2001:db8::2.5000: source and destination of different IP versions"},
      {h + "192.0.2.1.4117 > 198.51.10", Reason::kTruncated, "destination not followed by ':'"},
      {h + "192.0.2.1.4117", Reason::kTruncated, "no \"source > destination\""},
      {"Jan 11 01:42:36.000000 rule 2/(match) block in on em0:", Reason::kTruncated,
       "no packet after the interface"},
      {"Jan 11 01:42:36.000000 rule 2/(match) block", Reason::kTruncated,
       "pflog header without \" on <interface>\""},
      {h + "(tos 0x0, ttl 64, id 4711, offset 0, flags [DF], proto TCP (6), length 60)",
       Reason::kTruncated, "IP header only: tcpdump -v printed the packet on the next line"},
      {h + "(tos 0x0, ttl 64, id 4711", Reason::kTruncated, "IP header group not closed"},
      {h + "192.0.2.1 > 198.51.100.2: foo bar", Reason::kUnknownProtocol,
       "foo: protocol not recognised"},
      {h + "192.0.2.1.4117 > 198.51.100.2.5000: S 1:1(0) win 99999", Reason::kBadField,
       "99999: window not 0..65535"},
      {h + "192.0.2.1.4117 > 198.51.100.2.5000: Flags [SZ], seq 1", Reason::kBadField,
       "SZ: TCP flags not letters of SFRPUWE."},
      {h + "192.0.2.1 > 198.51.100.2: (frag x:1@0)", Reason::kBadField,
       "frag x:1@0: fragment not (frag id:len@offset)"},
      {"Jan 11 01:42:36.000000 rule 2 block sideways on em0: 192.0.2.1 > 198.51.100.2: icmp: echo",
       Reason::kBadField, "2: rule number without /reason"},
      {std::string("Jan 11 01:42:36.000000 rule 2/(match) block in on em0\x07", 54),
       Reason::kBinary, "control byte 0x07 at column 54"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("pf", {c.line}, Year2005());
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Pf, HostileInputNeverCrashes) {
  for (size_t n = 0; n <= kSyn.size(); ++n) {
    auto c = ParseLines("pf", {kSyn.substr(0, n)}, Year2005());
    EXPECT_EQ(c.events.size() + c.rejects.size(), 1u) << n;
  }
  std::string longline = kSyn + " " + std::string(1 << 20, '(');
  auto s = ParseLines(
      "pf",
      {longline, "rule " + std::string(1 << 20, '/'), std::string(1 << 20, ' ') + "x",
       "Jan 11 01:42:36.000000 rule 2/(match) block in on em0: " + std::string(1 << 20, '7') +
           " > 198.51.100.2: icmp: echo request"},
      Year2005());
  EXPECT_EQ(s.events.size() + s.rejects.size(), 4u);
  for (const auto& r : s.rejects) EXPECT_LT(r.detail.size(), 300u);
}

TEST(Pf, Detect) {
  EXPECT_EQ(DetectPf(kSyn), 95);
  EXPECT_EQ(DetectPf("2005-01-11 01:42:22.223456 rule 21..16777216/0(match): pass out on bridge3: "
                     "192.0.2.66 > 198.51.100.143: ICMP echo request, id 1, seq 0, length 64"),
            95);
  EXPECT_EQ(DetectPf("Jan 11 01:42:22.000000 rule 1/(match) block in on em0:"), 60);
  EXPECT_EQ(DetectPf("Jan 11 01:42:22 fw filterlog: 5,,,1000000103,em0,match,block,in,4"), 0);
  EXPECT_EQ(DetectPf("Jan 11 01:42:22 fw sshd[1]: rule the world"), 0);
  EXPECT_EQ(DetectPf(""), 0);
}

}  // namespace
}  // namespace portstorm::parse
