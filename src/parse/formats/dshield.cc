#include "parse/formats/dshield.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::ParseUint;

constexpr size_t kMaxFields = 10;

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool LooksLikeDate(std::string_view s) {
  return s.size() >= 10 && detail::IsDigit(s[0]) && detail::IsDigit(s[3]) && s[4] == '-' &&
         s[7] == '-';
}

class DshieldParser : public Parser {
 public:
  explicit DshieldParser(const ParseOptions& options)
      : default_action_(options.default_action), clock_(options.tz) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    std::string_view f[kMaxFields];
    size_t nf = 0;
    size_t pos = 0;
    while (true) {
      const char* tab = static_cast<const char*>(
          std::memchr(line.data() + pos, '\t', line.size() - pos));
      size_t end = tab ? static_cast<size_t>(tab - line.data()) : line.size();
      if (nf == kMaxFields) {
        nf = kMaxFields + 1;
        break;
      }
      f[nf++] = TrimSpaces(line.substr(pos, end - pos));
      if (!tab) break;
      pos = end + 1;
    }
    // A trailing tab after the protocol leaves an empty flags column.
    if (nf < 8) {
      bool date = LooksLikeDate(line);
      std::string why = std::to_string(nf) + " tab-separated fields, expected 8 or 9";
      sink.OnReject(lineno, date ? Reason::kTruncated : Reason::kNotARecord,
                    line.empty() ? std::string("empty line") : why);
      return;
    }
    if (nf > 9) {
      sink.OnReject(lineno, Reason::kBadField, "more than 9 tab-separated fields");
      return;
    }
    Event e;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    // 0: date
    detail::ParsedTime t;
    bool valid = true;
    size_t used = detail::ParseIsoTimestamp(f[0], /*space_before_offset=*/true, &t, &valid);
    if (used == 0 || used != f[0].size()) {
      sink.OnReject(lineno, Reason::kBadTimestamp,
                    FieldDetail(f[0], "not YYYY-MM-DD HH:MM:SS [±HH:MM]"));
      return;
    }
    if (!valid) {
      sink.OnReject(lineno, Reason::kBadTimestamp, FieldDetail(f[0], "invalid date or time"));
      return;
    }
    e.time = clock_.ToUtc(t);
    // 2: count
    uint64_t v;
    if (!ParseUint(f[2], UINT32_MAX, &v) || v == 0) {
      sink.OnReject(lineno, Reason::kBadField, FieldDetail(f[2], "count not 1..4294967295"));
      return;
    }
    e.count = static_cast<uint32_t>(v);
    // 3, 5: addresses
    if (!IpAddr::Parse(f[3], &e.src)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f[3], "source not an IPv4/IPv6 address"));
      return;
    }
    if (IpAddr::Parse(f[5], &e.dst)) {
      // The DShield client's obfuscation: the submitter's own address with
      // its first octet replaced by 10. Only the other three are real.
      if (e.dst.is_v4() && (e.dst.v4() >> 24) == 10) e.dst = IpAddr::AnonymisedV4(e.dst.v4(), 0b0111);
    } else if (!IpAddr::ParseAnonymisedV4(f[5], &e.dst)) {  // "x.x.x.50", "A.B.C.50"
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f[5], "target not an IPv4/IPv6 address"));
      return;
    }
    // 4, 6: ports ("???" = not known)
    if (!Port(f[4], &e.sport, lineno, sink) || !Port(f[6], &e.dport, lineno, sink)) return;
    // 7: protocol
    std::string_view p = f[7];
    if (p == "6" || p == "TCP") {
      e.proto = kProtoTcp;
    } else if (p == "17" || p == "UDP") {
      e.proto = kProtoUdp;
    } else if (p == "???") {
      e.proto = 0;
    } else if (auto proto = ParseProto(p); proto && !p.empty()) {
      e.proto = *proto;
    } else {
      sink.OnReject(lineno, Reason::kUnknownProtocol, FieldDetail(p, "unknown protocol"));
      return;
    }
    // 8: flags
    if (nf == 9) {
      for (char c : f[8]) {
        switch (c) {
          case 'S': e.tcp_flags |= tcp::kSyn; break;
          case 'F': e.tcp_flags |= tcp::kFin; break;
          case 'A': e.tcp_flags |= tcp::kAck; break;
          case 'P': e.tcp_flags |= tcp::kPsh; break;
          case 'R': e.tcp_flags |= tcp::kRst; break;
          case 'U': e.tcp_flags |= tcp::kUrg; break;
          case '1': e.tcp_flags |= tcp::kCwr; break;
          case '2': e.tcp_flags |= tcp::kEce; break;
          default:
            sink.OnReject(lineno, Reason::kBadField,
                          FieldDetail(f[8], "flags not letters of SFAPRU12"));
            return;
        }
      }
    }
    e.action = default_action_;
    sink.OnRecord(e, f[1]);
  }

 private:
  bool Port(std::string_view s, uint16_t* out, uint64_t lineno, RecordSink& sink) {
    if (s == "???") {
      *out = 0;
      return true;
    }
    uint64_t v;
    if (ParseUint(s, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    bool digits = ParseUint(s, UINT64_MAX, &v);
    sink.OnReject(lineno, Reason::kBadPort,
                  FieldDetail(s, digits ? "port > 65535" : "port not a number or ???"));
    return false;
  }

  Action default_action_;
  detail::LocalClock clock_;
};

}  // namespace

int DetectDshield(std::string_view line) {
  if (!LooksLikeDate(line)) return 0;
  size_t tabs = 0;
  for (char c : line) tabs += c == '\t';
  if (tabs >= 7 && tabs <= 9) return 95;
  return tabs >= 3 ? 40 : 0;
}

std::unique_ptr<Parser> MakeDshieldParser(const ParseOptions& options) {
  return std::make_unique<DshieldParser>(options);
}

}  // namespace portstorm::parse
