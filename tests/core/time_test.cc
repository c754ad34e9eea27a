#include "core/time.h"

#include <gtest/gtest.h>

namespace portstorm {
namespace {

TEST(TimeTest, CivilRoundTrip) {
  for (int64_t d = -800000; d < 800000; d += 37) {
    int y, m, dd;
    CivilFromDays(d, &y, &m, &dd);
    ASSERT_EQ(DaysFromCivil(y, m, dd), d);
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2005, 1, 11), 12794);
}

TEST(TimeTest, FormatsAndParses) {
  CivilTime c{2005, 1, 11, 1, 42, 22, 0};
  TimeUs t = FromCivilUtc(c);
  EXPECT_EQ(FormatTime(t), "2005-01-11 01:42:22");
  EXPECT_EQ(FormatIso(t + 5), "2005-01-11T01:42:22.000005Z");
  EXPECT_EQ(FormatDay(DayOf(t)), "2005-01-11");
  auto d = ParseDay("2005-01-11");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, DayOf(t));
  EXPECT_FALSE(ParseDay("2005-02-30").ok());
  EXPECT_FALSE(ParseDay("2005-1-11").ok());
}

TEST(TimeTest, DayArgs) {
  TimeUs now = FromCivilUtc({2003, 12, 2, 4, 0, 0, 0});
  EXPECT_EQ(*ParseDayArg("today", now), DaysFromCivil(2003, 12, 2));
  EXPECT_EQ(*ParseDayArg("yesterday", now), DaysFromCivil(2003, 12, 1));
  auto bad = ParseDayArg("tomorrowish", now);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("tomorrowish"), std::string::npos);
}

TEST(TimeTest, NegativeTimesFloor) {
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(HourOf(-1), -1);
  EXPECT_EQ(DayOf(0), 0);
}

TEST(TimeZoneTest, FixedOffset) {
  auto z = TimeZone::Load("+02:00");
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  EXPECT_EQ(z->ToUtc({2006, 2, 18, 12, 0, 0, 0}), FromCivilUtc({2006, 2, 18, 10, 0, 0, 0}));
  EXPECT_FALSE(TimeZone::Load("+2x").ok());
  EXPECT_FALSE(TimeZone::Load("Not/AZone").ok());
}

TEST(TimeZoneTest, NamedZoneIfTzdataPresent) {
  auto z = TimeZone::Load("America/New_York");
  if (!z.ok()) GTEST_SKIP() << "tzdata not installed: " << z.status().ToString();
  // 2006-02-18 17:05:58 EST = 22:05:58 UTC (seed 000's Date header)
  EXPECT_EQ(z->ToUtc({2006, 2, 18, 17, 5, 58, 0}), FromCivilUtc({2006, 2, 18, 22, 5, 58, 0}));
  // July: EDT, UTC-4
  EXPECT_EQ(z->ToUtc({2006, 7, 1, 12, 0, 0, 0}), FromCivilUtc({2006, 7, 1, 16, 0, 0, 0}));
}

}  // namespace
}  // namespace portstorm
