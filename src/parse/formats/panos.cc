#include "parse/formats/panos.h"

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

// Column numbers with the leading FUTURE_USE column counted as 0.
constexpr int kType = 3, kSubtype = 4, kGenerated = 6, kSrc = 7, kDst = 8, kSport = 24,
              kDport = 25, kProto = 29, kAction = 30;
constexpr int kColumns = kAction + 1;

// "YYYY/MM/DD HH:MM:SS" at s[i].
bool IsPanTime(std::string_view s, size_t i) {
  if (s.size() - i < 19) return false;
  const char* p = s.data() + i;
  return IsDigit(p[0]) && IsDigit(p[3]) && p[4] == '/' && p[7] == '/' && p[10] == ' ' &&
         p[13] == ':' && p[16] == ':';
}

// Start of the CSV record: the column before the first ",YYYY/MM/DD HH:MM:SS"
// (receive time). Some forwarders drop the leading FUTURE_USE column; then
// the record starts with the receive time and *shifted is true.
bool FindRecord(std::string_view s, size_t* start, bool* shifted) {
  for (size_t p = s.find('/'); p != npos; p = s.find('/', p + 1)) {
    if (p < 4) continue;
    size_t d = p - 4;
    if (!IsPanTime(s, d)) continue;
    if (d > 0 && s[d - 1] == ',') {
      size_t b = d - 1;
      while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '>') --b;
      *start = b;
      *shifted = false;
      return true;
    }
    if (d == 0 || s[d - 1] == ' ' || s[d - 1] == '>') {
      *start = d;
      *shifted = true;
      return true;
    }
  }
  return false;
}

// Splits the first `max` CSV columns; a column in double quotes may hold
// commas ("" is a quote). Returns the number of columns found.
int SplitCsv(std::string_view s, std::string_view* col, int max) {
  int n = 0;
  size_t i = 0;
  while (n < max) {
    if (i < s.size() && s[i] == '"') {
      size_t j = i + 1;
      while (j < s.size()) {
        if (s[j] == '"') {
          if (j + 1 < s.size() && s[j + 1] == '"') {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      col[n++] = s.substr(i + 1, (j < s.size() ? j : s.size()) - i - 1);
      i = s.find(',', j);
    } else {
      size_t j = s.find(',', i);
      col[n++] = s.substr(i, j == npos ? npos : j - i);
      i = j;
    }
    if (i == npos) break;
    ++i;
  }
  return n;
}

bool ProtoFromName(std::string_view s, uint8_t* out) {
  static constexpr struct {
    std::string_view name;
    uint8_t proto;
  } kNames[] = {{"tcp", kProtoTcp},         {"udp", kProtoUdp},   {"icmp", kProtoIcmp},
                {"ipv6-icmp", kProtoIpv6Icmp}, {"icmp6", kProtoIpv6Icmp}, {"igmp", kProtoIgmp},
                {"gre", 47},                {"esp", 50},          {"ah", 51},
                {"sctp", 132}};
  for (const auto& n : kNames) {
    if (s == n.name) {
      *out = n.proto;
      return true;
    }
  }
  uint64_t v;
  if (!ParseUint(s, 255, &v)) return false;
  *out = static_cast<uint8_t>(v);
  return true;
}

// The verdict in the action column, or kUnknown for allow/alert-like ones.
Action Blocking(std::string_view a) {
  if (a == "deny" || a == "drop" || a == "drop-icmp" || a == "drop ICMP" || a == "drop-all" ||
      a == "drop-all-packets" || a == "block" || a == "block-ip" || a == "block-url" ||
      a == "block-continue" || a == "block-override" || a == "random-drop" || a == "sinkhole" ||
      a == "override-lockout") {
    return Action::kDrop;
  }
  if (a == "reset-both" || a == "reset-client" || a == "reset-server") return Action::kReject;
  return Action::kUnknown;
}

class PanosParser : public Parser {
 public:
  explicit PanosParser(const ParseOptions& options)
      : header_(options), clock_(options.tz) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    size_t start;
    bool shifted;
    if (!FindRecord(line, &start, &shifted)) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    line.empty() ? "empty line" : "no PAN-OS CSV record");
      return;
    }
    std::string_view cols[kColumns];
    int have = shifted ? 1 : 0;
    have += SplitCsv(line.substr(start), cols + have, kColumns - have);
    std::string_view type = have > kType ? cols[kType] : std::string_view();
    if (type != "TRAFFIC" && type != "THREAT") {
      sink.OnReject(lineno, Reason::kNotARecord,
                    FieldDetail(type.empty() ? "(none)" : type, "log type not TRAFFIC or THREAT"));
      return;
    }
    if (have < kColumns) {
      sink.OnReject(lineno, Reason::kTruncated,
                    std::to_string(have) + " columns, the action is column " +
                        std::to_string(kAction));
      return;
    }
    std::string_view subtype = cols[kSubtype], act = cols[kAction];
    Event e;
    if (type == "TRAFFIC") {
      e.action = Blocking(act);
      if (e.action == Action::kUnknown && (subtype == "deny" || subtype == "drop")) {
        e.action = Action::kDrop;
      }
      if (e.action == Action::kUnknown) {
        sink.OnReject(lineno, Reason::kNotARecord,
                      FieldDetail(act.empty() ? subtype : act, "session not blocked"));
        return;
      }
    } else {
      e.action = Blocking(act);
      if (e.action == Action::kUnknown) {
        if (subtype == "url" || subtype == "file" || subtype == "data" || subtype == "wildfire") {
          sink.OnReject(lineno, Reason::kNotARecord,
                        FieldDetail(subtype, "content log of an allowed session"));
          return;
        }
        e.action = Action::kAlert;
      }
    }
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    detail::SyslogHeader h;
    header_.Parse(line.substr(0, start), &h);
    if (!Time(cols[kGenerated], line.substr(0, start), &e.time, lineno, sink)) return;
    if (!IpAddr::Parse(cols[kSrc], &e.src)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(cols[kSrc], "source not an IPv4/IPv6 address"));
      return;
    }
    if (!IpAddr::Parse(cols[kDst], &e.dst)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(cols[kDst], "destination not an IPv4/IPv6 address"));
      return;
    }
    if (!Port(cols[kSport], &e.sport, lineno, sink) || !Port(cols[kDport], &e.dport, lineno, sink)) {
      return;
    }
    if (!ProtoFromName(cols[kProto], &e.proto)) {
      sink.OnReject(lineno, Reason::kUnknownProtocol,
                    FieldDetail(cols[kProto], "unknown protocol"));
      return;
    }
    sink.OnRecord(e, h.host);
  }

 private:
  bool Port(std::string_view s, uint16_t* out, uint64_t lineno, RecordSink& sink) {
    uint64_t v;
    if (s.empty()) return true;
    if (ParseUint(s, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    bool digits = ParseUint(s, UINT64_MAX, &v);
    sink.OnReject(lineno, Reason::kBadPort,
                  FieldDetail(s, digits ? "port > 65535" : "port not a number"));
    return false;
  }

  // The generated time is the firewall's local time. An ISO header from the
  // firewall ("2005-01-11T01:42:22+01:00 pa-fw 1,...") tells its UTC offset.
  bool Time(std::string_view gen, std::string_view prefix, TimeUs* out, uint64_t lineno,
            RecordSink& sink) {
    if (!IsPanTime(gen, 0) || gen.size() != 19) {
      sink.OnReject(lineno, Reason::kBadTimestamp,
                    FieldDetail(gen, "generated time not YYYY/MM/DD HH:MM:SS"));
      return false;
    }
    CivilTime c;
    c.year = detail::Digits2(gen.data()) * 100 + detail::Digits2(gen.data() + 2);
    c.month = detail::Digits2(gen.data() + 5);
    c.day = detail::Digits2(gen.data() + 8);
    c.hour = detail::Digits2(gen.data() + 11);
    c.minute = detail::Digits2(gen.data() + 14);
    c.second = detail::Digits2(gen.data() + 17);
    if (c.year < 0 || c.month < 0 || c.day < 0 || c.hour < 0 || c.minute < 0 || c.second < 0 ||
        !IsValidDate(c.year, c.month, c.day) || c.hour > 23 || c.minute > 59 || c.second > 60) {
      sink.OnReject(lineno, Reason::kBadTimestamp, FieldDetail(gen, "invalid date or time"));
      return false;
    }
    int offset;
    if (HeaderOffset(prefix, &offset)) {
      *out = FromCivilUtc(c) - TimeUs{offset} * kUsPerSecond;
    } else {
      *out = clock_.ToUtc(c);
    }
    return true;
  }

  static bool HeaderOffset(std::string_view p, int* offset) {
    if (p.size() > 2 && p[0] == '<') {
      size_t j = p.find('>');
      if (j != npos && j < 5) p.remove_prefix(j + 1);
    }
    if (p.size() > 2 && p[0] == '1' && p[1] == ' ') p.remove_prefix(2);
    detail::ParsedTime t;
    bool valid = true;
    if (detail::ParseIsoTimestamp(p, false, &t, &valid) == 0 || !valid || !t.has_offset) {
      return false;
    }
    *offset = t.offset_s;
    return true;
  }

  detail::SyslogHeaderParser header_;
  detail::LocalClock clock_;
};

}  // namespace

int DetectPanos(std::string_view line) {
  size_t start;
  bool shifted;
  if (!FindRecord(line, &start, &shifted)) return 0;
  std::string_view cols[5];
  int have = shifted ? 1 : 0;
  have += SplitCsv(line.substr(start), cols + have, 5 - have);
  if (have < 5) return 0;
  std::string_view t = cols[kType];
  if (t == "TRAFFIC" || t == "THREAT") return 95;
  if (t == "SYSTEM" || t == "CONFIG" || t == "HIPMATCH" || t == "GLOBALPROTECT" ||
      t == "USERID" || t == "AUTH" || t == "DECRYPTION" || t == "CORRELATION") {
    return 70;
  }
  return 0;
}

std::unique_ptr<Parser> MakePanosParser(const ParseOptions& options) {
  return std::make_unique<PanosParser>(options);
}

}  // namespace portstorm::parse
