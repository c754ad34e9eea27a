// The syslog header in front of kernel log lines, shared by the netfilter and
// ipchains parsers. Recognised forms (an optional "<PRI>" may precede the
// first four):
//
//   RFC 3164     "Mar  2 15:32:54 host kernel: ..."     (no year: inferred)
//   RFC 5424     "<6>1 2021-03-12T14:10:18.123Z host kernel - - - ..."
//   ISO 8601     "2021-03-12T14:10:18+01:00 host kernel: ..." (also journalctl
//                short-iso "+0100", fractions, "Z", or no offset = options.tz)
//   dmesg        "[ 1234.567890] ..." (seconds since boot: needs boot_time)
//   dmesg -T     "[Sat Mar  2 15:32:54 2002] ..."
//   Proxmox      "0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 ..."
//
// The host is the token after the timestamp unless that token is a program
// tag ("kernel:"), a bracketed prefix or a KEY=value field, in which case the
// line names no host. The message is everything after the host.
//
// RFC 3164 year: ParseOptions::year, or, when 0, the year that puts the
// stream's first RFC 3164 timestamp not after reference_time + 1 day (now if
// reference_time is 0). A December -> January step inside the stream
// advances the year; a December line right after a January one (a late
// line) is placed in the previous year without moving the stream's year.
//
// SyslogHeaderParser keeps that per-stream state and a one-entry cache of the
// local-minute -> UTC conversion, so it belongs to one parser and one stream.
// Views in SyslogHeader point into the line, or (time_error) into the
// parser; they are valid until the next Parse call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"
#include "parse/parser.h"

namespace portstorm::parse::detail {

struct ParsedTime {
  CivilTime civil;
  bool has_offset = false;  // a zone was given: civil - offset_s = UTC
  int offset_s = 0;
};

// Parses an ISO 8601 / RFC 3339 timestamp
// "YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]" at the start of `s`
// (with space_before_offset, also "... HH:MM:SS ±HH:MM" as DShield writes it).
// Returns the bytes consumed, 0 if `s` does not start with one; *valid is
// false when the shape is right but a value is out of range (month 13, Feb 30).
size_t ParseIsoTimestamp(std::string_view s, bool space_before_offset, ParsedTime* out,
                         bool* valid);

// Converts local civil times of one zone to UTC. Logs arrive in time order,
// so a one-entry cache per local minute turns the (abseil, named-zone)
// conversion into arithmetic for nearly every line (for UTC, one per day
// saves the calendar arithmetic). One per stream.
class LocalClock {
 public:
  explicit LocalClock(const TimeZone& tz) : tz_(tz) {}
  TimeUs ToUtc(const CivilTime& local);
  // A ParsedTime's own offset if it has one, else the zone.
  TimeUs ToUtc(const ParsedTime& t);

 private:
  TimeZone tz_;
  int64_t cached_minute_key_ = -1;
  TimeUs cached_minute_utc_ = 0;
  int64_t cached_day_key_ = -1;  // UTC: the day of the last line, and its start
  TimeUs cached_day_utc_ = 0;
};

enum class HeaderForm : uint8_t {
  kNone,        // no header recognised: message = whole line
  kRfc3164,
  kRfc5424,
  kIso8601,
  kDmesgUptime,
  kDmesgWall,
  kProxmox,
};

struct SyslogHeader {
  HeaderForm form = HeaderForm::kNone;
  bool has_time = false;
  TimeUs time = 0;
  std::string_view host;     // empty when the line names none
  std::string_view message;  // text after header and host
  // Why has_time is false ("no timestamp", "Feb 30: invalid date", ...).
  std::string_view time_error;
};

class SyslogHeaderParser {
 public:
  explicit SyslogHeaderParser(const ParseOptions& options);

  // Never fails: an unrecognised line comes back as kNone with the whole line
  // as message; an invalid timestamp as has_time = false with time_error.
  void Parse(std::string_view line, SyslogHeader* out);

 private:
  bool ParseRfc3164(std::string_view s, SyslogHeader* out);
  bool ParseIsoHeader(std::string_view s, bool rfc5424, SyslogHeader* out);
  bool ParseDmesg(std::string_view s, SyslogHeader* out);
  bool ParseProxmox(std::string_view s, SyslogHeader* out);
  void SplitHost(std::string_view rest, SyslogHeader* out);
  int YearFor(int month, int day, int hour, int minute, int second);
  void SetTimeError(SyslogHeader* out, std::string_view field, std::string_view why);

  ParseOptions options_;
  int year_ = 0;        // stream year for RFC 3164 lines, 0 = not known yet
  int last_month_ = 0;  // month of the last RFC 3164 line
  LocalClock clock_;
  std::string time_error_;
};

}  // namespace portstorm::parse::detail
