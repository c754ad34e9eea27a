// Syslog header: RFC 3164 year inference and rollover, time zones, forms.
#include "parse/syslog_header.h"

#include <gtest/gtest.h>

#include "test_sink.h"

namespace portstorm::parse::detail {
namespace {

using testing::Utc;

TimeUs Parse(SyslogHeaderParser& p, std::string_view line) {
  SyslogHeader h;
  p.Parse(line, &h);
  EXPECT_TRUE(h.has_time) << line << ": " << h.time_error;
  return h.time;
}

TEST(SyslogHeader, YearFromReferenceTime) {
  ParseOptions o;
  o.reference_time = Utc(2024, 1, 5, 12, 0, 0);  // file written early January
  {
    SyslogHeaderParser p(o);
    EXPECT_EQ(Parse(p, "Dec 31 23:59:58 gw kernel: x"), Utc(2023, 12, 31, 23, 59, 58));
    EXPECT_EQ(Parse(p, "Jan  1 00:00:01 gw kernel: x"), Utc(2024, 1, 1, 0, 0, 1));  // rollover
    EXPECT_EQ(Parse(p, "Dec 31 23:59:59 gw kernel: x"), Utc(2023, 12, 31, 23, 59, 59));  // late
    EXPECT_EQ(Parse(p, "Jan  2 00:00:00 gw kernel: x"), Utc(2024, 1, 2, 0, 0, 0));
    EXPECT_EQ(Parse(p, "Feb  2 00:00:00 gw kernel: x"), Utc(2024, 2, 2, 0, 0, 0));
  }
  {
    SyslogHeaderParser p(o);  // first line within a day after the reference: same year
    EXPECT_EQ(Parse(p, "Jan  6 11:00:00 gw kernel: x"), Utc(2024, 1, 6, 11, 0, 0));
  }
  {
    SyslogHeaderParser p(o);  // later than reference + 1 day: last year
    EXPECT_EQ(Parse(p, "Jan  6 13:00:00 gw kernel: x"), Utc(2023, 1, 6, 13, 0, 0));
  }
}

TEST(SyslogHeader, ExplicitYearAlsoRollsOver) {
  ParseOptions o;
  o.year = 2004;
  SyslogHeaderParser p(o);
  EXPECT_EQ(Parse(p, "Nov 30 10:00:00 gw k: x"), Utc(2004, 11, 30, 10, 0, 0));
  EXPECT_EQ(Parse(p, "Dec 31 10:00:00 gw k: x"), Utc(2004, 12, 31, 10, 0, 0));
  EXPECT_EQ(Parse(p, "Jan  1 10:00:00 gw k: x"), Utc(2005, 1, 1, 10, 0, 0));
  EXPECT_EQ(Parse(p, "Mar  1 10:00:00 gw k: x"), Utc(2005, 3, 1, 10, 0, 0));
}

TEST(SyslogHeader, LeapDayNeedsLeapYear) {
  ParseOptions o;
  o.year = 2023;
  SyslogHeaderParser p(o);
  SyslogHeader h;
  p.Parse("Feb 29 10:00:00 gw k: x", &h);
  EXPECT_FALSE(h.has_time);
  EXPECT_EQ(h.time_error, "Feb 29 10:00:00: no such day in 2023");
  o.year = 2024;
  SyslogHeaderParser q(o);
  EXPECT_EQ(Parse(q, "Feb 29 10:00:00 gw k: x"), Utc(2024, 2, 29, 10, 0, 0));
}

TEST(SyslogHeader, TimeZones) {
  ParseOptions o;
  o.year = 2024;
  o.tz = *TimeZone::Load("Europe/Berlin");
  SyslogHeaderParser p(o);
  EXPECT_EQ(Parse(p, "Jan 15 12:00:00 gw k: x"), Utc(2024, 1, 15, 11, 0, 0));   // CET
  EXPECT_EQ(Parse(p, "Jul 15 12:00:00 gw k: x"), Utc(2024, 7, 15, 10, 0, 0));   // CEST
  EXPECT_EQ(Parse(p, "Jul 15 12:00:30 gw k: x"), Utc(2024, 7, 15, 10, 0, 30));  // cached minute
  // An explicit offset wins over the configured zone.
  EXPECT_EQ(Parse(p, "2024-07-15T12:00:00+00:00 gw k: x"), Utc(2024, 7, 15, 12, 0, 0));
  // No offset: the configured zone.
  EXPECT_EQ(Parse(p, "2024-07-15T12:00:00 gw k: x"), Utc(2024, 7, 15, 10, 0, 0));
  ParseOptions f;
  f.year = 2024;
  f.tz = *TimeZone::Load("-05:00");
  SyslogHeaderParser q(f);
  EXPECT_EQ(Parse(q, "Jan 15 12:00:00 gw k: x"), Utc(2024, 1, 15, 17, 0, 0));
}

TEST(SyslogHeader, Forms) {
  ParseOptions o;
  o.year = 2021;
  o.boot_time = Utc(2021, 1, 1, 0, 0, 0);
  SyslogHeaderParser p(o);
  SyslogHeader h;
  p.Parse("<13>1 2021-03-12T14:10:18.5+01:00 host app 123 ID47 [a b=\"c]\\\"\"][d] hello", &h);
  EXPECT_EQ(h.form, HeaderForm::kRfc5424);
  EXPECT_EQ(h.host, "host");
  EXPECT_EQ(h.message, "hello");
  EXPECT_EQ(h.time, Utc(2021, 3, 12, 13, 10, 18, 500000));
  p.Parse("<13>1 - - - - - - no time", &h);
  EXPECT_FALSE(h.has_time);
  EXPECT_EQ(h.message, "no time");
  p.Parse("[   12.000001] hello", &h);
  EXPECT_EQ(h.form, HeaderForm::kDmesgUptime);
  EXPECT_EQ(h.time, Utc(2021, 1, 1, 0, 0, 12, 1));
  EXPECT_EQ(h.message, "hello");
  p.Parse("[Sat Mar  2 15:32:54 2002] hello", &h);
  EXPECT_EQ(h.form, HeaderForm::kDmesgWall);
  EXPECT_EQ(h.time, Utc(2002, 3, 2, 15, 32, 54));
  p.Parse("101 1 tap101i0-IN 20/Jun/2022:13:12:46 -0130 REJECT: x", &h);
  EXPECT_EQ(h.form, HeaderForm::kProxmox);
  EXPECT_EQ(h.time, Utc(2022, 6, 20, 14, 42, 46));
  EXPECT_EQ(h.message, "REJECT: x");
  p.Parse("Hello world", &h);
  EXPECT_EQ(h.form, HeaderForm::kNone);
  EXPECT_EQ(h.message, "Hello world");
  EXPECT_FALSE(h.has_time);
  p.Parse("Mar  2 15:32:54.250 gw kernel: x", &h);
  EXPECT_EQ(h.time, Utc(2021, 3, 2, 15, 32, 54, 250000));
  EXPECT_EQ(h.host, "gw");
  EXPECT_EQ(h.message, "kernel: x");
  p.Parse("Mar  2 15:32:54", &h);
  EXPECT_TRUE(h.has_time);
  EXPECT_EQ(h.message, "");
}

TEST(SyslogHeader, IsoTimestamp) {
  ParsedTime t;
  bool valid;
  EXPECT_EQ(ParseIsoTimestamp("2005-01-11 01:42:22 -05:00", true, &t, &valid), 26u);
  EXPECT_TRUE(valid);
  EXPECT_EQ(t.offset_s, -5 * 3600);
  EXPECT_EQ(ParseIsoTimestamp("2005-01-11 01:42:22 -05:00", false, &t, &valid), 19u);
  EXPECT_FALSE(t.has_offset);
  EXPECT_EQ(ParseIsoTimestamp("2005-01-11T01:42:22+0530", false, &t, &valid), 24u);
  EXPECT_EQ(t.offset_s, 5 * 3600 + 30 * 60);
  EXPECT_EQ(ParseIsoTimestamp("2005-02-30T01:42:22Z", false, &t, &valid), 20u);
  EXPECT_FALSE(valid);
  EXPECT_EQ(ParseIsoTimestamp("2005-01-1", false, &t, &valid), 0u);
}

}  // namespace
}  // namespace portstorm::parse::detail
