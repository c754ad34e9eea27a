#include "parse/formats/filterlog.h"

#include <cstring>
#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::ParseUint;

constexpr std::string_view kTag = "filterlog";
// The longest record (IPv4 TCP) has 29 fields; ICMP timestamp replies 26.
constexpr size_t kMaxFields = 48;

// Splits `s` at commas into out[0..n); returns n, or kMaxFields + 1 if there
// are more fields than that.
size_t SplitCsv(std::string_view s, std::string_view* out) {
  size_t n = 0, pos = 0;
  while (true) {
    if (n == kMaxFields) return kMaxFields + 1;
    const void* c = std::memchr(s.data() + pos, ',', s.size() - pos);
    size_t end = c ? static_cast<size_t>(static_cast<const char*>(c) - s.data()) : s.size();
    out[n++] = s.substr(pos, end - pos);
    if (c == nullptr) return n;
    pos = end + 1;
  }
}

// After the syslog header: "filterlog: CSV" or "filterlog[pid]: CSV". Returns
// the CSV, or an empty view with *found = false.
std::string_view StripTag(std::string_view m, bool* found) {
  *found = false;
  if (m.size() < kTag.size() + 1 || m.compare(0, kTag.size(), kTag) != 0) return {};
  size_t i = kTag.size();
  if (m[i] == '[') {
    size_t close = m.find(']', i);
    if (close == std::string_view::npos || close > i + 12) return {};
    i = close + 1;
  }
  if (i >= m.size() || m[i] != ':') return {};
  ++i;
  while (i < m.size() && m[i] == ' ') ++i;
  *found = true;
  return m.substr(i);
}

Action FilterAction(std::string_view a) {
  if (a == "block") return Action::kDrop;
  if (a == "pass") return Action::kAllow;
  if (a == "synproxy-drop") return Action::kDrop;
  return Action::kUnknown;  // match, rdr, nat, binat, scrub, ...: no verdict of their own
}

// Fast path for the protocol ids filterlog writes; names only when the id is empty.
bool ProtoFromFields(std::string_view id, std::string_view text, uint8_t* out) {
  uint64_t v;
  if (ParseUint(id, 255, &v)) {
    *out = static_cast<uint8_t>(v);
    return true;
  }
  if (!id.empty() || text.empty()) return false;
  auto p = ParseProto(text);
  if (!p) return false;
  *out = *p;
  return true;
}

struct Failure {
  Reason reason = Reason::kBadField;
  std::string detail;
};

class FilterlogParser : public Parser {
 public:
  explicit FilterlogParser(const ParseOptions& options)
      : default_action_(options.default_action), header_(options) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    if (line.empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    detail::SyslogHeader h;
    header_.Parse(line, &h);
    bool tagged = false;
    std::string_view csv = StripTag(h.message, &tagged);
    if (!tagged && h.form == detail::HeaderForm::kRfc5424) {
      // RFC 5424: the app-name field names the program; the message is the CSV.
      std::string_view before = line.substr(0, static_cast<size_t>(h.message.data() - line.data()));
      if (before.find(" filterlog ") != std::string_view::npos) {
        tagged = true;
        csv = h.message;
      }
    }
    if (!tagged) {
      sink.OnReject(lineno, Reason::kNotARecord, "no filterlog tag");
      return;
    }
    if (!h.has_time) {
      sink.OnReject(lineno, Reason::kBadTimestamp, h.time_error);
      return;
    }
    Event e;
    e.time = h.time;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    if (!ParseCsv(csv, &e)) {
      sink.OnReject(lineno, fail_.reason, fail_.detail);
      return;
    }
    if (e.action == Action::kUnknown) e.action = default_action_;
    sink.OnRecord(e, h.host);
  }

 private:
  bool Fail(Reason r, std::string_view field, std::string_view why) {
    fail_.reason = r;
    fail_.detail = FieldDetail(field, why);
    return false;
  }
  bool Truncated(size_t n, std::string_view what) {
    fail_.reason = Reason::kTruncated;
    fail_.detail = std::to_string(n) + " fields, no " + std::string(what);
    return false;
  }

  bool Number(std::string_view s, uint64_t max, std::string_view name, uint64_t* v) {
    if (ParseUint(s, max, v)) return true;
    std::string why(name);
    why += " not 0..";
    why += std::to_string(max);
    return Fail(Reason::kBadField, s, why);
  }

  bool Port(std::string_view s, uint16_t* out) {
    uint64_t v;
    if (ParseUint(s, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    bool digits = ParseUint(s, UINT64_MAX, &v);
    return Fail(Reason::kBadPort, s, digits ? "port > 65535" : "port not a number");
  }

  bool Address(std::string_view s, IpAddr* out, std::string_view which) {
    if (IpAddr::Parse(s, out) || IpAddr::ParseAnonymisedV4(s, out)) return true;
    std::string why(which);
    why += " not an IPv4/IPv6 address";
    return Fail(Reason::kUnparsableAddress, s, why);
  }

  bool ParseCsv(std::string_view csv, Event* e) {
    std::string_view* f = fields_;
    size_t n = SplitCsv(csv, f);
    if (n > kMaxFields) return Fail(Reason::kBadField, csv, "more than 48 comma-separated fields");
    if (n < 9) return Truncated(n, "IP version field");
    uint64_t v;
    // 0 rule, 1 sub rule, 2 anchor, 3 tracker, 4 interface, 5 reason: kept in the log only.
    if (!f[0].empty() && !ParseUint(f[0], UINT32_MAX, &v)) {
      return Fail(Reason::kBadField, f[0], "rule number not a number");
    }
    e->action = FilterAction(f[6]);  // 7 direction: not kept
    size_t r;                        // first field after the destination
    if (f[8] == "4") {
      // 9 tos, 10 ecn, 11 ttl, 12 id, 13 offset, 14 flags, 15 proto id, 16 proto text,
      // 17 length, 18 src, 19 dst
      if (n < 20) return Truncated(n, "IPv4 destination field");
      if (!detail::ParseHex(f[9], &v) || v > 0xff)
        return Fail(Reason::kBadField, f[9], "TOS not 0x00..0xff");
      if (!Number(f[11], 255, "TTL", &v)) return false;
      e->ttl = static_cast<uint8_t>(v);
      if (!Number(f[12], 65535, "IP ID", &v)) return false;
      e->ip_id = static_cast<uint16_t>(v);
      if (!Number(f[13], 65535, "fragment offset", &v)) return false;
      if (v != 0) e->ip_flags |= ipf::kFragment;
      std::string_view fl = f[14];
      if (fl.find("DF") != std::string_view::npos) e->ip_flags |= ipf::kDf;
      if (fl.find("MF") != std::string_view::npos || fl.find('+') != std::string_view::npos) {
        e->ip_flags |= ipf::kMf;
      }
      if (!ProtoFromFields(f[15], f[16], &e->proto)) {
        return Fail(Reason::kUnknownProtocol, f[15].empty() ? f[16] : f[15], "unknown protocol");
      }
      if (!Enough(e->proto, n, 20)) return false;
      if (!Number(f[17], 65535, "length", &v)) return false;
      e->ip_len = static_cast<uint16_t>(v);
      if (!Address(f[18], &e->src, "source") || !Address(f[19], &e->dst, "destination"))
        return false;
      r = 20;
    } else if (f[8] == "6") {
      // 9 class, 10 flow label, 11 hop limit, 12 proto text, 13 proto id, 14 length, 15 src, 16 dst
      if (n < 17) return Truncated(n, "IPv6 destination field");
      if (!detail::ParseHex(f[9], &v) || v > 0xff)
        return Fail(Reason::kBadField, f[9], "class not 0x00..0xff");
      if (!Number(f[11], 255, "hop limit", &v)) return false;
      e->ttl = static_cast<uint8_t>(v);
      if (!ProtoFromFields(f[13], f[12], &e->proto)) {
        return Fail(Reason::kUnknownProtocol, f[13].empty() ? f[12] : f[13], "unknown protocol");
      }
      if (!Enough(e->proto, n, 17)) return false;
      // filterlog gives the IPv6 payload length; Event::ip_len is the whole packet.
      if (!Number(f[14], 65535 - 40, "length", &v)) return false;
      e->ip_len = static_cast<uint16_t>(v + 40);
      if (!Address(f[15], &e->src, "source") || !Address(f[16], &e->dst, "destination"))
        return false;
      r = 17;
    } else {
      return Fail(Reason::kBadField, f[8], "IP version not 4 or 6");
    }
    switch (e->proto) {
      case kProtoTcp:
        return Tcp(f, r, e);
      case kProtoUdp:
        return Udp(f, r, e);
      case kProtoIcmp:
        return Icmp(f, n, r, e);
      default:
        return Other(f, n, r, e);
    }
  }

  // A line cut inside the addresses or ports is truncated, not malformed:
  // check the field count the protocol needs before reading the fields.
  bool Enough(uint8_t proto, size_t n, size_t r) {
    if (proto == kProtoTcp && n < r + 9) return Truncated(n, "TCP options field");
    if (proto == kProtoUdp && n < r + 3) return Truncated(n, "UDP data length field");
    return true;
  }

  // sport, dport, data length, flags, seq, ack, window, urg, options (Enough() checked the count)
  bool Tcp(const std::string_view* f, size_t r, Event* e) {
    if (!Port(f[r], &e->sport) || !Port(f[r + 1], &e->dport)) return false;
    uint64_t v;
    if (!Number(f[r + 2], 65535, "data length", &v)) return false;
    e->payload_len = static_cast<uint16_t>(v);
    for (char c : f[r + 3]) {
      switch (c) {
        case 'F':
          e->tcp_flags |= tcp::kFin;
          break;
        case 'S':
          e->tcp_flags |= tcp::kSyn;
          break;
        case 'R':
          e->tcp_flags |= tcp::kRst;
          break;
        case 'P':
          e->tcp_flags |= tcp::kPsh;
          break;
        case 'A':
          e->tcp_flags |= tcp::kAck;
          break;
        case 'U':
          e->tcp_flags |= tcp::kUrg;
          break;
        case 'E':
          e->tcp_flags |= tcp::kEce;
          break;
        case 'W':
        case 'C':
          e->tcp_flags |= tcp::kCwr;
          break;
        default:
          return Fail(Reason::kBadField, f[r + 3], "TCP flags not letters of FSRPAUEWC");
      }
    }
    // Sequence "n" or "first:last" (a segment with data).
    std::string_view seq = f[r + 4];
    size_t colon = seq.find(':');
    if (colon != std::string_view::npos) {
      if (!ParseUint(seq.substr(colon + 1), UINT32_MAX, &v)) {
        return Fail(Reason::kBadField, seq, "sequence not n or n:m");
      }
      seq = seq.substr(0, colon);
    }
    if (!seq.empty()) {
      if (!Number(seq, UINT32_MAX, "sequence", &v)) return false;
      e->seq = static_cast<uint32_t>(v);
    }
    if (!f[r + 5].empty() && !Number(f[r + 5], UINT32_MAX, "ack", &v)) return false;
    if (!f[r + 6].empty()) {
      if (!Number(f[r + 6], 65535, "window", &v)) return false;
      e->window = static_cast<uint16_t>(v);
    }
    // Options "mss;nop;wscale;sackOK;TS;eol": names only, no values.
    std::string_view opts = f[r + 8];
    while (!opts.empty()) {
      size_t semi = opts.find(';');
      std::string_view o = opts.substr(0, semi);
      opts = semi == std::string_view::npos ? std::string_view() : opts.substr(semi + 1);
      if (o.empty()) continue;
      TcpOpt t = TcpOpt::kOther;
      if (o == "nop")
        t = TcpOpt::kNop;
      else if (o == "mss")
        t = TcpOpt::kMss;
      else if (o == "wscale")
        t = TcpOpt::kWscale;
      else if (o == "sackOK")
        t = TcpOpt::kSackOk;
      else if (o == "sack")
        t = TcpOpt::kSack;
      else if (o == "TS")
        t = TcpOpt::kTimestamp;
      else if (o == "eol")
        t = TcpOpt::kEnd;
      if (t != TcpOpt::kEnd) e->tcp_opts = AppendTcpOpt(e->tcp_opts, t);
    }
    return true;
  }

  // sport, dport, data length (the UDP length: header included)
  bool Udp(const std::string_view* f, size_t r, Event* e) {
    if (!Port(f[r], &e->sport) || !Port(f[r + 1], &e->dport)) return false;
    uint64_t v;
    if (!Number(f[r + 2], 65535, "data length", &v)) return false;
    e->payload_len = static_cast<uint16_t>(v >= 8 ? v - 8 : 0);
    return true;
  }

  // ICMP type word, then its subfields. Type and code go in sport/dport.
  bool Icmp(const std::string_view* f, size_t n, size_t r, Event* e) {
    if (n <= r) return true;  // nothing after the addresses
    std::string_view t = f[r];
    if (DataLength(t, e)) return true;
    struct Kind {
      std::string_view name;
      uint8_t type, code;
      uint8_t subfields;  // how many fields follow the type word (0 = any)
    };
    static constexpr Kind kKinds[] = {
        {"request", 8, 0, 2},      {"reply", 0, 0, 2},       {"unreachproto", 3, 2, 2},
        {"unreachport", 3, 3, 3},  {"unreach", 3, 0, 0},     {"needfrag", 3, 4, 2},
        {"timexceed", 11, 0, 0},   {"timeexceed", 11, 0, 0}, {"paramprob", 12, 0, 0},
        {"redirect", 5, 0, 0},     {"maskreply", 18, 0, 0},  {"tstamp", 13, 0, 2},
        {"tstampreply", 14, 0, 5},
    };
    for (const Kind& k : kKinds) {
      if (t != k.name) continue;
      e->sport = k.type;
      e->dport = k.code;
      if (n < r + 1 + k.subfields) {
        std::string what = "ICMP ";
        what.append(t);
        what += " subfields";
        return Truncated(n, what);
      }
      uint64_t v;
      if (k.name == "request" || k.name == "reply" || k.name == "tstamp" ||
          k.name == "tstampreply") {
        // pfSense prints the echo data length right after the sequence
        // number, with no comma ("request,56026,2526864"), and a blank in
        // "tstampreply, 1234,..." : the sequence is any run of digits.
        std::string_view id = detail::TrimBlanks(f[r + 1]), seq = detail::TrimBlanks(f[r + 2]);
        if (!Number(id, 65535, "ICMP id", &v)) return false;
        if (seq.empty() || seq.size() > 10 || seq.find_first_not_of("0123456789") != std::string_view::npos) {
          return Number(seq, 65535, "ICMP seq", &v);  // the reject names the field
        }
      } else if (k.subfields >= 2) {  // unreachproto, unreachport, needfrag: embedded destination
        IpAddr ignored;
        if (!Address(f[r + 1], &ignored, "ICMP destination")) return false;
      }
      return true;
    }
    return true;  // another description: type not known, kept as 0/0
  }

  // CARP, IGMP, ESP, GRE, IPv6 ICMP, ...: no ports; "datalength=N" where given.
  bool Other(const std::string_view* f, size_t n, size_t r, Event* e) {
    if (n > r) DataLength(f[r], e);
    return true;
  }

  static bool DataLength(std::string_view s, Event* e) {
    constexpr std::string_view kKey = "datalength=";
    if (s.size() <= kKey.size() || s.compare(0, kKey.size(), kKey) != 0) return false;
    uint64_t v;
    if (ParseUint(s.substr(kKey.size()), 65535, &v)) e->payload_len = static_cast<uint16_t>(v);
    return true;
  }

  Action default_action_;
  detail::SyslogHeaderParser header_;
  std::string_view fields_[kMaxFields];
  Failure fail_;
};

}  // namespace

int DetectFilterlog(std::string_view line) {
  size_t t = line.find(kTag);
  if (t == std::string_view::npos || t + kTag.size() >= line.size()) return 0;
  char next = line[t + kTag.size()];
  if (next != ':' && next != '[' && next != ' ') return 0;
  std::string_view rest = line.substr(t + kTag.size());
  size_t commas = 0;
  for (char c : rest) commas += c == ',';
  bool dir =
      rest.find(",in,") != std::string_view::npos || rest.find(",out,") != std::string_view::npos;
  if (commas >= 16 && dir) return 95;
  return commas >= 8 ? 60 : 30;
}

std::unique_ptr<Parser> MakeFilterlogParser(const ParseOptions& options) {
  return std::make_unique<FilterlogParser>(options);
}

}  // namespace portstorm::parse
