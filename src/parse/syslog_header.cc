#include "parse/syslog_header.h"

#include <algorithm>

#include "parse/detail/text.h"

namespace portstorm::parse::detail {
namespace {

constexpr std::string_view kNoTimestamp = "no timestamp";

// "Jan".."Dec" -> 1..12 without a loop over twelve strings: this runs on
// every RFC 3164 line.
int FastMonth(const char* p) {
  switch (p[0]) {
    case 'J':
      if (p[1] == 'a' && p[2] == 'n') return 1;
      if (p[1] == 'u' && p[2] == 'n') return 6;
      if (p[1] == 'u' && p[2] == 'l') return 7;
      return 0;
    case 'F': return p[1] == 'e' && p[2] == 'b' ? 2 : 0;
    case 'M':
      if (p[1] == 'a' && p[2] == 'r') return 3;
      if (p[1] == 'a' && p[2] == 'y') return 5;
      return 0;
    case 'A':
      if (p[1] == 'p' && p[2] == 'r') return 4;
      if (p[1] == 'u' && p[2] == 'g') return 8;
      return 0;
    case 'S': return p[1] == 'e' && p[2] == 'p' ? 9 : 0;
    case 'O': return p[1] == 'c' && p[2] == 't' ? 10 : 0;
    case 'N': return p[1] == 'o' && p[2] == 'v' ? 11 : 0;
    case 'D': return p[1] == 'e' && p[2] == 'c' ? 12 : 0;
    default: return 0;
  }
}

// "HH:MM:SS" at p (8 readable bytes); false if the shape is wrong.
bool ParseClock(const char* p, CivilTime* c) {
  if (p[2] != ':' || p[5] != ':') return false;
  int h = Digits2(p), m = Digits2(p + 3), s = Digits2(p + 6);
  if (h < 0 || m < 0 || s < 0) return false;
  c->hour = h;
  c->minute = m;
  c->second = s;
  return true;
}

bool ClockInRange(const CivilTime& c) { return c.hour <= 23 && c.minute <= 59 && c.second <= 60; }

// ".123456789" -> micros; returns bytes consumed (0 if no fraction).
size_t ParseFraction(std::string_view s, size_t i, int* micros) {
  if (i >= s.size() || (s[i] != '.' && s[i] != ',')) return 0;
  size_t j = i + 1;
  int v = 0, digits = 0;
  while (j < s.size() && IsDigit(s[j])) {
    if (digits < 6) {
      v = v * 10 + (s[j] - '0');
      ++digits;
    }
    ++j;
  }
  if (j == i + 1) return 0;
  while (digits < 6) {
    v *= 10;
    ++digits;
  }
  *micros = v;
  return j - i;
}

// "±HH:MM", "±HHMM" or "±HH" at s[i]; returns bytes consumed, 0 if none.
size_t ParseOffset(std::string_view s, size_t i, int* offset_s, bool* valid) {
  if (i + 3 > s.size() || (s[i] != '+' && s[i] != '-')) return 0;
  int sign = s[i] == '-' ? -1 : 1;
  int h = Digits2(s.data() + i + 1);
  if (h < 0) return 0;
  size_t j = i + 3;
  int m = 0;
  if (j + 3 <= s.size() && s[j] == ':' && Digits2(s.data() + j + 1) >= 0) {
    m = Digits2(s.data() + j + 1);
    j += 3;
  } else if (j + 2 <= s.size() && Digits2(s.data() + j) >= 0) {
    m = Digits2(s.data() + j);
    j += 2;
  }
  if (h > 14 || m > 59) *valid = false;
  *offset_s = sign * (h * 3600 + m * 60);
  return j - i;
}

}  // namespace

size_t ParseIsoTimestamp(std::string_view s, bool space_before_offset, ParsedTime* out,
                         bool* valid) {
  *valid = true;
  if (s.size() < 19) return 0;
  const char* p = s.data();
  if (p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ')) return 0;
  int y1 = Digits2(p), y2 = Digits2(p + 2), mo = Digits2(p + 5), d = Digits2(p + 8);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0) return 0;
  CivilTime c;
  c.year = y1 * 100 + y2;
  c.month = mo;
  c.day = d;
  if (!ParseClock(p + 11, &c)) return 0;
  size_t i = 19;
  i += ParseFraction(s, i, &c.micros);
  out->has_offset = false;
  out->offset_s = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    out->has_offset = true;
    ++i;
  } else {
    size_t at = i;
    if (space_before_offset && at + 1 < s.size() && s[at] == ' ') ++at;
    size_t n = ParseOffset(s, at, &out->offset_s, valid);
    if (n > 0) {
      out->has_offset = true;
      i = at + n;
    }
  }
  if (!IsValidDate(c.year, c.month, c.day) || !ClockInRange(c)) *valid = false;
  out->civil = c;
  return i;
}

TimeUs LocalClock::ToUtc(const CivilTime& c) {
  if (tz_.is_utc()) {
    int64_t day_key = (int64_t{c.year} * 16 + c.month) * 32 + c.day;
    if (day_key != cached_day_key_) {
      cached_day_utc_ = FromCivilUtc(CivilTime{c.year, c.month, c.day, 0, 0, 0, 0});
      cached_day_key_ = day_key;
    }
    return cached_day_utc_ + (TimeUs{c.hour} * 3600 + c.minute * 60 + c.second) * kUsPerSecond +
           c.micros;
  }
  int64_t key = ((((int64_t{c.year} * 16 + c.month) * 32 + c.day) * 32 + c.hour) * 64) + c.minute;
  if (key != cached_minute_key_) {
    CivilTime minute = c;
    minute.second = 0;
    minute.micros = 0;
    cached_minute_utc_ = tz_.ToUtc(minute);
    cached_minute_key_ = key;
  }
  return cached_minute_utc_ + TimeUs{c.second} * kUsPerSecond + c.micros;
}

TimeUs LocalClock::ToUtc(const ParsedTime& t) {
  if (t.has_offset) return FromCivilUtc(t.civil) - TimeUs{t.offset_s} * kUsPerSecond;
  return ToUtc(t.civil);
}

SyslogHeaderParser::SyslogHeaderParser(const ParseOptions& options)
    : options_(options), clock_(options.tz) {}

void SyslogHeaderParser::SetTimeError(SyslogHeader* out, std::string_view field,
                                      std::string_view why) {
  out->has_time = false;
  time_error_ = FieldDetail(field, why);
  out->time_error = time_error_;
}

void SyslogHeaderParser::Parse(std::string_view line, SyslogHeader* out) {
  *out = SyslogHeader{};
  out->time_error = kNoTimestamp;
  std::string_view s = line;
  // <PRI>: 1-3 digits. A malformed one is left in the message.
  if (s.size() > 2 && s[0] == '<') {
    size_t j = 1;
    while (j < s.size() && j < 4 && IsDigit(s[j])) ++j;
    if (j > 1 && j < s.size() && s[j] == '>') s.remove_prefix(j + 1);
  }
  out->message = s;
  if (s.empty()) return;
  bool ok = false;
  if (s.size() > 2 && s[0] == '1' && s[1] == ' ') {
    ok = ParseIsoHeader(s.substr(2), /*rfc5424=*/true, out);
  } else if (IsDigit(s[0])) {
    ok = ParseIsoHeader(s, /*rfc5424=*/false, out) || ParseProxmox(s, out);
  } else if (s[0] == '[') {
    ok = ParseDmesg(s, out);
  } else if (s[0] >= 'A' && s[0] <= 'Z') {
    ok = ParseRfc3164(s, out);
  }
  if (!ok) {
    *out = SyslogHeader{};
    out->time_error = kNoTimestamp;
    out->message = s;
  }
}

void SyslogHeaderParser::SplitHost(std::string_view rest, SyslogHeader* out) {
  size_t i = 0;
  while (i < rest.size() && rest[i] == ' ') ++i;
  rest.remove_prefix(i);
  // The host is a short token: a plain loop beats a call to memchr.
  size_t end = 0;
  while (end < rest.size() && rest[end] != ' ') ++end;
  if (end == rest.size()) end = std::string_view::npos;
  std::string_view token = rest.substr(0, end);
  bool is_host = !token.empty() && token.back() != ':' && token[0] != '[' &&
                 token.find('=') == std::string_view::npos;
  if (!is_host) {
    out->message = rest;
    return;
  }
  out->host = token;
  if (end == std::string_view::npos) {
    out->message = {};
    return;
  }
  rest.remove_prefix(end);
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  out->message = rest;
}

int SyslogHeaderParser::YearFor(int month, int day, int hour, int minute, int second) {
  if (year_ == 0) {
    if (options_.year != 0) {
      year_ = options_.year;
    } else {
      TimeUs ref = options_.reference_time != 0 ? options_.reference_time : NowUs();
      int y = ToCivilUtc(ref).year;
      CivilTime c{y, month, day, hour, minute, second, 0};
      if (clock_.ToUtc(c) > ref + kUsPerDay) --y;
      year_ = y;
    }
    last_month_ = month;
    return year_;
  }
  if (last_month_ == 12 && month == 1) {
    ++year_;
    last_month_ = 1;
    return year_;
  }
  if (last_month_ == 1 && month == 12) return year_ - 1;  // a late line from last year
  last_month_ = month;
  return year_;
}

bool SyslogHeaderParser::ParseRfc3164(std::string_view s, SyslogHeader* out) {
  // "Mmm dd HH:MM:SS" with the day as " d", "dd" or "d".
  if (s.size() < 14 || s[3] != ' ') return false;
  int month = FastMonth(s.data());
  if (month == 0) return false;
  size_t i = 4;
  int day;
  if (s[4] == ' ' && IsDigit(s[5])) {
    day = s[5] - '0';
    i = 6;
  } else if (IsDigit(s[4]) && IsDigit(s[5])) {
    day = (s[4] - '0') * 10 + (s[5] - '0');
    i = 6;
  } else if (IsDigit(s[4]) && s[5] == ' ') {
    day = s[4] - '0';
    i = 5;
  } else {
    return false;
  }
  if (i + 9 > s.size() || s[i] != ' ') return false;
  ++i;
  CivilTime c;
  if (!ParseClock(s.data() + i, &c)) return false;
  i += 8;
  i += ParseFraction(s, i, &c.micros);
  if (i < s.size() && s[i] != ' ') return false;
  out->form = HeaderForm::kRfc3164;
  SplitHost(s.substr(i), out);
  c.month = month;
  c.day = day;
  if (day < 1 || day > 31 || !ClockInRange(c)) {
    SetTimeError(out, s.substr(0, i), "invalid date or time");
    return true;
  }
  c.year = YearFor(month, day, c.hour, c.minute, c.second);
  if (!IsValidDate(c.year, c.month, c.day)) {
    SetTimeError(out, s.substr(0, i), "no such day in " + std::to_string(c.year));
    return true;
  }
  out->time = clock_.ToUtc(c);
  out->has_time = true;
  return true;
}

bool SyslogHeaderParser::ParseIsoHeader(std::string_view s, bool rfc5424, SyslogHeader* out) {
  ParsedTime t;
  bool valid = true;
  size_t n = 0;
  bool nil_time = false;
  if (rfc5424 && s.size() >= 1 && s[0] == '-') {
    n = 1;
    nil_time = true;
  } else {
    n = ParseIsoTimestamp(s, /*space_before_offset=*/false, &t, &valid);
    if (n == 0) return false;
  }
  if (n < s.size() && s[n] != ' ') return false;
  out->form = rfc5424 ? HeaderForm::kRfc5424 : HeaderForm::kIso8601;
  std::string_view rest = s.substr(n);
  if (!rfc5424) {
    SplitHost(rest, out);
  } else {
    // HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]; "-" = nil.
    auto next_token = [&rest]() {
      while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
      size_t e = rest.find(' ');
      std::string_view tok = rest.substr(0, e);
      rest.remove_prefix(e == std::string_view::npos ? rest.size() : e);
      return tok;
    };
    std::string_view host = next_token();
    out->host = host == "-" ? std::string_view() : host;
    next_token();  // app-name
    next_token();  // procid
    next_token();  // msgid
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (!rest.empty() && rest[0] == '-') {
      rest.remove_prefix(1);
    } else {
      // One or more [id k="v" ...] elements; ']' and '"' may be escaped inside values.
      while (!rest.empty() && rest[0] == '[') {
        size_t j = 1;
        bool quoted = false;
        for (; j < rest.size(); ++j) {
          char c = rest[j];
          if (quoted && c == '\\') {
            ++j;
          } else if (c == '"') {
            quoted = !quoted;
          } else if (!quoted && c == ']') {
            break;
          }
        }
        rest.remove_prefix(std::min(j + 1, rest.size()));
      }
    }
    if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (rest.size() >= 3 && rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // BOM
    out->message = rest;
  }
  if (nil_time) {
    SetTimeError(out, "-", "RFC 5424 line without a timestamp");
    return true;
  }
  if (!valid) {
    SetTimeError(out, s.substr(0, n), "invalid date or time");
    return true;
  }
  out->time = clock_.ToUtc(t);
  out->has_time = true;
  return true;
}

bool SyslogHeaderParser::ParseDmesg(std::string_view s, SyslogHeader* out) {
  size_t close = s.find(']');
  if (close == std::string_view::npos || close > 40) return false;
  std::string_view inner = s.substr(1, close - 1);
  std::string_view rest = s.substr(close + 1);
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  // "[ 1234.567890]": seconds since boot.
  size_t i = 0;
  while (i < inner.size() && inner[i] == ' ') ++i;
  size_t dot = inner.find('.', i);
  uint64_t secs = 0, frac = 0;
  if (dot != std::string_view::npos && ParseUint(inner.substr(i, dot - i), 1ull << 40, &secs) &&
      dot + 1 < inner.size() && inner.size() - dot - 1 <= 9 &&
      ParseUint(inner.substr(dot + 1), 999999999, &frac)) {
    out->form = HeaderForm::kDmesgUptime;
    out->message = rest;
    if (options_.boot_time == 0) {
      SetTimeError(out, s.substr(0, close + 1), "dmesg uptime needs a boot time");
      return true;
    }
    for (size_t d = inner.size() - dot - 1; d < 6; ++d) frac *= 10;
    for (size_t d = inner.size() - dot - 1; d > 6; --d) frac /= 10;
    out->time = options_.boot_time + static_cast<TimeUs>(secs) * kUsPerSecond +
                static_cast<TimeUs>(frac);
    out->has_time = true;
    return true;
  }
  // "[Sat Mar  2 15:32:54 2002]" (dmesg -T): local time.
  if (inner.size() < 23 || inner[3] != ' ' || inner[7] != ' ') return false;
  int month = FastMonth(inner.data() + 4);
  if (month == 0) return false;
  size_t j = 8;
  int day;
  if (inner[j] == ' ' && IsDigit(inner[j + 1])) {
    day = inner[j + 1] - '0';
    j += 2;
  } else if (IsDigit(inner[j]) && IsDigit(inner[j + 1])) {
    day = Digits2(inner.data() + j);
    j += 2;
  } else if (IsDigit(inner[j]) && inner[j + 1] == ' ') {
    day = inner[j] - '0';
    j += 1;
  } else {
    return false;
  }
  if (j + 14 != inner.size() || inner[j] != ' ' || inner[j + 9] != ' ') return false;
  CivilTime c;
  if (!ParseClock(inner.data() + j + 1, &c)) return false;
  int y1 = Digits2(inner.data() + j + 10), y2 = Digits2(inner.data() + j + 12);
  if (y1 < 0 || y2 < 0) return false;
  out->form = HeaderForm::kDmesgWall;
  out->message = rest;
  c.year = y1 * 100 + y2;
  c.month = month;
  c.day = day;
  if (!IsValidDate(c.year, c.month, c.day) || !ClockInRange(c)) {
    SetTimeError(out, s.substr(0, close + 1), "invalid date or time");
    return true;
  }
  out->time = clock_.ToUtc(c);
  out->has_time = true;
  return true;
}

bool SyslogHeaderParser::ParseProxmox(std::string_view s, SyslogHeader* out) {
  // "VMID LEVEL CHAIN DD/Mon/YYYY:HH:MM:SS ±HHMM ..." (pve-firewall.log).
  size_t i = 0;
  for (int field = 0; field < 3; ++field) {
    size_t e = s.find(' ', i);
    if (e == std::string_view::npos || e == i) return false;
    if (field < 2) {
      for (size_t k = i; k < e; ++k) {
        if (!IsDigit(s[k])) return false;
      }
    }
    i = e + 1;
  }
  std::string_view ts = s.substr(i);
  if (ts.size() < 26 || ts[2] != '/' || ts[6] != '/' || ts[11] != ':' || ts[20] != ' ') {
    return false;
  }
  int day = Digits2(ts.data());
  int month = FastMonth(ts.data() + 3);
  int y1 = Digits2(ts.data() + 7), y2 = Digits2(ts.data() + 9);
  CivilTime c;
  if (day < 0 || month == 0 || y1 < 0 || y2 < 0 || !ParseClock(ts.data() + 12, &c)) return false;
  bool valid = true;
  int offset_s = 0;
  size_t n = ParseOffset(ts, 21, &offset_s, &valid);
  if (n == 0) return false;
  size_t end = 21 + n;
  if (end < ts.size() && ts[end] != ' ') return false;
  out->form = HeaderForm::kProxmox;
  std::string_view rest = ts.substr(end);
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  out->message = rest;
  c.year = y1 * 100 + y2;
  c.month = month;
  c.day = day;
  if (!valid || !IsValidDate(c.year, c.month, c.day) || !ClockInRange(c)) {
    SetTimeError(out, ts.substr(0, end), "invalid date or time");
    return true;
  }
  out->time = FromCivilUtc(c) - TimeUs{offset_s} * kUsPerSecond;
  out->has_time = true;
  return true;
}

}  // namespace portstorm::parse::detail
