#include "parse/formats/ims.h"

#include <string>
#include <utility>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::IsDigit;
using detail::ParseUint;

constexpr auto npos = std::string_view::npos;
constexpr size_t kFields = 11;  // date time id src sport dst dport proto flags seq ack
constexpr size_t kBaseFields = 8;
// Flag positions as seed 002 writes them ("-S------", "----A---",
// "F---A---"): the TCP header's bit order, lowest bit first.
constexpr std::string_view kFlagLetters = "FSRPAU";

// Skips mail quoting ("> ", ">> ") and surrounding blanks.
std::string_view Unquote(std::string_view s) {
  while (true) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    if (s.empty() || s.front() != '>') break;
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits on runs of blanks; returns the number of fields (at most `max`;
// more are counted but not stored).
size_t Split(std::string_view s, std::string_view* f, size_t max) {
  size_t n = 0, i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    size_t end = i;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
    if (n < max) f[n] = s.substr(i, end - i);
    ++n;
    i = end;
  }
  return n;
}

bool IsDate(std::string_view s) {
  return s.size() == 10 && IsDigit(s[0]) && IsDigit(s[1]) && s[2] == '-' && IsDigit(s[3]) &&
         IsDigit(s[4]) && s[5] == '-' && IsDigit(s[6]) && IsDigit(s[7]) && IsDigit(s[8]) &&
         IsDigit(s[9]);
}

bool IsFlagString(std::string_view s) {
  if (s.size() != 8) return false;
  for (char c : s) {
    if (c != '-' && !(c >= 'A' && c <= 'Z') && !IsDigit(c)) return false;
  }
  return true;
}

bool IsNumber(std::string_view s) {
  uint64_t v;
  return ParseUint(s, UINT64_MAX, &v);
}

// Does `tok` have the shape of field number `k`?
bool FitsField(size_t k, std::string_view tok) {
  switch (k) {
    case 8:
      return IsFlagString(tok);
    case 9:
    case 10:
    case 4:
    case 6:
      return IsNumber(tok);
    case 3:
    case 5:
      return tok.find('.') != npos || tok.find(':') != npos;
    case 7:
      return ParseProto(tok).has_value();
    default:
      return false;  // date, time and id start a record, never continue one
  }
}

bool ParseAddr(std::string_view s, IpAddr* a) {
  return IpAddr::Parse(s, a) || IpAddr::ParseAnonymisedV4(s, a);
}

class ImsParser : public Parser {
 public:
  explicit ImsParser(const ParseOptions& options)
      : default_action_(options.default_action), clock_(options.tz) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::FindControlByte(line) != npos) {
      Flush(sink);
      detail::RejectIfBinary(line, lineno, sink);
      return;
    }
    std::string_view s = Unquote(line);
    std::string_view f[kFields];
    size_t n = Split(s, f, kFields);
    if (held_ && n > 0 && !IsDate(f[0]) && FitsField(held_fields_, f[0]) &&
        held_text_.size() + s.size() < kMaxHeld) {
      held_text_ += ' ';
      held_text_.append(s);
      held_fields_ += n;
      if (held_fields_ >= kFields) Flush(sink);
      return;  // a continuation line: no callback of its own
    }
    Flush(sink);
    if (n == 0) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    if (!IsDate(f[0])) {
      sink.OnReject(lineno, Reason::kNotARecord, "not an IMS sensor record");
      return;
    }
    held_ = true;
    held_line_ = lineno;
    held_fields_ = n;
    held_text_.assign(s);
    if (n >= kFields) Flush(sink);
  }

  void Finish(RecordSink& sink) override { Flush(sink); }
  bool holding() const override { return held_; }

 private:
  static constexpr size_t kMaxHeld = 4096;

  void Flush(RecordSink& sink) {
    if (!held_) return;
    held_ = false;
    Event e;
    if (Parse(held_text_, &e)) {
      e.line = static_cast<uint32_t>(held_line_ > UINT32_MAX ? UINT32_MAX : held_line_);
      e.action = default_action_;
      sink.OnRecord(e, {});
    } else {
      sink.OnReject(held_line_, reason_, detail_);
    }
  }

  bool Fail(Reason r, std::string detail) {
    reason_ = r;
    detail_ = std::move(detail);
    return false;
  }

  bool Parse(std::string_view s, Event* e) {
    std::string_view f[kFields];
    size_t n = Split(s, f, kFields);
    static constexpr std::string_view kNames[kFields] = {"date",
                                                         "time",
                                                         "record id",
                                                         "source address",
                                                         "source port",
                                                         "target address",
                                                         "target port",
                                                         "protocol",
                                                         "TCP flags",
                                                         "sequence number",
                                                         "acknowledgement number"};
    if (n < kBaseFields) {
      return Fail(Reason::kTruncated, "no " + std::string(kNames[n]) + " field");
    }
    // Date and time: MM-DD-YYYY HH:MM:SS.
    const std::string_view d = f[0], t = f[1];
    CivilTime c;
    c.month = (d[0] - '0') * 10 + (d[1] - '0');
    c.day = (d[3] - '0') * 10 + (d[4] - '0');
    c.year = (d[6] - '0') * 1000 + (d[7] - '0') * 100 + (d[8] - '0') * 10 + (d[9] - '0');
    if (t.size() != 8 || t[2] != ':' || t[5] != ':' || detail::Digits2(t.data()) < 0 ||
        detail::Digits2(t.data() + 3) < 0 || detail::Digits2(t.data() + 6) < 0) {
      return Fail(Reason::kBadTimestamp, FieldDetail(t, "not HH:MM:SS"));
    }
    c.hour = detail::Digits2(t.data());
    c.minute = detail::Digits2(t.data() + 3);
    c.second = detail::Digits2(t.data() + 6);
    if (!IsValidDate(c.year, c.month, c.day) || c.hour > 23 || c.minute > 59 || c.second > 60) {
      return Fail(Reason::kBadTimestamp,
                  FieldDetail(s.substr(0, static_cast<size_t>(t.data() + t.size() - s.data())),
                              "invalid date or time"));
    }
    e->time = clock_.ToUtc(c);
    uint64_t v;
    if (f[2].size() > 16 || !detail::ParseHex(f[2], &v) || f[2].substr(0, 2) == "0x") {
      return Fail(Reason::kBadField, FieldDetail(f[2], "record id not hexadecimal"));
    }
    if (!ParseAddr(f[3], &e->src)) {
      return Fail(Reason::kUnparsableAddress, FieldDetail(f[3], "not an IP address"));
    }
    if (!ParseAddr(f[5], &e->dst)) {
      return Fail(Reason::kUnparsableAddress, FieldDetail(f[5], "not an IP address"));
    }
    for (int k : {4, 6}) {
      if (!ParseUint(f[k], 65535, &v)) {
        bool digits = IsNumber(f[k]);
        return Fail(Reason::kBadPort,
                    FieldDetail(f[k], digits ? "port > 65535" : "port not a number"));
      }
      (k == 4 ? e->sport : e->dport) = static_cast<uint16_t>(v);
    }
    auto proto = ParseProto(f[7]);
    if (!proto) return Fail(Reason::kUnknownProtocol, FieldDetail(f[7], "unknown protocol"));
    e->proto = *proto;
    if (n < kFields) {
      // Flags, sequence and acknowledgement are what a TCP record is about;
      // other protocols may come without them.
      if (e->proto == kProtoTcp || n > kBaseFields) {
        return Fail(Reason::kTruncated, "no " + std::string(kNames[n]) + " field");
      }
      return true;
    }
    if (f[8].size() != 8) {
      return Fail(Reason::kBadField, FieldDetail(f[8], "flags not 8 positions \"FSRPAUEC\""));
    }
    uint8_t flags = 0;
    for (size_t i = 0; i < 8; ++i) {
      char ch = f[8][i];
      if (ch == '-') continue;
      if (i < kFlagLetters.size() ? ch != kFlagLetters[i] : !(ch >= 'A' && ch <= 'Z')) {
        return Fail(Reason::kBadField, FieldDetail(f[8], "flags not 8 positions \"FSRPAUEC\""));
      }
      flags |= static_cast<uint8_t>(1u << i);
    }
    e->tcp_flags = flags;
    if (!ParseUint(f[9], UINT32_MAX, &v)) {
      return Fail(Reason::kBadField, FieldDetail(f[9], "sequence number not 0..4294967295"));
    }
    e->seq = static_cast<uint32_t>(v);
    if (!ParseUint(f[10], UINT32_MAX, &v)) {
      return Fail(Reason::kBadField,
                  FieldDetail(f[10], "acknowledgement number not 0..4294967295"));
    }
    return true;
  }

  Action default_action_;
  detail::LocalClock clock_;
  bool held_ = false;
  uint64_t held_line_ = 0;
  size_t held_fields_ = 0;
  std::string held_text_;
  Reason reason_ = Reason::kBadField;
  std::string detail_;
};

}  // namespace

int DetectIms(std::string_view line) {
  std::string_view s = Unquote(line);
  std::string_view f[4];
  if (Split(s.substr(0, 64), f, 4) < 4 || !IsDate(f[0])) return 0;
  uint64_t v;
  if (f[1].size() != 8 || f[1][2] != ':' || f[1][5] != ':') return 0;
  if (f[2].empty() || f[2].size() > 16 || !detail::ParseHex(f[2], &v)) return 0;
  IpAddr a;
  return ParseAddr(f[3], &a) ? 95 : 0;
}

std::unique_ptr<Parser> MakeImsParser(const ParseOptions& options) {
  return std::make_unique<ImsParser>(options);
}

}  // namespace portstorm::parse
