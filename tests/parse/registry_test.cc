// Format registry: names, lookup, detection, reason names.
#include <gtest/gtest.h>

#include <set>

#include "parse/parser.h"

namespace portstorm::parse {
namespace {

TEST(Registry, FormatsAndLookup) {
  std::set<std::string_view> names;
  for (const FormatInfo& f : Formats()) {
    names.insert(f.name);
    EXPECT_FALSE(f.description.empty());
    // Every format detects its own sample best.
    std::string_view sample[] = {f.sample};
    auto d = DetectFormat(sample);
    ASSERT_TRUE(d.ok()) << f.name;
    EXPECT_EQ((*d)->name, f.name);
    EXPECT_EQ(FindFormat(f.name), &f);
  }
  EXPECT_EQ(names, (std::set<std::string_view>{"netfilter", "dshield", "ipchains"}));
  EXPECT_EQ(FindFormat("nope"), nullptr);
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
