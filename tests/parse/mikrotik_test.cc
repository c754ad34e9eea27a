// mikrotik parser: RouterOS firewall log lines behind the headers RouterOS
// remote logging and its own log print write (our own lines).
#include "parse/formats/mikrotik.h"

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
  auto s = ParseLines("mikrotik", {line}, o);
  EXPECT_EQ(s.events.size(), 1u) << line << (s.rejects.empty() ? "" : " -> " + s.rejects[0].detail);
  return s.events.empty() ? Event{} : s.events[0];
}

const std::string kBody =
    "input: in:ether1 out:(unknown 0), connection-state:new src-mac 00:00:5e:00:53:01, proto TCP "
    "(SYN), 192.0.2.1:4117->198.51.100.2:5000, len 60";

TEST(Mikrotik, TcpSynEveryField) {
  auto s = ParseLines(
      "mikrotik", {"Jan 11 01:42:22 198.51.100.254 firewall,info drop-wan " + kBody}, Year2005());
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(s.hosts[0], "198.51.100.254");
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.ip_len, 60);
  EXPECT_EQ(e.action, Action::kDrop);  // from the "drop-wan" log prefix
  EXPECT_EQ(e.count, 1u);
}

TEST(Mikrotik, HeaderForms) {
  // ISO 8601 with host (RouterOS 7 remote logging, rsyslog).
  auto iso = ParseLines("mikrotik", {"2005-01-11T01:42:22.500000+01:00 gw firewall,info " + kBody});
  ASSERT_EQ(iso.events.size(), 1u);
  EXPECT_EQ(iso.events[0].time, Utc(2005, 1, 11, 0, 42, 22, 500000));
  EXPECT_EQ(iso.hosts[0], "gw");
  // RFC 3164 without a host: the topics follow the time.
  auto nohost = ParseLines("mikrotik", {"<134>Jan 11 01:42:22 firewall,info " + kBody}, Year2005());
  ASSERT_EQ(nohost.events.size(), 1u);
  EXPECT_EQ(nohost.hosts[0], "");
  // RFC 5424.
  auto r5424 =
      ParseLines("mikrotik", {"<134>1 2005-01-11T01:42:22Z gw firewall,info - - - " + kBody});
  ASSERT_EQ(r5424.events.size(), 1u) << r5424.rejects[0].detail;
  // The router's own log: "jan/11/2005 01:42:22", "jan/11 01:42:22", "2005-01-11 01:42:22".
  EXPECT_EQ(One("jan/11/2005 01:42:22 firewall,info " + kBody).time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(One("jan/11 01:42:22 firewall,info " + kBody).time, Utc(2005, 1, 11, 1, 42, 22));
  auto ros7 = ParseLines("mikrotik", {"2005-01-11 01:42:22 firewall,info " + kBody});
  ASSERT_EQ(ros7.events.size(), 1u);
  EXPECT_EQ(ros7.events[0].time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(ros7.hosts[0], "");
  // Local time zone for zone-less stamps.
  ParseOptions o = Year2005();
  auto tz = TimeZone::Load("+03:00");
  ASSERT_TRUE(tz.ok());
  o.tz = *tz;
  EXPECT_EQ(One("jan/11/2005 01:42:22 firewall,info " + kBody, o).time,
            Utc(2005, 1, 10, 22, 42, 22));
  EXPECT_EQ(One("Jan 11 01:42:22 gw firewall,info " + kBody, o).time, Utc(2005, 1, 10, 22, 42, 22));
}

TEST(Mikrotik, ProtocolsAndAddresses) {
  const std::string h = "Jan 11 01:42:22 gw firewall,info input: in:ether1 out:(unknown 0), ";
  Event udp =
      One(h + "src-mac 00:00:5e:00:53:01, proto UDP, 192.0.2.7:44355->198.51.100.2:53, len 65");
  EXPECT_EQ(udp.proto, kProtoUdp);
  EXPECT_EQ(udp.dport, 53);
  EXPECT_EQ(udp.ip_len, 65);
  Event icmp = One(h + "proto ICMP (type 8, code 0), 192.0.2.9->198.51.100.2, len 84");
  EXPECT_EQ(icmp.proto, kProtoIcmp);
  EXPECT_EQ(icmp.sport, 8);
  EXPECT_EQ(icmp.dport, 0);
  Event unreach = One(h + "proto ICMP (type 3, code 3), 192.0.2.9->198.51.100.2, len 56");
  EXPECT_EQ(unreach.sport, 3);
  EXPECT_EQ(unreach.dport, 3);
  Event v6 =
      One(h +
          "src-mac 00:00:5e:00:53:01, proto TCP (SYN), [2001:db8::1]:40384->[2001:db8::2]:22, "
          "len 40");
  EXPECT_EQ(v6.src, Addr("2001:db8::1"));
  EXPECT_EQ(v6.sport, 40384);
  EXPECT_EQ(v6.dst, Addr("2001:db8::2"));
  EXPECT_EQ(v6.dport, 22);
  EXPECT_EQ(v6.ip_len, 80);  // RouterOS gives the IPv6 payload length
  Event icmp6 = One(h + "proto ICMPv6 (type 128, code 0), 2001:db8::1->2001:db8::2, len 16");
  EXPECT_EQ(icmp6.proto, kProtoIpv6Icmp);
  EXPECT_EQ(icmp6.sport, 128);
  Event flags = One(h + "proto TCP (ACK,FIN,PSH), 192.0.2.1:80->198.51.100.2:1025, len 52");
  EXPECT_EQ(flags.tcp_flags, tcp::kAck | tcp::kFin | tcp::kPsh);
  Event gre = One(h + "proto GRE, 192.0.2.1->198.51.100.2, len 100");
  EXPECT_EQ(gre.proto, 47);
  EXPECT_EQ(One(h + "proto 50, 192.0.2.1->198.51.100.2, len 100").proto, 50);
  // NAT: the packet as logged is the record; the NAT clause is skipped.
  Event nat = One(
      "Jan 11 01:42:22 gw firewall,info forward: in:ether1 out:bridge, connection-state:new,dnat "
      "proto TCP (SYN), 192.0.2.1:4117->10.0.0.5:22, NAT 192.0.2.1:4117->(198.51.100.2:2222->"
      "10.0.0.5:22), len 60");
  EXPECT_EQ(nat.src, Addr("192.0.2.1"));
  EXPECT_EQ(nat.dst, Addr("10.0.0.5"));
  EXPECT_EQ(nat.dport, 22);
  EXPECT_EQ(nat.ip_len, 60);
  Event anon = One(h + "proto UDP, 192.0.2.7:1->x.x.x.50:53, len 65");
  EXPECT_TRUE(anon.dst.is_anonymised());
}

TEST(Mikrotik, ActionFromPrefixChainOrDefault) {
  const std::string t = "Jan 11 01:42:22 gw firewall,info ";
  const std::string rest =
      ": in:ether1 out:(unknown 0), proto UDP, 192.0.2.7:1->198.51.100.2:53, len 65";
  EXPECT_EQ(One(t + "DROP_SCAN input" + rest).action, Action::kDrop);
  EXPECT_EQ(One(t + "reject-tcp input" + rest).action, Action::kReject);
  EXPECT_EQ(One(t + "accept-dns input" + rest).action, Action::kAllow);
  EXPECT_EQ(One(t + "blocked input" + rest).action, Action::kDrop);
  EXPECT_EQ(One(t + "drop-list" + rest).action, Action::kDrop);  // custom chain name
  EXPECT_EQ(One(t + "input" + rest).action, Action::kUnknown);
  ParseOptions drop = Year2005();
  drop.default_action = Action::kDrop;
  EXPECT_EQ(One(t + "input" + rest, drop).action, Action::kDrop);
  EXPECT_EQ(One(t + "wan-log forward" + rest, drop).action, Action::kDrop);
}

TEST(Mikrotik, Rejections) {
  const std::string h = "Jan 11 01:42:22 gw firewall,info input: in:ether1 out:(unknown 0), ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {"Jan 11 01:42:22 gw system,error,critical login failure for user admin from 192.0.2.1 via "
       "ssh",
       Reason::kNotARecord, "no RouterOS firewall \"<chain>: in:\" field"},
      {"   ", Reason::kNotARecord, "empty line"},
      {kBody, Reason::kBadTimestamp, "no timestamp"},
      {"01:42:22 firewall,info " + kBody, Reason::kBadTimestamp,
       "RouterOS time without a date (today's /log print lines)"},
      {"jan/32/2005 01:42:22 firewall,info " + kBody, Reason::kBadTimestamp,
       "jan/32/2005 01:42:22: invalid date or time"},
      {"Jan 32 01:42:22 gw firewall,info " + kBody, Reason::kBadTimestamp,
       "Jan 32 01:42:22: invalid date or time"},
      {h + "proto TCP (SYN), 192.0.2.1:4117->198.51.100.2:5000", Reason::kTruncated,
       "no \"len\" field"},
      {h + "proto TCP (SYN), 192.0.2.1:4117->198.51.100.2:5000, len", Reason::kTruncated,
       "no \"len\" field"},
      {h + "proto TCP (SYN), 192.0.2.1:4117", Reason::kTruncated, "no \"source->destination\""},
      {h + "proto TCP (SYN", Reason::kTruncated, "protocol details not closed by ')'"},
      {h + "proto TCP", Reason::kTruncated, "nothing after the protocol"},
      {h + "src-mac 00:00:5e:00:53:01", Reason::kTruncated, "no \"proto\" field"},
      {h + "proto TCP (SYN)", Reason::kTruncated, "no addresses after the protocol"},
      {h + "proto XYZZY, 192.0.2.1->198.51.100.2, len 60", Reason::kUnknownProtocol,
       "XYZZY: unknown protocol"},
      {h + "proto TCP (SYN), 192.0.2.1:4117->198.51.100.256:5000, len 60",
       Reason::kUnparsableAddress, "198.51.100.256:5000: destination not an IPv4/IPv6 address"},
      {h + "proto TCP (SYN), [2001:db8::1:4117->198.51.100.2:5000, len 60",
       Reason::kUnparsableAddress, "[2001:db8::1:4117: no closing ']'"},
      {h + "proto TCP (SYN), 192.0.2.1:70000->198.51.100.2:5000, len 60", Reason::kBadPort,
       "192.0.2.1:70000: port > 65535"},
      {h + "proto TCP (SYN), 192.0.2.1:ssh->198.51.100.2:5000, len 60", Reason::kBadPort,
       "192.0.2.1:ssh: port not a number"},
      {h + "proto TCP (SYN,XMAS), 192.0.2.1:1->198.51.100.2:2, len 60", Reason::kBadField,
       "XMAS: TCP flag not SYN/ACK/FIN/RST/PSH/URG/ECE/CWR"},
      {h + "proto ICMP (type 8), 192.0.2.1->198.51.100.2, len 60", Reason::kBadField,
       "type 8: ICMP details not \"type t, code c\""},
      {h + "proto TCP (SYN), 192.0.2.1:1->198.51.100.2:2, len 99999", Reason::kBadField,
       "99999: len not 0..65535"},
      {"Jan 11 01:42:22 gw firewall,info input: in:ether1\x1b[0m", Reason::kBinary,
       "control byte 0x1b at column 50"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("mikrotik", {c.line}, Year2005());
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Mikrotik, HostileInputNeverCrashes) {
  const std::string line = "Jan 11 01:42:22 gw firewall,info drop " + kBody;
  for (size_t n = 0; n <= line.size(); ++n) {
    auto c = ParseLines("mikrotik", {line.substr(0, n)}, Year2005());
    EXPECT_EQ(c.events.size() + c.rejects.size(), 1u) << n;
  }
  auto s = ParseLines("mikrotik",
                      {"Jan 11 01:42:22 gw firewall,info input: in:" + std::string(1 << 20, 'e'),
                       "Jan 11 01:42:22 gw firewall,info input: in:x out:y, proto TCP, " +
                           std::string(1 << 20, '1') + "->198.51.100.2, len 1",
                       std::string(1 << 20, 'a') + ": in:"},
                      Year2005());
  ASSERT_EQ(s.rejects.size(), 3u);
  for (const auto& r : s.rejects) EXPECT_LT(r.detail.size(), 200u);
}

TEST(Mikrotik, Detect) {
  EXPECT_EQ(DetectMikrotik("Jan 11 01:42:22 gw firewall,info " + kBody), 95);
  EXPECT_EQ(DetectMikrotik(kBody), 90);
  EXPECT_EQ(DetectMikrotik("Jan 11 01:42:22 gw firewall,info input: in:ether1 out:ether2"), 20);
  EXPECT_EQ(
      DetectMikrotik("Jan 11 01:42:22 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2"), 0);
  EXPECT_EQ(DetectMikrotik("Jan 11 01:42:22 gw system,info user admin logged in"), 0);
  EXPECT_EQ(DetectMikrotik(""), 0);
}

}  // namespace
}  // namespace portstorm::parse
