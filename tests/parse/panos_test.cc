// panos parser on PAN-OS TRAFFIC/THREAT CSV lines written for these tests.
#include "parse/formats/panos.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::CollectSink;
using testing::ParseLines;
using testing::Utc;

// A TRAFFIC line in the PAN-OS 10 column order; the pieces tests vary are
// arguments.
std::string Traffic(const std::string& subtype, const std::string& src, const std::string& dst,
                    const std::string& sport, const std::string& dport, const std::string& proto,
                    const std::string& action,
                    const std::string& generated = "2005/01/11 01:42:22") {
  return "1,2005/01/11 01:42:23,001801000001,TRAFFIC," + subtype + ",2561," + generated + "," +
         src + "," + dst + ",0.0.0.0,0.0.0.0,deny-all,,,not-applicable,vsys1,untrust,trust," +
         "ethernet1/1,,fwd-all,2005/01/11 01:42:22,4711,1," + sport + "," + dport + ",0,0,0x0," +
         proto + "," + action +
         ",60,60,0,1,2005/01/11 01:42:22,0,any,,7001,0x0,192.0.2.0-192.0.2.255," +
         "198.51.100.0-198.51.100.255,,1,0,policy-deny,0,0,0,0,,pa-fw1,from-policy,,,0,,0,,N/A," +
         "0,0,0,0";
}

const std::string kDeny = "Jan 11 01:42:23 pa-fw1 " + Traffic("deny", "192.0.2.1", "198.51.100.2",
                                                               "4117", "5000", "tcp", "deny");

const std::string kThreat =
    "1,2005/01/11 01:42:23,001801000001,THREAT,vulnerability,2561,2005/01/11 01:42:22,"
    "192.0.2.1,198.51.100.2,0.0.0.0,0.0.0.0,allow-web,,,web-browsing,vsys1,untrust,dmz,"
    "ethernet1/1,ethernet1/2,fwd-all,2005/01/11 01:42:22,4712,3,4117,80,0,0,0x402000,tcp,"
    "reset-both,\"198.51.100.2/cgi-bin/a,b\",Example Remote Code Execution(90001),any,critical,"
    "client-to-server,7002,0x8000000000000000,192.0.2.0-192.0.2.255,"
    "198.51.100.0-198.51.100.255,,,0,,,0,,,,,,,,0,10,0,0,0,,pa-fw1,,,,,0,,0,,N/A,code-execution";

CollectSink One(const std::string& line, const ParseOptions& o = {}) {
  return ParseLines("panos", {line}, o);
}

TEST(Panos, TrafficDenyEveryField) {
  auto s = One(kDeny);
  ASSERT_EQ(s.events.size(), 1u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  const Event& e = s.events[0];
  EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, 22));  // generated time
  EXPECT_EQ(e.src, Addr("192.0.2.1"));
  EXPECT_EQ(e.sport, 4117);
  EXPECT_EQ(e.dst, Addr("198.51.100.2"));
  EXPECT_EQ(e.dport, 5000);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.action, Action::kDrop);
  EXPECT_EQ(e.count, 1u);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(s.hosts[0], "pa-fw1");
}

TEST(Panos, TrafficVerdicts) {
  auto s = ParseLines(
      "panos",
      {Traffic("drop", "192.0.2.1", "198.51.100.2", "4117", "23", "tcp", "drop"),
       Traffic("end", "192.0.2.1", "198.51.100.2", "4117", "445", "tcp", "reset-both"),
       Traffic("deny", "192.0.2.1", "198.51.100.2", "0", "0", "icmp", "drop-icmp"),
       Traffic("drop", "2001:db8::1", "2001:db8:0:1::2", "4117", "443", "udp", "allow")},
      {});
  ASSERT_EQ(s.events.size(), 4u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kDrop);
  EXPECT_EQ(s.events[1].action, Action::kReject);
  EXPECT_EQ(s.events[2].proto, kProtoIcmp);
  EXPECT_EQ(s.events[2].sport, 0);
  EXPECT_EQ(s.events[3].src, Addr("2001:db8::1"));
  EXPECT_EQ(s.events[3].dst, Addr("2001:db8:0:1::2"));
  EXPECT_EQ(s.events[3].action, Action::kDrop);  // subtype drop: the session was dropped
  EXPECT_EQ(s.hosts[0], "");
}

TEST(Panos, ThreatLines) {
  std::string alert = kThreat;
  alert.replace(alert.find("reset-both"), 10, "alert");
  std::string scan =
      "1,2005/01/11 01:42:23,001801000001,THREAT,scan,2561,2005/01/11 01:42:22,192.0.2.1,"
      "198.51.100.2,0.0.0.0,0.0.0.0,,,,not-applicable,vsys1,untrust,untrust,ethernet1/1,,"
      "fwd-all,2005/01/11 01:42:22,0,1,0,0,0,0,0x0,tcp,drop,\"\",TCP Port scan(8001),any,"
      "critical,client-to-server,7003,0x0,192.0.2.0-192.0.2.255,198.51.100.0-198.51.100.255,,,0";
  auto s = ParseLines("panos", {kThreat, alert, scan}, {});
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].action, Action::kReject);
  EXPECT_EQ(s.events[0].dport, 80);
  EXPECT_EQ(s.events[0].count, 1u);  // the repeat count (3) counts sessions, not packets
  EXPECT_EQ(s.events[1].action, Action::kAlert);
  EXPECT_EQ(s.events[2].action, Action::kDrop);
  EXPECT_EQ(s.events[2].dport, 0);
}

TEST(Panos, HeaderOffsetAndMissingFutureUseColumn) {
  ParseOptions o;
  o.tz = *TimeZone::Load("-05:00");
  auto s = ParseLines(
      "panos",
      {"<14>1 2005-01-11T02:42:23+01:00 pa-fw1 - - - " +
           Traffic("deny", "192.0.2.1", "198.51.100.2", "1", "2", "udp", "deny",
                   "2005/01/11 02:42:22"),
       "2005-01-11T02:42:23+01:00 pa-fw1 " +
           Traffic("deny", "192.0.2.1", "198.51.100.2", "1", "2", "udp", "deny",
                   "2005/01/11 02:42:22"),
       Traffic("deny", "192.0.2.1", "198.51.100.2", "1", "2", "udp", "deny").substr(2)},
      o);
  ASSERT_EQ(s.events.size(), 3u) << (s.rejects.empty() ? "" : s.rejects[0].detail);
  EXPECT_EQ(s.events[0].time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(s.hosts[0], "pa-fw1");
  EXPECT_EQ(s.events[1].time, Utc(2005, 1, 11, 1, 42, 22));
  EXPECT_EQ(s.events[2].time, Utc(2005, 1, 11, 6, 42, 22));  // no offset: options.tz
  EXPECT_EQ(s.events[2].dport, 2);
}

TEST(Panos, NotRecords) {
  std::string url = kThreat;
  url.replace(url.find("vulnerability"), 13, "url");
  url.replace(url.find("reset-both"), 10, "alert");
  struct Case {
    std::string line;
    std::string detail;
  } cases[] = {
      {Traffic("end", "192.0.2.1", "198.51.100.2", "4117", "443", "tcp", "allow"),
       "allow: session not blocked"},
      {Traffic("start", "192.0.2.1", "198.51.100.2", "4117", "443", "tcp", "allow"),
       "allow: session not blocked"},
      {url, "url: content log of an allowed session"},
      {"Jan 11 01:42:23 pa-fw1 1,2005/01/11 01:42:23,001801000001,SYSTEM,general,0,"
       "2005/01/11 01:42:23,,general,,0,0,general,informational,\"User admin logged in\",1,0x0",
       "SYSTEM: log type not TRAFFIC or THREAT"},
      {"Jan 11 01:42:23 host sshd[1]: Accepted password", "no PAN-OS CSV record"},
      {"", "empty line"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, Reason::kNotARecord) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Panos, Rejections) {
  struct Case {
    std::string line;
    Reason reason;
    std::string detail;
  } cases[] = {
      {Traffic("deny", "192.0.2.1", "198.51.100.2", "99999", "1", "tcp", "deny"),
       Reason::kBadPort, "99999: port > 65535"},
      {Traffic("deny", "192.0.2", "198.51.100.2", "1", "1", "tcp", "deny"),
       Reason::kUnparsableAddress, "192.0.2: source not an IPv4/IPv6 address"},
      {Traffic("deny", "192.0.2.1", "198.51.100.2", "1", "1", "foo", "deny"),
       Reason::kUnknownProtocol, "foo: unknown protocol"},
      {Traffic("deny", "192.0.2.1", "198.51.100.2", "1", "1", "tcp", "deny", "2005/02/30 01:42:22"),
       Reason::kBadTimestamp, "2005/02/30 01:42:22: invalid date or time"},
      {"1,2005/01/11 01:42:23,001801000001,TRAFFIC,deny,2561,2005/01/11 01:42:22,192.0.2.1",
       Reason::kTruncated, "8 columns, the action is column 30"},
      {"1,2005/01/11 01:42:23,0018\x7f" "01000001,TRAFFIC", Reason::kBinary,
       "control byte 0x7f at column 27"},
  };
  for (const Case& c : cases) {
    auto s = One(c.line);
    EXPECT_TRUE(s.events.empty()) << c.line;
    ASSERT_EQ(s.rejects.size(), 1u) << c.line;
    EXPECT_EQ(s.rejects[0].reason, c.reason) << c.line;
    EXPECT_EQ(s.rejects[0].detail, c.detail) << c.line;
  }
}

TEST(Panos, TruncatedAndHugeLinesAreAnsweredOnce) {
  for (size_t n = 0; n <= kDeny.size(); ++n) {
    auto s = One(kDeny.substr(0, n));
    EXPECT_EQ(s.events.size() + s.rejects.size(), 1u) << n;
  }
  std::string big = kThreat;
  big.insert(big.find("cgi-bin"), std::string(300000, ','));  // commas inside the quoted URL
  auto s = One(big);
  EXPECT_EQ(s.events.size(), 1u);
  s = One(std::string(100000, ',') + "2005/01/11 01:42:22" + std::string(100000, '"'));
  EXPECT_EQ(s.events.size() + s.rejects.size(), 1u);
}

TEST(Panos, Detect) {
  EXPECT_EQ(DetectPanos(kDeny), 95);
  EXPECT_EQ(DetectPanos(kThreat), 95);
  EXPECT_EQ(DetectPanos("Mar  2 15:32:54 gw kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2"),
            0);
  EXPECT_EQ(DetectPanos("Jan 11 01:42:22 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,"
                        "64,0,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,S"),
            0);
  EXPECT_EQ(DetectPanos("time,src,sport,dst,dport,proto"), 0);
}

}  // namespace
}  // namespace portstorm::parse
