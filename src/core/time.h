// Time in portstorm: int64 microseconds since 1970-01-01T00:00:00Z (UTC).
//
// Civil-date arithmetic is done here without the C library (no TZ
// environment dependence, no locale); named time zones for local-time logs go
// through abseil's time-zone database (TimeZone below). Day numbers are days
// since the epoch (1970-01-01 = 0), the unit of store partitions and reports.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace portstorm {

using TimeUs = int64_t;
inline constexpr TimeUs kUsPerSecond = 1'000'000;
inline constexpr TimeUs kUsPerHour = 3600 * kUsPerSecond;
inline constexpr TimeUs kUsPerDay = 86400 * kUsPerSecond;

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0, minute = 0, second = 0;
  int micros = 0;
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int year, int month, int day);
void CivilFromDays(int64_t days, int* year, int* month, int* day);
bool IsValidDate(int year, int month, int day);

// UTC civil time -> TimeUs (no validation beyond arithmetic).
TimeUs FromCivilUtc(const CivilTime& c);
CivilTime ToCivilUtc(TimeUs t);

inline int64_t DayOf(TimeUs t) { return t >= 0 ? t / kUsPerDay : -((-t - 1) / kUsPerDay) - 1; }
inline int64_t HourOf(TimeUs t) { return t >= 0 ? t / kUsPerHour : -((-t - 1) / kUsPerHour) - 1; }

// "2005-01-11"
std::string FormatDay(int64_t day);
// "2005-01-11 01:42:22" (UTC, seconds)
std::string FormatTime(TimeUs t);
// "2005-01-11T01:42:22.123456Z" (microseconds only when non-zero)
std::string FormatIso(TimeUs t);

// Parses "YYYY-MM-DD" into a day number.
Result<int64_t> ParseDay(std::string_view text);
// Parses a day argument: "YYYY-MM-DD", "today", "yesterday" (relative to now_us).
Result<int64_t> ParseDayArg(std::string_view text, TimeUs now_us);
// Month abbreviation "Jan".."Dec" (case-sensitive, as syslog writes it) -> 1..12, 0 if not one.
int MonthFromAbbrev(std::string_view abbrev);

TimeUs NowUs();

// A time zone for logs that carry local time: "UTC", a fixed offset
// ("+02:00", "-0500") or an IANA name ("Europe/Berlin", needs tzdata).
// Copyable; thread-safe for concurrent const use.
class TimeZone {
 public:
  TimeZone();  // UTC
  static Result<TimeZone> Load(std::string_view name);
  bool is_utc() const { return fixed_ && offset_s_ == 0; }
  const std::string& name() const { return name_; }
  // Local civil time -> UTC instant. For times skipped or repeated by a DST
  // change, the earlier-offset interpretation is used (abseil's "pre").
  TimeUs ToUtc(const CivilTime& local) const;

 private:
  struct Impl;
  std::string name_ = "UTC";
  bool fixed_ = true;
  int offset_s_ = 0;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace portstorm
