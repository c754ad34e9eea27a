// netfilter parser: how each LOG field maps onto Event (TCP options, ICMP,
// IPv6, fragments, protocol numbers, flags).
#include <gtest/gtest.h>

#include "parse/formats/netfilter.h"
#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;

Event One(const std::string& body) {
  ParseOptions o;
  o.year = 2023;
  auto s = ParseLines("netfilter", {"Oct 16 11:16:51 gw kernel: DROP " + body}, o);
  EXPECT_EQ(s.events.size(), 1u) << body << ": "
                                 << (s.rejects.empty() ? "" : s.rejects[0].detail);
  return s.events.empty() ? Event{} : s.events[0];
}

uint32_t Layout(std::initializer_list<TcpOpt> opts) {
  uint32_t l = 0;
  for (TcpOpt o : opts) l = AppendTcpOpt(l, o);
  return l;
}

TEST(NetfilterFields, TcpOptions) {
  Event e = One(
      "IN=eth0 OUT= MAC= SRC=192.0.2.101 DST=192.0.2.100 LEN=60 TOS=0x00 PREC=0x00 TTL=64 "
      "ID=6429 DF PROTO=TCP SPT=59282 DPT=631 WINDOW=14600 RES=0x00 SYN URGP=0 "
      "OPT (020405B40402080A00825F5D0000000001030307)");
  EXPECT_EQ(e.mss, 1460);
  EXPECT_EQ(e.wscale, 8);  // shift 7, stored + 1
  EXPECT_EQ(e.tcp_opts, Layout({TcpOpt::kMss, TcpOpt::kSackOk, TcpOpt::kTimestamp,
                                TcpOpt::kNop, TcpOpt::kWscale}));
  EXPECT_EQ(TcpOptsString(e).empty(), false);

  // The Windows-style "M1460,N,N,S" layout of seed 004's SYNs.
  Event w = One(
      "IN=ppp0 OUT= MAC= SRC=192.0.2.112 DST=198.51.100.120 LEN=48 TOS=0x00 PREC=0x00 TTL=117 "
      "ID=31988 DF PROTO=TCP SPT=3504 DPT=6346 WINDOW=5840 RES=0x00 SYN URGP=0 "
      "OPT (020405B401010402)");
  EXPECT_EQ(w.mss, 1460);
  EXPECT_EQ(w.wscale, 0);
  EXPECT_EQ(w.tcp_opts, Layout({TcpOpt::kMss, TcpOpt::kNop, TcpOpt::kNop, TcpOpt::kSackOk}));

  // Damaged option bytes end the decoding but keep the record.
  Event d = One(
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=48 TTL=1 ID=1 PROTO=TCP SPT=1 DPT=2 "
      "WINDOW=1 RES=0x00 SYN URGP=0 OPT (0204)");
  EXPECT_EQ(d.tcp_opts, Layout({TcpOpt::kOther}));
  EXPECT_EQ(d.mss, 0);
}

TEST(NetfilterFields, IpOptionsAreNotTcpOptions) {
  Event e = One(
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=64 TOS=0x00 PREC=0x00 TTL=1 ID=9 "
      "OPT (94040000) PROTO=UDP SPT=5 DPT=6 LEN=40");
  EXPECT_EQ(e.tcp_opts, 0u);
  EXPECT_EQ(e.proto, kProtoUdp);
  EXPECT_EQ(e.ip_len, 64);
}

TEST(NetfilterFields, AllTcpFlags) {
  Event e = One(
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=5394 DF "
      "PROTO=TCP SPT=59534 DPT=443 SEQ=1 ACK=2 WINDOW=501 RES=0x00 CWR ECE URG ACK PSH RST SYN FIN "
      "URGP=0");
  EXPECT_EQ(e.tcp_flags, 0xff);
  EXPECT_EQ(e.seq, 1u);
}

TEST(NetfilterFields, IcmpErrorIgnoresQuotedHeader) {
  Event e = One(
      "IN=eth0 OUT= MAC=00:16:3e:11:22:33:00:16:3e:44:55:66:08:00 SRC=192.0.2.71 DST=192.0.2.83 "
      "LEN=88 TOS=0x00 PREC=0x00 TTL=118 ID=21684 PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.83 "
      "DST=198.51.100.191 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=21458 "
      "DPT=62936 LEN=40 ]");
  EXPECT_EQ(e.proto, kProtoIcmp);
  EXPECT_EQ(e.src, Addr("192.0.2.71"));
  EXPECT_EQ(e.dst, Addr("192.0.2.83"));
  EXPECT_EQ(e.sport, 3);
  EXPECT_EQ(e.dport, 3);
  EXPECT_EQ(e.ip_len, 88);
  EXPECT_EQ(e.ip_id, 21684);
  EXPECT_EQ(e.ip_flags, 0);
}

TEST(NetfilterFields, IcmpEchoIdIsNotIpId) {
  Event e = One(
      "IN=eth0 OUT= SRC=192.0.2.36 DST=192.0.2.194 LEN=84 TOS=0x00 PREC=0x00 TTL=44 ID=60200 "
      "PROTO=ICMP TYPE=8 CODE=0 ID=98765 SEQ=21229 MARK=0x1");
  EXPECT_EQ(e.ip_id, 60200);
  EXPECT_EQ(e.sport, 8);
  EXPECT_EQ(e.dport, 0);
  EXPECT_EQ(e.seq, 0u);
}

TEST(NetfilterFields, Ipv6AndIcmpv6) {
  Event e = One(
      "IN= OUT=eth0 SRC=fe80:0000:0000:0000:0216:3eff:fe11:2233 "
      "DST=ff02:0000:0000:0000:0000:0000:0000:0016 LEN=96 TC=0 HOPLIMIT=1 FLOWLBL=0 "
      "PROTO=ICMPv6 TYPE=143 CODE=0");
  EXPECT_EQ(e.src, Addr("fe80::216:3eff:fe11:2233"));
  EXPECT_EQ(e.dst, Addr("ff02::16"));
  EXPECT_FALSE(e.src.is_v4());
  EXPECT_EQ(e.proto, kProtoIpv6Icmp);
  EXPECT_EQ(e.ttl, 1);
  EXPECT_EQ(e.ip_len, 96);
  EXPECT_EQ(e.sport, 143);

  Event t = One(
      "IN=eth0 OUT= SRC=2001:db8::a DST=2001:db8::17 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=634336 "
      "PROTO=TCP SPT=59368 DPT=22 WINDOW=64800 RES=0x00 SYN URGP=0");
  EXPECT_EQ(t.src, Addr("2001:db8::a"));
  EXPECT_EQ(t.ttl, 64);
  EXPECT_EQ(t.dport, 22);

  Event echo = One(
      "IN= OUT=lo SRC=2001:db8::1 DST=2001:db8::1 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=868225 "
      "PROTO=ICMPv6 TYPE=128 CODE=0 ID=3427 SEQ=1");
  EXPECT_EQ(echo.sport, 128);
  EXPECT_EQ(echo.ip_id, 0);
}

TEST(NetfilterFields, Fragments) {
  Event first = One(
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=1500 TOS=0x00 PREC=0x00 TTL=50 ID=777 MF "
      "PROTO=UDP SPT=5000 DPT=6000 LEN=3000");
  EXPECT_EQ(first.ip_flags, ipf::kMf);
  EXPECT_EQ(first.dport, 6000);
  // Later fragments carry no transport header: a record without ports.
  Event later = One(
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=1500 TOS=0x00 PREC=0x00 TTL=50 ID=777 MF "
      "FRAG:185 PROTO=UDP");
  EXPECT_EQ(later.ip_flags, ipf::kMf | ipf::kFragment);
  EXPECT_EQ(later.sport, 0);
  EXPECT_EQ(later.proto, kProtoUdp);
  // A truncated transport header ("INCOMPLETE [n bytes]") is still a packet.
  Event inc = One(
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=50 ID=7 PROTO=TCP INCOMPLETE [8 bytes]");
  EXPECT_EQ(inc.proto, kProtoTcp);
}

TEST(NetfilterFields, ProtocolNumbersAndNames) {
  struct Case {
    std::string proto;
    uint8_t number;
  } cases[] = {{"PROTO=41", 41}, {"PROTO=47", 47}, {"PROTO=50", 50},
               {"PROTO=ESP SPI=0xa7d839", 50}, {"PROTO=AH SPI=0x1", 51}, {"PROTO=2", 2},
               {"PROTO=UDPLITE SPT=1 DPT=2 LEN=8", 136}, {"PROTO=SCTP SPT=1 DPT=2", 132}};
  for (const Case& c : cases) {
    Event e = One("IN= OUT=eth0 SRC=192.0.2.1 DST=192.0.2.2 LEN=116 TOS=0x00 PREC=0x00 "
                  "TTL=255 ID=7628 DF " + c.proto);
    EXPECT_EQ(e.proto, c.number) << c.proto;
  }
}

TEST(NetfilterFields, PrefixesGluedToIn) {
  Event e = One("[wan-lan-default-D]IN=eth0 OUT= SRC=192.0.2.15 DST=10.4.0.5 LEN=52 TOS=0x00 "
                "PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=38842 DPT=443 WINDOW=2853 RES=0x00 ACK "
                "URGP=0");
  EXPECT_EQ(e.src, Addr("192.0.2.15"));
  EXPECT_EQ(e.tcp_flags, tcp::kAck);
  EXPECT_EQ(e.action, Action::kDrop);  // "DROP " before it in One() wins anyway
}

TEST(NetfilterFields, NftablesAndMacDecode) {
  Event e = One(
      "IN=eth0 OUT= MACSRC=00:16:3e:44:55:66 MACDST=00:16:3e:11:22:33 MACPROTO=0800 "
      "SRC=192.0.2.9 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=240 ID=54321 PROTO=TCP "
      "SPT=53296 DPT=8088 SEQ=123 ACK=0 WINDOW=65535 RES=0x00 SYN URGP=0 UID=0 GID=0 MARK=0xff00");
  EXPECT_EQ(e.dport, 8088);
  EXPECT_EQ(e.seq, 123u);
}

}  // namespace
}  // namespace portstorm::parse
