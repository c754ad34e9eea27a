// mixed_syslog: a collector's stream where every line may be another format.
#include "parse/formats/mixed_syslog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "parse/parser.h"
#include "test_sink.h"

namespace portstorm::parse {
namespace {

using testing::Addr;
using testing::ParseLines;
using testing::Utc;

// One minute of a collector's all.log: four firewalls of four makes, snort on
// a fifth host, and the sshd/cron lines between them.
std::vector<std::string> CollectorLines() {
  return {
      "Jan 11 01:42:22 gw kernel: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2 LEN=60 TOS=0x00 "
      "PREC=0x00 TTL=52 ID=54321 DF PROTO=TCP SPT=4117 DPT=5000 WINDOW=65535 RES=0x00 SYN URGP=0",
      "Jan 11 01:42:23 fw1 filterlog[4711]: 5,,,1000000103,em0,match,block,in,4,0x0,,52,54321,0,DF,6,"
      "tcp,60,192.0.2.1,198.51.100.3,4117,5000,0,S,1296947564,,65535,,mss;nop;wscale;sackOK;TS",
      "Jan 11 01:42:24 mail sshd[812]: Accepted publickey for root from 203.0.113.5 port 52222 ssh2",
      "Jan 11 01:42:25 asa1 %ASA-4-106023: Deny tcp src outside:192.0.2.7/4118 dst inside:198.51.100.4/1433 "
      "by access-group \"outside_in\" [0x0, 0x0]",
      "Jan 11 01:42:26 gw kernel: DROP IN=eth0 OUT= SRC=192.0.2.9 DST=198.51.100.2 LEN=40 TOS=0x00 "
      "PREC=0x00 TTL=240 ID=0 PROTO=UDP SPT=53 DPT=1026 LEN=20",
      "Jan 11 01:42:27 fg1 date=2005-01-11 time=01:42:27 devname=\"fg1\" devid=\"FG100E0000000001\" "
      "logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" "
      "srcip=192.0.2.11 srcport=4119 srcintf=\"wan1\" dstip=198.51.100.5 dstport=445 dstintf=\"internal\" "
      "sessionid=4711 proto=6 action=\"deny\" policyid=0 service=\"SMB\" duration=0 sentbyte=0 rcvdbyte=0",
      "Jan 11 01:42:28 ids snort[212]: [1:0:0] TCP to 6346 gnutella {TCP} 192.0.2.112:3504 -> "
      "198.51.100.120:6346",
      "Jan 11 01:42:29 cron CRON[2]: (root) CMD (run-parts /etc/cron.hourly)",
  };
}

TEST(MixedSyslog, EachLineByItsOwnFormat) {
  ParseOptions o;
  o.year = 2005;
  testing::CollectSink sink = ParseLines("mixed_syslog", CollectorLines(), o);
  ASSERT_EQ(sink.events.size(), 6u);
  struct Want {
    uint64_t line;
    const char* host;
    const char* src;
    uint16_t dport;
    uint8_t proto;
    int second;
  };
  const Want want[] = {{1, "gw", "192.0.2.1", 5000, kProtoTcp, 22},
                       {2, "fw1", "192.0.2.1", 5000, kProtoTcp, 23},
                       {4, "asa1", "192.0.2.7", 1433, kProtoTcp, 25},
                       {5, "gw", "192.0.2.9", 1026, kProtoUdp, 26},
                       {6, "fg1", "192.0.2.11", 445, kProtoTcp, 27},
                       {7, "ids", "192.0.2.112", 6346, kProtoTcp, 28}};
  for (size_t i = 0; i < std::size(want); ++i) {
    SCOPED_TRACE(want[i].line);
    const Event& e = sink.events[i];
    EXPECT_EQ(e.line, want[i].line);
    EXPECT_EQ(sink.hosts[i], want[i].host);
    EXPECT_EQ(e.src, Addr(want[i].src));
    EXPECT_EQ(e.dport, want[i].dport);
    EXPECT_EQ(e.proto, want[i].proto);
    EXPECT_EQ(e.time, Utc(2005, 1, 11, 1, 42, want[i].second));
  }
  // The filterlog line keeps what only its format has: the TCP sequence number.
  EXPECT_EQ(sink.events[1].seq, 1296947564u);
  // sshd and cron: not records, counted with a reason.
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].line, 3u);
  EXPECT_EQ(sink.rejects[0].reason, Reason::kNotARecord);
  EXPECT_EQ(sink.rejects[1].line, 8u);
}

// Whatever order the formats come in, a line yields what its own format's
// parser yields for it alone.
TEST(MixedSyslog, SameRecordsAsEachFormatAlone) {
  ParseOptions o;
  o.year = 2005;
  std::vector<std::string> lines = CollectorLines();
  for (int round = 0; round < 3; ++round) {
    std::rotate(lines.begin(), lines.begin() + 3, lines.end());
    testing::CollectSink mixed = ParseLines("mixed_syslog", lines, o);
    size_t k = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      int score = 0;
      const FormatInfo* f = BestSyslogFormat(lines[i], &score);
      if (f == nullptr) continue;
      testing::CollectSink alone = ParseLines(f->name, {lines[i]}, o);
      ASSERT_EQ(alone.events.size(), 1u) << f->name << ": " << lines[i];
      ASSERT_LT(k, mixed.events.size());
      Event e = alone.events[0];
      e.line = i + 1;
      EXPECT_EQ(std::memcmp(&e, &mixed.events[k], sizeof e), 0) << f->name << ": " << lines[i];
      EXPECT_EQ(mixed.hosts[k], alone.hosts[0]);
      ++k;
    }
    EXPECT_EQ(k, mixed.events.size());
  }
}

TEST(MixedSyslog, AutoDetectionPicksItOnlyForMixedStreams) {
  std::vector<std::string> lines = CollectorLines();
  std::vector<std::string_view> sample(lines.begin(), lines.end());
  auto d = DetectFormat(sample);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->name, "mixed_syslog");

  // One firewall's kern.log with other kernel and daemon lines: its own format.
  std::vector<std::string_view> one = {sample[0], sample[2], sample[4], sample[7]};
  d = DetectFormat(one);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->name, "netfilter");

  // A DShield file is not a syslog stream, whatever else scores on its lines.
  std::vector<std::string_view> dshield = {
      "2003-12-01 00:00:03 -05:00\t1234\t1\t192.0.2.1\t4117\t198.51.100.2\t1026\tUDP\t"};
  d = DetectFormat(dshield);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->name, "dshield");
}

TEST(MixedSyslog, GarbageAndEmptyLinesAreCountedNotFatal) {
  std::vector<std::string> lines = {"", std::string("\0\x01\xff", 3), "%ASA-4-106023: Deny",
                                    "Jan 11 01:42:22 gw kernel: DROP SRC=1.2.3"};
  testing::CollectSink sink = ParseLines("mixed_syslog", lines);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(sink.rejects.size(), lines.size());
}

}  // namespace
}  // namespace portstorm::parse
