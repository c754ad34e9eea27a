// Pieces shared by the snort_fast and snort_full parsers (header-only,
// internal to src/parse/formats): snort/Suricata packet timestamps, year
// inference for the year-less snort form, protocol names as snort and
// Suricata print them, and "address[:port]" tokens.
//
//   snort         03/02-15:32:54.630347      (no year; ParseOptions::year or
//                                             inferred from reference_time)
//   snort -y      03/02/02-15:32:54.630347   (MM/DD/YY)
//   Suricata      03/02/2002-15:32:54.630347 (MM/DD/YYYY)
//
// A two-digit-year stamp whose first field cannot be a month (> 12) is read
// as YY/MM/DD, which some converters write. Stamps carry no zone: they are
// in ParseOptions::tz (snort and Suricata write local time unless told -U).
//
// Everything here is stateless except YearGuess, which belongs to one
// parser and one stream. Nothing allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/event.h"
#include "core/ip_addr.h"
#include "core/time.h"
#include "parse/detail/text.h"
#include "parse/parser.h"
#include "parse/syslog_header.h"

namespace portstorm::parse::snort_detail {

struct Stamp {
  int year = 0;  // 0: the stamp has none
  int month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0;
};

// Reads a stamp at the start of `s`. Returns the bytes it covers (0 if `s`
// does not start with one; the stamp must end the text or be followed by a
// blank). *valid is false when the shape is right but a value is out of range.
inline size_t ScanStamp(std::string_view s, Stamp* st, bool* valid) {
  using detail::Digits2;
  using detail::IsDigit;
  *valid = true;
  if (s.size() < 14 || s[2] != '/') return 0;
  int a = Digits2(s.data()), b = Digits2(s.data() + 3);
  if (a < 0 || b < 0) return 0;
  size_t i = 5;
  int year = 0, year_digits = 0;
  if (s[i] == '/') {
    ++i;
    while (i < s.size() && IsDigit(s[i]) && year_digits < 5) {
      year = year * 10 + (s[i] - '0');
      ++year_digits;
      ++i;
    }
    if (year_digits != 2 && year_digits != 4) return 0;
  }
  if (i + 9 > s.size() || s[i] != '-' || s[i + 3] != ':' || s[i + 6] != ':') return 0;
  int h = Digits2(s.data() + i + 1), mi = Digits2(s.data() + i + 4), se = Digits2(s.data() + i + 7);
  if (h < 0 || mi < 0 || se < 0) return 0;
  i += 9;
  int micros = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && IsDigit(s[i])) {
      if (digits < 6) micros = micros * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return 0;
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (i < s.size() && s[i] != ' ' && s[i] != '\t') return 0;
  st->month = a;
  st->day = b;
  st->year = 0;
  if (year_digits == 4) {
    st->year = year;
  } else if (year_digits == 2) {
    int yy = year < 70 ? 2000 + year : 1900 + year;
    st->year = yy;
    if (a > 12) {  // YY/MM/DD
      st->year = 2000 + a;
      st->month = b;
      st->day = year;
    }
  }
  st->hour = h;
  st->minute = mi;
  st->second = se;
  st->micros = micros;
  if (st->month < 1 || st->month > 12 || st->day < 1 || st->day > 31 || h > 23 || mi > 59 ||
      se > 60) {
    *valid = false;
  } else if (st->year != 0 && !IsValidDate(st->year, st->month, st->day)) {
    *valid = false;
  }
  return i;
}

// The year of year-less stamps, as SyslogHeaderParser does for RFC 3164:
// ParseOptions::year, else the year that puts the stream's first stamp not
// after reference_time + 1 day (now if 0); a December -> January step inside
// the stream advances it, a December line right after a January one is
// placed in the previous year.
class YearGuess {
 public:
  explicit YearGuess(const ParseOptions& o) : fixed_(o.year), reference_(o.reference_time) {}

  int For(const Stamp& st, detail::LocalClock& clock) {
    if (year_ == 0) {
      if (fixed_ != 0) {
        year_ = fixed_;
      } else {
        TimeUs ref = reference_ != 0 ? reference_ : NowUs();
        int y = ToCivilUtc(ref).year;
        CivilTime c{y,       st.month,  st.day == 29 && st.month == 2 ? 28 : st.day,
                    st.hour, st.minute, st.second,
                    0};
        if (clock.ToUtc(c) > ref + kUsPerDay) --y;
        year_ = y;
      }
      last_month_ = st.month;
      return year_;
    }
    if (last_month_ == 12 && st.month == 1) {
      ++year_;
      last_month_ = 1;
      return year_;
    }
    if (last_month_ == 1 && st.month == 12) return year_ - 1;
    last_month_ = st.month;
    return year_;
  }

 private:
  int fixed_;
  TimeUs reference_;
  int year_ = 0;
  int last_month_ = 0;
};

// UTC time of a stamp; false when a year-less Feb 29 lands in a common year.
inline bool StampTime(const Stamp& st, YearGuess& years, detail::LocalClock& clock, TimeUs* out) {
  CivilTime c{st.year, st.month, st.day, st.hour, st.minute, st.second, st.micros};
  if (c.year == 0) c.year = years.For(st, clock);
  if (!IsValidDate(c.year, c.month, c.day)) return false;
  *out = clock.ToUtc(c);
  return true;
}

// Protocol as snort ("TCP", "IPV6-ICMP", "PROTO:255") or Suricata
// ("PROTO:047") print it: ParseProto's names and numbers, "PROTO:n", and the
// other /etc/protocols keywords the two take their names from.
inline bool ParseProtoName(std::string_view s, uint8_t* out) {
  if (s.size() > 6 && detail::EqualsUpper(s.substr(0, 6), "PROTO:")) {
    uint64_t v;
    if (!detail::ParseUint(s.substr(6), 255, &v)) return false;
    *out = static_cast<uint8_t>(v);
    return true;
  }
  if (auto p = ParseProto(s)) {
    *out = *p;
    return true;
  }
  struct Name {
    std::string_view upper;
    uint8_t number;
  };
  static constexpr Name kNames[] = {
      {"HOPOPT", 0},       {"IP", 0},          {"GGP", 3},         {"IPENCAP", 4},
      {"IPV4", 4},         {"ST", 5},          {"EGP", 8},         {"IGP", 9},
      {"PUP", 12},         {"HMP", 20},        {"XNS-IDP", 22},    {"RDP", 27},
      {"ISO-TP4", 29},     {"DCCP", 33},       {"XTP", 36},        {"DDP", 37},
      {"IDPR-CMTP", 38},   {"IPV6", 41},       {"IPV6-ROUTE", 43}, {"IPV6-FRAG", 44},
      {"IDRP", 45},        {"RSVP", 46},       {"IPSEC-ESP", 50},  {"IPSEC-AH", 51},
      {"SKIP", 57},        {"IPV6-NONXT", 59}, {"IPV6-OPTS", 60},  {"RSPF", 73},
      {"VMTP", 81},        {"EIGRP", 88},      {"OSPF", 89},       {"OSPFIGP", 89},
      {"AX.25", 93},       {"IPIP", 94},       {"ETHERIP", 97},    {"ENCAP", 98},
      {"PIM", 103},        {"IPCOMP", 108},    {"VRRP", 112},      {"CARP", 112},
      {"L2TP", 115},       {"ISIS", 124},      {"FC", 133},        {"UDPLITE", 136},
      {"MPLS-IN-IP", 137}, {"HIP", 139},       {"SHIM6", 140},
  };
  for (const Name& n : kNames) {
    if (detail::EqualsUpper(s, n.upper)) {
      *out = n.number;
      return true;
    }
  }
  return false;
}

// Protocols whose alerts carry ports in snort's output.
constexpr bool HasPorts(uint8_t proto) {
  return proto == kProtoTcp || proto == kProtoUdp || proto == 132;  // SCTP
}

struct EndpointError {
  Reason reason = Reason::kUnparsableAddress;
  std::string_view why;
};

namespace internal {
inline bool PortOf(std::string_view s, uint16_t* port, EndpointError* err) {
  uint64_t v;
  if (detail::ParseUint(s, 65535, &v)) {
    *port = static_cast<uint16_t>(v);
    return true;
  }
  err->reason = Reason::kBadPort;
  err->why = detail::ParseUint(s, UINT64_MAX, &v) ? "port > 65535" : "port not a number";
  return false;
}
}  // namespace internal

// "a.b.c.d", "a.b.c.d:port", "[v6]", "[v6]:port" or a bare IPv6 address
// with or without ":port". Bare IPv6 is ambiguous: an uncompressed address
// (Suricata writes all eight groups) has a port when it has nine groups; a
// compressed one ("2001:db8::1:80", snort) has a port when `ports_expected`.
inline bool ParseEndpoint(std::string_view tok, bool ports_expected, IpAddr* addr, uint16_t* port,
                          bool* has_port, EndpointError* err) {
  *has_port = false;
  *port = 0;
  err->reason = Reason::kUnparsableAddress;
  err->why = "not an IP address";
  if (tok.empty()) return false;
  if (tok[0] == '[') {
    size_t close = tok.find(']');
    if (close == std::string_view::npos) return false;
    if (!IpAddr::Parse(tok.substr(1, close - 1), addr)) return false;
    std::string_view rest = tok.substr(close + 1);
    if (rest.empty()) return true;
    if (rest[0] != ':') return false;
    *has_port = true;
    return internal::PortOf(rest.substr(1), port, err);
  }
  size_t colons = 0;
  for (char c : tok) colons += c == ':';
  if (colons == 0) return IpAddr::Parse(tok, addr);
  size_t last = tok.rfind(':');
  if (colons == 1) {
    uint32_t v4;
    if (!ParseIPv4(tok.substr(0, last), &v4)) return false;
    *addr = IpAddr::V4(v4);
    *has_port = true;
    return internal::PortOf(tok.substr(last + 1), port, err);
  }
  bool compressed = tok.find("::") != std::string_view::npos;
  bool split_first = compressed ? ports_expected : colons == 8;
  auto try_split = [&]() {
    std::string_view tail = tok.substr(last + 1);
    if (tail.empty() || tail.size() > 5) return false;
    for (char c : tail) {
      if (!detail::IsDigit(c)) return false;
    }
    IpAddr a;
    if (!IpAddr::Parse(tok.substr(0, last), &a)) return false;
    uint16_t p;
    if (!internal::PortOf(tail, &p, err)) return false;
    *addr = a;
    *port = p;
    *has_port = true;
    return true;
  };
  if (split_first) {
    if (try_split()) return true;
    if (err->reason == Reason::kBadPort) return false;
    return IpAddr::Parse(tok, addr);
  }
  if (IpAddr::Parse(tok, addr)) return true;
  if (try_split()) return true;
  if (err->reason != Reason::kBadPort) err->why = "not an IP address";
  return false;
}

// TCP flags as snort prints them: eight positions, '*' for a clear flag,
// letters in the order "12UAPRSF" (1 = CWR, 2 = ECE; some builds print C
// and E). Returns false if `s` is not such a string.
inline bool ParseSnortFlags(std::string_view s, uint8_t* flags) {
  if (s.size() != 8) return false;
  uint8_t f = 0;
  for (char c : s) {
    switch (c) {
      case '*':
        break;
      case '1':
      case 'C':
        f |= tcp::kCwr;
        break;
      case '2':
      case 'E':
        f |= tcp::kEce;
        break;
      case 'U':
        f |= tcp::kUrg;
        break;
      case 'A':
        f |= tcp::kAck;
        break;
      case 'P':
        f |= tcp::kPsh;
        break;
      case 'R':
        f |= tcp::kRst;
        break;
      case 'S':
        f |= tcp::kSyn;
        break;
      case 'F':
        f |= tcp::kFin;
        break;
      default:
        return false;
    }
  }
  *flags = f;
  return true;
}

inline uint32_t LineNo(uint64_t lineno) {
  return static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
}

}  // namespace portstorm::parse::snort_detail
