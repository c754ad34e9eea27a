#include "parse/formats/windows_firewall.h"

#include <array>
#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::Digits2;
using detail::FieldDetail;
using detail::IsDigit;
using detail::ParseUint;

enum Col : uint8_t {
  kDate,
  kTime,
  kAction,
  kProtocol,
  kSrcIp,
  kDstIp,
  kSrcPort,
  kDstPort,
  kSize,
  kTcpFlags,
  kTcpSyn,
  kTcpAck,
  kTcpWin,
  kIcmpType,
  kIcmpCode,
  kInfo,
  kPath,
  kPid,
  kColCount,
  kIgnored = 0xff,
};

constexpr std::string_view kColNames[kColCount] = {
    "date",     "time",     "action",   "protocol", "src-ip", "dst-ip",
    "src-port", "dst-port", "size",     "tcpflags", "tcpsyn", "tcpack",
    "tcpwin",   "icmptype", "icmpcode", "info",     "path",   "pid"};

// Columns a record cannot do without.
constexpr Col kRequired[] = {kDate, kTime, kAction, kSrcIp, kDstIp};

constexpr size_t kMaxColumns = 32;

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

// Splits at runs of spaces/tabs; returns the count, or kMaxColumns + 1 if more.
size_t SplitSpaces(std::string_view s, std::string_view* out) {
  size_t n = 0, i = 0;
  while (true) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) return n;
    size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (n == kMaxColumns) return kMaxColumns + 1;
    out[n++] = s.substr(b, i - b);
  }
}

// "YYYY-MM-DD HH:MM:SS" (the data lines' first two columns in the default order).
bool LooksLikeRecord(std::string_view s) {
  return s.size() >= 19 && IsDigit(s[0]) && IsDigit(s[3]) && s[4] == '-' && s[7] == '-' &&
         s[10] == ' ' && s[13] == ':' && s[16] == ':';
}

class WindowsFirewallParser : public Parser {
 public:
  explicit WindowsFirewallParser(const ParseOptions& options)
      : default_action_(options.default_action), clock_(options.tz) {
    SetDefaultColumns();
  }

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    if (!line.empty() && line[0] == '#') {
      Directive(line, lineno, sink);
      return;
    }
    std::string_view f[kMaxColumns];
    size_t n = SplitSpaces(line, f);
    if (n == 0) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    if (n > kMaxColumns) {
      sink.OnReject(lineno, Reason::kBadField, "more than 32 columns");
      return;
    }
    for (Col c : kRequired) {
      if (idx_[c] == kIgnored) {
        std::string d = "no ";
        d.append(kColNames[c]);
        d += " column in #Fields";
        sink.OnReject(lineno, Reason::kBadField, d);
        return;
      }
    }
    auto col = [&](Col c) -> std::string_view {
      uint8_t i = idx_[c];
      return i < n ? f[i] : std::string_view();
    };
    std::string_view action = col(kAction);
    if (action.empty()) {
      sink.OnReject(lineno, LooksLikeRecord(line) ? Reason::kTruncated : Reason::kNotARecord,
                    std::to_string(n) + " columns, no action column");
      return;
    }
    Event e;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    if (action == "DROP") {
      e.action = Action::kDrop;
    } else if (action == "ALLOW" || action == "OPEN" || action == "OPEN-INBOUND") {
      e.action = Action::kAllow;
    } else if (action == "CLOSE") {
      sink.OnReject(lineno, Reason::kNotARecord,
                    "CLOSE: end of a connection its OPEN line recorded");
      return;
    } else if (action == "INFO-EVENTS-LOST") {
      sink.OnReject(lineno, Reason::kNotARecord,
                    "INFO-EVENTS-LOST: events the firewall did not log");
      return;
    } else {
      e.action = default_action_;
    }
    if (n <= max_needed_) {
      sink.OnReject(
          lineno, Reason::kTruncated,
          std::to_string(n) + " columns, the #Fields line names " + std::to_string(ncols_));
      return;
    }
    if (!Time(col(kDate), col(kTime), &e.time, lineno, sink)) return;
    // protocol: "TCP", "UDP", "ICMP", ..., or a number; "-" = not known
    std::string_view p = col(kProtocol);
    if (p == "TCP") {
      e.proto = kProtoTcp;
    } else if (p == "UDP") {
      e.proto = kProtoUdp;
    } else if (p == "ICMP") {
      e.proto = kProtoIcmp;
    } else if (p.empty() || p == "-") {
      e.proto = 0;
    } else if (auto proto = ParseProto(p)) {
      e.proto = *proto;
    } else {
      sink.OnReject(lineno, Reason::kUnknownProtocol, FieldDetail(p, "unknown protocol"));
      return;
    }
    if (!Address(col(kSrcIp), &e.src, "src-ip", lineno, sink) ||
        !Address(col(kDstIp), &e.dst, "dst-ip", lineno, sink)) {
      return;
    }
    if (!Port(col(kSrcPort), &e.sport, lineno, sink) ||
        !Port(col(kDstPort), &e.dport, lineno, sink)) {
      return;
    }
    uint64_t v;
    if (!Number(col(kSize), 65535, "size", &v, lineno, sink)) return;
    e.ip_len = static_cast<uint16_t>(v);
    for (char c : Value(col(kTcpFlags))) {
      switch (c) {
        case 'S':
          e.tcp_flags |= tcp::kSyn;
          break;
        case 'A':
          e.tcp_flags |= tcp::kAck;
          break;
        case 'F':
          e.tcp_flags |= tcp::kFin;
          break;
        case 'P':
          e.tcp_flags |= tcp::kPsh;
          break;
        case 'R':
          e.tcp_flags |= tcp::kRst;
          break;
        case 'U':
          e.tcp_flags |= tcp::kUrg;
          break;
        case 'E':
          e.tcp_flags |= tcp::kEce;
          break;
        case 'C':
          e.tcp_flags |= tcp::kCwr;
          break;
        default:
          sink.OnReject(lineno, Reason::kBadField,
                        FieldDetail(col(kTcpFlags), "tcpflags not letters of SAFPRUEC"));
          return;
      }
    }
    if (!Number(col(kTcpSyn), UINT32_MAX, "tcpsyn", &v, lineno, sink)) return;
    e.seq = static_cast<uint32_t>(v);
    if (!Number(col(kTcpAck), UINT32_MAX, "tcpack", &v, lineno, sink)) return;
    if (!Number(col(kTcpWin), 65535, "tcpwin", &v, lineno, sink)) return;
    e.window = static_cast<uint16_t>(v);
    if (e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp) {
      // The ICMP type and code columns, not the port columns, hold them.
      uint64_t type = 0, code = 0;
      if (!Number(col(kIcmpType), 255, "icmptype", &type, lineno, sink) ||
          !Number(col(kIcmpCode), 255, "icmpcode", &code, lineno, sink)) {
        return;
      }
      if (!Value(col(kIcmpType)).empty()) {
        e.sport = static_cast<uint16_t>(type);
        e.dport = static_cast<uint16_t>(code);
      }
    }
    sink.OnRecord(e, {});
  }

 private:
  static std::string_view Value(std::string_view s) { return s == "-" ? std::string_view() : s; }

  void SetDefaultColumns() {
    idx_.fill(kIgnored);
    for (uint8_t i = 0; i < kPid; ++i) idx_[i] = i;  // pid only where #Fields names it
    ncols_ = kPid;
    UpdateNeeded();
  }

  // The record columns read for a record (all but info, path, pid); a line
  // must reach the last of them.
  void UpdateNeeded() {
    max_needed_ = 0;
    for (int c = kDate; c <= kIcmpCode; ++c) {
      if (idx_[c] != kIgnored && idx_[c] > max_needed_) max_needed_ = idx_[c];
    }
  }

  void Directive(std::string_view line, uint64_t lineno, RecordSink& sink) {
    if (StartsWith(line, "#Fields:")) {
      std::string_view f[kMaxColumns];
      size_t n = SplitSpaces(line.substr(8), f);
      if (n == 0 || n > kMaxColumns) {
        sink.OnReject(lineno, Reason::kBadField,
                      n == 0 ? "#Fields: names no columns" : "#Fields: more than 32 columns");
        return;
      }
      idx_.fill(kIgnored);
      for (size_t i = 0; i < n; ++i) {
        for (uint8_t c = 0; c < kColCount; ++c) {
          if (f[i] == kColNames[c] && idx_[c] == kIgnored) idx_[c] = static_cast<uint8_t>(i);
        }
      }
      ncols_ = n;
      UpdateNeeded();
      sink.OnReject(lineno, Reason::kNotARecord, "W3C #Fields header");
      return;
    }
    if (StartsWith(line, "#Time Format:")) {
      std::string_view v = line.substr(13);
      while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
      utc_ = StartsWith(v, "UTC");
    }
    sink.OnReject(lineno, Reason::kNotARecord, "W3C header line");
  }

  bool Time(std::string_view date, std::string_view time, TimeUs* out, uint64_t lineno,
            RecordSink& sink) {
    CivilTime c;
    bool shape = date.size() == 10 && date[4] == '-' && date[7] == '-' && time.size() >= 8 &&
                 time[2] == ':' && time[5] == ':';
    int y1 = -1, y2 = -1, mo = -1, d = -1, h = -1, mi = -1, s = -1;
    if (shape) {
      y1 = Digits2(date.data());
      y2 = Digits2(date.data() + 2);
      mo = Digits2(date.data() + 5);
      d = Digits2(date.data() + 8);
      h = Digits2(time.data());
      mi = Digits2(time.data() + 3);
      s = Digits2(time.data() + 6);
    }
    // An optional ".fraction" after the seconds.
    if (shape && time.size() > 8) {
      std::string_view frac = time.substr(9);
      uint64_t v = 0;
      if (time[8] != '.' || frac.empty() || frac.size() > 9 || !ParseUint(frac, 999'999'999, &v)) {
        shape = false;
      } else {
        for (size_t k = frac.size(); k < 6; ++k) v *= 10;
        for (size_t k = frac.size(); k > 6; --k) v /= 10;
        c.micros = static_cast<int>(v);
      }
    }
    if (!shape || y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) {
      std::string t(date);
      t += ' ';
      t.append(time);
      sink.OnReject(lineno, Reason::kBadTimestamp, FieldDetail(t, "not YYYY-MM-DD HH:MM:SS"));
      return false;
    }
    c.year = y1 * 100 + y2;
    c.month = mo;
    c.day = d;
    c.hour = h;
    c.minute = mi;
    c.second = s;
    if (!IsValidDate(c.year, c.month, c.day) || h > 23 || mi > 59 || s > 60) {
      std::string t(date);
      t += ' ';
      t.append(time);
      sink.OnReject(lineno, Reason::kBadTimestamp, FieldDetail(t, "invalid date or time"));
      return false;
    }
    *out = utc_ ? FromCivilUtc(c) : clock_.ToUtc(c);
    return true;
  }

  static bool Address(std::string_view s, IpAddr* out, std::string_view name, uint64_t lineno,
                      RecordSink& sink) {
    if (IpAddr::Parse(s, out) || IpAddr::ParseAnonymisedV4(s, out)) return true;
    std::string why(name);
    why += " not an IPv4/IPv6 address";
    sink.OnReject(lineno, Reason::kUnparsableAddress,
                  FieldDetail(s.empty() ? "(missing)" : s, why));
    return false;
  }

  static bool Port(std::string_view s, uint16_t* out, uint64_t lineno, RecordSink& sink) {
    s = Value(s);
    uint64_t v = 0;
    if (s.empty() || ParseUint(s, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    bool digits = ParseUint(s, UINT64_MAX, &v);
    sink.OnReject(lineno, Reason::kBadPort,
                  FieldDetail(s, digits ? "port > 65535" : "port not a number or -"));
    return false;
  }

  // An optional number column: "-" or missing = 0.
  static bool Number(std::string_view s, uint64_t max, std::string_view name, uint64_t* v,
                     uint64_t lineno, RecordSink& sink) {
    s = Value(s);
    *v = 0;
    if (s.empty() || ParseUint(s, max, v)) return true;
    std::string why(name);
    why += " not 0..";
    why += std::to_string(max);
    why += " or -";
    sink.OnReject(lineno, Reason::kBadField, FieldDetail(s, why));
    return false;
  }

  Action default_action_;
  detail::LocalClock clock_;
  bool utc_ = false;
  std::array<uint8_t, kColCount> idx_{};
  size_t ncols_ = 0;
  uint8_t max_needed_ = 0;
};

}  // namespace

int DetectWindowsFirewall(std::string_view line) {
  if (line.empty()) return 0;
  if (line[0] == '#') {
    if (StartsWith(line, "#Software: Microsoft Windows Firewall")) return 100;
    if (StartsWith(line, "#Fields: date time action protocol")) return 100;
    if (StartsWith(line, "#Fields:") && line.find(" src-ip ") != std::string_view::npos &&
        line.find(" action ") != std::string_view::npos) {
      return 90;
    }
    if (StartsWith(line, "#Version: 1.5") || StartsWith(line, "#Time Format: ")) return 30;
    return 0;
  }
  if (!LooksLikeRecord(line) || line.size() < 21 || line[19] != ' ') return 0;
  size_t sp = line.find(' ', 20);
  std::string_view action =
      line.substr(20, sp == std::string_view::npos ? std::string_view::npos : sp - 20);
  if (action == "DROP" || action == "ALLOW" || action == "OPEN" || action == "CLOSE" ||
      action == "OPEN-INBOUND" || action == "INFO-EVENTS-LOST") {
    return 90;
  }
  return 0;
}

std::unique_ptr<Parser> MakeWindowsFirewallParser(const ParseOptions& options) {
  return std::make_unique<WindowsFirewallParser>(options);
}

}  // namespace portstorm::parse
