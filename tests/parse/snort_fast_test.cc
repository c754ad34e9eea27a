// snort_fast: snort/Suricata fast.log lines and snort alerts in syslog
// form, including seed 004's wrapped alert and the "last message repeated"
// line after it (addresses changed to documentation ranges).
#include "parse/formats/snort_fast.h"

#include <gtest/gtest.h>

#include <string>

#include "parse/formats/dshield.h"
#include "parse/formats/ims.h"
#include "parse/formats/ipchains.h"
#include "parse/formats/netfilter.h"
#include "parse/formats/p0f.h"
#include "parse/formats/snort_full.h"
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

TEST(SnortFast, SnortFastLogLine) {
  auto s = ParseLines("snort_fast",
                      {"03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] "
                       "[Classification: Misc activity] [Priority: 3] {TCP} 192.0.2.112:3504 -> "
                       "198.51.100.120:6346"},
                      Year2002());
  ASSERT_EQ(s.events.size(), 1u) << Detail(s);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2002, 3, 2, 15, 32, 54, 630347));
  EXPECT_EQ(e.src, Addr("192.0.2.112"));
  EXPECT_EQ(e.sport, 3504);
  EXPECT_EQ(e.dst, Addr("198.51.100.120"));
  EXPECT_EQ(e.dport, 6346);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kAlert);
  EXPECT_EQ(e.count, 1u);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(s.hosts[0], "");
}

TEST(SnortFast, SuricataFastLogWithVerdicts) {
  auto s = ParseLines(
      "snort_fast",
      {"07/11/2022-10:29:01.860293  [**] [1:2200074:2] SURICATA TCPv4 invalid checksum [**] "
       "[Classification: Generic Protocol Command Decode] [Priority: 3] {TCP} 203.0.113.9:28487 -> "
       "198.51.100.55:80",
       "07/11/2022-10:29:02.000001  [Drop] [**] [1:2008578:4] ET SCAN Sipvicious Scan [**] "
       "[Classification: Attempted Information Leak] [Priority: 2] {UDP} 203.0.113.216:5116 -> "
       "198.51.100.55:5060",
       "07/11/2022-10:29:03.5  [wDrop] [**] [1:1:1] x [**] [Classification: (null)] "
       "[Priority: 3] {ICMP} 203.0.113.1:8 -> 198.51.100.55:0",
       "07/11/2022-10:29:04.000000  [**] [1:1:1] y [**] [Classification: (null)] [Priority: 3] "
       "{PROTO:047} 203.0.113.1:0 -> 198.51.100.55:0"});
  ASSERT_EQ(s.events.size(), 4u) << Detail(s);
  EXPECT_EQ(s.events[0].time, Utc(2022, 7, 11, 10, 29, 1, 860293));
  EXPECT_EQ(s.events[0].action, Action::kAlert);
  EXPECT_EQ(s.events[1].action, Action::kDrop);
  EXPECT_EQ(s.events[1].proto, kProtoUdp);
  EXPECT_EQ(s.events[1].dport, 5060);
  EXPECT_EQ(s.events[2].action, Action::kAlert);
  EXPECT_EQ(s.events[2].time, Utc(2022, 7, 11, 10, 29, 3, 500000));
  EXPECT_EQ(s.events[2].proto, kProtoIcmp);
  EXPECT_EQ(s.events[2].sport, 8);  // Suricata prints ICMP type/code as ports
  EXPECT_EQ(s.events[2].dport, 0);
  EXPECT_EQ(s.events[3].proto, 47);
}

TEST(SnortFast, IcmpWithoutPortsAndIpv6) {
  auto s = ParseLines(
      "snort_fast",
      {"05/30-19:09:10.917356  [**] [1:477:3] ICMP Source Quench [**] [Priority: 0] {ICMP} "
       "192.0.2.245 -> 198.51.100.153",
       // snort 3: quoted message, one blank after the stamp, compressed IPv6
       "12/28-12:55:38.765402 [**] [1:366:11] \"PROTOCOL-ICMP PING Unix\" [**] [Priority: 3] "
       "{IPV6-ICMP} 2001:db8:c200:c::35 -> 2001:db8::8888",
       // Suricata: every IPv6 group written out, the port as a ninth group
       "02/04/2022-23:41:31.115933  [**] [1:20035:1000] MALWARE-CNC outbound [**] "
       "[Classification: x] [Priority: 1] {TCP} 2001:db8:c200:c:0:0:0:35:60884 -> "
       "2001:db8:4860:0:0:0:0:8888:80",
       // snort 2: compressed IPv6 with ":port"
       "02/04-23:41:31.115933  [**] [1:1:1] z [**] {UDP} 2001:db8::1:53 -> 2001:db8::2:33000",
       "02/04-23:41:31.115933  [**] [1:1:1] z [**] {TCP} [2001:db8::1]:443 -> [2001:db8::2]:5000"},
      Year2002());
  ASSERT_EQ(s.events.size(), 5u) << Detail(s);
  EXPECT_EQ(s.events[0].proto, kProtoIcmp);
  EXPECT_EQ(s.events[0].sport, 0);
  EXPECT_EQ(s.events[0].dport, 0);
  EXPECT_EQ(s.events[0].dst, Addr("198.51.100.153"));
  EXPECT_EQ(s.events[1].proto, kProtoIpv6Icmp);
  EXPECT_EQ(s.events[1].src, Addr("2001:db8:c200:c::35"));
  EXPECT_EQ(s.events[1].dst, Addr("2001:db8::8888"));
  EXPECT_EQ(s.events[2].src, Addr("2001:db8:c200:c::35"));
  EXPECT_EQ(s.events[2].sport, 60884);
  EXPECT_EQ(s.events[2].dst, Addr("2001:db8:4860::8888"));
  EXPECT_EQ(s.events[2].dport, 80);
  EXPECT_EQ(s.events[3].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[3].sport, 53);
  EXPECT_EQ(s.events[3].dport, 33000);
  EXPECT_EQ(s.events[4].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[4].sport, 443);
  EXPECT_EQ(s.events[4].dport, 5000);
}

TEST(SnortFast, Seed004SyslogWrappedAndRepeated) {
  auto s = ParseLines("snort_fast",
                      {"Mar  2 15:32:54 greatwall snort: [1:0:0] TCP to 6346 gnutella {TCP}",
                       " 192.0.2.112:3504 -> 198.51.100.120:6346",
                       "Mar  2 16:44:00 greatwall snort: [1:0:0] TCP to 6346 gnutella {TCP}",
                       " 192.0.2.148:4665 -> 198.51.100.120:6346",
                       "Mar  2 16:44:08 greatwall last message repeated 2 times"},
                      Year2002());
  ASSERT_EQ(s.events.size(), 3u) << Detail(s);
  EXPECT_TRUE(s.rejects.empty());
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.events[0].time, Utc(2002, 3, 2, 15, 32, 54));
  EXPECT_EQ(s.events[0].src, Addr("192.0.2.112"));
  EXPECT_EQ(s.events[0].dport, 6346);
  EXPECT_EQ(s.events[0].action, Action::kAlert);
  EXPECT_EQ(s.hosts[0], "greatwall");
  EXPECT_EQ(s.events[1].line, 3u);
  EXPECT_EQ(s.events[1].count, 1u);
  // The repeat stands for two more alerts, at the repeat line's time.
  EXPECT_EQ(s.events[2].line, 5u);
  EXPECT_EQ(s.events[2].count, 2u);
  EXPECT_EQ(s.events[2].time, Utc(2002, 3, 2, 16, 44, 8));
  EXPECT_EQ(s.events[2].src, Addr("192.0.2.148"));
  EXPECT_EQ(s.events[2].sport, 4665);
  EXPECT_EQ(s.hosts[2], "greatwall");
}

TEST(SnortFast, SyslogVariants) {
  auto s = ParseLines(
      "snort_fast",
      {"Jan 11 01:42:22 ids snort[2142]: [1:2003:8] MS-SQL Worm propagation attempt "
       "[Classification: Misc Attack] [Priority: 2]: <eth0> {UDP} 192.0.2.1:1072 -> "
       "198.51.100.2:1434",
       "Jan 11 01:42:23 ids suricata[99]: [Drop] [1:2:3] ET SCAN x [Classification: y] "
       "[Priority: 2] {TCP} 192.0.2.1:1073 -> 198.51.100.2:22",
       "<33>1 2005-01-11T01:42:24.5Z ids snort 2142 - - [1:2:3] z [Priority: 2]: {ICMP} 192.0.2.1 "
       "-> 198.51.100.2",
       "Jan 11 01:42:25 ids snort[2142]: message repeated 4 times: [ [1:2:3] z [Priority: 2]: "
       "{TCP} 192.0.2.1:1 -> 198.51.100.2:2]",
       "Jan 11 01:42:26 ids snort[2142]: [122:1:1] (portscan) TCP Portscan {PROTO:255} 192.0.2.1 "
       "-> 198.51.100.2"},
      Year2002());
  ASSERT_EQ(s.events.size(), 5u) << Detail(s);
  EXPECT_EQ(s.events[0].proto, kProtoUdp);
  EXPECT_EQ(s.events[0].dport, 1434);
  EXPECT_EQ(s.events[0].time, Utc(2002, 1, 11, 1, 42, 22));
  EXPECT_EQ(s.hosts[0], "ids");
  EXPECT_EQ(s.events[1].action, Action::kDrop);
  EXPECT_EQ(s.events[2].time, Utc(2005, 1, 11, 1, 42, 24, 500000));
  EXPECT_EQ(s.events[2].proto, kProtoIcmp);
  EXPECT_EQ(s.events[3].count, 4u);
  EXPECT_EQ(s.events[3].sport, 1);
  EXPECT_EQ(s.events[4].proto, 255);
}

TEST(SnortFast, TimeZoneAndYearInference) {
  ParseOptions o;
  o.tz = *TimeZone::Load("+02:00");
  o.reference_time = Utc(2003, 1, 15, 0, 0, 0);
  const std::string tail = "  [**] [1:1:1] m [**] {TCP} 192.0.2.1:1 -> 198.51.100.2:2";
  auto s = ParseLines("snort_fast",
                      {"12/31-23:59:59.000000" + tail, "01/01-00:00:01.000000" + tail,
                       "03/02/02-15:32:54.000000" + tail},
                      o);
  ASSERT_EQ(s.events.size(), 3u) << Detail(s);
  EXPECT_EQ(s.events[0].time, Utc(2002, 12, 31, 21, 59, 59));  // Dec before the reference: 2002
  EXPECT_EQ(s.events[1].time, Utc(2002, 12, 31, 22, 0, 1));    // the step into 2003
  EXPECT_EQ(s.events[2].time, Utc(2002, 3, 2, 13, 32, 54));    // snort -y: MM/DD/YY
}

TEST(SnortFast, WrappedFastLineAndTruncation) {
  auto s = ParseLines("snort_fast",
                      {"03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] {TCP}",
                       "   192.0.2.112:3504", "   -> 198.51.100.120:6346",
                       "03/02-15:32:55.000000  [**] [1:0:0] TCP to 6346 gnutella [**] {TCP}",
                       "03/02-15:32:56.000000  [**] [1:0:0] TCP to 6346 gnutella [**]"},
                      Year2002());
  ASSERT_EQ(s.events.size(), 1u) << Detail(s);
  EXPECT_EQ(s.events[0].line, 1u);
  EXPECT_EQ(s.events[0].dport, 6346);
  ASSERT_EQ(s.rejects.size(), 2u);
  EXPECT_EQ(s.rejects[0].line, 4u);
  EXPECT_EQ(s.rejects[0].reason, Reason::kTruncated);
  EXPECT_EQ(s.rejects[0].detail, "{TCP}: no addresses after it");
  EXPECT_EQ(s.rejects[1].line, 5u);
  EXPECT_EQ(s.rejects[1].detail, "no \"{PROTO} src -> dst\" part");
}

TEST(SnortFast, HoldingReportsAWrappedRecord) {
  CollectSink sink;
  auto p = FindFormat("snort_fast")->make(Year2002());
  p->Line("Mar  2 15:32:54 gw snort: [1:0:0] TCP to 6346 gnutella {TCP}", 1, sink);
  EXPECT_TRUE(p->holding());
  p->Line(" 192.0.2.112:3504 -> 198.51.100.120:6346", 2, sink);
  EXPECT_FALSE(p->holding());
  EXPECT_EQ(sink.events.size(), 1u);
}

TEST(SnortFast, Rejections) {
  const std::string fast = "03/02-15:32:54.630347  [**] [1:0:0] m [**] ";
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {fast + "{TCP} 192.0.2.300:1 -> 198.51.100.2:2", Reason::kUnparsableAddress,
       "192.0.2.300:1: not an IP address"},
      {fast + "{TCP} 192.0.2.3:1 -> 198.51.100.2:70000", Reason::kBadPort,
       "198.51.100.2:70000: port > 65535"},
      {fast + "{TCP} 192.0.2.3:x -> 198.51.100.2:1", Reason::kBadPort,
       "192.0.2.3:x: port not a number"},
      {fast + "{XYZZY} 192.0.2.3:1 -> 198.51.100.2:2", Reason::kUnknownProtocol,
       "{XYZZY}: unknown protocol"},
      {"13/02-15:32:54.630347  [**] [1:0:0] m [**] {TCP} 192.0.2.3:1 -> 198.51.100.2:2",
       Reason::kBadTimestamp, "13/02-15:32:54.630347: invalid date or time"},
      {"02/30/2002-15:32:54.630347  [**] [1:0:0] m [**] {TCP} 192.0.2.3:1 -> 198.51.100.2:2",
       Reason::kBadTimestamp, "02/30/2002-15:32:54.630347: invalid date or time"},
      {"snort: [1:0:0] m {TCP} 192.0.2.3:1 -> 198.51.100.2:2", Reason::kBadTimestamp,
       "no timestamp"},
      {"03/02-15:32:54.630347 192.0.2.3:1 -> 198.51.100.2:2", Reason::kNotARecord,
       "a packet dump line (format snort_full), not an alert"},
      {"03/02-15:32:54.630347 hello", Reason::kNotARecord,
       "no \"[**]\" alert marker after the timestamp"},
      {"Mar  2 15:32:54 gw snort[1]: Snort initialization completed successfully",
       Reason::kNotARecord, "snort/Suricata message that is not an alert"},
      {"Mar  2 15:32:54 gw kernel: eth0: link up", Reason::kNotARecord,
       "not a snort or Suricata alert"},
      {"Mar  2 15:32:54 gw last message repeated 2 times", Reason::kNotARecord,
       "repeat of a line that is not a snort alert"},
      {"07/11/2022-10:29:01.860293  [**] [1:2200:2] SURICATA decoder [**] [Classification: x] "
       "[Priority: 3] [**] [Raw pkt: 00 01 02 ]",
       Reason::kNotARecord, "alert on a packet without an IP header (decoder event)"},
      {"", Reason::kNotARecord, "empty line"},
      {" 192.0.2.112:3504 -> 198.51.100.120:6346", Reason::kNotARecord,
       "continuation line without a record"},
      {std::string("03/02-15:32:54\0", 15), Reason::kBinary, "control byte 0x00 at column 15"},
  };
  for (const Case& c : cases) {
    auto s = ParseLines("snort_fast", {c.line}, Year2002());
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(SnortFast, RepeatAfterAnotherHostOrBadCount) {
  const std::string alert =
      "Mar  2 15:32:54 gw snort: [1:0:0] m {TCP} 192.0.2.1:1 -> 198.51.100.2:2";
  auto s = ParseLines("snort_fast",
                      {alert, "Mar  2 15:32:55 other last message repeated 3 times", alert,
                       "Mar  2 15:32:55 gw last message repeated 0 times"},
                      Year2002());
  ASSERT_EQ(s.events.size(), 2u);
  ASSERT_EQ(s.rejects.size(), 2u);
  EXPECT_EQ(s.rejects[0].detail, "repeat of another host's line");
  EXPECT_EQ(s.rejects[1].reason, Reason::kBadField);
}

// Every prefix of real lines, garbage and a very long line: no crash, and
// every line is answered exactly once (a wrapped record on its first line).
TEST(SnortFast, TruncatedGarbageAndLongLines) {
  const std::string lines[] = {
      "07/11/2022-10:29:01.860293  [Drop] [**] [1:2200074:2] SURICATA x [**] [Classification: y] "
      "[Priority: 3] {TCP} 2001:db8::1:28487 -> [2001:db8::2]:80",
      "Mar  2 15:32:54 greatwall snort[1]: [1:0:0] TCP to 6346 gnutella [Priority: 0]: {TCP} "
      "192.0.2.112:3504 -> 198.51.100.120:6346"};
  for (const std::string& line : lines) {
    for (size_t n = 0; n <= line.size(); ++n) {
      auto s = ParseLines("snort_fast", {line.substr(0, n)}, Year2002());
      EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << line.substr(0, n);
    }
  }
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  auto g = ParseLines("snort_fast", {garbage, "[**] {{{{ -> -> }}}} [1:2:3]", "03/02-{TCP}"});
  EXPECT_TRUE(g.events.empty());
  EXPECT_EQ(g.rejects.size(), 3u);
  std::string long_line = "03/02-15:32:54.630347  [**] [1:0:0] " + std::string(200000, 'a') +
                          " [**] {TCP} 192.0.2.1:1 -> 198.51.100.2:2";
  auto l = ParseLines("snort_fast", {long_line}, Year2002());
  EXPECT_EQ(l.events.size(), 1u);
  std::string many_continuations[] = {"Mar  2 15:32:54 gw snort: [1:0:0] m",
                                      " " + std::string(40000, 'x'), " " + std::string(40000, 'y'),
                                      " 192.0.2.1:1 -> 198.51.100.2:2"};
  auto m = ParseLines("snort_fast", {std::begin(many_continuations), std::end(many_continuations)},
                      Year2002());
  EXPECT_TRUE(m.events.empty());
  EXPECT_EQ(m.rejects.size(), 3u);  // the record (too long) and the two continuations after it
}

TEST(SnortFast, Detect) {
  EXPECT_EQ(DetectSnortFast("03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] "
                            "{TCP} 192.0.2.1:3504 -> 198.51.100.2:6346"),
            95);
  EXPECT_EQ(DetectSnortFast("07/11/2022-10:29:01.860293  [Drop] [**] [1:2:3] x [**]"), 95);
  EXPECT_EQ(DetectSnortFast("Mar  2 15:32:54 greatwall snort: [1:0:0] TCP to 6346 gnutella {TCP}"),
            90);
  EXPECT_EQ(DetectSnortFast("Mar  2 15:32:54 ids suricata[9]: [Drop] [1:2:3] x {TCP} a -> b"), 90);
  // An ISO 8601 syslog header starts with a digit too, and is no fast.log stamp.
  const std::string iso =
      "2022-01-22T09:05:05.459614+00:00 ids suricata[21137]: [1:1000022:1] TCP to 22 "
      "[Classification: Misc activity] [Priority: 3] {TCP} 192.0.2.7:40112 -> 198.51.100.2:22";
  EXPECT_EQ(DetectSnortFast(iso), 90);
  auto parsed = testing::ParseLines("snort_fast", {iso});
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].dport, 22);
  EXPECT_EQ(parsed.hosts[0], "ids");
  // Other formats' lines, including seed 004's other logs.
  for (std::string_view other : {
           "03/02-15:32:54.630347 192.0.2.112:3504 -> 198.51.100.120:6346",
           "TCP TTL:117 TOS:0x0 ID:31988 IpLen:20 DgmLen:48 DF",
           "[**] [1:1000006:0] TCP connection [**]",
           " 192.0.2.112:3504 -> 198.51.100.120:6346",
           "Sat Mar  2 15:32:54 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4",
           "Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6",
           "Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2 PROTO=TCP",
           "Mar  2 15:32:54 gw snort[1]: Snort initialization completed successfully",
           "01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1 0",
           "2005-01-11 01:42:22 -05:00\t1234\t1\t192.0.2.9\t4177\t198.51.100.50\t1026\t17\t",
       }) {
    EXPECT_EQ(DetectSnortFast(other), 0) << other;
  }
  EXPECT_EQ(DetectSnortFull("03/02-15:32:54.630347  [**] [1:0:0] m [**] {TCP} 192.0.2.1:1 -> "
                            "198.51.100.2:2"),
            0);
  EXPECT_EQ(DetectP0f("Mar  2 15:32:54 gw snort: [1:0:0] m {TCP} 192.0.2.1:1 -> 198.51.100.2:2"),
            0);
  EXPECT_EQ(DetectIms("03/02-15:32:54.630347  [**] [1:0:0] m [**]"), 0);
  EXPECT_EQ(
      DetectIpchains("Mar  2 15:32:54 gw snort: [1:0:0] m {TCP} 192.0.2.1:1 -> 198.51.100.2:2"), 0);
  EXPECT_EQ(DetectDshield("03/02-15:32:54.630347  [**] [1:0:0] m [**]"), 0);
}

}  // namespace
}  // namespace portstorm::parse
