#include "parse/formats/fortigate.h"

#include <cstring>
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

bool IsKeyChar(char c) { return detail::IsAlnum(c) || c == '_' || c == '-'; }

// The fields a record needs, as views into the line (quotes removed).
struct Fields {
  std::string_view date, time, tz, eventtime, timestamp, type, subtype, action, status;
  std::string_view srcip, dstip, srcport, dstport, proto, service, icmptype, icmpcode, devname;
  int seen = 0;  // key=value pairs found
};

void Assign(Fields* f, std::string_view k, std::string_view v) {
  ++f->seen;
  switch (k.size()) {
    case 2:
      if (k == "tz") f->tz = v;
      break;
    case 4:
      if (k == "date") f->date = v;
      else if (k == "time") f->time = v;
      else if (k == "type") f->type = v;
      break;
    case 5:
      if (k == "srcip") f->srcip = v;
      else if (k == "dstip") f->dstip = v;
      else if (k == "proto") f->proto = v;
      break;
    case 6:
      if (k == "action") f->action = v;
      else if (k == "status") f->status = v;
      break;
    case 7:
      if (k == "srcport") f->srcport = v;
      else if (k == "dstport") f->dstport = v;
      else if (k == "subtype") f->subtype = v;
      else if (k == "service") f->service = v;
      else if (k == "devname") f->devname = v;
      break;
    case 8:
      if (k == "icmptype") f->icmptype = v;
      else if (k == "icmpcode") f->icmpcode = v;
      break;
    case 9:
      if (k == "eventtime") f->eventtime = v;
      else if (k == "timestamp") f->timestamp = v;
      break;
    default:
      break;
  }
}

// Splits "k=v k="v w" ..." anywhere in the line; a syslog header or "<PRI>"
// glued to the first key ("<189>date=...") is skipped. Values in quotes may
// hold spaces and escaped quotes (\"). Lines are long (500+ bytes), so the
// scan jumps with memchr from '=' to the end of each value.
void Scan(std::string_view s, Fields* f) {
  const char* base = s.data();
  const char* end = base + s.size();
  const char* p = base;
  while (p < end) {
    const char* eq = static_cast<const char*>(std::memchr(p, '=', static_cast<size_t>(end - p)));
    if (eq == nullptr) return;
    const char* k = eq;
    while (k > p && IsKeyChar(k[-1])) --k;
    std::string_view key(k, static_cast<size_t>(eq - k));
    const char* v = eq + 1;
    std::string_view value;
    if (v < end && *v == '"') {
      const char* q = v + 1;
      while (true) {
        q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
        if (q == nullptr || q[-1] != '\\') break;
        ++q;
      }
      if (q == nullptr) q = end;
      value = std::string_view(v + 1, static_cast<size_t>(q - v - 1));
      p = q < end ? q + 1 : end;
    } else {
      const char* sp = static_cast<const char*>(std::memchr(v, ' ', static_cast<size_t>(end - v)));
      if (sp == nullptr) sp = end;
      value = std::string_view(v, static_cast<size_t>(sp - v));
      p = sp;
    }
    if (!key.empty()) Assign(f, key, value);
  }
}

// "+0100", "-05:00", "+1", "UTC+2:00", "GMT-5" -> seconds east of UTC.
bool ParseTz(std::string_view z, int* off) {
  if (z.size() >= 3 && (z.substr(0, 3) == "UTC" || z.substr(0, 3) == "GMT")) z.remove_prefix(3);
  if (z.empty()) {
    *off = 0;
    return true;
  }
  if (z[0] != '+' && z[0] != '-') return false;
  int sign = z[0] == '-' ? -1 : 1;
  z.remove_prefix(1);
  uint64_t h = 0, m = 0;
  size_t colon = z.find(':');
  if (colon != npos) {
    if (!ParseUint(z.substr(0, colon), 14, &h) || !ParseUint(z.substr(colon + 1), 59, &m)) {
      return false;
    }
  } else if (z.size() == 4) {
    if (!ParseUint(z.substr(0, 2), 14, &h) || !ParseUint(z.substr(2), 59, &m)) return false;
  } else if (!ParseUint(z, 14, &h)) {
    return false;
  }
  *off = sign * static_cast<int>(h * 3600 + m * 60);
  return true;
}

// Seconds, milliseconds, microseconds or nanoseconds since the epoch, told
// apart by size (FortiOS changed the unit between releases).
bool EpochToUs(std::string_view v, TimeUs* out) {
  if (v.empty() || v.size() > 19) return false;  // 19 digits always fit in 64 bits
  uint64_t x = 0;
  for (char c : v) {
    if (!IsDigit(c)) return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
  }
  if (x >= 100'000'000'000'000'000ull) {
    *out = static_cast<TimeUs>(x / 1000);
  } else if (x >= 100'000'000'000'000ull) {
    *out = static_cast<TimeUs>(x);
  } else if (x >= 100'000'000'000ull) {
    *out = static_cast<TimeUs>(x) * 1000;
  } else {
    *out = static_cast<TimeUs>(x) * kUsPerSecond;
  }
  return x != 0;
}

// "icmp/8/0", "icmp6/128/0": the type and code FortiOS puts in service.
bool IcmpService(std::string_view s, uint16_t* type, uint16_t* code) {
  size_t a = s.find('/');
  if (a == npos) return false;
  std::string_view name = s.substr(0, a);
  if (name != "icmp" && name != "icmp6" && name != "ICMP" && name != "ICMP6") return false;
  size_t b = s.find('/', a + 1);
  uint64_t t, c = 0;
  if (!ParseUint(s.substr(a + 1, b == npos ? npos : b - a - 1), 255, &t)) return false;
  if (b != npos && !ParseUint(s.substr(b + 1), 255, &c)) return false;
  *type = static_cast<uint16_t>(t);
  *code = static_cast<uint16_t>(c);
  return true;
}

// icmptype=0x08 (hex, as FortiOS writes it) or a decimal number.
bool IcmpNumber(std::string_view v, uint16_t* out) {
  uint64_t x;
  bool ok = v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') ? detail::ParseHex(v, &x)
                                                                        : ParseUint(v, 255, &x);
  if (!ok || x > 255) return false;
  *out = static_cast<uint16_t>(x);
  return true;
}

Action VerdictOf(std::string_view a) {
  if (a == "deny" || a == "drop" || a == "block" || a == "blocked" || a == "dropped") {
    return Action::kDrop;
  }
  if (a == "reject") return Action::kReject;
  return Action::kUnknown;  // accept, close, timeout, start, dns, ip-conn, *-rst, ...
}

class FortigateParser : public Parser {
 public:
  explicit FortigateParser(const ParseOptions& options) : clock_(options.tz) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    Fields f;
    Scan(line, &f);
    if (f.seen < 3) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    line.empty() ? "empty line" : "no FortiGate key=value fields");
      return;
    }
    if (!f.type.empty() && f.type != "traffic") {
      sink.OnReject(lineno, Reason::kNotARecord, FieldDetail(f.type, "not a traffic log"));
      return;
    }
    std::string_view verdict = f.action.empty() ? f.status : f.action;
    if (verdict.empty()) {
      sink.OnReject(lineno, Reason::kTruncated, "no action= field");
      return;
    }
    Event e;
    e.action = VerdictOf(verdict);
    if (e.action == Action::kUnknown) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    FieldDetail(verdict, "session the policy allowed, not blocked traffic"));
      return;
    }
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    if (!Time(f, &e.time, lineno, sink)) return;
    if (f.srcip.empty() || f.dstip.empty()) {
      sink.OnReject(lineno, Reason::kTruncated, f.srcip.empty() ? "no srcip=" : "no dstip=");
      return;
    }
    if (!IpAddr::Parse(f.srcip, &e.src)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f.srcip, "srcip not an IPv4/IPv6 address"));
      return;
    }
    if (!IpAddr::Parse(f.dstip, &e.dst)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f.dstip, "dstip not an IPv4/IPv6 address"));
      return;
    }
    uint64_t v;
    if (!f.proto.empty()) {
      if (!ParseUint(f.proto, 255, &v)) {
        sink.OnReject(lineno, Reason::kUnknownProtocol,
                      FieldDetail(f.proto, "proto not a number 0..255"));
        return;
      }
      e.proto = static_cast<uint8_t>(v);
    }
    if (e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp) {
      if (!IcmpNumber(f.icmptype, &e.sport) || !IcmpNumber(f.icmpcode, &e.dport)) {
        e.sport = e.dport = 0;
        IcmpService(f.service, &e.sport, &e.dport);
      }
    } else if (!Port(f.srcport, "srcport", &e.sport, lineno, sink) ||
               !Port(f.dstport, "dstport", &e.dport, lineno, sink)) {
      return;
    }
    sink.OnRecord(e, f.devname);
  }

 private:
  bool Port(std::string_view s, std::string_view key, uint16_t* out, uint64_t lineno,
            RecordSink& sink) {
    if (s.empty()) return true;
    uint64_t v;
    if (ParseUint(s, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    bool digits = ParseUint(s, UINT64_MAX, &v);
    std::string field(key);
    field += '=';
    field.append(s);
    sink.OnReject(lineno, Reason::kBadPort,
                  FieldDetail(field, digits ? "port > 65535" : "port not a number"));
    return false;
  }

  bool Time(const Fields& f, TimeUs* out, uint64_t lineno, RecordSink& sink) {
    if (!f.eventtime.empty() && EpochToUs(f.eventtime, out)) return true;
    if (!f.timestamp.empty() && EpochToUs(f.timestamp, out)) return true;
    if (f.date.empty() || f.time.empty()) {
      sink.OnReject(lineno, Reason::kBadTimestamp, "no date=/time= or eventtime=");
      return false;
    }
    std::string stamp(f.date);
    stamp += ' ';
    stamp.append(f.time);
    detail::ParsedTime t;
    bool valid = true;
    size_t used = detail::ParseIsoTimestamp(stamp, false, &t, &valid);
    if (used != stamp.size() || !valid) {
      sink.OnReject(lineno, Reason::kBadTimestamp,
                    FieldDetail(stamp, used != stamp.size() ? "not YYYY-MM-DD HH:MM:SS"
                                                            : "invalid date or time"));
      return false;
    }
    int off = 0;
    if (!f.tz.empty() && ParseTz(f.tz, &off)) {
      *out = FromCivilUtc(t.civil) - TimeUs{off} * kUsPerSecond;
    } else {
      *out = clock_.ToUtc(t.civil);
    }
    return true;
  }

  detail::LocalClock clock_;
};

}  // namespace

int DetectFortigate(std::string_view line) {
  bool logid = line.find("logid=") != npos;
  bool dev = line.find("devid=") != npos || line.find("devname=") != npos;
  bool src = line.find("srcip=") != npos;
  bool type = line.find("type=") != npos;
  bool date = line.find("date=") != npos;
  if (logid && dev) return 95;
  if (date && type && src) return 85;
  if (src && line.find("dstip=") != npos && line.find("action=") != npos) return 60;
  return 0;
}

std::unique_ptr<Parser> MakeFortigateParser(const ParseOptions& options) {
  return std::make_unique<FortigateParser>(options);
}

}  // namespace portstorm::parse
