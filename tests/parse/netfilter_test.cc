// netfilter parser: header forms, log prefixes and actions, what is a record
// and what is rejected. Field mapping is in netfilter_fields_test.cc.
#include <gtest/gtest.h>

#include <random>

#include "parse/formats/netfilter.h"
#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

ParseOptions Year(int y) {
  ParseOptions o;
  o.year = y;
  return o;
}

const char kBody[] =
    "IN=eth0 OUT= MAC=00:16:3e:11:22:33:00:16:3e:44:55:66:08:00 SRC=203.0.113.7 "
    "DST=198.51.100.2 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4711 DF PROTO=TCP SPT=40112 DPT=22 "
    "WINDOW=64240 RES=0x00 SYN URGP=0";

std::string WithBody(std::string_view head) { return std::string(head) + kBody; }

TEST(Netfilter, Rfc3164UfwLine) {
  auto s = ParseLines("netfilter", {WithBody("Mar  2 15:32:54 gw kernel: [ 8812.345678] [UFW BLOCK] ")},
               Year(2024));
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2024, 3, 2, 15, 32, 54));
  EXPECT_EQ(e.src, Addr("203.0.113.7"));
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.sport, 40112);
  EXPECT_EQ(e.dport, 22);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.ip_len, 60);
  EXPECT_EQ(e.ttl, 52);
  EXPECT_EQ(e.ip_id, 4711);
  EXPECT_EQ(e.ip_flags, ipf::kDf);
  EXPECT_EQ(e.window, 64240);
  EXPECT_EQ(e.tcp_flags, tcp::kSyn);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.count, 1u);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(s.hosts[0], "gw");
}

TEST(Netfilter, HeaderForms) {
  ParseOptions o = Year(2021);
  o.boot_time = Utc(2021, 3, 12, 0, 0, 0);
  struct Case {
    std::string head;
    TimeUs time;
    std::string host;
  } cases[] = {
      {"<4>Mar 12 14:10:18 fw1 kernel: ", Utc(2021, 3, 12, 14, 10, 18), "fw1"},
      {"<6>1 2021-03-12T14:10:18.123Z fw2 kernel - - - ", Utc(2021, 3, 12, 14, 10, 18, 123000),
       "fw2"},
      {"<6>1 2021-03-12T14:10:18Z - kernel - - [meta sequenceId=\"1\"] ",
       Utc(2021, 3, 12, 14, 10, 18), ""},
      {"2021-03-12T14:10:18Z fw3 kernel: ", Utc(2021, 3, 12, 14, 10, 18), "fw3"},
      {"<6>2021-03-12T14:10:18Z fw3 kernel: ", Utc(2021, 3, 12, 14, 10, 18), "fw3"},
      {"2021-03-12T16:10:18.500000+02:00 fw4 kernel: ", Utc(2021, 3, 12, 14, 10, 18, 500000),
       "fw4"},
      {"2021-03-12T09:10:18-0500 fw5 kernel: [ 1.000000] ", Utc(2021, 3, 12, 14, 10, 18), "fw5"},
      {"[ 3600.250000] ", Utc(2021, 3, 12, 1, 0, 0, 250000), ""},
      {"[Fri Mar 12 14:10:18 2021] ", Utc(2021, 3, 12, 14, 10, 18), ""},
      {"Mar 12 14:10:18 ", Utc(2021, 3, 12, 14, 10, 18), ""},
      {"Mar 12 14:10:18 kernel: ", Utc(2021, 3, 12, 14, 10, 18), ""},
      {"Mar 2 14:10:18 fw6 kernel: ", Utc(2021, 3, 2, 14, 10, 18), "fw6"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("netfilter", {WithBody(c.head)}, o);
    ASSERT_EQ(s.events.size(), 1u) << c.head << ": "
                                   << (s.rejects.empty() ? "" : s.rejects[0].detail);
    EXPECT_EQ(s.events[0].time, c.time) << c.head;
    EXPECT_EQ(s.hosts[0], c.host) << c.head;
  }
}

TEST(Netfilter, BareDmesgNeedsBootTime) {
  auto s = ParseLines("netfilter", {WithBody("[ 3600.250000] ")});
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kBadTimestamp);
  EXPECT_NE(s.rejects[0].detail.find("boot time"), std::string::npos);
  auto none = ParseLines("netfilter", {kBody});
  ASSERT_EQ(none.rejects.size(), 1u);
  EXPECT_EQ(none.rejects[0].reason, Reason::kBadTimestamp);
  EXPECT_EQ(none.rejects[0].detail, "no timestamp");
}

TEST(Netfilter, ProxmoxLine) {
  auto s = ParseLines("netfilter",
               {WithBody("0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 policy DROP: "),
                "101 1 tap101i0-OUT 20/Jun/2022:13:15:19 +0200 REJECT: OUT=vmbr0 "
                "SRC=192.0.2.200 DST=192.0.2.10 LEN=60 TOS=0x10 PREC=0x00 TTL=64 ID=15974 DF "
                "PROTO=TCP SPT=51348 DPT=22 SEQ=3194692351 ACK=0 WINDOW=64240 SYN"});
  ASSERT_EQ(s.events.size(), 2u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].time, Utc(2022, 6, 20, 11, 9, 14));
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.hosts[0], "");
  EXPECT_EQ(s.events[1].action, Action::kReject);
  EXPECT_EQ(s.events[1].seq, 3194692351u);
  EXPECT_EQ(s.events[1].dst, Addr("192.0.2.10"));
}

TEST(Netfilter, ActionFromPrefix) {
  struct Case {
    std::string prefix;
    Action action;
  } cases[] = {
      {"kernel: [UFW BLOCK] ", Action::kDrop},
      {"kernel: [UFW ALLOW] ", Action::kAllow},
      {"kernel: [UFW AUDIT] ", Action::kUnknown},
      {"kernel: [UFW LIMIT BLOCK] ", Action::kDrop},
      {"kernel: [wan-lan-default-D]", Action::kDrop},
      {"kernel: [LAN_LOCAL-default-A]", Action::kAllow},
      {"kernel: [10051.313745] DROP(src wan)", Action::kDrop},
      {"Shorewall:net2fw:DROP:", Action::kDrop},
      {"kernel: Shorewall:FORWARD:REJECT:", Action::kReject},
      {"kernel: SFW2-INext-DROP-DEFLT ", Action::kDrop},
      {"kernel: SFW2-INext-ACC-TCP ", Action::kAllow},
      {"kernel: SuSE-FW-DROP-DEFAULT ", Action::kDrop},
      {"[WAN_LOCAL-D-2147483647] DESCR=\"[WAN_LOCAL]Allow established\" ", Action::kDrop},
      {"[LAN_IN-A-3000] DESCR=\"Block guests\" ", Action::kAllow},
      {"[GUEST-R-2000] ", Action::kReject},
      {"kernel: iptables DROP_INPUT: ", Action::kDrop},
      {"kernel: IPTABLES-DENY: ", Action::kDrop},
      {"kernel: nft-drop-wan: ", Action::kDrop},
      {"kernel: reject wan in: ", Action::kReject},
      {"kernel: ACCEPT ", Action::kAllow},
      {"kernel: [71575.889092]  dropped by firewall (OUTPUT)", Action::kDrop},
      {"kernel: PVEFW-reject: ", Action::kReject},
      {"kernel: FIREWALL_OUT ", Action::kUnknown},
      {"kernel: ", Action::kUnknown},
      {"kernel: DROPPING-ALL ", Action::kUnknown},  // not the word DROP
      {"UDMP-DTC ", Action::kUnknown},              // "-D" inside a word is no verdict
  };
  for (const Case& c : cases) {
    auto s = ParseLines("netfilter", {WithBody("Jun 13 23:29:15 gw " + c.prefix)}, Year(2023));
    ASSERT_EQ(s.events.size(), 1u) << c.prefix;
    EXPECT_EQ(s.events[0].action, c.action) << c.prefix;
  }
}

// ActionFromPrefix reads prefixes of up to 64 bytes with a bit mask per
// byte class; it must pick the same verdict as the plain word-by-word scan
// (kept here as the reference) on any prefix, short or long.
Action ReferenceAction(std::string_view prefix) {
  auto alnum = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  };
  auto upper = [](std::string_view w) {
    std::string u(w);
    for (char& c : u) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    return u;
  };
  size_t i = 0;
  const size_t n = prefix.size();
  while (i < n) {
    while (i < n && !alnum(prefix[i])) ++i;
    size_t s = i;
    while (i < n && alnum(prefix[i])) ++i;
    if (i == s) break;
    if (prefix[s] >= '0' && prefix[s] <= '9') continue;
    std::string w = upper(prefix.substr(s, i - s));
    if (w.size() == 1) {
      bool dashed = s > 0 && prefix[s - 1] == '-' && i < n && (prefix[i] == '-' || prefix[i] == ']');
      if (dashed && w == "D") return Action::kDrop;
      if (dashed && w == "A") return Action::kAllow;
      if (dashed && w == "R") return Action::kReject;
      continue;
    }
    for (const char* d : {"DROP", "DENY", "BLOCK", "DROPPED", "BLOCKED", "DENIED"}) {
      if (w == d) return Action::kDrop;
    }
    for (const char* a : {"ACC", "ALLOW", "ACCEPT", "ALLOWED", "ACCEPTED"}) {
      if (w == a) return Action::kAllow;
    }
    if (w == "REJECT" || w == "REJECTED") return Action::kReject;
  }
  return Action::kUnknown;
}

TEST(Netfilter, ActionFromPrefixMatchesWordScan) {
  const std::vector<std::string> pieces = {
      "kernel:", " ", "  ", "[", "]", "-", "_", ":", ".", "1000", "12345.678901", "D", "a", "R",
      "x", "DROP", "drop", "Dropped", "DENY", "denied", "BLOCK", "blocked", "REJECT", "rejected",
      "ACC", "accept", "Accepted", "ALLOW", "allowed", "DROPPING", "UFW", "AUDIT", "\xc3\xa9",
      "\t", "\x7f", "Z", "@", "`", "{"};
  std::mt19937 rng(5);
  for (int round = 0; round < 100000; ++round) {
    std::string p;
    size_t want = rng() % 90;
    while (p.size() < want) p += pieces[rng() % pieces.size()];
    if (rng() % 3 == 0) p.resize(want);
    ASSERT_EQ(detail::ActionFromPrefix(p), ReferenceAction(p)) << "'" << p << "'";
  }
}

TEST(Netfilter, DefaultActionForLinesWithoutVerdict) {
  ParseOptions o = Year(2023);
  o.default_action = Action::kDrop;
  auto s = ParseLines("netfilter",
               {WithBody("Jun  8 14:34:33 gw kernel: "),
                WithBody("Jun  8 14:34:33 gw kernel: [UFW ALLOW] ")},
               o);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.events[1].action, Action::kAllow);
}

TEST(Netfilter, HostlessLineWithVerdictTag) {
  auto s = ParseLines("netfilter", {WithBody("Jan  8 03:37:09 DENY: ")}, Year(2020));
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.hosts[0], "");
  EXPECT_EQ(s.events[0].action, Action::kDrop);
}

TEST(Netfilter, NotARecord) {
  auto s = ParseLines("netfilter",
               {"Jun 27 09:02:22 gw sshd[454008]: Failed password for invalid user admin from "
                "192.0.2.4 port 5454 ssh2",
                "Mar  2 15:32:54 gw -- MARK --", "", "just some words",
                // A damaged record: "XX=" where "IN=" belongs must not parse.
                "Jun  8 14:34:33 gw kernel: [5002.08] XX=eth0 OUT= MAC=00:16:3e:11:22:33 "
                "SRC=203.0.113.7 DST=198.51.100.2 LEN=40 TOS=0x00 PREC=0x00 TTL=245 ID=37308 "
                "PROTO=TCP SPT=8080 DPT=8123 WINDOW=1024 RES=0x00 SYN URGP=0",
                // PHYSIN= alone is not IN=.
                "Jun  8 14:34:33 gw kernel: PHYSIN=eth0 SRC=203.0.113.7 DST=198.51.100.2 "
                "PROTO=UDP SPT=1 DPT=2"},
               Year(2023));
  EXPECT_TRUE(s.events.empty());
  ASSERT_EQ(s.rejects.size(), 6u);
  for (const auto& r : s.rejects) EXPECT_EQ(r.reason, Reason::kNotARecord) << r.line;
  EXPECT_EQ(s.rejects[2].detail, "empty line");
}

TEST(Netfilter, RejectReasonsAndDetails) {
  const std::string h = "Mar  2 15:32:54 gw kernel: DROP ";
  auto line = [&](std::string body) { return h + body; };
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {line("IN=eth0 OUT= SRC=1.2.3 DST=198.51.100.2 LEN=40 TTL=5 ID=1 PROTO=TCP SPT=1 DPT=2"),
       Reason::kUnparsableAddress, "SRC=1.2.3: not an IPv4/IPv6 address"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=2001:db8::zz LEN=40 PROTO=UDP SPT=1 DPT=2"),
       Reason::kUnparsableAddress, "DST=2001:db8::zz: not an IPv4/IPv6 address"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 PROTO=TCP SPT=1 DPT=70000"),
       Reason::kBadPort, "DPT=70000: port > 65535"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 PROTO=TCP SPT=x1 DPT=7"),
       Reason::kBadPort, "SPT=x1: port not a number"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 PROTO=FOO SPT=1 DPT=7"),
       Reason::kUnknownProtocol, "PROTO=FOO: unknown protocol"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 PROTO=300"),
       Reason::kUnknownProtocol, "PROTO=300: unknown protocol"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=300 PROTO=UDP SPT=1 DPT=2"),
       Reason::kBadField, "TTL=300: TTL not 0..255"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=99999 PROTO=UDP SPT=1 DPT=2"),
       Reason::kBadField, "LEN=99999: length not 0..65535"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 PROTO=TCP SPT=1 DPT=2 WINDOW=-1"),
       Reason::kBadField, "WINDOW=-1: window not 0..65535"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=64 ID=1 PROTO=TCP SPT=40112"),
       Reason::kTruncated, "no DPT= field"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=64 ID=1 PROTO=ICMP TYPE=8"),
       Reason::kTruncated, "no CODE= field"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=64 ID=1"), Reason::kTruncated,
       "no PROTO= field"},
      {line("IN=eth0 OUT= SRC=192.0.2.1 DS"), Reason::kTruncated, "no DST= field"},
      {line("IN=eth0 OUT= MAC=00:16:3e:11:22:33"), Reason::kTruncated, "no SRC= field"},
      {"Feb 30 10:00:00 gw kernel: " + std::string(kBody), Reason::kBadTimestamp,
       "Feb 30 10:00:00: no such day in 2023"},
      {"Mar  2 25:00:00 gw kernel: " + std::string(kBody), Reason::kBadTimestamp,
       "Mar  2 25:00:00: invalid date or time"},
      {"2021-13-12T14:10:18Z gw kernel: " + std::string(kBody), Reason::kBadTimestamp,
       "2021-13-12T14:10:18Z: invalid date or time"},
      {line(std::string("IN=eth0 OUT= SRC=192.0.2.1\x01 DST=192.0.2.2")), Reason::kBinary,
       "control byte 0x01 at column 59"},
      {std::string("\0\0\x7f" "ELF", 6), Reason::kBinary, "control byte 0x00 at column 1"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("netfilter", {c.line}, Year(2023));
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
    EXPECT_EQ(s.rejects[0].line, 1u);
  }
}

TEST(Netfilter, OtherRecordsAreNotLost) {
  std::vector<std::string> lines;
  for (int i = 0; i < 50; ++i) {
    std::string head = "Mar  2 15:32:" + std::to_string(10 + i % 40) + " gw kernel: ";
    switch (i % 5) {
      case 0: lines.push_back(head + "[UFW BLOCK] " + kBody); break;
      case 1: lines.push_back(head + "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 PROTO=TCP SPT=1 DPT=99999"); break;
      case 2: lines.push_back(std::string("\x00\x01\x02garbage", 10)); break;
      case 3: lines.push_back("Mar  2 15:32:54 gw sshd[1]: Accepted publickey for root"); break;
      case 4: lines.push_back(head + "IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 PROTO=UDP SPT=5 DPT=6 LEN=20"); break;
    }
  }
  auto s = ParseLines("netfilter", lines, Year(2023));
  EXPECT_EQ(s.events.size(), 20u);
  EXPECT_EQ(s.rejects.size(), 30u);
  EXPECT_EQ(s.events[1].line, 5u);
  EXPECT_EQ(s.events[1].ip_len, 40);  // the UDP LEN= after PROTO= is not the IP length
}

TEST(Netfilter, Detect) {
  EXPECT_EQ(DetectNetfilter(WithBody("Mar  2 15:32:54 gw kernel: ")), 90);
  EXPECT_EQ(DetectNetfilter("Mar  2 15:32:54 gw sshd[1]: Accepted"), 0);
  EXPECT_EQ(DetectNetfilter("Mar  2 15:32:54 gw kernel: Packet log: input DENY eth0 PROTO=6 "
                            "192.0.2.1:1 192.0.2.2:2 L=1 S=0x00 I=1 F=0x0000 T=1"),
            0);
}

}  // namespace
}  // namespace portstorm::parse
