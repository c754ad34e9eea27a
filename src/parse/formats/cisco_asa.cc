#include "parse/formats/cisco_asa.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::IsDigit;
using detail::ParseUint;

constexpr size_t npos = std::string_view::npos;

struct Err {
  Reason reason = Reason::kBadField;
  std::string detail;
};

bool Fail(Err* err, Reason r, std::string_view field, std::string_view why) {
  err->reason = r;
  err->detail = FieldDetail(field, why);
  return false;
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
char Lower(char c) { return IsUpper(c) ? static_cast<char>(c + 32) : c; }

bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Lower(s[i]) != lower[i]) return false;
  }
  return true;
}

// Protocol names as ASA prints them (any case) or a decimal number; the core
// ParseProto allocates, and this runs on every record.
bool ProtoFromName(std::string_view s, bool allow_number, uint8_t* out) {
  static constexpr struct {
    std::string_view name;
    uint8_t proto;
  } kNames[] = {{"tcp", kProtoTcp},       {"udp", kProtoUdp},        {"icmp", kProtoIcmp},
                {"icmp6", kProtoIpv6Icmp}, {"icmpv6", kProtoIpv6Icmp}, {"ipv6-icmp", kProtoIpv6Icmp},
                {"igmp", kProtoIgmp},     {"gre", 47},               {"esp", 50},
                {"ah", 51},               {"pim", 103},              {"sctp", 132}};
  if (s.empty() || s.size() > 9) return false;
  if (IsDigit(s[0])) {
    uint64_t v;
    if (!allow_number || !ParseUint(s, 255, &v)) return false;
    *out = static_cast<uint8_t>(v);
    return true;
  }
  for (const auto& n : kNames) {
    if (EqualsLower(s, n.name)) {
      *out = n.proto;
      return true;
    }
  }
  return false;
}

// Port names ASA prints instead of numbers ("to outside:192.0.2.1/ssh"), from
// Cisco's list of TCP/UDP port literals.
bool PortFromName(std::string_view s, uint16_t* out) {
  static constexpr struct {
    std::string_view name;
    uint16_t port;
  } kPorts[] = {
      {"aol", 5190}, {"bgp", 179}, {"biff", 512}, {"bootpc", 68}, {"bootps", 67}, {"chargen", 19},
      {"cifs", 3020}, {"citrix-ica", 1494}, {"cmd", 514}, {"ctiqbe", 2748}, {"daytime", 13},
      {"discard", 9}, {"dnsix", 195}, {"domain", 53}, {"echo", 7}, {"exec", 512}, {"finger", 79},
      {"ftp", 21}, {"ftp-data", 20}, {"gopher", 70}, {"h323", 1720}, {"hostname", 101},
      {"http", 80}, {"https", 443}, {"ident", 113}, {"imap4", 143}, {"irc", 194}, {"isakmp", 500},
      {"kerberos", 750}, {"klogin", 543}, {"kshell", 544}, {"ldap", 389}, {"ldaps", 636},
      {"login", 513}, {"lotusnotes", 1352}, {"lpd", 515}, {"mobile-ip", 434}, {"nameserver", 42},
      {"netbios-dgm", 138}, {"netbios-ns", 137}, {"netbios-ssn", 139}, {"nfs", 2049}, {"nntp", 119},
      {"ntp", 123}, {"pcanywhere-data", 5631}, {"pcanywhere-status", 5632}, {"pim-auto-rp", 496},
      {"pop2", 109}, {"pop3", 110}, {"pptp", 1723}, {"radius", 1645}, {"radius-acct", 1646},
      {"rip", 520}, {"rsh", 514}, {"rtsp", 554}, {"secureid-udp", 5510}, {"sip", 5060},
      {"smtp", 25}, {"snmp", 161}, {"snmptrap", 162}, {"sqlnet", 1521}, {"ssh", 22},
      {"sunrpc", 111}, {"syslog", 514}, {"tacacs", 49}, {"talk", 517}, {"telnet", 23}, {"tftp", 69},
      {"time", 37}, {"uucp", 540}, {"vxlan", 4789}, {"who", 513}, {"whois", 43}, {"www", 80},
      {"xdmcp", 177},
  };
  for (const auto& p : kPorts) {
    if (EqualsLower(s, p.name)) {
      *out = p.port;
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Message tag "%ASA-[class-]L-NNNNNN[:]"

struct Tag {
  size_t begin = 0, end = 0;
  int id = 0;
};

// The tag whose "ASA-" begins at s[i]; `begin` is where the tag starts ('%').
bool ParseTagAt(std::string_view s, size_t i, size_t begin, Tag* t) {
  size_t n = s.size();
  auto at = [&](std::string_view w) { return n - i >= w.size() && s.substr(i, w.size()) == w; };
  if (at("ASA-") || at("PIX-") || at("FTD-")) {
    i += 4;
  } else if (at("FWSM-")) {
    i += 5;
  } else {
    return false;
  }
  size_t j = i;
  while (j < n && IsLower(s[j])) ++j;  // "%ASA-session-5-106100"
  if (j > i && j < n && s[j] == '-') i = j + 1;
  if (n - i < 8 || !IsDigit(s[i]) || s[i + 1] != '-') return false;
  i += 2;
  int id = 0;
  for (int k = 0; k < 6; ++k) {
    if (!IsDigit(s[i + k])) return false;
    id = id * 10 + (s[i + k] - '0');
  }
  i += 6;
  if (i < n && IsDigit(s[i])) return false;
  if (i < n && s[i] == ':') ++i;
  t->begin = begin;
  t->end = i;
  t->id = id;
  return true;
}

bool FindTag(std::string_view s, Tag* t) {
  size_t p = 0;
  while ((p = s.find('%', p)) != npos) {
    if (ParseTagAt(s, p + 1, p, t)) return true;
    ++p;
  }
  // Some relays drop the '%': "ASA-2-106001: Inbound TCP ..." at the line start.
  return ParseTagAt(s, 0, 0, t);
}

// ---------------------------------------------------------------------------
// Timestamps in the text before the tag.

// Zone abbreviations ASA ("clock timezone") and relays print after the clock.
// Ambiguous ones (IST, CST as China) are left to ParseOptions::tz.
bool ZoneOffset(std::string_view z, int* off) {
  static constexpr struct {
    std::string_view name;
    int hours_x2;  // half hours
  } kZones[] = {{"UTC", 0},   {"GMT", 0},   {"Z", 0},     {"WET", 0},    {"WEST", 2},
                {"BST", 2},   {"CET", 2},   {"CEST", 4},  {"MET", 2},    {"MEST", 4},
                {"EET", 4},   {"EEST", 6},  {"MSK", 6},   {"JST", 18},   {"KST", 18},
                {"AEST", 20}, {"AEDT", 22}, {"NZST", 24}, {"NZDT", 26},  {"EST", -10},
                {"EDT", -8},  {"CST", -12}, {"CDT", -10}, {"MST", -14},  {"MDT", -12},
                {"PST", -16}, {"PDT", -14}, {"AKST", -18}, {"AKDT", -16}, {"HST", -20}};
  for (const auto& k : kZones) {
    if (z == k.name) {
      *off = k.hours_x2 * 1800;
      return true;
    }
  }
  return false;
}

struct Stamp {
  bool found = false;
  size_t begin = 0, end = 0;
  CivilTime civil;
  bool has_year = false;
  bool has_offset = false;
  int offset_s = 0;
  bool valid = true;
};

// "HH:MM:SS[.fff]" at s[i]; returns the end, 0 if not one.
size_t ClockAt(std::string_view s, size_t i, CivilTime* c) {
  if (s.size() - i < 8 || s[i + 2] != ':' || s[i + 5] != ':') return 0;
  int h = detail::Digits2(s.data() + i), m = detail::Digits2(s.data() + i + 3),
      sec = detail::Digits2(s.data() + i + 6);
  if (h < 0 || m < 0 || sec < 0) return 0;
  c->hour = h;
  c->minute = m;
  c->second = sec;
  size_t j = i + 8;
  if (j < s.size() && s[j] == '.') {
    size_t k = j + 1;
    int v = 0, digits = 0;
    while (k < s.size() && IsDigit(s[k])) {
      if (digits < 6) {
        v = v * 10 + (s[k] - '0');
        ++digits;
      }
      ++k;
    }
    if (k > j + 1) {
      while (digits++ < 6) v *= 10;
      c->micros = v;
      j = k;
    }
  }
  return j;
}

// "Mmm dd [yyyy ]HH:MM:SS[.fff][ ZONE][:]" at s[i].
bool MonthStampAt(std::string_view s, size_t i, Stamp* st) {
  size_t n = s.size();
  if (n - i < 14 || s[i + 3] != ' ') return false;
  int month = MonthFromAbbrev(s.substr(i, 3));
  if (month == 0) return false;
  size_t j = i + 4;
  int day;
  if (s[j] == ' ' && IsDigit(s[j + 1])) {
    day = s[j + 1] - '0';
    j += 2;
  } else if (IsDigit(s[j]) && IsDigit(s[j + 1])) {
    day = (s[j] - '0') * 10 + (s[j + 1] - '0');
    j += 2;
  } else if (IsDigit(s[j]) && s[j + 1] == ' ') {
    day = s[j] - '0';
    j += 1;
  } else {
    return false;
  }
  if (j >= n || s[j] != ' ') return false;
  ++j;
  Stamp out;
  if (n - j >= 5 && IsDigit(s[j]) && IsDigit(s[j + 1]) && IsDigit(s[j + 2]) && IsDigit(s[j + 3]) &&
      s[j + 4] == ' ') {
    out.civil.year = detail::Digits2(s.data() + j) * 100 + detail::Digits2(s.data() + j + 2);
    out.has_year = true;
    j += 5;
  }
  size_t e = ClockAt(s, j, &out.civil);
  if (e == 0) return false;
  j = e;
  if (n - j >= 2 && s[j] == ' ' && IsUpper(s[j + 1])) {
    size_t k = j + 1;
    while (k < n && IsUpper(s[k]) && k - j <= 5) ++k;
    int off;
    if ((k == n || s[k] == ':' || s[k] == ' ') && ZoneOffset(s.substr(j + 1, k - j - 1), &off)) {
      out.has_offset = true;
      out.offset_s = off;
      j = k;
    }
  }
  if (j < n && s[j] == ':') ++j;
  out.civil.month = month;
  out.civil.day = day;
  out.valid = day >= 1 && day <= 31 && out.civil.hour <= 23 && out.civil.minute <= 59 &&
              out.civil.second <= 60 &&
              (!out.has_year || IsValidDate(out.civil.year, month, day));
  out.found = true;
  out.begin = i;
  out.end = j;
  *st = out;
  return true;
}

bool IsoStampAt(std::string_view s, size_t i, Stamp* st) {
  detail::ParsedTime t;
  bool valid = true;
  size_t used = detail::ParseIsoTimestamp(s.substr(i), false, &t, &valid);
  if (used == 0) return false;
  size_t j = i + used;
  if (j < s.size() && s[j] != ' ' && s[j] != ':') return false;
  if (j < s.size() && s[j] == ':') ++j;
  st->found = true;
  st->begin = i;
  st->end = j;
  st->civil = t.civil;
  st->has_year = true;
  st->has_offset = t.has_offset;
  st->offset_s = t.offset_s;
  st->valid = valid;
  return true;
}

// First and last timestamp in the header text. Relays stack headers
// ("Dec 30 03:10:48 relay Dec 30 2003 02:13:28: %PIX-..."); the last one is
// the device's own clock, the first one decides where the host name is.
void ScanStamps(std::string_view s, Stamp* first, Stamp* last) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0) {
      char p = s[i - 1];
      if (p != ' ' && p != ':' && p != '>' && p != '|') continue;
    }
    Stamp st;
    bool ok = false;
    if (IsUpper(s[i])) {
      ok = MonthStampAt(s, i, &st);
    } else if (IsDigit(s[i])) {
      ok = IsoStampAt(s, i, &st);
    }
    if (!ok) continue;
    if (!first->found) *first = st;
    *last = st;
    i = st.end - 1;
  }
}

// ---------------------------------------------------------------------------
// Message bodies.

// `w` in s at or after `from` where it starts a word.
size_t FindWord(std::string_view s, std::string_view w, size_t from = 0) {
  while (true) {
    size_t p = s.find(w, from);
    if (p == npos) return npos;
    if (p == 0 || s[p - 1] == ' ' || s[p - 1] == '(' || s[p - 1] == ',') return p;
    from = p + 1;
  }
}

size_t SkipSpaces(std::string_view s, size_t i) {
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

// The endpoint text at s[i]: "(a.b.c.d)" or the run up to ' ', ',', ';' or '('.
std::string_view EndpointToken(std::string_view s, size_t i, size_t* end) {
  i = SkipSpaces(s, i);
  if (i < s.size() && s[i] == '(') {
    size_t close = s.find(')', i);
    size_t e = close == npos ? s.size() : close;
    *end = close == npos ? s.size() : close + 1;
    return s.substr(i + 1, e - i - 1);
  }
  size_t j = i;
  while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != ';' && s[j] != '(') ++j;
  *end = j;
  return s.substr(i, j - i);
}

struct Endpoint {
  IpAddr addr;
  uint16_t port = 0;
};

bool ParsePort(std::string_view p, std::string_view tok, uint16_t* out, Err* err) {
  uint64_t v;
  if (!p.empty() && IsDigit(p[0])) {
    if (ParseUint(p, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    bool digits = ParseUint(p, UINT64_MAX, &v);
    return Fail(err, Reason::kBadPort, tok, digits ? "port > 65535" : "port not a number");
  }
  if (PortFromName(p, out)) return true;
  // Another service name, or an anonymised port ("xx"): the port is not known.
  for (char c : p) {
    if (!detail::IsAlnum(c) && c != '-' && c != '_') {
      return Fail(err, Reason::kBadPort, tok, "port not a number or service name");
    }
  }
  *out = 0;
  return true;
}

// "[iface:[iface:]]addr[/port]": IPv4, IPv6 or anonymised IPv4 ("x.x.x.50").
// With `iface` the text before the address names an interface, which matters
// for IPv6 ("outside:2001:db8::1/443").
bool ParseEndpoint(std::string_view tok, bool iface, Endpoint* ep, Err* err) {
  std::string_view t = tok;
  while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ')')) t.remove_suffix(1);
  size_t slash = t.rfind('/');
  std::string_view host = t.substr(0, slash);
  if (slash != npos && !ParsePort(t.substr(slash + 1), tok, &ep->port, err)) return false;
  if (host.find('.') != npos) {
    while (!host.empty() && host.back() == ':') host.remove_suffix(1);
    size_t colon = host.rfind(':');
    std::string_view a = colon == npos ? host : host.substr(colon + 1);
    uint32_t v4;
    if (ParseIPv4(a, &v4)) {
      ep->addr = IpAddr::V4(v4);
      return true;
    }
    if (IpAddr::ParseAnonymisedV4(a, &ep->addr)) return true;
    return Fail(err, Reason::kUnparsableAddress, tok, "not an IPv4/IPv6 address");
  }
  if (!iface && IpAddr::Parse(host, &ep->addr)) return true;
  for (size_t c = host.find(':'); c != npos; c = host.find(':', c + 1)) {
    if (IpAddr::Parse(host.substr(c + 1), &ep->addr)) return true;
  }
  return Fail(err, Reason::kUnparsableAddress, tok, "not an IPv4/IPv6 address");
}

// "type 8, code 0" or "type=8, code=0" at or after `from`.
bool TypeCode(std::string_view s, size_t from, uint16_t* type, uint16_t* code) {
  size_t p = FindWord(s, "type", from);
  if (p == npos) return false;
  size_t i = p + 4;
  if (i < s.size() && (s[i] == ' ' || s[i] == '=')) ++i;
  size_t j = i;
  while (j < s.size() && IsDigit(s[j])) ++j;
  uint64_t t;
  if (!ParseUint(s.substr(i, j - i), 255, &t)) return false;
  *type = static_cast<uint16_t>(t);
  size_t c = s.find("code", j);
  if (c != npos && c < j + 4) {
    i = c + 4;
    if (i < s.size() && (s[i] == ' ' || s[i] == '=')) ++i;
    j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    uint64_t v;
    if (ParseUint(s.substr(i, j - i), 255, &v)) *code = static_cast<uint16_t>(v);
  }
  return true;
}

bool IsIcmp(uint8_t p) { return p == kProtoIcmp || p == kProtoIpv6Icmp; }

// TCP flag words after "flags " ("flags SYN ACK  on interface outside").
uint8_t TcpFlags(std::string_view s, size_t from) {
  size_t p = FindWord(s, "flags ", from);
  if (p == npos) return 0;
  uint8_t f = 0;
  size_t i = p + 6;
  while (i < s.size()) {
    i = SkipSpaces(s, i);
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',') ++j;
    std::string_view w = s.substr(i, j - i);
    if (w == "SYN") f |= tcp::kSyn;
    else if (w == "ACK") f |= tcp::kAck;
    else if (w == "FIN") f |= tcp::kFin;
    else if (w == "RST") f |= tcp::kRst;
    else if (w == "PSH") f |= tcp::kPsh;
    else if (w == "URG") f |= tcp::kUrg;
    else if (w == "ECE") f |= tcp::kEce;
    else if (w == "CWR") f |= tcp::kCwr;
    else break;
    i = j + (j < s.size() && s[j] == ',');
  }
  return f;
}

// The protocol a message names before `end`: "protocol=6", "(protocol= ICMP)"
// or the first protocol word ("Deny inbound UDP from", "Dropping TCP packet").
uint8_t ProtoBefore(std::string_view s, size_t end, uint8_t fallback) {
  std::string_view head = s.substr(0, end);
  uint8_t p;
  size_t eq = head.find("protocol=");
  if (eq != npos) {
    size_t i = SkipSpaces(head, eq + 9);
    size_t j = i;
    while (j < head.size() && detail::IsAlnum(head[j])) ++j;
    if (ProtoFromName(head.substr(i, j - i), true, &p)) return p;
  }
  size_t i = 0;
  while (i < head.size()) {
    while (i < head.size() && !detail::IsAlnum(head[i])) ++i;
    size_t j = i;
    while (j < head.size() && (detail::IsAlnum(head[j]) || head[j] == '-')) ++j;
    if (j > i && ProtoFromName(head.substr(i, j - i), false, &p)) return p;
    i = j;
  }
  return fallback;
}

enum class Kind : uint8_t {
  kFromTo,       // "... from A[/p] to B[/p] ..."
  kFromOnly,     // "Denied ICMP type=3, code=3 from A on interface X" (no target)
  kSrcDst,       // "<proto> src [if:]A[/p] dst [if:]B[/p] [(type t, code c)]"
  kSourceDest,   // 313003: "ICMP source A destination B (type t, code c)", or kSrcDst form
  kAcl,          // 106100: "access-list N denied tcp if/A(p) -> if/B(p) hit-cnt n ..."
  kSrcDest,      // 106002/106018: "... src A [p] dest B [p]"
  kUrl,          // 304001: "A Accessed URL B:/path"
  kUrlDenied,    // 304002: "Access denied URL u SRC A DEST B on interface X"
  kFragment,     // 209003-209005: "src = A, dest = B, proto = p, id = n"
  kShun,         // 401004: "Shunned packet: A = B on interface X"
  kEmbryonic,    // 407002: "... exceeded n/m. A/p to B(C)/p on interface X"
  kDynFilter,    // 338xxx: "Dynamic Filter <verb> ... traffic from if:A/p (..) to if:B/p"
};

struct Spec {
  int id;
  Kind kind;
  uint8_t proto;  // when the text names none
  Action action;
};

// Messages that record a traffic verdict. Sorted by id.
constexpr Spec kSpecs[] = {
    {106001, Kind::kFromTo, kProtoTcp, Action::kDrop},    // Inbound TCP connection denied
    {106002, Kind::kSrcDest, 0, Action::kDrop},            // connection denied by outbound list
    {106006, Kind::kFromTo, kProtoUdp, Action::kDrop},    // Deny inbound UDP
    {106007, Kind::kFromTo, kProtoUdp, Action::kDrop},    // Deny inbound UDP due to DNS
    {106010, Kind::kSrcDst, 0, Action::kDrop},             // Deny inbound protocol
    {106011, Kind::kSrcDst, 0, Action::kDrop},             // Deny inbound (No xlate)
    {106012, Kind::kFromTo, 0, Action::kDrop},             // Deny IP, IP options
    {106013, Kind::kFromTo, kProtoIcmp, Action::kDrop},   // Dropping echo request
    {106014, Kind::kSrcDst, kProtoIcmp, Action::kDrop},   // Deny inbound icmp
    {106015, Kind::kFromTo, kProtoTcp, Action::kDrop},    // Deny TCP (no connection)
    {106016, Kind::kFromTo, 0, Action::kDrop},             // Deny IP spoof
    {106017, Kind::kFromTo, 0, Action::kDrop},             // Deny IP due to Land Attack
    {106018, Kind::kSrcDest, kProtoIcmp, Action::kDrop},  // ICMP packet denied by outbound list
    {106020, Kind::kFromTo, 0, Action::kDrop},             // Deny IP teardrop fragment
    {106021, Kind::kFromTo, 0, Action::kDrop},             // reverse path check
    {106022, Kind::kFromTo, 0, Action::kDrop},             // connection spoof
    {106023, Kind::kSrcDst, 0, Action::kDrop},             // Deny by access-group
    {106100, Kind::kAcl, 0, Action::kDrop},                // access-list (verb decides)
    {108004, Kind::kFromTo, kProtoTcp, Action::kDrop},    // ESMTP dropped connection
    {201011, Kind::kFromTo, 0, Action::kDrop},             // connection limit exceeded
    {201013, Kind::kFromTo, 0, Action::kDrop},             // per-client connection limit
    {202010, Kind::kFromTo, 0, Action::kDrop},             // PAT pool exhausted
    {209003, Kind::kFragment, 0, Action::kDrop},           // fragment database limit
    {209004, Kind::kFragment, 0, Action::kDrop},           // invalid IP fragment
    {209005, Kind::kFragment, 0, Action::kDrop},           // discard IP fragment set
    {304001, Kind::kUrl, kProtoTcp, Action::kAllow},      // Accessed URL
    {304002, Kind::kUrlDenied, kProtoTcp, Action::kDrop}, // Access denied URL
    {305005, Kind::kSrcDst, 0, Action::kDrop},             // No translation group found
    {305006, Kind::kSrcDst, 0, Action::kDrop},             // translation creation failed
    {305013, Kind::kSrcDst, 0, Action::kDrop},             // NAT reverse path failure
    {313001, Kind::kFromOnly, kProtoIcmp, Action::kDrop}, // Denied ICMP
    {313003, Kind::kSourceDest, kProtoIcmp, Action::kDrop},  // invalid ICMP error destination
    {313004, Kind::kFromTo, kProtoIcmp, Action::kDrop},   // Denied ICMP, no matching session
    {313005, Kind::kSrcDst, kProtoIcmp, Action::kDrop},   // ICMP error without connection
    {313008, Kind::kFromOnly, kProtoIpv6Icmp, Action::kDrop},  // Denied IPv6-ICMP
    {401004, Kind::kShun, 0, Action::kDrop},               // Shunned packet
    {407002, Kind::kEmbryonic, kProtoTcp, Action::kDrop}, // embryonic limit exceeded
    {410001, Kind::kFromTo, kProtoUdp, Action::kDrop},    // Dropped UDP DNS
    {418001, Kind::kSrcDst, 0, Action::kDrop},             // to/from management-only network
    {419001, Kind::kFromTo, kProtoTcp, Action::kDrop},    // Dropping TCP packet
    {419002, Kind::kFromTo, kProtoTcp, Action::kDrop},    // Duplicate TCP SYN
    {420002, Kind::kFromTo, 0, Action::kDrop},             // IPS requested to drop
    {421001, Kind::kFromTo, 0, Action::kDrop},             // flow dropped, application failed
    {434002, Kind::kFromTo, 0, Action::kDrop},             // SFR requested to drop
    {500003, Kind::kFromTo, kProtoTcp, Action::kDrop},    // Bad TCP hdr length
    {500004, Kind::kFromTo, 0, Action::kDrop},             // Invalid transport field
    {507003, Kind::kFromTo, 0, Action::kDrop},             // flow terminated by inspection
    {710003, Kind::kFromTo, 0, Action::kDrop},             // access denied by ACL
    {710004, Kind::kFromTo, kProtoTcp, Action::kDrop},    // TCP connection limit exceeded
    {710005, Kind::kFromTo, 0, Action::kDrop},             // request discarded
    {710006, Kind::kFromTo, 0, Action::kDrop},             // request discarded
};

const Spec* FindSpec(int id) {
  // IP audit / IPS signature messages 400000-400051: "IDS:2003 ICMP redirect from A to B".
  static constexpr Spec kIds = {400000, Kind::kFromTo, 0, Action::kDrop};
  static constexpr Spec kDynamicFilter = {338000, Kind::kDynFilter, 0, Action::kDrop};
  if (id >= 400000 && id <= 400051) return &kIds;
  if (id >= 338001 && id <= 338204) return &kDynamicFilter;
  size_t lo = 0, hi = sizeof kSpecs / sizeof kSpecs[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (kSpecs[mid].id < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < sizeof kSpecs / sizeof kSpecs[0] && kSpecs[lo].id == id ? &kSpecs[lo] : nullptr;
}

enum class Outcome : uint8_t { kRecord, kNotRecord, kError };

class Body {
 public:
  Body(std::string_view s, Event* e, Err* err) : s_(s), e_(e), err_(err) {}

  Outcome Run(const Spec& spec) {
    e_->proto = spec.proto;
    e_->action = spec.action;
    bool ok = false;
    switch (spec.kind) {
      case Kind::kFromTo: ok = FromTo(spec.proto, true); break;
      case Kind::kFromOnly: ok = FromTo(spec.proto, false); break;
      case Kind::kSrcDst: ok = SrcDst(spec.proto); break;
      case Kind::kSourceDest: ok = SourceDest(); break;
      case Kind::kAcl: return Acl();
      case Kind::kSrcDest: ok = SrcDest(spec.proto); break;
      case Kind::kUrl: ok = Url(); break;
      case Kind::kUrlDenied: ok = UrlDenied(); break;
      case Kind::kFragment: ok = Fragment(); break;
      case Kind::kShun: ok = Shun(); break;
      case Kind::kEmbryonic: ok = Embryonic(); break;
      case Kind::kDynFilter: return DynFilter();
    }
    return ok ? Outcome::kRecord : Outcome::kError;
  }

 private:
  bool Truncated(std::string_view why) {
    err_->reason = Reason::kTruncated;
    err_->detail.assign(why);
    return false;
  }

  bool EndpointAt(size_t i, bool iface, Endpoint* ep, size_t* end) {
    std::string_view tok = EndpointToken(s_, i, end);
    if (tok.empty()) return Truncated("no address");
    return ParseEndpoint(tok, iface, ep, err_);
  }

  void IcmpTypeCode(size_t from) {
    if (!IsIcmp(e_->proto)) return;
    uint16_t type = 0, code = 0;
    if (TypeCode(s_, from, &type, &code)) {
      e_->sport = type;
      e_->dport = code;
    }
  }

  // "<k1>A ... <k2>B": the address after k1, then the next one after k2.
  bool Keyed(std::string_view k1, std::string_view k2, bool iface, size_t* end) {
    Endpoint src, dst;
    size_t p = FindWord(s_, k1);
    if (p == npos) return Missing(k1);
    if (!EndpointAt(p + k1.size(), iface, &src, end)) return false;
    size_t d = FindWord(s_, k2, *end);
    if (d == npos) return Missing(k2);
    if (!EndpointAt(d + k2.size(), iface, &dst, end)) return false;
    Set(src, dst);
    return true;
  }

  bool Missing(std::string_view keyword) {
    while (!keyword.empty() && (keyword.back() == ' ' || keyword.back() == ':')) {
      keyword.remove_suffix(1);
    }
    err_->reason = Reason::kTruncated;
    err_->detail = "no \"";
    err_->detail.append(keyword);
    err_->detail += "\" address";
    return false;
  }

  bool FromTo(uint8_t fallback, bool need_target) {
    size_t f = FindWord(s_, "from ");
    if (f == npos) return Truncated("no \"from\" address");
    e_->proto = ProtoBefore(s_, f, fallback);
    size_t i = SkipSpaces(s_, f + 5);
    // 313004: "from laddr A on interface inside to B"
    if (s_.compare(i, 6, "laddr ") == 0 || s_.compare(i, 6, "faddr ") == 0) i += 6;
    Endpoint src, dst;
    size_t end;
    if (!EndpointAt(i, false, &src, &end)) return false;
    size_t t = FindWord(s_, "to ", end);
    if (t == npos) {
      if (need_target) return Truncated("no \"to\" address");
      end = s_.size();
    } else {
      if (!EndpointAt(t + 3, false, &dst, &end)) return false;
    }
    Set(src, dst);
    if (e_->proto == kProtoTcp) e_->tcp_flags = TcpFlags(s_, end);
    if (IsIcmp(e_->proto)) IcmpTypeCode(0);
    return true;
  }

  bool SrcDst(uint8_t fallback) {
    size_t p = FindWord(s_, "src ");
    if (p == npos) return Missing("src");
    // The protocol is the word before "src": "Deny tcp src", "for protocol 50 src".
    size_t b = p;
    while (b > 0 && s_[b - 1] == ' ') --b;
    size_t a = b;
    while (a > 0 && s_[a - 1] != ' ' && s_[a - 1] != ')' && s_[a - 1] != ':') --a;
    std::string_view word = s_.substr(a, b - a);
    uint8_t proto;
    if (ProtoFromName(word, false, &proto)) {
      e_->proto = proto;
    } else if (!word.empty() && IsDigit(word[0])) {
      size_t w = a;
      while (w > 0 && s_[w - 1] == ' ') --w;
      if (w >= 8 && s_.substr(w - 8, 8) == "protocol" && ProtoFromName(word, true, &proto)) {
        e_->proto = proto;
      } else {
        return Fail(err_, Reason::kUnknownProtocol, word, "not a protocol");
      }
    } else if (fallback == 0 && !word.empty() && word != "IP" && word != "ip") {
      return Fail(err_, Reason::kUnknownProtocol, word, "not a protocol");
    }
    size_t end;
    if (!Keyed("src ", "dst ", true, &end)) return false;
    IcmpTypeCode(end);
    return true;
  }

  bool SourceDest() {
    size_t src = FindWord(s_, "source ");
    size_t sd = FindWord(s_, "src ");
    if (sd != npos && (src == npos || sd < src)) return SrcDst(kProtoIcmp);
    size_t end;
    if (!Keyed("source ", "destination ", false, &end)) return false;
    e_->proto = kProtoIcmp;
    IcmpTypeCode(end);
    return true;
  }

  // "if/addr(port)"
  bool AclEndpoint(std::string_view tok, Endpoint* ep) {
    size_t open = tok.rfind('(');
    std::string_view at = tok;
    if (open != npos) {
      size_t close = tok.find(')', open);
      if (close == npos) return Truncated("no closing ')' after the port");
      if (!ParsePort(tok.substr(open + 1, close - open - 1), tok, &ep->port, err_)) return false;
      at = tok.substr(0, open);
    }
    size_t slash = at.rfind('/');
    std::string_view a = slash == npos ? at : at.substr(slash + 1);
    if (IpAddr::Parse(a, &ep->addr) || IpAddr::ParseAnonymisedV4(a, &ep->addr)) return true;
    return Fail(err_, Reason::kUnparsableAddress, tok, "not an IPv4/IPv6 address");
  }

  Outcome Acl() {
    // access-list <name> <verdict> <proto> <if/A(p)> -> <if/B(p)> hit-cnt <n> ...
    std::string_view w[7];
    size_t i = 0;
    for (auto& word : w) {
      i = SkipSpaces(s_, i);
      size_t j = i;
      while (j < s_.size() && s_[j] != ' ') ++j;
      word = s_.substr(i, j - i);
      i = j;
    }
    if (w[0] != "access-list") {
      err_->reason = Reason::kNotARecord;
      err_->detail = "106100 without an access-list verdict";
      return Outcome::kNotRecord;
    }
    if (w[6].empty() || w[5] != "->") {
      Truncated("access-list line without \"A -> B\"");
      return Outcome::kError;
    }
    if (w[2] == "denied") {
      e_->action = Action::kDrop;
    } else if (w[2] == "permitted" || w[2] == "est-allowed") {
      e_->action = Action::kAllow;
    } else {
      Fail(err_, Reason::kBadField, w[2], "access-list verdict not permitted/denied/est-allowed");
      return Outcome::kError;
    }
    if (!ProtoFromName(w[3], true, &e_->proto)) {
      Fail(err_, Reason::kUnknownProtocol, w[3], "not a protocol");
      return Outcome::kError;
    }
    Endpoint src, dst;
    if (!AclEndpoint(w[4], &src) || !AclEndpoint(w[6], &dst)) return Outcome::kError;
    Set(src, dst);
    return Outcome::kRecord;
  }

  // The space-delimited token at or after position i.
  std::string_view TokenAt(size_t i) {
    i = SkipSpaces(s_, i);
    size_t j = i;
    while (j < s_.size() && s_[j] != ' ') ++j;
    return s_.substr(i, j - i);
  }

  // "src A [p] dest B [p]" with optional bare port numbers after the addresses.
  bool SrcDest(uint8_t fallback) {
    size_t p = FindWord(s_, "src ");
    if (p == npos) return Truncated("no \"src\" address");
    e_->proto = ProtoBefore(s_, p, fallback);
    Endpoint src, dst;
    size_t end;
    if (!EndpointAt(p + 4, false, &src, &end)) return false;
    size_t d = FindWord(s_, "dest ", end);
    if (d == npos) return Truncated("no \"dest\" address");
    std::string_view between = TokenAt(end);
    uint64_t v;
    if (s_.data() + end < between.data() && between.data() < s_.data() + d &&
        ParseUint(between, 65535, &v)) {
      src.port = static_cast<uint16_t>(v);
    }
    if (!EndpointAt(d + 5, false, &dst, &end)) return false;
    std::string_view after = TokenAt(end);
    if (ParseUint(after, 65535, &v)) dst.port = static_cast<uint16_t>(v);
    Set(src, dst);
    return true;
  }

  bool Url() {
    size_t p = s_.find(" Accessed URL ");
    if (p == npos) return Truncated("no \"Accessed URL\"");
    // "USER@192.0.2.1(LOCAL\user) Accessed URL ..." or "192.0.2.1 Accessed URL ..."
    std::string_view who = s_.substr(0, p);
    size_t open = who.find('(');
    if (open != npos) who = who.substr(0, open);
    size_t at = who.rfind('@');
    if (at != npos) who = who.substr(at + 1);
    Endpoint src, dst;
    if (!ParseEndpoint(who, false, &src, err_)) return false;
    std::string_view url = s_.substr(p + 14);
    size_t colon = url.find(':');
    std::string_view host = url.substr(0, colon);
    if (!IpAddr::Parse(host, &dst.addr)) {
      return Fail(err_, Reason::kUnparsableAddress, host, "not an IPv4/IPv6 address");
    }
    Set(src, dst);
    return true;
  }

  bool UrlDenied() {
    size_t end;
    return Keyed("SRC ", "DEST ", false, &end);
  }

  bool Fragment() {
    size_t end;
    if (!Keyed("src = ", "dest = ", false, &end)) return false;
    size_t pr = FindWord(s_, "proto = ", end);
    if (pr != npos) {
      size_t i = pr + 8, j = i;
      while (j < s_.size() && detail::IsAlnum(s_[j])) ++j;
      uint8_t proto;
      if (ProtoFromName(s_.substr(i, j - i), true, &proto)) e_->proto = proto;
    }
    return true;
  }

  bool Shun() {
    size_t end;
    return Keyed("packet: ", "= ", false, &end);
  }

  bool Embryonic() {
    // "... exceeded 243/100. A/p to B(C)/p on interface outside"
    size_t dot = s_.find(". ");
    if (dot == npos) return Truncated("no addresses after the limit");
    Endpoint src, dst;
    size_t end;
    if (!EndpointAt(dot + 2, false, &src, &end)) return false;
    size_t t = FindWord(s_, "to ", end);
    if (t == npos) return Truncated("no \"to\" address");
    std::string_view tok = TokenAt(t + 3);
    // "B(C)/p": the real address, its mapped one in parentheses, the port.
    size_t open = tok.find('(');
    size_t close = tok.find(')');
    std::string joined(tok.substr(0, open));
    if (open != npos && close != npos && close > open) joined.append(tok.substr(close + 1));
    if (!ParseEndpoint(joined, false, &dst, err_)) return false;
    Set(src, dst);
    return true;
  }

  Outcome DynFilter() {
    size_t f = s_.find(" traffic from ");
    if (f == npos) {
      err_->reason = Reason::kNotARecord;
      err_->detail = "dynamic-filter message without traffic";
      return Outcome::kNotRecord;
    }
    std::string_view head = s_.substr(0, f);
    if (head.find("dropped") != npos) {
      e_->action = Action::kDrop;
    } else if (head.find("permitted") != npos) {
      e_->action = Action::kAllow;
    } else {
      e_->action = Action::kAlert;  // "monitored": logged, not acted on
    }
    return FromTo(0, true) ? Outcome::kRecord : Outcome::kError;
  }

  void Set(const Endpoint& src, const Endpoint& dst) {
    e_->src = src.addr;
    e_->sport = src.port;
    e_->dst = dst.addr;
    e_->dport = dst.port;
  }

  std::string_view s_;
  Event* e_;
  Err* err_;
};

// "message repeated 2 times: [ <body>]"
bool Repeated(std::string_view* body, uint32_t* count) {
  constexpr std::string_view kHead = "message repeated ";
  std::string_view b = *body;
  if (b.substr(0, kHead.size()) != kHead) return false;
  size_t i = kHead.size(), j = i;
  while (j < b.size() && IsDigit(b[j])) ++j;
  uint64_t n;
  if (!ParseUint(b.substr(i, j - i), UINT32_MAX, &n) || n == 0) return false;
  size_t open = b.find('[', j);
  if (open == npos) return false;
  b.remove_prefix(open + 1);
  while (!b.empty() && b.front() == ' ') b.remove_prefix(1);
  while (!b.empty() && (b.back() == ' ' || b.back() == ']')) b.remove_suffix(1);
  *body = b;
  *count = static_cast<uint32_t>(n);
  return true;
}

class CiscoAsaParser : public Parser {
 public:
  explicit CiscoAsaParser(const ParseOptions& options)
      : options_(options),
        clock_(options.tz),
        fallback_time_(options.reference_time != 0 ? options.reference_time : NowUs()) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    Tag tag;
    if (!FindTag(line, &tag)) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    line.empty() ? "empty line" : "no %ASA-/%PIX- message tag");
      return;
    }
    const Spec* spec = FindSpec(tag.id);
    if (spec == nullptr) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "message %06d is not a traffic verdict", tag.id);
      sink.OnReject(lineno, Reason::kNotARecord, buf);
      return;
    }
    Event e;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    std::string_view host;
    if (!Header(line.substr(0, tag.begin), &e.time, &host)) {
      sink.OnReject(lineno, Reason::kBadTimestamp, err_.detail);
      return;
    }
    std::string_view body = line.substr(tag.end);
    while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
    Repeated(&body, &e.count);
    Body b(body, &e, &err_);
    switch (b.Run(*spec)) {
      case Outcome::kRecord:
        sink.OnRecord(e, host);
        return;
      case Outcome::kNotRecord:
      case Outcome::kError:
        sink.OnReject(lineno, err_.reason, err_.detail);
        return;
    }
  }

 private:
  // Time and host from the text before the tag; false (err_) on an invalid time.
  bool Header(std::string_view pre, TimeUs* time, std::string_view* host) {
    if (pre.size() > 2 && pre[0] == '<') {
      size_t j = 1;
      while (j < pre.size() && j < 5 && IsDigit(pre[j])) ++j;
      if (j > 1 && j < pre.size() && pre[j] == '>') pre.remove_prefix(j + 1);
    }
    Stamp first, last;
    ScanStamps(pre, &first, &last);
    *host = HostName(pre, first, last);
    if (!last.found) {
      *time = fallback_time_;
      return true;
    }
    std::string_view text = pre.substr(last.begin, last.end - last.begin);
    while (!text.empty() && (text.back() == ':' || text.back() == ' ')) text.remove_suffix(1);
    if (!last.valid) {
      err_.reason = Reason::kBadTimestamp;
      err_.detail = FieldDetail(text, "invalid date or time");
      return false;
    }
    CivilTime c = last.civil;
    if (!last.has_year) {
      c.year = YearFor(c);
      if (!IsValidDate(c.year, c.month, c.day)) {
        err_.detail = FieldDetail(text, "no such day in " + std::to_string(c.year));
        return false;
      }
    }
    *time = last.has_offset ? FromCivilUtc(c) - TimeUs{last.offset_s} * kUsPerSecond
                            : clock_.ToUtc(c);
    return true;
  }

  // The token after the first timestamp ("Jan 11 01:42:22 fw-1 %ASA-..."), or
  // without one the last token ("LOCAL4.WARNING: fw-1 %ASA-...").
  static std::string_view HostName(std::string_view pre, const Stamp& first, const Stamp& last) {
    std::string_view tok;
    if (first.found) {
      size_t i = SkipSpaces(pre, first.end);
      if (last.found && last.begin != first.begin && i >= last.begin) return {};
      size_t j = i;
      while (j < pre.size() && pre[j] != ' ') ++j;
      tok = pre.substr(i, j - i);
    } else {
      size_t j = pre.size();
      while (j > 0 && pre[j - 1] == ' ') --j;
      size_t i = j;
      while (i > 0 && pre[i - 1] != ' ') --i;
      tok = pre.substr(i, j - i);
    }
    while (!tok.empty() && tok.back() == ':') tok.remove_suffix(1);
    if (tok == "-" || tok.find('%') != npos) return {};
    return tok;
  }

  // Year of a year-less stamp, as for RFC 3164 headers (syslog_header.h).
  int YearFor(const CivilTime& c) {
    if (year_ == 0) {
      if (options_.year != 0) {
        year_ = options_.year;
      } else {
        int y = ToCivilUtc(fallback_time_).year;
        CivilTime probe = c;
        probe.year = y;
        if (FromCivilUtc(probe) > fallback_time_ + kUsPerDay) --y;
        year_ = y;
      }
      last_month_ = c.month;
      return year_;
    }
    if (last_month_ == 12 && c.month == 1) {
      ++year_;
      last_month_ = 1;
      return year_;
    }
    if (last_month_ == 1 && c.month == 12) return year_ - 1;
    last_month_ = c.month;
    return year_;
  }

  ParseOptions options_;
  detail::LocalClock clock_;
  TimeUs fallback_time_;
  int year_ = 0;
  int last_month_ = 0;
  Err err_;
};

}  // namespace

int DetectCiscoAsa(std::string_view line) {
  Tag t;
  return FindTag(line, &t) ? 95 : 0;
}

std::unique_ptr<Parser> MakeCiscoAsaParser(const ParseOptions& options) {
  return std::make_unique<CiscoAsaParser>(options);
}

}  // namespace portstorm::parse
