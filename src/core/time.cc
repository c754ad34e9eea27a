#include "core/time.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <chrono>
#include <cstdio>

namespace portstorm {

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(y + (m <= 2));
  *month = static_cast<int>(m);
  *day = static_cast<int>(d);
}

bool IsValidDate(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[month - 1];
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) max = 29;
  return day <= max;
}

TimeUs FromCivilUtc(const CivilTime& c) {
  int64_t days = DaysFromCivil(c.year, c.month, c.day);
  int64_t secs = days * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
  return secs * kUsPerSecond + c.micros;
}

CivilTime ToCivilUtc(TimeUs t) {
  CivilTime c;
  int64_t day = DayOf(t);
  int64_t rem = t - day * kUsPerDay;
  CivilFromDays(day, &c.year, &c.month, &c.day);
  int64_t secs = rem / kUsPerSecond;
  c.micros = static_cast<int>(rem % kUsPerSecond);
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  return c;
}

std::string FormatDay(int64_t day) {
  int y, m, d;
  CivilFromDays(day, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

std::string FormatTime(TimeUs t) {
  CivilTime c = ToCivilUtc(t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string FormatIso(TimeUs t) {
  CivilTime c = ToCivilUtc(t);
  char buf[64];
  if (c.micros != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", c.year, c.month, c.day,
                  c.hour, c.minute, c.second, c.micros);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                  c.minute, c.second);
  }
  return buf;
}

Result<int64_t> ParseDay(std::string_view s) {
  auto digits = [&](size_t pos, size_t n, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(0, 4, &y) || !digits(5, 2, &m) ||
      !digits(8, 2, &d) || !IsValidDate(y, m, d)) {
    return Status::InvalidArgument("'" + std::string(s) + "' is not a date (expected YYYY-MM-DD)");
  }
  return DaysFromCivil(y, m, d);
}

Result<int64_t> ParseDayArg(std::string_view s, TimeUs now_us) {
  if (s == "today") return DayOf(now_us);
  if (s == "yesterday") return DayOf(now_us) - 1;
  auto r = ParseDay(s);
  if (!r.ok()) {
    return Status::InvalidArgument("'" + std::string(s) +
                                   "' is not a day (expected YYYY-MM-DD, today or yesterday)");
  }
  return r;
}

int MonthFromAbbrev(std::string_view a) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (a.size() != 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (kMonths[i] == a) return i + 1;
  }
  return 0;
}

TimeUs NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct TimeZone::Impl {
  absl::TimeZone tz;
};

TimeZone::TimeZone() = default;

Result<TimeZone> TimeZone::Load(std::string_view name) {
  TimeZone z;
  z.name_ = std::string(name);
  if (name.empty() || name == "UTC" || name == "Z" || name == "utc") return z;
  // Fixed offsets: +HH:MM, -HHMM, +HH
  if (name[0] == '+' || name[0] == '-') {
    int sign = name[0] == '-' ? -1 : 1;
    std::string digits;
    for (char c : name.substr(1)) {
      if (c == ':') continue;
      if (c < '0' || c > '9') return Status::InvalidArgument("bad time zone offset '" + z.name_ + "'");
      digits += c;
    }
    if (digits.size() != 2 && digits.size() != 4) {
      return Status::InvalidArgument("bad time zone offset '" + z.name_ + "' (expected +HH:MM)");
    }
    int h = std::stoi(digits.substr(0, 2));
    int m = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
    if (h > 14 || m > 59) return Status::InvalidArgument("bad time zone offset '" + z.name_ + "'");
    z.offset_s_ = sign * (h * 3600 + m * 60);
    return z;
  }
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(name), &tz)) {
    return Status::InvalidArgument("unknown time zone '" + z.name_ +
                                   "' (is the tzdata package installed?)");
  }
  z.fixed_ = false;
  z.impl_ = std::make_shared<Impl>(Impl{tz});
  return z;
}

TimeUs TimeZone::ToUtc(const CivilTime& c) const {
  if (fixed_) return FromCivilUtc(c) - TimeUs{offset_s_} * kUsPerSecond;
  absl::CivilSecond cs(c.year, c.month, c.day, c.hour, c.minute, c.second);
  absl::Time t = impl_->tz.At(cs).pre;
  return absl::ToUnixMicros(t) + c.micros;
}

}  // namespace portstorm
