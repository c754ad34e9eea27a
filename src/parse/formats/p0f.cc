#include "parse/formats/p0f.h"

#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::IsDigit;
using detail::ParseUint;

constexpr auto npos = std::string_view::npos;

std::string_view LTrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view NextToken(std::string_view* s) {
  *s = LTrim(*s);
  size_t end = 0;
  while (end < s->size() && (*s)[end] != ' ' && (*s)[end] != '\t') ++end;
  std::string_view tok = s->substr(0, end);
  s->remove_prefix(end);
  return tok;
}

uint32_t LineNo(uint64_t n) { return static_cast<uint32_t>(n > UINT32_MAX ? UINT32_MAX : n); }

// Digits at s[i..i+n) as a number, -1 if not all digits.
int Num(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return -1;
  int v = 0;
  for (size_t k = i; k < i + n; ++k) {
    if (!IsDigit(s[k])) return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

bool CivilValid(const CivilTime& c) {
  return IsValidDate(c.year, c.month, c.day) && c.hour < 24 && c.minute < 60 && c.second <= 60;
}

// asctime(): "Sat Mar  2 15:32:54 2002". Returns the bytes it covers, 0 if
// `s` does not start with one.
size_t ScanAsctime(std::string_view s, CivilTime* c) {
  static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  if (s.size() < 24 || s[3] != ' ' || s[7] != ' ') return 0;
  bool day_name = false;
  for (std::string_view d : kDays) day_name |= s.substr(0, 3) == d;
  if (!day_name) return 0;
  c->month = MonthFromAbbrev(s.substr(4, 3));
  if (c->month == 0) return 0;
  size_t i = 8;
  if (s[i] == ' ') ++i;
  int day = 0, digits = 0;
  while (i < s.size() && IsDigit(s[i]) && digits < 2) {
    day = day * 10 + (s[i++] - '0');
    ++digits;
  }
  if (digits == 0 || i + 14 > s.size() || s[i] != ' ' || s[i + 3] != ':' || s[i + 6] != ':' ||
      s[i + 9] != ' ') {
    return 0;
  }
  c->day = day;
  c->hour = Num(s, i + 1, 2);
  c->minute = Num(s, i + 4, 2);
  c->second = Num(s, i + 7, 2);
  c->year = Num(s, i + 10, 4);
  c->micros = 0;
  if (c->hour < 0 || c->minute < 0 || c->second < 0 || c->year < 0) return 0;
  i += 14;
  if (i < s.size() && s[i] != ' ' && s[i] != '>') return 0;
  return i;
}

// "a.b.c.d:port" (p0f 2 -r writes "a.b.c.d/host.name:port").
bool ParseHostPort(std::string_view tok, IpAddr* a, uint16_t* port, Reason* r) {
  size_t colon = tok.rfind(':');
  *r = Reason::kUnparsableAddress;
  if (colon == npos) return false;
  std::string_view addr = tok.substr(0, colon);
  size_t slash = addr.find('/');
  if (slash != npos) addr = addr.substr(0, slash);
  if (!IpAddr::Parse(addr, a)) return false;
  uint64_t v;
  if (!ParseUint(tok.substr(colon + 1), 65535, &v)) {
    *r = Reason::kBadPort;
    return false;
  }
  *port = static_cast<uint16_t>(v);
  return true;
}

// p0f 3 "addr/port".
bool ParseSlashPort(std::string_view tok, IpAddr* a, uint16_t* port, Reason* r) {
  size_t slash = tok.rfind('/');
  *r = Reason::kUnparsableAddress;
  if (slash == npos || !IpAddr::Parse(tok.substr(0, slash), a)) return false;
  uint64_t v;
  if (!ParseUint(tok.substr(slash + 1), 65535, &v)) {
    *r = Reason::kBadPort;
    return false;
  }
  *port = static_cast<uint16_t>(v);
  return true;
}

// A window given as a multiple ("mss*20", p0f 2 "S20") is stored as that
// multiple of the MSS (or of MSS + 40 for "mtu*"/"T"), 0 if the MSS is not
// known or the product does not fit.
uint16_t Multiple(uint16_t mss, int add, uint64_t n) {
  uint64_t w = (uint64_t{mss} + static_cast<uint64_t>(add)) * n;
  return mss == 0 || w > 65535 ? 0 : static_cast<uint16_t>(w);
}

// p0f 3 raw_sig "ver:ttl+dist:olen:mss:wsize,scale:olayout:quirks:pclass".
// The TTL printed is the one observed (fp_tcp.c dump_sig), "+dist" p0f's
// guess of the hops.
bool ParseRawSig(std::string_view sig, Event* e, std::string* why) {
  std::string_view f[8];
  size_t n = 0, pos = 0;
  while (n < 8) {
    size_t c = sig.find(':', pos);
    f[n++] = sig.substr(pos, c == npos ? npos : c - pos);
    if (c == npos) break;
    pos = c + 1;
  }
  if (n != 8) return *why = "not ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass", false;
  uint64_t v;
  std::string_view ttl = f[1].substr(0, f[1].find('+'));
  if (!ParseUint(ttl, 255, &v)) return *why = "TTL not 0..255", false;
  e->ttl = static_cast<uint8_t>(v);
  if (f[3] != "*") {
    if (!ParseUint(f[3], 65535, &v)) return *why = "MSS not 0..65535", false;
    e->mss = static_cast<uint16_t>(v);
  }
  size_t comma = f[4].find(',');
  if (comma == npos) return *why = "window not wsize,scale", false;
  std::string_view wsize = f[4].substr(0, comma), scale = f[4].substr(comma + 1);
  if (StartsWith(wsize, "mss*") || StartsWith(wsize, "mtu*")) {
    if (!ParseUint(wsize.substr(4), 65535, &v)) return *why = "window multiple not a number", false;
    e->window = Multiple(e->mss, wsize[1] == 't' ? 40 : 0, v);
  } else if (wsize != "*") {
    if (!ParseUint(wsize, 65535, &v)) return *why = "window not 0..65535", false;
    e->window = static_cast<uint16_t>(v);
  }
  uint64_t scale_v = 0;
  if (scale != "*" && !ParseUint(scale, 255, &scale_v))
    return *why = "window scale not 0..255", false;
  uint32_t layout = 0;
  std::string_view opts = f[5];
  while (!opts.empty()) {
    size_t c = opts.find(',');
    std::string_view o = opts.substr(0, c);
    opts = c == npos ? std::string_view() : opts.substr(c + 1);
    if (o == "nop") {
      layout = AppendTcpOpt(layout, TcpOpt::kNop);
    } else if (o == "mss") {
      layout = AppendTcpOpt(layout, TcpOpt::kMss);
    } else if (o == "ws") {
      layout = AppendTcpOpt(layout, TcpOpt::kWscale);
      e->wscale = static_cast<uint8_t>(scale_v >= 254 ? 255 : scale_v + 1);
    } else if (o == "sok") {
      layout = AppendTcpOpt(layout, TcpOpt::kSackOk);
    } else if (o == "sack") {
      layout = AppendTcpOpt(layout, TcpOpt::kSack);
    } else if (o == "ts") {
      layout = AppendTcpOpt(layout, TcpOpt::kTimestamp);
    } else if (StartsWith(o, "?")) {
      layout = AppendTcpOpt(layout, TcpOpt::kOther);
    } else if (!StartsWith(o, "eol")) {
      return *why = "unknown TCP option in the layout", false;
    }
  }
  e->tcp_opts = layout;
  std::string_view quirks = f[6];
  while (!quirks.empty()) {
    size_t c = quirks.find(',');
    if (quirks.substr(0, c) == "df") e->ip_flags |= ipf::kDf;
    quirks = c == npos ? std::string_view() : quirks.substr(c + 1);
  }
  return true;
}

// p0f 2 signature "wss:ttl:df:tot:opts:quirks[:genre:details]", e.g.
// "S4:64:1:60:M1460,S,T,N,W0:." (p0f.c display_signature; ttl observed).
bool ParseV2Sig(std::string_view sig, Event* e, std::string* why) {
  std::string_view f[6];
  size_t n = 0, pos = 0;
  while (n < 6) {
    size_t c = sig.find(':', pos);
    f[n++] = sig.substr(pos, c == npos ? npos : c - pos);
    if (c == npos) break;
    pos = c + 1;
  }
  if (n != 6) return *why = "signature not wss:ttl:df:tot:opts:quirks", false;
  uint64_t v;
  if (!ParseUint(f[1], 255, &v)) return *why = "signature TTL not 0..255", false;
  e->ttl = static_cast<uint8_t>(v);
  if (f[2] == "1")
    e->ip_flags |= ipf::kDf;
  else if (f[2] != "0")
    return *why = "signature DF not 0 or 1", false;
  std::string_view tot = f[3];
  if (StartsWith(tot, "*(") && tot.size() > 3 && tot.back() == ')')
    tot = tot.substr(2, tot.size() - 3);
  if (tot != "*") {
    if (!ParseUint(tot, 65535, &v)) return *why = "signature length not 0..65535", false;
    e->ip_len = static_cast<uint16_t>(v);
  }
  uint32_t layout = 0;
  std::string_view opts = f[4] == "." ? std::string_view() : f[4];
  while (!opts.empty()) {
    size_t c = opts.find(',');
    std::string_view o = opts.substr(0, c);
    opts = c == npos ? std::string_view() : opts.substr(c + 1);
    if (o.empty()) return *why = "empty TCP option in the signature", false;
    switch (o[0]) {
      case 'N':
        layout = AppendTcpOpt(layout, TcpOpt::kNop);
        break;
      case 'S':
        layout = AppendTcpOpt(layout, TcpOpt::kSackOk);
        break;
      case 'T':
        layout = AppendTcpOpt(layout, TcpOpt::kTimestamp);
        break;
      case 'E':
        break;  // EOL ends the layout
      case '?':
        layout = AppendTcpOpt(layout, TcpOpt::kOther);
        break;
      case 'M':
        if (!ParseUint(o.substr(1), 65535, &v)) return *why = "signature MSS not 0..65535", false;
        e->mss = static_cast<uint16_t>(v);
        layout = AppendTcpOpt(layout, TcpOpt::kMss);
        break;
      case 'W':
        if (!ParseUint(o.substr(1), 254, &v))
          return *why = "signature window scale not 0..254", false;
        e->wscale = static_cast<uint8_t>(v + 1);
        layout = AppendTcpOpt(layout, TcpOpt::kWscale);
        break;
      default:
        return *why = "unknown TCP option in the signature", false;
    }
  }
  e->tcp_opts = layout;
  std::string_view wss = f[0];
  if (!wss.empty() && (wss[0] == 'S' || wss[0] == 'T')) {
    if (!ParseUint(wss.substr(1), 65535, &v))
      return *why = "signature window multiple not a number", false;
    e->window = Multiple(e->mss, wss[0] == 'T' ? 40 : 0, v);
  } else if (!wss.empty() && wss[0] != '*' && wss[0] != '%') {
    if (!ParseUint(wss, 65535, &v)) return *why = "signature window not 0..65535", false;
    e->window = static_cast<uint16_t>(v);
  }
  return true;
}

// "[2012/01/01 10:00:00] " at the start of a p0f 3 log line.
bool V3Time(std::string_view s, CivilTime* c) {
  if (s.size() < 22 || s[0] != '[' || s[5] != '/' || s[8] != '/' || s[11] != ' ' || s[14] != ':' ||
      s[17] != ':' || s[20] != ']') {
    return false;
  }
  c->year = Num(s, 1, 4);
  c->month = Num(s, 6, 2);
  c->day = Num(s, 9, 2);
  c->hour = Num(s, 12, 2);
  c->minute = Num(s, 15, 2);
  c->second = Num(s, 18, 2);
  c->micros = 0;
  return c->year >= 0 && c->month >= 0 && c->day >= 0 && c->hour >= 0 && c->minute >= 0 &&
         c->second >= 0;
}

class P0fParser : public Parser {
 public:
  explicit P0fParser(const ParseOptions& options)
      : default_action_(options.default_action), clock_(options.tz) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::FindControlByte(line) != npos) {
      Flush(sink);
      in_record_ = false;
      detail::RejectIfBinary(line, lineno, sink);
      return;
    }
    std::string_view body = LTrim(line);
    if (!body.empty() && body.size() != line.size()) {
      Continuation(body, lineno, sink);
      return;
    }
    Flush(sink);
    in_record_ = false;
    if (body.empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
    } else if (line[0] == '[') {
      V3Line(line, lineno, sink);
    } else if (StartsWith(line, ">>")) {
      sink.OnReject(lineno, Reason::kNotARecord, "p0f masquerade report, not a packet");
    } else {
      V12Line(line, lineno, sink);
    }
  }

  void Finish(RecordSink& sink) override { Flush(sink); }
  bool holding() const override { return held_ != 0; }

 private:
  Event NewEvent(uint64_t lineno) const {
    Event e;
    e.line = LineNo(lineno);
    e.proto = kProtoTcp;
    e.tcp_flags = tcp::kSyn;
    e.action = default_action_;
    return e;
  }

  void V3Line(std::string_view line, uint64_t lineno, RecordSink& sink) {
    CivilTime c;
    if (!V3Time(line, &c)) {
      sink.OnReject(lineno, Reason::kNotARecord, "not a p0f line");
      return;
    }
    std::string_view mod, cli, srv, raw_sig;
    bool have_cli = false, have_srv = false, have_sig = false;
    std::string_view rest = line.substr(22);
    while (!rest.empty()) {
      size_t bar = rest.find('|');
      std::string_view kv = rest.substr(0, bar);
      rest = bar == npos ? std::string_view() : rest.substr(bar + 1);
      size_t eq = kv.find('=');
      if (eq == npos) continue;
      std::string_view k = kv.substr(0, eq), v = kv.substr(eq + 1);
      if (k == "mod")
        mod = v;
      else if (k == "cli")
        cli = v, have_cli = true;
      else if (k == "srv")
        srv = v, have_srv = true;
      else if (k == "raw_sig")
        raw_sig = v, have_sig = true;
    }
    if (mod.empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, "p0f 3 line without mod=");
      return;
    }
    bool syn = mod == "syn", synack = mod == "syn+ack";
    if (!syn && !synack) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    FieldDetail(mod, "p0f observation that is not a SYN or SYN+ACK"));
      return;
    }
    if (!have_cli || !have_srv) {
      sink.OnReject(lineno, Reason::kTruncated, have_cli ? "no srv= field" : "no cli= field");
      return;
    }
    Event e = NewEvent(lineno);
    // The packet a SYN+ACK observation describes goes from server to client.
    IpAddr cli_a, srv_a;
    uint16_t cli_p = 0, srv_p = 0;
    Reason r;
    if (!ParseSlashPort(cli, &cli_a, &cli_p, &r)) {
      sink.OnReject(lineno, r, FieldDetail(cli, "not address/port"));
      return;
    }
    if (!ParseSlashPort(srv, &srv_a, &srv_p, &r)) {
      sink.OnReject(lineno, r, FieldDetail(srv, "not address/port"));
      return;
    }
    e.src = syn ? cli_a : srv_a;
    e.sport = syn ? cli_p : srv_p;
    e.dst = syn ? srv_a : cli_a;
    e.dport = syn ? srv_p : cli_p;
    if (synack) e.tcp_flags |= tcp::kAck;
    if (!CivilValid(c)) {
      sink.OnReject(lineno, Reason::kBadTimestamp,
                    FieldDetail(line.substr(1, 19), "invalid date or time"));
      return;
    }
    e.time = clock_.ToUtc(c);
    if (have_sig && !ParseRawSig(raw_sig, &e, &why_)) {
      sink.OnReject(lineno, Reason::kBadField, FieldDetail(raw_sig, why_));
      return;
    }
    sink.OnRecord(e, {});
  }

  // p0f 1 and 2 record lines, with the timestamp in front.
  void V12Line(std::string_view line, uint64_t lineno, RecordSink& sink) {
    std::string_view s = line;
    int time_state = 0;  // 0 none, 1 valid, 2 invalid
    TimeUs t = 0;
    std::string_view stamp;
    if (s[0] == '<') {
      size_t close = s.find('>');
      if (close == npos || close > 40) {
        sink.OnReject(lineno, Reason::kNotARecord, "not a p0f line");
        return;
      }
      stamp = s.substr(1, close - 1);
      time_state = StampTime(stamp, &t);
      s = LTrim(s.substr(close + 1));
    } else {
      CivilTime c;
      size_t n = ScanAsctime(s, &c);
      if (n != 0) {
        stamp = s.substr(0, n);
        time_state = CivilValid(c) ? 1 : 2;
        if (time_state == 1) t = clock_.ToUtc(c);
        s = LTrim(s.substr(n));
      }
    }
    std::string_view rest = s;
    std::string_view tok = NextToken(&rest);
    rest = LTrim(rest);
    int kind = 0;
    if (tok.empty() || !IsDigit(tok[0])) {
      sink.OnReject(lineno, Reason::kNotARecord, "not a p0f line");
      return;
    }
    if (StartsWith(rest, "[") && rest.find(" hops]:") != npos) {
      kind = 1;
    } else if (StartsWith(rest, "UNKNOWN [") && !tok.empty() && tok.back() == ':') {
      sink.OnReject(lineno, Reason::kNotARecord, "p0f 1 UNKNOWN line: names no target");
      return;
    } else if (StartsWith(rest, "- ")) {
      kind = 2;
    } else {
      sink.OnReject(lineno, Reason::kNotARecord, "not a p0f line");
      return;
    }
    if (time_state != 1) {
      sink.OnReject(lineno, Reason::kBadTimestamp,
                    time_state == 0 ? std::string("no timestamp (p0f run without -t)")
                                    : FieldDetail(stamp, "invalid date or time"));
      return;
    }
    Event e = NewEvent(lineno);
    e.time = t;
    Reason r;
    if (kind == 1) {
      if (!IpAddr::Parse(tok, &e.src)) {
        sink.OnReject(lineno, Reason::kUnparsableAddress, FieldDetail(tok, "not an IP address"));
        return;
      }
      Hold(e, 1, lineno);
      return;
    }
    if (!ParseHostPort(tok, &e.src, &e.sport, &r)) {
      sink.OnReject(lineno, r, FieldDetail(tok, "not address:port"));
      return;
    }
    if (!Signature(rest, &e, lineno, sink)) return;
    size_t arrow = rest.rfind(" -> ");
    if (arrow == npos) {
      Hold(e, 2, lineno);
      return;
    }
    held_event_ = e;
    Target(rest.substr(arrow + 4), lineno, sink);
  }

  // The signature of an UNKNOWN system or of -S output, if the text has one.
  bool Signature(std::string_view s, Event* e, uint64_t lineno, RecordSink& sink) {
    size_t at = s.find("UNKNOWN [");
    size_t skip = 9;
    if (at == npos) {
      at = s.find("Signature: [");
      skip = 12;
    }
    if (at == npos) return true;
    std::string_view sig = s.substr(at + skip);
    sig = sig.substr(0, sig.find(']'));
    if (ParseV2Sig(sig, e, &why_)) return true;
    sink.OnReject(lineno, Reason::kBadField, FieldDetail(sig, why_));
    return false;
  }

  // <...>: asctime, seconds.micros since the epoch (-ttt) or RFC 3339 (-tttt).
  int StampTime(std::string_view s, TimeUs* t) {
    CivilTime c;
    if (ScanAsctime(s, &c) == s.size() && !s.empty()) {
      if (!CivilValid(c)) return 2;
      *t = clock_.ToUtc(c);
      return 1;
    }
    size_t dot = s.find('.');
    uint64_t sec, us;
    if (dot != npos && dot < 11 && ParseUint(s.substr(0, dot), 4'000'000'000, &sec) &&
        s.size() - dot - 1 == 6 && ParseUint(s.substr(dot + 1), 999'999, &us)) {
      *t = static_cast<TimeUs>(sec) * kUsPerSecond + static_cast<TimeUs>(us);
      return 1;
    }
    detail::ParsedTime pt;
    bool valid = true;
    size_t n = detail::ParseIsoTimestamp(s, false, &pt, &valid);
    if (n == 0 || n != s.size()) return 0;
    if (!valid) return 2;
    *t = clock_.ToUtc(pt);
    return 1;
  }

  void Hold(const Event& e, int kind, uint64_t lineno) {
    held_event_ = e;
    held_ = kind;
    held_line_ = lineno;
  }

  // "dst:port (distance 12, link: ...)" after "->": the held record's target.
  void Target(std::string_view s, uint64_t lineno, RecordSink& sink) {
    held_ = 0;
    in_record_ = true;
    std::string_view tok = NextToken(&s);
    Reason r;
    if (!ParseHostPort(tok, &held_event_.dst, &held_event_.dport, &r)) {
      sink.OnReject(lineno, r, FieldDetail(tok, "not address:port"));
      return;
    }
    sink.OnRecord(held_event_, {});
  }

  void Continuation(std::string_view body, uint64_t lineno, RecordSink& sink) {
    if (held_ == 0) {
      if (!in_record_) {
        sink.OnReject(lineno, Reason::kNotARecord, "continuation line without a record");
      }
      return;  // payload and packet dump lines of the record before
    }
    if (StartsWith(body, "+ ")) body = LTrim(body.substr(2));
    if (StartsWith(body, "->")) {
      Target(body.substr(2), held_line_, sink);
    } else if (StartsWith(body, "Signature: [")) {
      if (!Signature(body, &held_event_, held_line_, sink)) {
        held_ = 0;
        in_record_ = true;
      }
    } else if (held_ == 1 && body.find(" -> ") != npos) {
      // p0f 1 -v: "src:port -> dst:port"
      std::string_view s = body;
      std::string_view src = NextToken(&s);
      NextToken(&s);
      IpAddr a;
      Reason r;
      if (!ParseHostPort(src, &a, &held_event_.sport, &r)) {
        held_ = 0;
        in_record_ = true;
        sink.OnReject(held_line_, r, FieldDetail(src, "not address:port"));
        return;
      }
      held_event_.src = a;
      Target(s, held_line_, sink);
    }
  }

  void Flush(RecordSink& sink) {
    if (held_ == 0) return;
    int kind = held_;
    held_ = 0;
    sink.OnReject(held_line_, Reason::kTruncated,
                  kind == 1 ? "no \"src:port -> dst:port\" line (p0f 1 without -v)"
                            : "no \"-> dst:port\" line");
  }

  Action default_action_;
  detail::LocalClock clock_;
  int held_ = 0;  // 0 none, 1 a p0f 1 record, 2 a p0f 2 record waiting for "->"
  Event held_event_;
  uint64_t held_line_ = 0;
  bool in_record_ = false;  // continuation lines belong to the record before
  std::string why_;
};

bool LooksLikeIpv4Start(std::string_view s) {
  size_t end = 0;
  while (end < s.size() && (IsDigit(s[end]) || s[end] == '.')) ++end;
  uint32_t v;
  return ParseIPv4(s.substr(0, end), &v);
}

}  // namespace

int DetectP0f(std::string_view line) {
  if (line.size() < 20) return 0;
  CivilTime c;
  if (line[0] == '[') return V3Time(line, &c) && line.substr(22, 4) == "mod=" ? 95 : 0;
  if (StartsWith(line, ">> Masquerade at ")) return 50;
  std::string_view s = line;
  if (s[0] == '<') {
    size_t close = s.find('>');
    if (close == npos || close > 40) return 0;
    s = LTrim(s.substr(close + 1));
  } else {
    size_t n = ScanAsctime(s, &c);
    if (n == 0) return 0;
    s = LTrim(s.substr(n));
  }
  if (!LooksLikeIpv4Start(s)) return 0;
  std::string_view rest = s;
  NextToken(&rest);
  rest = LTrim(rest);
  if (StartsWith(rest, "- ") && s.find(':') != npos) return 90;
  if (StartsWith(rest, "[") && rest.find(" hops]: ") != npos) return 95;
  return 0;
}

std::unique_ptr<Parser> MakeP0fParser(const ParseOptions& options) {
  return std::make_unique<P0fParser>(options);
}

}  // namespace portstorm::parse
