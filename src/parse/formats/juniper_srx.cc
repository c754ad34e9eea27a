#include "parse/formats/juniper_srx.h"

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

enum class Msg : uint8_t { kDeny, kCreate, kClose, kScreen };

struct Tag {
  Msg msg = Msg::kDeny;
  size_t begin = 0, end = 0;  // the tag word, "RT_FLOW_SESSION_DENY_LS"
  std::string_view screen;    // "TCP" of RT_SCREEN_TCP
};

// The message tag; false if the line holds none of the traffic messages.
bool FindTag(std::string_view s, Tag* t) {
  for (size_t p = s.find("RT_"); p != npos; p = s.find("RT_", p + 3)) {
    if (p > 0 && s[p - 1] != ' ' && s[p - 1] != ':') continue;
    size_t e = p;
    while (e < s.size() && s[e] != ' ' && s[e] != ':' && s[e] != '[') ++e;
    std::string_view w = s.substr(p, e - p);
    if (w.size() > 3 && w.substr(w.size() - 3) == "_LS") w.remove_suffix(3);
    if (w == "RT_FLOW_SESSION_DENY") {
      t->msg = Msg::kDeny;
    } else if (w == "RT_FLOW_SESSION_CREATE") {
      t->msg = Msg::kCreate;
    } else if (w == "RT_FLOW_SESSION_CLOSE") {
      t->msg = Msg::kClose;
    } else if (w.substr(0, 10) == "RT_SCREEN_" && w.size() > 10) {
      t->msg = Msg::kScreen;
      t->screen = w.substr(10);
    } else {
      continue;
    }
    t->begin = p;
    t->end = e;
    return true;
  }
  return false;
}

// Structured data: key="value" pairs up to the closing ']' (values may hold
// \" \] \\ escapes; an unquoted value runs to the next space).
struct Sd {
  std::string_view src, sport, dst, dport, proto_id, proto_name, action;
};

void ScanSd(std::string_view s, Sd* sd) {
  size_t i = 0, n = s.size();
  while (i < n && s[i] != ']') {
    while (i < n && s[i] == ' ') ++i;
    size_t eq = i;
    while (eq < n && s[eq] != '=' && s[eq] != ' ' && s[eq] != ']') ++eq;
    if (eq >= n || s[eq] != '=') {
      i = eq + (eq < n && s[eq] == ' ');
      if (eq < n && s[eq] == ']') break;
      continue;
    }
    std::string_view key = s.substr(i, eq - i);
    std::string_view value;
    size_t j = eq + 1;
    if (j < n && s[j] == '"') {
      size_t k = j + 1;
      while (k < n && s[k] != '"') k += (s[k] == '\\' && k + 1 < n) ? 2 : 1;
      value = s.substr(j + 1, (k < n ? k : n) - j - 1);
      i = k < n ? k + 1 : n;
    } else {
      size_t k = j;
      while (k < n && s[k] != ' ' && s[k] != ']') ++k;
      value = s.substr(j, k - j);
      i = k;
    }
    if (key == "source-address") sd->src = value;
    else if (key == "source-port") sd->sport = value;
    else if (key == "destination-address") sd->dst = value;
    else if (key == "destination-port") sd->dport = value;
    else if (key == "protocol-id") sd->proto_id = value;
    else if (key == "protocol-name") sd->proto_name = value;
    else if (key == "action") sd->action = value;
  }
}

bool ParsePort(std::string_view p, std::string_view tok, uint16_t* out, Err* err) {
  uint64_t v;
  if (ParseUint(p, 65535, &v)) {
    *out = static_cast<uint16_t>(v);
    return true;
  }
  bool digits = ParseUint(p, UINT64_MAX, &v);
  return Fail(err, Reason::kBadPort, tok, digits ? "port > 65535" : "port not a number");
}

bool ParseAddr(std::string_view a, std::string_view tok, IpAddr* out, Err* err) {
  if (IpAddr::Parse(a, out)) return true;
  return Fail(err, Reason::kUnparsableAddress, tok, "not an IPv4/IPv6 address");
}

bool ProtoName(std::string_view s, uint8_t* out) {
  uint64_t v;
  if (ParseUint(s, 255, &v)) {
    *out = static_cast<uint8_t>(v);
    return true;
  }
  if (detail::EqualsUpper(s, "TCP")) *out = kProtoTcp;
  else if (detail::EqualsUpper(s, "UDP")) *out = kProtoUdp;
  else if (detail::EqualsUpper(s, "ICMP")) *out = kProtoIcmp;
  else if (detail::EqualsUpper(s, "ICMP6") || detail::EqualsUpper(s, "ICMPV6")) *out = kProtoIpv6Icmp;
  else if (detail::EqualsUpper(s, "GRE")) *out = 47;
  else if (detail::EqualsUpper(s, "ESP")) *out = 50;
  else return false;
  return true;
}

Action ScreenAction(std::string_view a) {
  if (a == "drop" || a == "drop-packet" || a == "block") return Action::kDrop;
  if (a == "alarm" || a == "alarm-without-drop") return Action::kAlert;
  return Action::kUnknown;
}

// Space-separated words of the plain form.
struct Words {
  std::string_view w[48];
  int n = 0;
};

void SplitWords(std::string_view s, Words* out) {
  size_t i = 0;
  while (i < s.size() && out->n < 48) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) break;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    out->w[out->n++] = s.substr(i, j - i);
    i = j;
  }
}

bool IsNumber(std::string_view s) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// "192.0.2.1/4117->198.51.100.2/5000"
bool IsPair(std::string_view w) { return w.find("->") != npos && w.find('/') != npos; }

bool ParsePair(std::string_view w, Event* e, Err* err) {
  size_t arrow = w.find("->");
  std::string_view a = w.substr(0, arrow), b = w.substr(arrow + 2);
  size_t sa = a.rfind('/'), sb = b.rfind('/');
  if (sa == npos || sb == npos) return Fail(err, Reason::kBadField, w, "not address/port->address/port");
  return ParseAddr(a.substr(0, sa), w, &e->src, err) &&
         ParsePort(a.substr(sa + 1), w, &e->sport, err) &&
         ParseAddr(b.substr(0, sb), w, &e->dst, err) &&
         ParsePort(b.substr(sb + 1), w, &e->dport, err);
}

// Plain RT_FLOW_SESSION_*: the first address pair, then the protocol: for a
// denial the "6(0)" word (protocol and ICMP type); for create/close the
// number after the NAT rule fields, found as the number that has the session
// id four words later (the NAT rule fields vary between Junos releases and
// may hold spaces, "source rule").
bool PlainSession(std::string_view body, Msg msg, Event* e, Err* err) {
  Words ws;
  SplitWords(body, &ws);
  int pair = -1;
  for (int i = 0; i < ws.n; ++i) {
    if (IsPair(ws.w[i])) {
      pair = i;
      break;
    }
  }
  if (pair < 0) {
    err->reason = Reason::kTruncated;
    err->detail = "no address/port->address/port";
    return false;
  }
  if (!ParsePair(ws.w[pair], e, err)) return false;
  if (msg == Msg::kDeny) {
    for (int i = pair + 1; i < ws.n; ++i) {
      std::string_view w = ws.w[i];
      size_t open = w.find('(');
      if (open == npos || w.back() != ')' || !IsNumber(w.substr(0, open))) continue;
      uint64_t v;
      if (!ParseUint(w.substr(0, open), 255, &v)) {
        return Fail(err, Reason::kUnknownProtocol, w, "protocol not 0..255");
      }
      e->proto = static_cast<uint8_t>(v);
      return true;
    }
    err->reason = Reason::kTruncated;
    err->detail = "no protocol(icmp-type) word";
    return false;
  }
  int nat = -1;
  for (int i = pair + 1; i < ws.n; ++i) {
    if (IsPair(ws.w[i])) {
      nat = i;
      break;
    }
  }
  int from = nat < 0 ? pair + 1 : nat + 1;
  int found = -1;
  for (int i = from; i < ws.n; ++i) {
    if (!IsNumber(ws.w[i])) continue;
    if (i + 4 < ws.n && IsNumber(ws.w[i + 4]) && !IsNumber(ws.w[i + 1])) {
      found = i;
      break;
    }
    if (found < 0 && i + 1 < ws.n && !IsNumber(ws.w[i + 1])) found = i;  // fallback
  }
  uint64_t v;
  if (found < 0 || !ParseUint(ws.w[found], 255, &v)) {
    err->reason = Reason::kTruncated;
    err->detail = "no protocol number";
    return false;
  }
  e->proto = static_cast<uint8_t>(v);
  return true;
}

// "source: 192.0.2.1:4117," or "source: 2001:db8::1,"
bool ScreenEndpoint(std::string_view body, std::string_view key, IpAddr* addr, uint16_t* port,
                    Err* err) {
  size_t p = body.find(key);
  if (p == npos) return true;  // session-limit screens name one side only
  size_t i = p + key.size();
  while (i < body.size() && body[i] == ' ') ++i;
  size_t j = i;
  while (j < body.size() && body[j] != ',' && body[j] != ' ') ++j;
  std::string_view tok = body.substr(i, j - i);
  if (IpAddr::Parse(tok, addr)) return true;
  size_t colon = tok.rfind(':');
  if (colon == npos) return ParseAddr(tok, tok, addr, err);
  return ParseAddr(tok.substr(0, colon), tok, addr, err) &&
         ParsePort(tok.substr(colon + 1), tok, port, err);
}

bool PlainScreen(std::string_view body, std::string_view screen, Event* e, Err* err) {
  if (!ScreenEndpoint(body, "source: ", &e->src, &e->sport, err) ||
      !ScreenEndpoint(body, "destination: ", &e->dst, &e->dport, err)) {
    return false;
  }
  if (body.find("source: ") == npos && body.find("destination: ") == npos) {
    err->reason = Reason::kTruncated;
    err->detail = "no source: or destination: address";
    return false;
  }
  size_t pr = body.find("protocol-id: ");
  if (pr == npos) pr = body.find("protocol: ");
  uint8_t proto = 0;
  if (pr != npos) {
    size_t i = body.find(' ', pr) + 1, j = i;
    while (j < body.size() && detail::IsAlnum(body[j])) ++j;
    ProtoName(body.substr(i, j - i), &proto);
  } else {
    ProtoName(screen, &proto);
  }
  e->proto = proto;
  size_t a = body.find("action: ");
  if (a != npos) {
    size_t i = a + 8, j = i;
    while (j < body.size() && body[j] != ' ' && body[j] != ',') ++j;
    e->action = ScreenAction(body.substr(i, j - i));
  }
  return true;
}

bool Structured(std::string_view sdtext, const Tag& tag, Event* e, Err* err) {
  Sd sd;
  ScanSd(sdtext, &sd);
  if (sd.src.empty() && sd.dst.empty()) {
    err->reason = Reason::kTruncated;
    err->detail = "no source-address/destination-address";
    return false;
  }
  if (!sd.src.empty() && !ParseAddr(sd.src, sd.src, &e->src, err)) return false;
  if (!sd.dst.empty() && !ParseAddr(sd.dst, sd.dst, &e->dst, err)) return false;
  if (!sd.sport.empty() && !ParsePort(sd.sport, sd.sport, &e->sport, err)) return false;
  if (!sd.dport.empty() && !ParsePort(sd.dport, sd.dport, &e->dport, err)) return false;
  std::string_view p = sd.proto_id.empty() ? sd.proto_name : sd.proto_id;
  if (p.empty() && tag.msg == Msg::kScreen) p = tag.screen;
  if (!p.empty() && !ProtoName(p, &e->proto) && tag.msg != Msg::kScreen) {
    return Fail(err, Reason::kUnknownProtocol, p, "protocol-id not 0..255");
  }
  if (tag.msg == Msg::kScreen) e->action = ScreenAction(sd.action);
  return true;
}

class JuniperSrxParser : public Parser {
 public:
  explicit JuniperSrxParser(const ParseOptions& options)
      : header_(options),
        clock_(options.tz),
        fallback_time_(options.reference_time != 0 ? options.reference_time : NowUs()) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    Tag tag;
    if (!FindTag(line, &tag)) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    line.empty() ? "empty line"
                                 : "not an RT_FLOW_SESSION_DENY/CREATE/CLOSE or RT_SCREEN message");
      return;
    }
    Event e;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    e.action = tag.msg == Msg::kDeny ? Action::kDrop
               : tag.msg == Msg::kScreen ? Action::kUnknown
                                         : Action::kAllow;
    detail::SyslogHeader h;
    header_.Parse(line.substr(0, tag.begin), &h);
    std::string_view host = h.host;
    if (!Time(h, &e.time, &host)) {
      sink.OnReject(lineno, Reason::kBadTimestamp, h.time_error);
      return;
    }
    std::string_view rest = line.substr(tag.end);
    size_t i = 0;
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == ':')) ++i;
    rest.remove_prefix(i);
    bool ok;
    if (!rest.empty() && rest[0] == '[') {
      size_t sp = rest.find(' ');
      ok = Structured(sp == npos ? std::string_view() : rest.substr(sp + 1), tag, &e, &err_);
    } else if (tag.msg == Msg::kScreen) {
      ok = PlainScreen(rest, tag.screen, &e, &err_);
    } else {
      ok = PlainSession(rest, tag.msg, &e, &err_);
    }
    if (!ok) {
      sink.OnReject(lineno, err_.reason, err_.detail);
      return;
    }
    if (e.action == Action::kUnknown && tag.msg == Msg::kScreen) e.action = Action::kAlert;
    sink.OnRecord(e, host);
  }

 private:
  // The relay's header, unless the message carries the device's own ISO
  // stamp and host ("junos-flow: 2005-01-11T01:42:22.123Z srx1 RT_FLOW - ...").
  bool Time(const detail::SyslogHeader& h, TimeUs* out, std::string_view* host) {
    std::string_view m = h.message;
    for (size_t i = 0; i < m.size(); ++i) {
      if (!IsDigit(m[i]) || (i > 0 && m[i - 1] != ' ')) continue;
      detail::ParsedTime t;
      bool valid = true;
      size_t used = detail::ParseIsoTimestamp(m.substr(i), false, &t, &valid);
      if (used == 0 || !valid) continue;
      *out = clock_.ToUtc(t);
      size_t a = i + used;
      while (a < m.size() && m[a] == ' ') ++a;
      size_t b = a;
      while (b < m.size() && m[b] != ' ') ++b;
      if (b > a) *host = m.substr(a, b - a);
      return true;
    }
    if (h.has_time) {
      *out = h.time;
      return true;
    }
    if (h.form != detail::HeaderForm::kNone) return false;
    *out = fallback_time_;
    return true;
  }

  detail::SyslogHeaderParser header_;
  detail::LocalClock clock_;
  TimeUs fallback_time_;
  Err err_;
};

}  // namespace

int DetectJuniperSrx(std::string_view line) {
  Tag t;
  if (FindTag(line, &t)) return 95;
  if (line.find("RT_FLOW") != npos || line.find("RT_IDS") != npos) return 60;
  return 0;
}

std::unique_ptr<Parser> MakeJuniperSrxParser(const ParseOptions& options) {
  return std::make_unique<JuniperSrxParser>(options);
}

}  // namespace portstorm::parse
