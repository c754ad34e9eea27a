// Formatting helpers for the simulator's log writers: decimal and hex
// digits, IPv4/IPv6 text, dates and syslog headers, written straight into a
// caller's char buffer.
//
// Contract (every Write* function): `p` points into a buffer with room for
// the longest text the function can produce plus 4 bytes of slack (some
// functions store a few bytes past the returned end and let the next write
// overwrite them); the function returns the end of what it wrote. Nothing here
// allocates, so a writer can format a whole line into a pre-sized std::string.
// core's IpAddr::ToString / FormatTime allocate and go through libc, which is
// too slow for the generator's >= 2M lines/s.
//
// The free functions are stateless and thread-safe; DateCache and
// SyslogStamp keep a one-day cache and belong to one writer.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/ip_addr.h"
#include "core/time.h"

namespace portstorm::sim::detail {

inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
inline constexpr char kHexUpper[] = "0123456789ABCDEF";
inline constexpr char kHexLower[] = "0123456789abcdef";

inline char* Append(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

inline int CountDigits(uint64_t v) {
  int n = 1;
  while (v >= 10000) {
    v /= 10000;
    n += 4;
  }
  if (v >= 1000) return n + 3;
  if (v >= 100) return n + 2;
  if (v >= 10) return n + 1;
  return n;
}

// Fills [p, end) from the right with the digits of v (v must fit).
inline void FillDigits(char* end, uint64_t v) {
  while (v >= 100) {
    uint64_t r = v % 100;
    v /= 100;
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * r, 2);
  }
  if (v >= 10) {
    std::memcpy(end - 2, kDigitPairs + 2 * v, 2);
  } else {
    end[-1] = static_cast<char>('0' + v);
  }
}

// Decimal, no padding ("%u").
inline char* WriteUint(char* p, uint64_t v) {
  char* end = p + CountDigits(v);
  FillDigits(end, v);
  return end;
}

// Decimal padded to `width` with `pad` ("%5u" with ' ', "%06u" with '0').
inline char* WritePadded(char* p, uint64_t v, int width, char pad) {
  int n = CountDigits(v);
  for (; n < width; --width) *p++ = pad;
  char* end = p + n;
  FillDigits(end, v);
  return end;
}

// Two digits, zero-padded; v < 100.
inline char* Write2(char* p, uint32_t v) {
  std::memcpy(p, kDigitPairs + 2 * v, 2);
  return p + 2;
}

// "%02X" / "%02x".
inline char* WriteHexByteUpper(char* p, uint8_t b) {
  p[0] = kHexUpper[b >> 4];
  p[1] = kHexUpper[b & 15];
  return p + 2;
}
inline char* WriteHexByteLower(char* p, uint8_t b) {
  p[0] = kHexLower[b >> 4];
  p[1] = kHexLower[b & 15];
  return p + 2;
}

// "%x" (lower case, no leading zeros).
inline char* WriteHex(char* p, uint32_t v) {
  int n = 1;
  for (uint32_t t = v >> 4; t != 0; t >>= 4) ++n;
  for (int i = n - 1; i >= 0; --i) {
    p[i] = kHexLower[v & 15];
    v >>= 4;
  }
  return p + n;
}

// Octet texts with a trailing '.', four bytes each, so an address is four
// fixed-size copies: "7." = {'7', '.', ?, ?} advanced by 2.
struct OctetText {
  char text[4];
  uint8_t len;  // digits only
};
inline constexpr std::array<OctetText, 256> kOctets = [] {
  std::array<OctetText, 256> t{};
  for (int v = 0; v < 256; ++v) {
    OctetText& o = t[static_cast<size_t>(v)];
    int i = 0;
    if (v >= 100) o.text[i++] = static_cast<char>('0' + v / 100);
    if (v >= 10) o.text[i++] = static_cast<char>('0' + v / 10 % 10);
    o.text[i++] = static_cast<char>('0' + v % 10);
    o.len = static_cast<uint8_t>(i);
    o.text[i] = '.';
  }
  return t;
}();

// Dotted quad of a host-order IPv4 address. Stores up to 4 bytes past the end.
inline char* WriteIpv4(char* p, uint32_t a) {
  for (int shift = 24; shift > 0; shift -= 8) {
    const OctetText& o = kOctets[(a >> shift) & 255];
    std::memcpy(p, o.text, 4);
    p += o.len + 1;
  }
  const OctetText& o = kOctets[a & 255];
  std::memcpy(p, o.text, 4);
  return p + o.len;
}

inline uint16_t Group(const IpAddr& a, int i) {
  const auto& b = a.bytes();
  return static_cast<uint16_t>(b[static_cast<size_t>(2 * i)] << 8 |
                               b[static_cast<size_t>(2 * i + 1)]);
}

// The kernel's %pI6: eight groups of four lower-case hex digits, no "::"
// ("2001:0db8:0000:0000:0000:0000:0000:0001"), as ip6tables LOG prints SRC=/DST=.
inline char* WriteIpv6Full(char* p, const IpAddr& a) {
  const auto& b = a.bytes();
  for (size_t i = 0; i < 16; i += 2) {
    p = WriteHexByteLower(p, b[i]);
    p = WriteHexByteLower(p, b[i + 1]);
    *p++ = ':';
  }
  return p - 1;
}

// RFC 5952 text ("2001:db8::1"): lower case, no leading zeros, the longest
// run (the first of equal runs) of two or more zero groups as "::".
// Unlike inet_ntop it never writes the embedded-IPv4 forms of ::/96.
inline char* WriteIpv6(char* p, const IpAddr& a) {
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (Group(a, i) != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && Group(a, j) == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  for (int i = 0; i < 8;) {
    if (i == best) {
      *p++ = ':';
      *p++ = ':';
      i += best_len;
      continue;
    }
    if (i != 0 && i != best + best_len) *p++ = ':';  // "::" already separates
    p = WriteHex(p, Group(a, i));
    ++i;
  }
  return p;
}

// IPv4 as a dotted quad, anything else as RFC 5952 text.
inline char* WriteIp(char* p, const IpAddr& a) {
  return a.is_v4() ? WriteIpv4(p, a.v4()) : WriteIpv6(p, a);
}

// "HH:MM:SS" of a second of the day.
inline char* WriteClock(char* p, uint32_t sec_of_day) {
  uint32_t h = sec_of_day / 3600, m = sec_of_day / 60 % 60, s = sec_of_day % 60;
  p = Write2(p, h);
  *p++ = ':';
  p = Write2(p, m);
  *p++ = ':';
  return Write2(p, s);
}

// A time split into day number, second of the day and microseconds (floor
// division, so times before 1970 split correctly too).
struct SplitTime {
  int64_t day;
  uint32_t sec_of_day;
  uint32_t micros;
};
inline SplitTime Split(TimeUs t) {
  int64_t day = DayOf(t);
  int64_t rem = t - day * kUsPerDay;
  return {day, static_cast<uint32_t>(rem / kUsPerSecond),
          static_cast<uint32_t>(rem % kUsPerSecond)};
}

// The date part of a timestamp, rendered once per day: logs are written in
// time order, so nearly every line hits the cache.
class DateCache {
 public:
  enum class Form : uint8_t {
    kSyslog,  // "Mar  2" (RFC 3164: month abbreviation, day padded with a space)
    kIso,     // "2002-03-02"
  };
  explicit DateCache(Form form) : form_(form) {}

  char* Write(char* p, int64_t day) {
    if (day != day_) Render(day);
    std::memcpy(p, text_, sizeof text_);
    return p + len_;
  }

 private:
  void Render(int64_t day) {
    static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    char* p = text_;
    if (form_ == Form::kSyslog) {
      p = Append(p, std::string_view(kMonths + 3 * (m - 1), 3));
      *p++ = ' ';
      p = WritePadded(p, static_cast<uint32_t>(d), 2, ' ');
    } else {
      p = WritePadded(p, static_cast<uint64_t>(y < 0 ? 0 : y), 4, '0');
      *p++ = '-';
      p = Write2(p, static_cast<uint32_t>(m));
      *p++ = '-';
      p = Write2(p, static_cast<uint32_t>(d));
    }
    len_ = static_cast<uint8_t>(p - text_);
    day_ = day;
  }

  Form form_;
  int64_t day_ = INT64_MIN;
  char text_[16] = {};
  uint8_t len_ = 0;
};

// The syslog header of a kernel line, host and program tag included:
//   RFC 3164  "Mar  2 15:32:54 host kernel: "                 (whole seconds)
//   ISO 8601  "2002-03-02T15:32:54.630347+00:00 host kernel: " (rsyslog high precision)
// Times are UTC. An empty host is left out.
class SyslogStamp {
 public:
  SyslogStamp(bool iso, std::string_view host) : SyslogStamp(iso, host, "kernel: ") {}
  // Another program's tag after the host: "filterlog[4711]: ", "firewall,info ".
  SyslogStamp(bool iso, std::string_view host, std::string_view tag)
      : iso_(iso), date_(iso ? DateCache::Form::kIso : DateCache::Form::kSyslog) {
    if (!host.empty()) {
      tail_ += ' ';
      tail_.append(host);
    }
    tail_ += ' ';
    tail_.append(tag);
  }
  // Longest text Write produces.
  size_t max_size() const { return 40 + tail_.size(); }
  // Microseconds per tick of the written time.
  TimeUs resolution() const { return iso_ ? 1 : kUsPerSecond; }

  char* Write(char* p, TimeUs t) {
    SplitTime s = Split(t);
    p = date_.Write(p, s.day);
    *p++ = iso_ ? 'T' : ' ';
    p = WriteClock(p, s.sec_of_day);
    if (iso_) {
      *p++ = '.';
      p = WritePadded(p, s.micros, 6, '0');
      p = Append(p, "+00:00");
    }
    return Append(p, tail_);
  }

 private:
  bool iso_;
  DateCache date_;
  std::string tail_;  // " host kernel: "
};

// "Jan".."Dec" for m = 1..12.
inline std::string_view MonthAbbrev(int m) {
  static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  return std::string_view(kMonths + 3 * (m - 1), 3);
}

// "%X": upper-case hex without leading zeros.
inline char* WriteHexUpper(char* p, uint32_t v) {
  int n = 1;
  for (uint32_t t = v >> 4; t != 0; t >>= 4) ++n;
  for (int i = n - 1; i >= 0; --i) {
    p[i] = kHexUpper[v & 15];
    v >>= 4;
  }
  return p + n;
}

// FNV-1a of a text: per-sensor constants (MAC addresses, process ids, serial
// numbers) that must not change between runs.
inline uint32_t TextHash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  return h;
}

// A 32-bit mixer (murmur3's finaliser) for values a line needs but an Event
// does not keep (ack numbers, ICMP ids, session ids): a function of the event.
inline uint32_t Mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  return x ^ (x >> 16);
}

// tcpdump's text for an ICMP destination unreachable code (its unreach2str
// table; pfSense's filterlog prints the same), with `a` the address the
// quoted packet was sent to: "host 192.0.2.1 unreachable". Codes 2, 3 and 4
// (protocol, port, need-to-frag) have texts of their own in both programs.
inline char* WriteIcmpUnreachText(char* p, uint8_t code, const IpAddr& a) {
  static constexpr struct {
    std::string_view head, tail;
  } kTexts[] = {
      {"net ", " unreachable"},                                      // 0
      {"host ", " unreachable"},                                     // 1
      {"", " protocol unreachable"},                                 // 2
      {"", " port unreachable"},                                     // 3
      {"", " unreachable - need to frag"},                           // 4
      {"", " unreachable - source route failed"},                    // 5
      {"net ", " unreachable - unknown"},                            // 6
      {"host ", " unreachable - unknown"},                           // 7
      {"", " unreachable - source host isolated"},                   // 8
      {"net ", " unreachable - admin prohibited"},                   // 9
      {"host ", " unreachable - admin prohibited"},                  // 10
      {"net ", " unreachable - tos prohibited"},                     // 11
      {"host ", " unreachable - tos prohibited"},                    // 12
      {"host ", " unreachable - admin prohibited filter"},           // 13
      {"host ", " unreachable - host precedence violation"},         // 14
      {"host ", " unreachable - precedence cutoff"},                 // 15
  };
  if (code >= std::size(kTexts)) {  // tcpdump's fallback "%s unreachable"
    p = WriteIp(p, a);
    return Append(p, " unreachable");
  }
  p = Append(p, kTexts[code].head);
  p = WriteIp(p, a);
  return Append(p, kTexts[code].tail);
}

// A line buffer inside the caller's string: the constructor grows *out by
// the line's upper bound (plus slack), begin() is where the line starts,
// End() cuts *out back to what was written.
class LineSpan {
 public:
  LineSpan(std::string* out, size_t max_line) : out_(out), old_(out->size()) {
    out->resize(old_ + max_line + 8);
  }
  char* begin() { return out_->data() + old_; }
  void End(char* p) { out_->resize(static_cast<size_t>(p - out_->data())); }

 private:
  std::string* out_;
  size_t old_;
};

// ---------------------------------------------------------------------------
// Firewall and IDS writers (panos, juniper_srx, checkpoint, suricata_eve,
// zeek_conn, csv).

// "YYYY-MM-DD<sep>HH:MM:SS", then ".ffffff" when `micros`. `date` is the
// writer's DateCache of Form::kIso.
inline char* WriteIsoDateTime(char* p, DateCache* date, TimeUs t, char sep, bool micros) {
  SplitTime s = Split(t);
  p = date->Write(p, s.day);
  *p++ = sep;
  p = WriteClock(p, s.sec_of_day);
  if (micros) {
    *p++ = '.';
    p = WritePadded(p, s.micros, 6, '0');
  }
  return p;
}

// Whole seconds since the epoch (times before 1970 are written as 0).
inline char* WriteEpochSeconds(char* p, TimeUs t) {
  return WriteUint(p, t > 0 ? static_cast<uint64_t>(t / kUsPerSecond) : 0);
}

// Values a line needs but an Event does not keep (session ids, flow ids,
// uids) are hashed from the event, so a line is a function of its event
// alone: Mix32 (murmur3's 32-bit finaliser), and a fold of an address through it.
inline uint32_t FwHashAddr(const IpAddr& a, uint32_t seed) {
  const auto& b = a.bytes();
  uint32_t h = seed;
  for (size_t i = 0; i < 16; i += 4) {
    h = Mix32(h ^ (uint32_t{b[i]} << 24 | uint32_t{b[i + 1]} << 16 | uint32_t{b[i + 2]} << 8 |
                   b[i + 3]));
  }
  return h;
}

// Protocols whose records carry ports in the writers' formats: TCP, UDP, SCTP.
constexpr bool HasTransportPorts(uint8_t proto) {
  return proto == kProtoTcp || proto == kProtoUdp || proto == 132;  // SCTP
}

// The protocol word snort and Suricata take from /etc/protocols (upper case),
// else "PROTO:%03d" (snort_fast and snort_full lines).
inline char* WriteSnortProto(char* p, uint8_t proto) {
  switch (proto) {
    case kProtoTcp: return Append(p, "TCP");
    case kProtoUdp: return Append(p, "UDP");
    case kProtoIcmp: return Append(p, "ICMP");
    case kProtoIpv6Icmp: return Append(p, "IPV6-ICMP");
    case kProtoIgmp: return Append(p, "IGMP");
    case 41: return Append(p, "IPV6");
    case 47: return Append(p, "GRE");
    case 50: return Append(p, "ESP");
    case 51: return Append(p, "AH");
    case 103: return Append(p, "PIM");
    case 132: return Append(p, "SCTP");
    case 136: return Append(p, "UDPLITE");
    default:
      p = Append(p, "PROTO:");
      return WritePadded(p, proto, 3, '0');
  }
}

}  // namespace portstorm::sim::detail
