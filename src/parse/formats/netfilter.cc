#include "parse/formats/netfilter.h"

#include <cstdio>
#include <cstring>
#include <optional>

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
    Event e;
    e.time = h.time;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    if (!ParseBody(h.message.substr(start), &e, &err_)) {
      sink.OnReject(lineno, err_.reason, err_.detail);
      return;
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

Action ActionFromPrefix(std::string_view prefix) {
  size_t i = 0;
  const size_t n = prefix.size();
  while (i < n) {
    while (i < n && !IsAlnum(prefix[i])) ++i;
    size_t s = i;
    while (i < n && IsAlnum(prefix[i])) ++i;
    if (i == s) break;
    // Verdicts are letters: a word that starts with a digit (the kernel
    // timestamp "[12345.678901]", rule numbers) is never one. Skipping it
    // here saves the word compares on every line.
    if (prefix[s] >= '0' && prefix[s] <= '9') continue;
    std::string_view w = prefix.substr(s, i - s);
    if (w.size() == 1) {
      // UniFi / EdgeOS rule names: "[WAN_LOCAL-D-2147483647]", "[LAN_LOCAL-default-A]".
      bool dashed = s > 0 && prefix[s - 1] == '-' && i < n && (prefix[i] == '-' || prefix[i] == ']');
      if (dashed) {
        char c = Upper(w[0]);
        if (c == 'D') return Action::kDrop;
        if (c == 'A') return Action::kAllow;
        if (c == 'R') return Action::kReject;
      }
      continue;
    }
    Action a = VerdictWord(w);
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
  uint8_t bytes[40];
  size_t n = 0;
  for (size_t i = 0; i + 1 < hex.size() && n < sizeof bytes; i += 2) {
    int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
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
