#include "parse/formats/netfilter.h"

#include <array>
#include <bit>
#include <cstdio>
#include <cstring>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::IsAlnum;
using detail::ParseUint;

bool IsKeyChar(char c) { return IsAlnum(c) || c == '_'; }

// Verdict words, upper case. Longer forms ("DROPPED") are listed so that a
// word is matched whole, never as a substring of an unrelated word.
Action VerdictWord(std::string_view w) {
  using detail::EqualsUpper;
  switch (w.size()) {
    case 3:
      if (EqualsUpper(w, "ACC")) return Action::kAllow;
      return Action::kUnknown;
    case 4:
      if (EqualsUpper(w, "DROP")) return Action::kDrop;
      if (EqualsUpper(w, "DENY")) return Action::kDrop;
      return Action::kUnknown;
    case 5:
      if (EqualsUpper(w, "BLOCK")) return Action::kDrop;
      if (EqualsUpper(w, "ALLOW")) return Action::kAllow;
      return Action::kUnknown;
    case 6:
      if (EqualsUpper(w, "REJECT")) return Action::kReject;
      if (EqualsUpper(w, "ACCEPT")) return Action::kAllow;
      if (EqualsUpper(w, "DENIED")) return Action::kDrop;
      return Action::kUnknown;
    case 7:
      if (EqualsUpper(w, "DROPPED")) return Action::kDrop;
      if (EqualsUpper(w, "BLOCKED")) return Action::kDrop;
      if (EqualsUpper(w, "ALLOWED")) return Action::kAllow;
      return Action::kUnknown;
    case 8:
      if (EqualsUpper(w, "REJECTED")) return Action::kReject;
      if (EqualsUpper(w, "ACCEPTED")) return Action::kAllow;
      return Action::kUnknown;
    default:
      return Action::kUnknown;
  }
}

std::optional<uint8_t> NetfilterProto(std::string_view v) {
  switch (v.size()) {
    case 2:
      if (v == "AH") return uint8_t{51};
      break;
    case 3:
      if (v == "TCP") return kProtoTcp;
      if (v == "UDP") return kProtoUdp;
      if (v == "ESP") return uint8_t{50};
      if (v == "GRE") return uint8_t{47};
      break;
    case 4:
      if (v == "ICMP") return kProtoIcmp;
      if (v == "SCTP") return uint8_t{132};
      break;
    case 6:
      if (v == "ICMPv6") return kProtoIpv6Icmp;
      break;
    case 7:
      if (v == "UDPLITE") return uint8_t{136};
      break;
    default:
      break;
  }
  uint64_t n;
  if (ParseUint(v, 255, &n)) return static_cast<uint8_t>(n);
  return std::nullopt;
}

bool HasPorts(uint8_t proto) {
  return proto == kProtoTcp || proto == kProtoUdp || proto == 136 || proto == 132;
}

struct BodyError {
  Reason reason = Reason::kBadField;
  std::string detail;
};

// Fills `e` from the KEY=value part of a record ("IN=... OUT=... SRC=...").
// Keys after PROTO= belong to the transport header: there LEN= is the UDP
// length and ID=/SEQ= of ICMP echo are not the IP ID / TCP sequence.
bool ParseBody(std::string_view b, Event* e, BodyError* err) {
  const char* p = b.data();
  const size_t n = b.size();
  size_t i = 0;
  bool have_src = false, have_dst = false, have_proto = false;
  bool have_sport = false, have_dport = false, have_type = false, have_code = false;
  bool incomplete = false;
  auto fail = [err](Reason r, std::string_view tok, std::string_view why) {
    err->reason = r;
    err->detail = FieldDetail(tok, why);
    return false;
  };
  while (i < n) {
    while (i < n && p[i] == ' ') ++i;
    if (i >= n) break;
    size_t eq_at;
    size_t end = detail::ScanToken(p, i, n, &eq_at);
    const char* eq = eq_at == std::string_view::npos ? nullptr : p + eq_at;
    std::string_view tok(p + i, end - i);
    i = end;
    // "[SRC=... ]" quotes the packet inside an ICMP error; "INCOMPLETE [n bytes]"
    // ends a truncated header. Nothing after either describes this packet.
    if (tok[0] == '[') break;
    if (eq == nullptr) {
      if (!have_proto) {
        if (tok == "DF") e->ip_flags |= ipf::kDf;
        else if (tok == "MF") e->ip_flags |= ipf::kMf;
        else if (tok.size() > 5 && tok.substr(0, 5) == "FRAG:") {
          uint64_t off;
          if (!ParseUint(tok.substr(5), 65535, &off)) {
            return fail(Reason::kBadField, tok, "fragment offset not a number");
          }
          if (off != 0) e->ip_flags |= ipf::kFragment;
        } else if (tok == "OPT") {
          // IP options: skip the "(hex)" token that follows.
          while (i < n && p[i] == ' ') ++i;
          if (i < n && p[i] == '(') {
            const char* s2 = static_cast<const char*>(std::memchr(p + i, ' ', n - i));
            i = s2 ? static_cast<size_t>(s2 - p) : n;
          }
        }
        continue;
      }
      if (tok == "INCOMPLETE") {
        incomplete = true;
        continue;
      }
      if (e->proto != kProtoTcp) continue;
      if (tok.size() == 3) {
        switch (tok[0]) {
          case 'S': if (tok == "SYN") e->tcp_flags |= tcp::kSyn; break;
          case 'A': if (tok == "ACK") e->tcp_flags |= tcp::kAck; break;
          case 'F': if (tok == "FIN") e->tcp_flags |= tcp::kFin; break;
          case 'R': if (tok == "RST") e->tcp_flags |= tcp::kRst; break;
          case 'P': if (tok == "PSH") e->tcp_flags |= tcp::kPsh; break;
          case 'U': if (tok == "URG") e->tcp_flags |= tcp::kUrg; break;
          case 'E': if (tok == "ECE") e->tcp_flags |= tcp::kEce; break;
          case 'C': if (tok == "CWR") e->tcp_flags |= tcp::kCwr; break;
          case 'O':
            if (tok == "OPT") {
              while (i < n && p[i] == ' ') ++i;
              if (i < n && p[i] == '(') {
                const char* s2 = static_cast<const char*>(std::memchr(p + i, ' ', n - i));
                size_t e2 = s2 ? static_cast<size_t>(s2 - p) : n;
                std::string_view hex(p + i + 1, e2 - i - 1);
                if (!hex.empty() && hex.back() == ')') hex.remove_suffix(1);
                detail::DecodeTcpOptions(hex, e);
                i = e2;
              }
            }
            break;
          default: break;
        }
      }
      continue;
    }
    std::string_view key(tok.data(), static_cast<size_t>(eq - tok.data()));
    std::string_view val(eq + 1, tok.size() - key.size() - 1);
    uint64_t v = 0;
    switch (key.size()) {
      case 2:
        if (key == "ID" && !have_proto) {
          if (!ParseUint(val, 65535, &v)) return fail(Reason::kBadField, tok, "IP ID not 0..65535");
          e->ip_id = static_cast<uint16_t>(v);
        }
        break;
      case 3:
        if (key == "SRC") {
          if (!IpAddr::Parse(val, &e->src)) {
            return fail(Reason::kUnparsableAddress, tok, "not an IPv4/IPv6 address");
          }
          have_src = true;
        } else if (key == "DST") {
          if (!IpAddr::Parse(val, &e->dst)) {
            return fail(Reason::kUnparsableAddress, tok, "not an IPv4/IPv6 address");
          }
          have_dst = true;
        } else if (key == "LEN") {
          if (!have_proto) {
            if (!ParseUint(val, 65535, &v)) return fail(Reason::kBadField, tok, "length not 0..65535");
            e->ip_len = static_cast<uint16_t>(v);
          }
        } else if (key == "TTL") {
          if (!ParseUint(val, 255, &v)) return fail(Reason::kBadField, tok, "TTL not 0..255");
          e->ttl = static_cast<uint8_t>(v);
        } else if (key == "SPT" || key == "DPT") {
          if (!ParseUint(val, 65535, &v)) {
            bool digits = ParseUint(val, UINT64_MAX, &v);
            return fail(Reason::kBadPort, tok, digits ? "port > 65535" : "port not a number");
          }
          if (key[0] == 'S') {
            e->sport = static_cast<uint16_t>(v);
            have_sport = true;
          } else {
            e->dport = static_cast<uint16_t>(v);
            have_dport = true;
          }
        } else if (key == "SEQ" && e->proto == kProtoTcp) {
          if (!ParseUint(val, UINT32_MAX, &v)) {
            return fail(Reason::kBadField, tok, "sequence number not 0..4294967295");
          }
          e->seq = static_cast<uint32_t>(v);
        }
        break;
      case 4:
        if (key == "TYPE" || key == "CODE") {
          if (!ParseUint(val, 255, &v)) return fail(Reason::kBadField, tok, "ICMP type/code not 0..255");
          if (key[0] == 'T') {
            e->sport = static_cast<uint16_t>(v);
            have_type = true;
          } else {
            e->dport = static_cast<uint16_t>(v);
            have_code = true;
          }
        }
        break;
      case 5:
        if (key == "PROTO") {
          auto proto = NetfilterProto(val);
          if (!proto) return fail(Reason::kUnknownProtocol, tok, "unknown protocol");
          e->proto = *proto;
          have_proto = true;
        }
        break;
      case 6:
        if (key == "WINDOW") {
          if (!ParseUint(val, 65535, &v)) return fail(Reason::kBadField, tok, "window not 0..65535");
          e->window = static_cast<uint16_t>(v);
        }
        break;
      case 8:
        if (key == "HOPLIMIT") {
          if (!ParseUint(val, 255, &v)) return fail(Reason::kBadField, tok, "hop limit not 0..255");
          e->ttl = static_cast<uint8_t>(v);
        }
        break;
      default:
        break;
    }
  }
  if (!have_src || !have_dst) {
    err->reason = Reason::kTruncated;
    err->detail = !have_src ? "no SRC= field" : "no DST= field";
    return false;
  }
  if (!have_proto) {
    err->reason = Reason::kTruncated;
    err->detail = "no PROTO= field";
    return false;
  }
  bool whole_header = !incomplete && (e->ip_flags & ipf::kFragment) == 0;
  if (whole_header && HasPorts(e->proto) && !(have_sport && have_dport)) {
    err->reason = Reason::kTruncated;
    err->detail = !have_sport ? "no SPT= field" : "no DPT= field";
    return false;
  }
  if (whole_header && (e->proto == kProtoIcmp || e->proto == kProtoIpv6Icmp) &&
      !(have_type && have_code)) {
    err->reason = Reason::kTruncated;
    err->detail = !have_type ? "no TYPE= field" : "no CODE= field";
    return false;
  }
  return true;
}

// --- Fast path ----------------------------------------------------------
//
// The kernel writes the fields of a LOG line in one fixed order, each
// followed by one space (nf_log_dump_packet_common, dump_ipv4_packet):
// IN= OUT= [MAC=] SRC= DST= LEN= TOS= PREC= TTL= ID= [CE] [DF] [MF] PROTO=
// and then the transport fields. FastBody reads exactly that shape for IPv4
// TCP, UDP and ICMP straight through, with no per-token key lookup. It gives
// up (returns false) at the first byte that differs from it — another
// order, another protocol, IPv6, fragments, IP options, two spaces, a value
// the general reader would reject, anything unexpected — and ParseBody then
// reads the line from its start. It accepts a body only when it has consumed
// every token with the same effect ParseBody has on that token, so the two
// always agree; the tests compare them on mutated lines
// (netfilter_fields_test.cc).

#define PS_INLINE [[gnu::always_inline]] inline

// n bytes at a equal n bytes at b, n a small constant: a few loads, never a
// call to memcmp and never a read outside [a, a + n).
template <size_t n>
PS_INLINE bool SmallEqual(const char* a, const char* b) {
  static_assert(n >= 1 && n <= 8);
  auto load16 = [](const char* x) {
    uint16_t v;
    std::memcpy(&v, x, 2);
    return v;
  };
  auto load32 = [](const char* x) {
    uint32_t v;
    std::memcpy(&v, x, 4);
    return v;
  };
  if constexpr (n == 1) {
    return a[0] == b[0];
  } else if constexpr (n < 4) {
    return load16(a) == load16(b) && load16(a + n - 2) == load16(b + n - 2);
  } else {
    return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  }
}

PS_INLINE bool Digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

struct Cursor {
  const char* p;
  const char* end;

  PS_INLINE bool AtEnd() const { return p == end; }
  // At a token boundary: end of body, or a space.
  PS_INLINE bool AtBoundary() const { return p == end || *p == ' '; }
  // Consumes `lit` (" KEY=" with its separator) if the body continues with it.
  template <size_t N>
  PS_INLINE bool Eat(const char (&lit)[N]) {
    constexpr size_t n = N - 1;
    if (static_cast<size_t>(end - p) < n || !SmallEqual<n>(p, lit)) return false;
    p += n;
    return true;
  }
  // `lit` as a whole token: followed by a space or the end.
  template <size_t N>
  PS_INLINE bool EatWord(const char (&lit)[N]) {
    constexpr size_t n = N - 1;
    if (static_cast<size_t>(end - p) < n || !SmallEqual<n>(p, lit)) return false;
    if (p + n != end && p[n] != ' ') return false;
    p += n;
    return true;
  }
  // Trailing spaces, then the end of the body.
  PS_INLINE bool Done() {
    while (p != end && *p == ' ') ++p;
    return p == end;
  }
  // Skips to the end of the current token.
  PS_INLINE void SkipToken() {
#if defined(__SSE2__)
    const __m128i sp = _mm_set1_epi8(' ');
    while (end - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp)));
      if (m != 0) {
        p += __builtin_ctz(m);
        return;
      }
      p += 16;
    }
#endif
    while (p != end && *p != ' ') ++p;
  }
  // A decimal value of at most `digits` digits that is the whole rest of the
  // token and at most `max` — a value ParseUint(val, max) accepts. (Longer
  // ones, leading zeros and all, are left to the general reader.)
  template <int digits>
  PS_INLINE bool Uint(uint64_t max, uint64_t* out) {
    if constexpr (digits <= 7 && std::endian::native == std::endian::little) {
      if (end - p >= 8) {
        // Eight bytes at once: the digits are the bytes before the first
        // non-digit (x ^ '0' > 9), then the SWAR multiply-add of simdjson's
        // parse_eight_digits_unrolled. Carries out of a non-digit byte only
        // reach the bytes after it, which are not looked at.
        uint64_t chunk;
        std::memcpy(&chunk, p, 8);
        uint64_t t = chunk ^ 0x3030303030303030ull;
        uint64_t nondigit = (t | (t + 0x7676767676767676ull)) & 0x8080808080808080ull;
        if (nondigit == 0) return false;
        size_t len = static_cast<size_t>(__builtin_ctzll(nondigit)) >> 3;
        if (len == 0 || len > digits || p[len] != ' ') return false;
        uint64_t d = t << (8 * (8 - len));
        d = (d * 2561) >> 8;
        d = ((d & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
        d = ((d & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
        if (d > max) return false;
        p += len;
        *out = d;
        return true;
      }
    }
    const char* lim = end - p > digits ? p + digits : end;
    const char* s = p;
    uint64_t v = 0;
    while (p != lim && Digit(*p)) {
      v = v * 10 + static_cast<uint64_t>(*p - '0');
      ++p;
    }
    if (p == s || !AtBoundary() || v > max) return false;
    *out = v;
    return true;
  }
  // One to three digits, at most 255.
  PS_INLINE bool Octet(uint32_t* out) {
    if (p == end || !Digit(*p)) return false;
    uint32_t v = static_cast<uint32_t>(*p++ - '0');
    if (p != end && Digit(*p)) {
      v = v * 10 + static_cast<uint32_t>(*p++ - '0');
      if (p != end && Digit(*p)) v = v * 10 + static_cast<uint32_t>(*p++ - '0');
    }
    *out = v;
    return v <= 255;
  }
  // A dotted quad that is the whole rest of the token, as ParseIPv4 accepts it.
  PS_INLINE bool Ipv4(IpAddr* out) {
    uint32_t a, b, c, d;
    if (!Octet(&a) || p == end || *p++ != '.' || !Octet(&b) || p == end || *p++ != '.' ||
        !Octet(&c) || p == end || *p++ != '.' || !Octet(&d) || !AtBoundary()) {
      return false;
    }
    *out = IpAddr::V4(a << 24 | b << 16 | c << 8 | d);
    return true;
  }
};

bool FastBody(std::string_view b, Event* e) {
  Cursor c{b.data(), b.data() + b.size()};
  uint64_t v;
  if (!c.Eat("IN=")) return false;
  c.SkipToken();
  if (!c.Eat(" OUT=")) return false;
  c.SkipToken();
  if (c.Eat(" MAC=")) c.SkipToken();
  if (!c.Eat(" SRC=") || !c.Ipv4(&e->src)) return false;
  if (!c.Eat(" DST=") || !c.Ipv4(&e->dst)) return false;
  if (!c.Eat(" LEN=") || !c.Uint<5>(65535, &v)) return false;
  e->ip_len = static_cast<uint16_t>(v);
  if (!c.Eat(" TOS=")) return false;
  c.SkipToken();
  if (!c.Eat(" PREC=")) return false;
  c.SkipToken();
  if (!c.Eat(" TTL=") || !c.Uint<3>(255, &v)) return false;
  e->ttl = static_cast<uint8_t>(v);
  if (!c.Eat(" ID=") || !c.Uint<5>(65535, &v)) return false;
  e->ip_id = static_cast<uint16_t>(v);
  c.EatWord(" CE");  // congestion experienced: ParseBody ignores it too
  if (c.EatWord(" DF")) e->ip_flags |= ipf::kDf;
  if (c.EatWord(" MF")) e->ip_flags |= ipf::kMf;
  if (!c.Eat(" PROTO=")) return false;
  if (c.EatWord("TCP")) {
    e->proto = kProtoTcp;
    if (!c.Eat(" SPT=") || !c.Uint<5>(65535, &v)) return false;
    e->sport = static_cast<uint16_t>(v);
    if (!c.Eat(" DPT=") || !c.Uint<5>(65535, &v)) return false;
    e->dport = static_cast<uint16_t>(v);
    if (c.Eat(" SEQ=")) {
      if (!c.Uint<10>(UINT32_MAX, &v)) return false;
      e->seq = static_cast<uint32_t>(v);
      if (!c.Eat(" ACK=")) return false;
      c.SkipToken();
    }
    if (!c.Eat(" WINDOW=") || !c.Uint<5>(65535, &v)) return false;
    e->window = static_cast<uint16_t>(v);
    if (!c.Eat(" RES=")) return false;
    c.SkipToken();
    // Flags, URGP= and the options, which end the line.
    for (;;) {
      if (c.Done()) return true;
      if (c.end - c.p >= 3 && (c.end - c.p == 3 || c.p[3] == ' ')) {
        uint8_t flag = 0;
        switch (c.p[0]) {
          case 'S': flag = c.p[1] == 'Y' && c.p[2] == 'N' ? tcp::kSyn : 0; break;
          case 'A': flag = c.p[1] == 'C' && c.p[2] == 'K' ? tcp::kAck : 0; break;
          case 'F': flag = c.p[1] == 'I' && c.p[2] == 'N' ? tcp::kFin : 0; break;
          case 'R': flag = c.p[1] == 'S' && c.p[2] == 'T' ? tcp::kRst : 0; break;
          case 'P': flag = c.p[1] == 'S' && c.p[2] == 'H' ? tcp::kPsh : 0; break;
          case 'U': flag = c.p[1] == 'R' && c.p[2] == 'G' ? tcp::kUrg : 0; break;
          case 'E': flag = c.p[1] == 'C' && c.p[2] == 'E' ? tcp::kEce : 0; break;
          case 'C': flag = c.p[1] == 'W' && c.p[2] == 'R' ? tcp::kCwr : 0; break;
          default: break;
        }
        if (flag != 0) {
          e->tcp_flags |= flag;
          c.p += 3;
          continue;
        }
      }
      if (c.Eat("URGP=")) {
        c.SkipToken();
        continue;
      }
      if (c.Eat("OPT (")) {
        const char* s = c.p;
        c.SkipToken();
        std::string_view hex(s, static_cast<size_t>(c.p - s));
        if (!hex.empty() && hex.back() == ')') hex.remove_suffix(1);
        detail::DecodeTcpOptions(hex, e);
        continue;
      }
      return false;
    }
  }
  if (c.EatWord("UDP")) {
    e->proto = kProtoUdp;
    if (!c.Eat(" SPT=") || !c.Uint<5>(65535, &v)) return false;
    e->sport = static_cast<uint16_t>(v);
    if (!c.Eat(" DPT=") || !c.Uint<5>(65535, &v)) return false;
    e->dport = static_cast<uint16_t>(v);
    if (!c.Eat(" LEN=")) return false;  // the UDP length: ParseBody ignores it after PROTO=
    c.SkipToken();
    return c.Done();
  }
  if (c.EatWord("ICMP")) {
    e->proto = kProtoIcmp;
    if (!c.Eat(" TYPE=") || !c.Uint<3>(255, &v)) return false;
    e->sport = static_cast<uint16_t>(v);
    if (!c.Eat(" CODE=") || !c.Uint<3>(255, &v)) return false;
    e->dport = static_cast<uint16_t>(v);
    // Echo request/reply: ID= and SEQ= of the ICMP header, ignored after PROTO=.
    if (c.Eat(" ID=")) {
      c.SkipToken();
      if (!c.Eat(" SEQ=")) return false;
      c.SkipToken();
    }
    return c.Done();
  }
  return false;
}

#undef PS_INLINE

class NetfilterParser : public Parser {
 public:
  explicit NetfilterParser(const ParseOptions& options)
      : default_action_(options.default_action), header_(options) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    detail::SyslogHeader h;
    header_.Parse(line, &h);
    size_t start = detail::FindNetfilterStart(h.message);
    if (start == std::string_view::npos) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    line.empty() ? "empty line" : "no netfilter IN=/OUT= fields");
      return;
    }
    if (!h.has_time) {
      sink.OnReject(lineno, Reason::kBadTimestamp, h.time_error);
      return;
    }
    const uint32_t line_no = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    Event e;
    e.time = h.time;
    e.line = line_no;
    std::string_view body = h.message.substr(start);
    if (!FastBody(body, &e)) {
      // The fast path may have filled some fields before it gave up.
      e = Event{};
      e.time = h.time;
      e.line = line_no;
      if (!ParseBody(body, &e, &err_)) {
        sink.OnReject(lineno, err_.reason, err_.detail);
        return;
      }
    }
    e.action = detail::ActionFromPrefix(h.message.substr(0, start));
    if (e.action == Action::kUnknown) e.action = default_action_;
    sink.OnRecord(e, h.host);
  }

 private:
  Action default_action_;
  detail::SyslogHeaderParser header_;
  BodyError err_;
};

}  // namespace

namespace detail {

bool ParseNetfilterBody(std::string_view body, Event* e, Reason* reason, std::string* why) {
  BodyError err;
  if (ParseBody(body, e, &err)) return true;
  *reason = err.reason;
  *why = std::move(err.detail);
  return false;
}

bool ParseNetfilterBodyFast(std::string_view body, Event* e) { return FastBody(body, e); }

namespace {

// Verdict named by the alphanumeric word prefix[s, i), kUnknown if none.
Action WordVerdict(std::string_view prefix, size_t s, size_t i) {
  // Every verdict word (and single-letter tag) starts with A, B, D or R, so
  // most words — "kernel", a timestamp's digits, rule numbers — end here.
  char c0 = Upper(prefix[s]);
  if (c0 != 'A' && c0 != 'B' && c0 != 'D' && c0 != 'R') return Action::kUnknown;
  if (i - s == 1) {
    // UniFi / EdgeOS rule names: "[WAN_LOCAL-D-2147483647]", "[LAN_LOCAL-default-A]".
    const size_t n = prefix.size();
    bool dashed = s > 0 && prefix[s - 1] == '-' && i < n && (prefix[i] == '-' || prefix[i] == ']');
    if (dashed) {
      if (c0 == 'D') return Action::kDrop;
      if (c0 == 'A') return Action::kAllow;
      if (c0 == 'R') return Action::kReject;
    }
    return Action::kUnknown;
  }
  return VerdictWord(prefix.substr(s, i - s));
}

#if defined(__SSE2__)
// ActionFromPrefix for prefixes of up to 64 bytes (nearly all: "kernel:
// [1234.567890] DROP "), which runs on every line: one bit per byte marks
// the alphanumeric ones, and the words are the runs of ones, so there is no
// branch per byte.
Action ActionFromShortPrefix(std::string_view prefix) {
  alignas(16) char buf[64];
  const size_t n = prefix.size();
  std::memcpy(buf, prefix.data(), n);
  std::memset(buf + n, 0, sizeof buf - n);
  // x in [lo, lo + span] as unsigned bytes.
  auto in_range = [](__m128i x, char lo, char span) {
    __m128i t = _mm_sub_epi8(x, _mm_set1_epi8(lo));
    __m128i k = _mm_set1_epi8(span);
    return _mm_cmpeq_epi8(_mm_max_epu8(t, k), k);
  };
  uint64_t alnum = 0;
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(buf + 16 * k));
    __m128i digit = in_range(v, '0', 9);
    __m128i alpha = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 25);  // ASCII letters only
    uint64_t m = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, alpha)));
    alnum |= m << (16 * k);
  }
  std::string_view text(buf, n);
  while (alnum != 0) {
    size_t s = static_cast<size_t>(__builtin_ctzll(alnum));
    uint64_t run = alnum >> s;
    size_t len = ~run == 0 ? 64 - s : static_cast<size_t>(__builtin_ctzll(~run));
    size_t i = s + len;
    alnum = i >= 64 ? 0 : alnum & (~uint64_t{0} << i);
    Action a = WordVerdict(text, s, i);
    if (a != Action::kUnknown) return a;
  }
  return Action::kUnknown;
}
#endif

}  // namespace

Action ActionFromPrefix(std::string_view prefix) {
#if defined(__SSE2__)
  if (prefix.size() <= 64) return ActionFromShortPrefix(prefix);
#endif
  size_t i = 0;
  const size_t n = prefix.size();
  while (i < n) {
    while (i < n && !IsAlnum(prefix[i])) ++i;
    size_t s = i;
    while (i < n && IsAlnum(prefix[i])) ++i;
    if (i == s) break;
    Action a = WordVerdict(prefix, s, i);
    if (a != Action::kUnknown) return a;
  }
  return Action::kUnknown;
}

size_t FindNetfilterStart(std::string_view m) {
  size_t pos = 0;
  while ((pos = m.find("IN=", pos)) != std::string_view::npos) {
    if (pos == 0 || !IsKeyChar(m[pos - 1])) return pos;
    pos += 3;
  }
  // pve-firewall and some NFLOG loggers leave out an empty IN=. A leading
  // OUT= counts, but not one that follows another KEY=value token
  // ("XX=eth0 OUT=" is a damaged line, not a record).
  pos = 0;
  while ((pos = m.find("OUT=", pos)) != std::string_view::npos) {
    if (pos == 0 || !IsKeyChar(m[pos - 1])) {
      size_t e = pos;
      while (e > 0 && m[e - 1] == ' ') --e;
      size_t s = e;
      while (s > 0 && m[s - 1] != ' ') --s;
      if (m.substr(s, e - s).find('=') != std::string_view::npos) return std::string_view::npos;
      return pos;
    }
    pos += 4;
  }
  return std::string_view::npos;
}

void DecodeTcpOptions(std::string_view hex, Event* e) {
  // HexDigit as a table: this runs on nearly every TCP line.
  static constexpr auto kHex = [] {
    std::array<int8_t, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = static_cast<int8_t>(HexDigit(static_cast<char>(c)));
    return t;
  }();
  uint8_t bytes[40];
  size_t n = 0;
  for (size_t i = 0; i + 1 < hex.size() && n < sizeof bytes; i += 2) {
    int hi = kHex[static_cast<unsigned char>(hex[i])];
    int lo = kHex[static_cast<unsigned char>(hex[i + 1])];
    if ((hi | lo) < 0) break;
    bytes[n++] = static_cast<uint8_t>(hi << 4 | lo);
  }
  size_t i = 0;
  while (i < n) {
    uint8_t kind = bytes[i];
    if (kind == 0) break;  // end of option list
    if (kind == 1) {
      e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kNop);
      ++i;
      continue;
    }
    if (i + 1 >= n || bytes[i + 1] < 2 || i + bytes[i + 1] > n) {
      e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kOther);
      break;
    }
    uint8_t len = bytes[i + 1];
    switch (kind) {
      case 2:
        if (len == 4) e->mss = static_cast<uint16_t>(bytes[i + 2] << 8 | bytes[i + 3]);
        e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kMss);
        break;
      case 3:
        if (len == 3) e->wscale = bytes[i + 2] == 255 ? 255 : static_cast<uint8_t>(bytes[i + 2] + 1);
        e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kWscale);
        break;
      case 4: e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kSackOk); break;
      case 5: e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kSack); break;
      case 8: e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kTimestamp); break;
      default: e->tcp_opts = AppendTcpOpt(e->tcp_opts, TcpOpt::kOther); break;
    }
    i += len;
  }
}

}  // namespace detail

int DetectNetfilter(std::string_view line) {
  if (line.find("SRC=") == std::string_view::npos) return 0;
  size_t start = detail::FindNetfilterStart(line);
  if (start == std::string_view::npos) return 0;
  std::string_view body = line.substr(start);
  bool dst = body.find("DST=") != std::string_view::npos;
  bool proto = body.find("PROTO=") != std::string_view::npos;
  if (dst && proto) return 90;
  return dst ? 60 : 30;
}

std::unique_ptr<Parser> MakeNetfilterParser(const ParseOptions& options) {
  return std::make_unique<NetfilterParser>(options);
}

}  // namespace portstorm::parse
