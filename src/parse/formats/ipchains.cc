#include "parse/formats/ipchains.h"

#include <cstdio>
#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::ParseUint;

constexpr std::string_view kMarker = "Packet log: ";

Action TargetAction(std::string_view t) {
  if (t == "DENY") return Action::kDrop;
  if (t == "REJECT") return Action::kReject;
  if (t == "ACCEPT" || t == "MASQ" || t == "REDIRECT") return Action::kAllow;
  return Action::kUnknown;
}

// "(#64)" at the end: the last thing ipchains prints for a record.
bool EndsWithRuleNumber(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty() || s.back() != ')') return false;
  size_t open = s.rfind("(#");
  return open != std::string_view::npos;
}

struct ParseError {
  Reason reason = Reason::kBadField;
  std::string detail;
};

// "chain target iface PROTO=n a.b.c.d:p a.b.c.d:p L= S= I= F= T= [SYN] [(#n)]"
bool ParseBody(std::string_view b, Event* e, ParseError* err) {
  auto fail = [err](Reason r, std::string_view tok, std::string_view why) {
    err->reason = r;
    err->detail = FieldDetail(tok, why);
    return false;
  };
  size_t i = 0;
  int positional = 0;
  int addrs = 0;
  bool have_proto = false, have_len = false, have_id = false, have_frag = false, have_ttl = false;
  while (i < b.size()) {
    while (i < b.size() && (b[i] == ' ' || b[i] == '\t')) ++i;
    if (i >= b.size()) break;
    size_t end = i;
    while (end < b.size() && b[end] != ' ' && b[end] != '\t') ++end;
    std::string_view tok = b.substr(i, end - i);
    i = end;
    if (positional < 3) {
      if (positional == 1) e->action = TargetAction(tok);
      ++positional;
      continue;
    }
    size_t eq = tok.find('=');
    uint64_t v = 0;
    if (eq == std::string_view::npos) {
      size_t colon = tok.rfind(':');
      if (colon != std::string_view::npos && detail::IsDigit(tok[0])) {
        if (addrs >= 2) return fail(Reason::kBadField, tok, "third address");
        uint32_t a;
        if (!ParseIPv4(tok.substr(0, colon), &a)) {
          return fail(Reason::kUnparsableAddress, tok, "not an IPv4 address:port");
        }
        if (!ParseUint(tok.substr(colon + 1), 65535, &v)) {
          bool digits = ParseUint(tok.substr(colon + 1), UINT64_MAX, &v);
          return fail(Reason::kBadPort, tok, digits ? "port > 65535" : "port not a number");
        }
        (addrs == 0 ? e->src : e->dst) = IpAddr::V4(a);
        (addrs == 0 ? e->sport : e->dport) = static_cast<uint16_t>(v);
        ++addrs;
      } else if (tok == "SYN") {
        e->tcp_flags |= tcp::kSyn;
      }
      continue;  // "(#64)", unknown words
    }
    std::string_view key = tok.substr(0, eq), val = tok.substr(eq + 1);
    if (key == "PROTO") {
      if (!ParseUint(val, 255, &v)) return fail(Reason::kUnknownProtocol, tok, "not a protocol number");
      e->proto = static_cast<uint8_t>(v);
      have_proto = true;
    } else if (key == "L") {
      if (!ParseUint(val, 65535, &v)) return fail(Reason::kBadField, tok, "length not 0..65535");
      e->ip_len = static_cast<uint16_t>(v);
      have_len = true;
    } else if (key == "I") {
      if (!ParseUint(val, 65535, &v)) return fail(Reason::kBadField, tok, "IP ID not 0..65535");
      e->ip_id = static_cast<uint16_t>(v);
      have_id = true;
    } else if (key == "F") {
      if (!detail::ParseHex(val, &v) || v > 0xffff) {
        return fail(Reason::kBadField, tok, "fragment word not 0x0000..0xFFFF");
      }
      if (v & 0x4000) e->ip_flags |= ipf::kDf;
      if (v & 0x2000) e->ip_flags |= ipf::kMf;
      if (v & 0x1fff) e->ip_flags |= ipf::kFragment;
      have_frag = true;
    } else if (key == "T") {
      if (!ParseUint(val, 255, &v)) return fail(Reason::kBadField, tok, "TTL not 0..255");
      e->ttl = static_cast<uint8_t>(v);
      have_ttl = true;
    } else if (key == "S") {
      if (!detail::ParseHex(val, &v) || v > 0xff) return fail(Reason::kBadField, tok, "TOS not 0x00..0xFF");
    }
  }
  err->reason = Reason::kTruncated;
  if (positional < 3) return err->detail = "no chain/target/interface", false;
  if (!have_proto) return err->detail = "no PROTO= field", false;
  if (addrs < 2) return err->detail = addrs == 0 ? "no source address:port" : "no destination address:port", false;
  if (!have_len) return err->detail = "no L= field", false;
  if (!have_id) return err->detail = "no I= field", false;
  if (!have_frag) return err->detail = "no F= field", false;
  if (!have_ttl) return err->detail = "no T= field", false;
  return true;
}

class IpchainsParser : public Parser {
 public:
  explicit IpchainsParser(const ParseOptions& options)
      : default_action_(options.default_action), header_(options) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::FindControlByte(line) != std::string_view::npos) {
      Flush(sink);  // a held record comes before this line's reject
      detail::RejectIfBinary(line, lineno, sink);
      return;
    }
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (!held_) {
        sink.OnReject(lineno, Reason::kNotARecord, "continuation line without a record");
        return;
      }
      if (body_.size() + line.size() > kMaxHeld) {
        Flush(sink);
        sink.OnReject(lineno, Reason::kNotARecord, "continuation line without a record");
        return;
      }
      body_ += ' ';
      body_.append(line);
      if (EndsWithRuleNumber(line)) Flush(sink);
      return;
    }
    Flush(sink);
    detail::SyslogHeader h;
    header_.Parse(line, &h);
    size_t m = h.message.find(kMarker);
    if (m == std::string_view::npos) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    line.empty() ? "empty line" : "no ipchains \"Packet log:\" marker");
      return;
    }
    held_ = true;
    lineno_ = lineno;
    has_time_ = h.has_time;
    time_ = h.time;
    time_error_.assign(h.time_error);
    host_.assign(h.host);
    body_.assign(h.message.substr(m + kMarker.size()));
    if (EndsWithRuleNumber(body_)) Flush(sink);
  }

  void Finish(RecordSink& sink) override { Flush(sink); }
  bool holding() const override { return held_; }

 private:
  // Records are a few hundred bytes; a "record" that keeps growing is not one.
  static constexpr size_t kMaxHeld = 64 * 1024;

  void Flush(RecordSink& sink) {
    if (!held_) return;
    held_ = false;
    if (!has_time_) {
      sink.OnReject(lineno_, Reason::kBadTimestamp, time_error_);
      return;
    }
    Event e;
    e.time = time_;
    e.line = static_cast<uint32_t>(lineno_ > UINT32_MAX ? UINT32_MAX : lineno_);
    if (!ParseBody(body_, &e, &err_)) {
      sink.OnReject(lineno_, err_.reason, err_.detail);
      return;
    }
    if (e.action == Action::kUnknown) e.action = default_action_;
    sink.OnRecord(e, host_);
  }

  Action default_action_;
  detail::SyslogHeaderParser header_;
  bool held_ = false;
  uint64_t lineno_ = 0;
  bool has_time_ = false;
  TimeUs time_ = 0;
  std::string time_error_, host_, body_;
  ParseError err_;
};

}  // namespace

int DetectIpchains(std::string_view line) {
  size_t m = line.find(kMarker);
  if (m == std::string_view::npos) return 0;
  return line.find("PROTO=", m) != std::string_view::npos ? 95 : 50;
}

std::unique_ptr<Parser> MakeIpchainsParser(const ParseOptions& options) {
  return std::make_unique<IpchainsParser>(options);
}

}  // namespace portstorm::parse
