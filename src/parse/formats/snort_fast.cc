#include "parse/formats/snort_fast.h"

#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/formats/snort_common.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::EqualsUpper;
using detail::FieldDetail;
using detail::IsDigit;
using snort_detail::LineNo;
using snort_detail::Stamp;

constexpr auto npos = std::string_view::npos;

std::string_view LTrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::string_view RTrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The verdict word Suricata puts before the first "[**]" in IPS mode:
// "[Drop]" (the packet was dropped), "[wDrop]" (it would have been).
Action ActionWord(std::string_view w) {
  if (EqualsUpper(w, "DROP") || EqualsUpper(w, "SDROP") || EqualsUpper(w, "BLOCK")) {
    return Action::kDrop;
  }
  if (EqualsUpper(w, "REJECT") || EqualsUpper(w, "RESET")) return Action::kReject;
  return Action::kAlert;
}

// Skips bracketed verdict words ("[Drop] ") and returns the text after them.
std::string_view SkipActions(std::string_view s, Action* action) {
  for (int k = 0; k < 3 && s.size() > 2 && s[0] == '['; ++k) {
    if (StartsWith(s, "[**]")) break;
    size_t close = s.find(']');
    if (close == npos || close > 24) break;
    std::string_view w = s.substr(1, close - 1);
    if (w.empty() || IsDigit(w[0])) break;  // "[1:2:3]" is the signature id
    *action = ActionWord(w);
    s = LTrim(s.substr(close + 1));
  }
  return s;
}

// "[gid:sid:rev]" at the start of an alert.
bool StartsWithSid(std::string_view s) {
  if (s.size() < 7 || s[0] != '[') return false;
  size_t i = 1;
  int parts = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && IsDigit(s[i]) && i - start < 12) ++i;
    if (i == start || i >= s.size()) return false;
    ++parts;
    if (s[i] == ']') return parts == 3;
    if (s[i] != ':' || parts == 3) return false;
    ++i;
  }
}

// Program tag "snort:", "snort[212]:", "suricata[9]:" at the start of a
// syslog message; *body = the text after it.
bool StripTag(std::string_view msg, std::string_view* body) {
  size_t n;
  if (msg.size() > 5 && EqualsUpper(msg.substr(0, 5), "SNORT")) {
    n = 5;
  } else if (msg.size() > 8 && EqualsUpper(msg.substr(0, 8), "SURICATA")) {
    n = 8;
  } else {
    return false;
  }
  if (msg[n] == '[') {
    size_t close = msg.find(']', n);
    if (close == npos || close - n > 12) return false;
    n = close + 1;
  }
  if (n >= msg.size() || msg[n] != ':') return false;
  *body = LTrim(msg.substr(n + 1));
  return true;
}

// "N times" -> N (1..1e9); 0 if not that.
uint32_t TimesCount(std::string_view s) {
  size_t sp = s.find(' ');
  uint64_t v;
  if (sp == npos || !detail::ParseUint(s.substr(0, sp), 1'000'000'000, &v)) return 0;
  if (!StartsWith(s.substr(sp + 1), "time")) return 0;
  return static_cast<uint32_t>(v);
}

// syslogd's "last message repeated N times" (FreeBSD: "--- ... ---").
bool IsRepeatLine(std::string_view msg, std::string_view* times) {
  if (StartsWith(msg, "--- ")) msg.remove_prefix(4);
  constexpr std::string_view kLast = "last message repeated ";
  if (!StartsWith(msg, kLast)) return false;
  *times = msg.substr(kLast.size());
  return true;
}

// rsyslog's "message repeated N times: [ <message> ]".
bool RsyslogRepeat(std::string_view body, uint32_t* count, std::string_view* inner) {
  constexpr std::string_view kRepeated = "message repeated ";
  if (!StartsWith(body, kRepeated)) return false;
  std::string_view rest = body.substr(kRepeated.size());
  uint32_t n = TimesCount(rest);
  size_t open = rest.find(": [");
  std::string_view tail = RTrim(rest);
  if (n == 0 || open == npos || tail.empty() || tail.back() != ']') return false;
  *count = n;
  *inner = LTrim(RTrim(tail.substr(open + 3, tail.size() - open - 4)));
  return true;
}

enum class Outcome { kRecord, kIncomplete, kReject };

struct Problem {
  Reason reason = Reason::kTruncated;
  std::string detail;
};

// The alert's tail "{PROTO} src[:port] -> dst[:port]". The protocol is the
// last "{...}" of the text (a message may hold braces, addresses never do).
// Shape problems leave the alert incomplete (a continuation line may still
// bring the tail); bad values reject it.
Outcome ParseTail(std::string_view text, Event* e, Problem* p) {
  text = RTrim(text);
  if (text.find("[Raw pkt:") != npos) {
    p->reason = Reason::kNotARecord;
    p->detail = "alert on a packet without an IP header (decoder event)";
    return Outcome::kReject;
  }
  auto incomplete = [p](std::string_view why) {
    p->reason = Reason::kTruncated;
    p->detail.assign(why);
    return Outcome::kIncomplete;
  };
  size_t brace = text.rfind('{');
  if (brace == npos) return incomplete("no \"{PROTO} src -> dst\" part");
  size_t close = text.find('}', brace);
  if (close == npos) return incomplete("unterminated \"{PROTO}\"");
  std::string_view proto_tok = text.substr(brace, close - brace + 1);
  std::string_view tail = LTrim(text.substr(close + 1));
  if (tail.empty()) return incomplete(FieldDetail(proto_tok, "no addresses after it"));
  size_t sp = tail.find(' ');
  std::string_view src = tail.substr(0, sp);
  std::string_view rest = sp == npos ? std::string_view() : LTrim(tail.substr(sp));
  if (!StartsWith(rest, "->")) return incomplete("no \"src -> dst\" after the protocol");
  rest = LTrim(rest.substr(2));
  if (rest.empty()) return incomplete("no destination address");
  std::string_view dst = rest.substr(0, rest.find(' '));

  if (!snort_detail::ParseProtoName(proto_tok.substr(1, proto_tok.size() - 2), &e->proto)) {
    p->reason = Reason::kUnknownProtocol;
    p->detail = FieldDetail(proto_tok, "unknown protocol");
    return Outcome::kReject;
  }
  bool ports = snort_detail::HasPorts(e->proto);
  bool has_port;
  snort_detail::EndpointError err;
  std::string_view bad;
  if (!snort_detail::ParseEndpoint(src, ports, &e->src, &e->sport, &has_port, &err)) {
    bad = src;
  } else if (!snort_detail::ParseEndpoint(dst, ports, &e->dst, &e->dport, &has_port, &err)) {
    bad = dst;
  } else {
    return Outcome::kRecord;
  }
  p->reason = err.reason;
  p->detail = FieldDetail(bad, err.why);
  return Outcome::kReject;
}

class SnortFastParser : public Parser {
 public:
  explicit SnortFastParser(const ParseOptions& options)
      : header_(options), clock_(options.tz), years_(options) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::FindControlByte(line) != npos) {
      FlushHeld(sink);  // a held record comes before this line's reject
      last_ok_ = false;
      detail::RejectIfBinary(line, lineno, sink);
      return;
    }
    std::string_view body = LTrim(line);
    if (!body.empty() && body.size() != line.size()) {
      Continuation(body, lineno, sink);
      return;
    }
    FlushHeld(sink);
    if (body.empty()) {
      Reject(lineno, Reason::kNotARecord, "empty line", sink);
      return;
    }
    if (IsDigit(line[0])) {
      Stamp st;
      bool valid;
      size_t n = snort_detail::ScanStamp(line, &st, &valid);
      if (n != 0) {
        FastLine(line, n, st, valid, lineno, sink);
        return;
      }
    }
    SyslogLine(line, lineno, sink);
  }

  void Finish(RecordSink& sink) override { FlushHeld(sink); }
  bool holding() const override { return held_; }

 private:
  // An alert is a few hundred bytes; a "record" that keeps growing is not one.
  static constexpr size_t kMaxHeld = 64 * 1024;

  void Reject(uint64_t lineno, Reason r, std::string_view detail, RecordSink& sink) {
    last_ok_ = false;
    sink.OnReject(lineno, r, detail);
  }

  void FastLine(std::string_view line, size_t n, const Stamp& st, bool valid, uint64_t lineno,
                RecordSink& sink) {
    Event e;
    e.line = LineNo(lineno);
    e.action = Action::kAlert;
    if (!valid || !snort_detail::StampTime(st, years_, clock_, &e.time)) {
      Reject(lineno, Reason::kBadTimestamp, FieldDetail(line.substr(0, n), "invalid date or time"),
             sink);
      return;
    }
    std::string_view rest = LTrim(line.substr(n));
    if (!rest.empty() && rest[0] == '<') {  // snort -I: "<eth0>"
      size_t close = rest.find('>');
      if (close != npos) rest = LTrim(rest.substr(close + 1));
    }
    rest = SkipActions(rest, &e.action);
    if (!StartsWith(rest, "[**]")) {
      Reject(lineno, Reason::kNotARecord,
             rest.find(" -> ") != npos ? "a packet dump line (format snort_full), not an alert"
                                       : "no \"[**]\" alert marker after the timestamp",
             sink);
      return;
    }
    host_.clear();
    Start(e, rest.substr(4), sink);
  }

  void SyslogLine(std::string_view line, uint64_t lineno, RecordSink& sink) {
    detail::SyslogHeader h;
    header_.Parse(line, &h);
    std::string_view body, times;
    if (StripTag(h.message, &body)) {
      // alert text follows
    } else if (h.form == detail::HeaderForm::kRfc5424 && StartsWith(h.message, "[")) {
      body = h.message;  // RFC 5424 keeps the program name in APP-NAME
    } else if (IsRepeatLine(h.message, &times)) {
      Repeat(h, times, lineno, sink);
      return;
    } else {
      Reject(lineno, Reason::kNotARecord, "not a snort or Suricata alert", sink);
      return;
    }
    Event e;
    e.line = LineNo(lineno);
    e.action = Action::kAlert;
    std::string_view inner;
    if (RsyslogRepeat(body, &e.count, &inner)) body = inner;
    body = SkipActions(body, &e.action);
    if (!StartsWithSid(body)) {
      Reject(lineno, Reason::kNotARecord, "snort/Suricata message that is not an alert", sink);
      return;
    }
    if (!h.has_time) {
      Reject(lineno, Reason::kBadTimestamp, h.time_error, sink);
      return;
    }
    e.time = h.time;
    host_.assign(h.host);
    Start(e, body, sink);
  }

  // "last message repeated N times": the previous alert N more times.
  void Repeat(const detail::SyslogHeader& h, std::string_view times, uint64_t lineno,
              RecordSink& sink) {
    if (!last_ok_) {
      Reject(lineno, Reason::kNotARecord, "repeat of a line that is not a snort alert", sink);
      return;
    }
    if (!h.host.empty() && !host_.empty() && h.host != host_) {
      Reject(lineno, Reason::kNotARecord, "repeat of another host's line", sink);
      return;
    }
    uint32_t n = TimesCount(times);
    if (n == 0) {
      Reject(lineno, Reason::kBadField, FieldDetail(times, "not \"N times\" with N >= 1"), sink);
      return;
    }
    Event e = last_;
    e.count = n;
    e.line = LineNo(lineno);
    if (h.has_time) e.time = h.time;
    sink.OnRecord(e, host_);
  }

  // The alert text after the stamp/"[**]" or the program tag.
  void Start(const Event& proto, std::string_view text, RecordSink& sink) {
    proto_ = proto;
    Evaluate(text, sink);
    if (held_) held_text_.assign(text);
  }

  void Continuation(std::string_view body, uint64_t lineno, RecordSink& sink) {
    if (!held_) {
      Reject(lineno, Reason::kNotARecord, "continuation line without a record", sink);
      return;
    }
    if (held_text_.size() + body.size() > kMaxHeld) {
      problem_.detail = "record longer than 64 KiB";
      FlushHeld(sink);
      Reject(lineno, Reason::kNotARecord, "continuation line without a record", sink);
      return;
    }
    held_text_ += ' ';
    held_text_.append(body);
    Evaluate(held_text_, sink);
  }

  void Evaluate(std::string_view text, RecordSink& sink) {
    Event e = proto_;
    held_ = false;
    switch (ParseTail(text, &e, &problem_)) {
      case Outcome::kRecord:
        last_ = e;
        last_ok_ = true;
        sink.OnRecord(e, host_);
        break;
      case Outcome::kReject:
        Reject(proto_.line, problem_.reason, problem_.detail, sink);
        break;
      case Outcome::kIncomplete:
        held_ = true;
        break;
    }
  }

  void FlushHeld(RecordSink& sink) {
    if (!held_) return;
    held_ = false;
    Reject(proto_.line, problem_.reason, problem_.detail, sink);
  }

  detail::SyslogHeaderParser header_;
  detail::LocalClock clock_;
  snort_detail::YearGuess years_;
  Event proto_;        // the record being built: time, line, action, count
  bool held_ = false;  // proto_ waits for continuation lines
  std::string held_text_;
  Problem problem_;       // why the held text is not yet a record
  std::string host_;      // host of proto_ / last_
  Event last_;            // the last record, for "last message repeated"
  bool last_ok_ = false;  // the previous line was that record
};

// Does `s` (a syslog message or line) carry a snort/Suricata alert tag?
bool HasAlertTag(std::string_view line, std::string_view tag) {
  size_t p = line.find(tag);
  if (p == npos || p == 0 || p > 160 || line[p - 1] != ' ') return false;
  std::string_view body;
  if (!StripTag(line.substr(p), &body)) return false;
  Action a;
  std::string_view inner;
  uint32_t n;
  if (RsyslogRepeat(body, &n, &inner)) body = inner;
  return StartsWithSid(SkipActions(body, &a));
}

}  // namespace

int DetectSnortFast(std::string_view line) {
  if (line.empty()) return 0;
  if (IsDigit(line[0])) {
    Stamp st;
    bool valid;
    size_t n = snort_detail::ScanStamp(line, &st, &valid);
    if (n != 0) return line.substr(n, 48).find("[**]") != npos ? 95 : 0;
    // Not a fast.log stamp: an ISO 8601 syslog header ("2022-01-22T09:05:05Z
    // ids suricata[21137]: [1:...") is read below like any other.
  }
  return HasAlertTag(line, "snort") || HasAlertTag(line, "suricata") ? 90 : 0;
}

std::unique_ptr<Parser> MakeSnortFastParser(const ParseOptions& options) {
  return std::make_unique<SnortFastParser>(options);
}

}  // namespace portstorm::parse
