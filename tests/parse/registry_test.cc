// Format registry: names, lookup, detection, reason names.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "parse/parser.h"

namespace portstorm::parse {
namespace {

// A multi-line format's sample holds its lines separated by '\n'.
std::vector<std::string_view> SampleLines(const FormatInfo& f) {
  std::vector<std::string_view> out;
  std::string_view s = f.sample;
  for (size_t nl; (nl = s.find('\n')) != std::string_view::npos; s.remove_prefix(nl + 1)) {
    out.push_back(s.substr(0, nl));
  }
  out.push_back(s);
  return out;
}

TEST(Registry, FormatsAndLookup) {
  std::set<std::string_view> names;
  for (const FormatInfo& f : Formats()) {
    names.insert(f.name);
    EXPECT_FALSE(f.description.empty());
    // Every format detects its own sample best.
    std::vector<std::string_view> sample = SampleLines(f);
    auto d = DetectFormat(sample);
    ASSERT_TRUE(d.ok()) << f.name;
    EXPECT_EQ((*d)->name, f.name);
    EXPECT_EQ(FindFormat(f.name), &f);
  }
  EXPECT_EQ(names, (std::set<std::string_view>{
                       "netfilter", "dshield", "ipchains", "snort_fast", "snort_full", "p0f", "ims",
                       "pfsense_filterlog", "pf", "windows_firewall", "mikrotik", "cisco_asa",
                       "fortigate", "panos", "juniper_srx", "checkpoint", "suricata_eve",
                       "zeek_conn", "csv", "mixed_syslog"}));
  EXPECT_EQ(FindFormat("nope"), nullptr);
}

// `portstorm formats` shows each sample: it must be a line its parser turns into a record.
TEST(Registry, EverySampleParsesToARecord) {
  for (const FormatInfo& f : Formats()) {
    ParseOptions o;
    o.year = 2005;
    o.default_action = Action::kDrop;
    if (f.name == "csv") o.csv_map = "";
    auto parser = f.make(o);
    struct Count : RecordSink {
      int records = 0;
      std::string why;
      void OnRecord(const Event&, std::string_view) override { ++records; }
      void OnReject(uint64_t, Reason r, std::string_view d) override {
        why = std::string(ReasonName(r)) + ": " + std::string(d);
      }
    } sink;
    // A format with a header line (csv, zeek_conn) shows it before the sample in its doc;
    // the sample alone must still be a record or, for a header, a clean "not a record".
    std::vector<std::string_view> lines = SampleLines(f);
    for (size_t i = 0; i < lines.size(); ++i) parser->Line(lines[i], i + 1, sink);
    parser->Finish(sink);
    if (f.name == "csv") continue;  // its sample is the header line
    EXPECT_GE(sink.records, 1) << f.name << ": " << sink.why;
  }
}

TEST(Registry, DetectMixedSyslogAndFailure) {
  std::string_view lines[] = {
      "Mar  2 15:32:54 gw sshd[1]: Accepted publickey for root", "",
      "Mar  2 15:32:55 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 "
      "PROTO=UDP SPT=1 DPT=2",
      "Mar  2 15:32:56 gw CRON[2]: (root) CMD (true)"};
  auto d = DetectFormat(lines);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->name, "netfilter");
  std::string_view junk[] = {"hello", "world", ""};
  auto none = DetectFormat(junk);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  EXPECT_NE(none.status().message().find("netfilter"), std::string::npos);
}

TEST(Registry, ReasonNames) {
  EXPECT_EQ(ReasonName(Reason::kNotARecord), "not a record");
  EXPECT_EQ(ReasonKey(Reason::kUnparsableAddress), "unparsable_address");
  EXPECT_EQ(ReasonName(Reason::kUnknownFormat), "unknown format");
  std::set<std::string_view> keys;
  for (int r = 0; r < kReasonCount; ++r) {
    EXPECT_FALSE(ReasonName(static_cast<Reason>(r)).empty());
    keys.insert(ReasonKey(static_cast<Reason>(r)));
  }
  EXPECT_EQ(keys.size(), static_cast<size_t>(kReasonCount));
}

}  // namespace
}  // namespace portstorm::parse
