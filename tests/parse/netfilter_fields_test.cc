// netfilter parser: how each LOG field maps onto Event (TCP options, ICMP,
// IPv6, fragments, protocol numbers, flags).
#include <gtest/gtest.h>

#include <random>

#include "parse/detail/text.h"
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


// The parser reads lines in the kernel's own field order on a fast path and
// everything else with the general reader. Whenever the fast path accepts a
// body it must yield exactly the general reader's Event; it must accept the
// common shapes (else it is no fast path); and it must leave to the general
// reader whatever it does not fully understand. Checked on real shapes and
// on many random mutations of them.
TEST(NetfilterFields, FastPathAgreesWithTheGeneralReader) {
  const std::vector<std::string> bodies = {
      "IN=eth0 OUT= MAC=00:0c:29:4f:8e:35:00:50:56:c0:00:08:08:00 SRC=32.248.198.81 "
      "DST=203.0.113.97 LEN=48 TOS=0x00 PREC=0x00 TTL=120 ID=45557 DF PROTO=TCP SPT=3864 DPT=1026 "
      "WINDOW=65535 RES=0x00 SYN URGP=0 OPT (020405B401010402)",
      "IN=eth0 OUT= MAC=00:0c:29:4f:8e:35:00:50:56:c0:00:08:08:00 SRC=30.144.180.24 "
      "DST=203.0.113.221 LEN=48 TOS=0x00 PREC=0x00 TTL=53 ID=50201 DF PROTO=TCP SPT=32804 DPT=445 "
      "WINDOW=5840 RES=0x00 SYN URGP=0 OPT (020405B40402080A00825F5D0000000001030307)",
      "IN=eth0 OUT= MAC= SRC=197.29.78.106 DST=198.51.101.167 LEN=48 TOS=0x00 PREC=0x00 TTL=47 "
      "ID=12294 DF PROTO=TCP SPT=48404 DPT=23 WINDOW=8192 RES=0x00 SYN URGP=0 ",
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=5394 CE DF MF "
      "PROTO=TCP SPT=59534 DPT=443 SEQ=4294967295 ACK=2 WINDOW=501 RES=0x00 CWR ECE URG ACK PSH "
      "RST SYN FIN URGP=0",
      "IN=eth0 OUT= MAC=00:0c:29:4f:8e:35:00:50:56:c0:00:08:08:00 SRC=141.14.161.129 "
      "DST=198.51.100.133 LEN=30 TOS=0x00 PREC=0x00 TTL=114 ID=42498 PROTO=UDP SPT=2983 DPT=137 "
      "LEN=10",
      "IN=eth0 OUT= MAC=00:0c:29:4f:8e:35:00:50:56:c0:00:08:08:00 SRC=170.114.150.125 "
      "DST=192.0.2.86 LEN=84 TOS=0x00 PREC=0x00 TTL=52 ID=26461 PROTO=ICMP TYPE=8 CODE=0 ID=11958 "
      "SEQ=114",
      "IN=eth0 OUT= SRC=192.0.2.71 DST=192.0.2.83 LEN=88 TOS=0x00 PREC=0x00 TTL=118 ID=21684 "
      "PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.83 DST=198.51.100.191 LEN=60 TOS=0x00 PREC=0x00 "
      "TTL=54 ID=0 DF PROTO=UDP SPT=21458 DPT=62936 LEN=40 ]",
      "IN=eth0 OUT= SRC=2001:db8::1 DST=2001:db8::2 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP "
      "SPT=1 DPT=2 WINDOW=1 RES=0x00 SYN URGP=0",
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=7 MF "
      "FRAG:185 PROTO=UDP",
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=64 TOS=0x00 PREC=0x00 TTL=1 ID=9 "
      "OPT (94040000) PROTO=UDP SPT=5 DPT=6 LEN=40",
      "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=50 ID=7 PROTO=TCP INCOMPLETE [8 bytes]",
      "IN=eth0 OUT= MACSRC=00:16:3e:44:55:66 MACDST=00:16:3e:11:22:33 MACPROTO=0800 "
      "SRC=192.0.2.9 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=240 ID=54321 PROTO=TCP "
      "SPT=53296 DPT=8088 SEQ=123 ACK=0 WINDOW=65535 RES=0x00 SYN URGP=0 UID=0 GID=0 MARK=0xff00",
  };
  auto general = [](std::string_view body, Event* e, Reason* r, std::string* why) {
    *e = Event{};
    e->line = 7;
    return detail::ParseNetfilterBody(body, e, r, why);
  };
  auto fast = [](std::string_view body, Event* e) {
    *e = Event{};
    e->line = 7;
    return detail::ParseNetfilterBodyFast(body, e);
  };
  size_t fast_taken = 0, checked = 0;
  auto check = [&](const std::string& body) {
    Event g, f;
    Reason r;
    std::string why;
    bool g_ok = general(body, &g, &r, &why);
    if (!fast(body, &f)) return;
    ++fast_taken;
    EXPECT_TRUE(g_ok) << "fast path accepted what the general reader rejects (" << why
                      << "): " << body;
    EXPECT_TRUE(f == g) << "fast path and general reader disagree: " << body;
  };
  // The kernel's shapes take the fast path.
  for (size_t i = 0; i < 6; ++i) {
    Event f;
    EXPECT_TRUE(fast(bodies[i], &f)) << bodies[i];
  }
  // Shapes it leaves to the general reader.
  for (size_t i = 6; i < bodies.size(); ++i) {
    Event f;
    EXPECT_FALSE(fast(bodies[i], &f)) << bodies[i];
  }
  // Every value of every KEY=value field replaced by values at and around
  // the limits, and by near-misses.
  const std::vector<std::string> values = {
      "", "0", "9", "00", "007", "255", "256", "999", "1000", "65535", "65536", "99999", "100000",
      "4294967295", "4294967296", "18446744073709551615", "18446744073709551616",
      "000000000000000000080", "0000000000000000000080", "-1", "+1", "1e3", "0x10", "1 2", "12a",
      "a12", "1.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.256.1.1", "1.1.1.256",
      "01.02.003.4", "0001.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4x",
      "::1", "::ffff:1.2.3.4", "TCP", "UDP", "ICMP", "tcp", "6", "17", "TCPX", "(0204)", "0x00"};
  for (size_t bi = 0; bi < 6; ++bi) {
    const std::string& base = bodies[bi];
    for (size_t eq = base.find('='); eq != std::string::npos; eq = base.find('=', eq + 1)) {
      size_t end = base.find(' ', eq);
      if (end == std::string::npos) end = base.size();
      for (const std::string& v : values) {
        check(base.substr(0, eq + 1) + v + base.substr(end));
        ++checked;
      }
    }
  }
  std::mt19937_64 rng(20261123);
  const std::string alphabet = " =0123456789.:[]()xSYNACKDFTCPUDLEMOab\t-";
  for (int round = 0; round < 200000; ++round) {
    std::string b = bodies[rng() % bodies.size()];
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits && !b.empty(); ++k) {
      size_t at = rng() % b.size();
      switch (rng() % 7) {
        case 0: b[at] = alphabet[rng() % alphabet.size()]; break;         // replace
        case 1: b.erase(at, 1); break;                                       // delete
        case 2: b.insert(at, 1, alphabet[rng() % alphabet.size()]); break;  // insert
        case 3: b.resize(at); break;                                         // truncate
        case 4: b.insert(at, " "); break;                                    // extra space
        case 5: {                                                            // swap tokens
          size_t s1 = b.find(' ', at);
          if (s1 == std::string::npos) break;
          size_t s2 = b.find(' ', s1 + 1);
          size_t s3 = s2 == std::string::npos ? std::string::npos : b.find(' ', s2 + 1);
          if (s2 == std::string::npos) break;
          std::string t1 = b.substr(s1 + 1, s2 - s1 - 1);
          std::string t2 = b.substr(s2 + 1, s3 == std::string::npos ? std::string::npos : s3 - s2 - 1);
          b = b.substr(0, s1 + 1) + t2 + " " + t1 + (s3 == std::string::npos ? "" : b.substr(s3));
          break;
        }
        default: {                                                           // digit run
          if (b[at] >= '0' && b[at] <= '9') b.insert(at, std::string(1 + rng() % 12, '0' + rng() % 10));
          break;
        }
      }
    }
    check(b);
    ++checked;
  }
  EXPECT_GT(fast_taken, checked / 20) << "the mutations hardly ever reach the fast path";
}

// The control-byte scan looks at 64 and 16 bytes at a time; it must find the
// same first control byte as a byte-by-byte scan at every length and position.
TEST(NetfilterFields, FindControlByteMatchesByteByByte) {
  std::mt19937 rng(7);
  auto reference = [](std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (detail::IsControl(static_cast<unsigned char>(s[i]))) return i;
    }
    return std::string_view::npos;
  };
  for (size_t len = 0; len < 300; ++len) {
    for (int trial = 0; trial < 40; ++trial) {
      std::string s(len, 'a');
      for (char& c : s) c = static_cast<char>(0x20 + rng() % 0x5f);  // printable
      if (trial % 4 != 0 && len > 0) {
        static const unsigned char kBytes[] = {0x00, 0x01, 0x09, 0x0a, 0x1f, 0x20, 0x7e,
                                               0x7f, 0x80, 0xc3, 0xff};
        for (int k = 0; k < 1 + trial % 3; ++k) {
          s[rng() % len] = static_cast<char>(kBytes[rng() % sizeof kBytes]);
        }
      }
      ASSERT_EQ(detail::FindControlByte(s), reference(s)) << "length " << len;
    }
  }
}

}  // namespace
}  // namespace portstorm::parse
