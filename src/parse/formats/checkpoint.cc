#include "parse/formats/checkpoint.h"

#include <cstring>
#include <string>
#include <vector>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::ParseUint;

constexpr size_t npos = std::string_view::npos;

struct Fields {
  std::string_view action, src, dst, s_port, service, proto, icmp_type, icmp_code, time, origin,
      packets;
  int seen = 0;
};

void Assign(Fields* f, std::string_view k, std::string_view v) {
  ++f->seen;
  switch (k.size()) {
    case 3:
      if (k == "src") f->src = v;
      else if (k == "dst") f->dst = v;
      break;
    case 4:
      if (k == "time") f->time = v;
      break;
    case 5:
      if (k == "proto") f->proto = v;
      break;
    case 6:
      if (k == "action") f->action = v;
      else if (k == "s_port") f->s_port = v;
      else if (k == "origin") f->origin = v;
      break;
    case 7:
      if (k == "service") f->service = v;
      else if (k == "packets") f->packets = v;
      break;
    case 9:
      if (k == "icmp_type") f->icmp_type = v;
      else if (k == "icmp_code") f->icmp_code = v;
      break;
    default:
      break;
  }
}

// key:"value" pairs separated by "; " (structured data) or spaces. A value
// may hold escaped quotes and brackets (\" \]); keys such as "ike:" end in a
// colon of their own ("ike::\"...\""). Lines are long, so the scan jumps
// with memchr from each opening quote to its closing one.
void Scan(std::string_view s, Fields* f) {
  const char* base = s.data();
  const char* end = base + s.size();
  const char* p = base;
  while (p < end) {
    const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (q == nullptr) return;
    if (q == base || q[-1] != ':') {  // a quote that opens no value
      p = q + 1;
      continue;
    }
    const char* k = q - 1;  // the ':'
    while (k > p && k[-1] != ' ' && k[-1] != ';' && k[-1] != '[' && k[-1] != '|') --k;
    std::string_view key(k, static_cast<size_t>(q - 1 - k));
    const char* c = q + 1;
    while (true) {
      c = static_cast<const char*>(std::memchr(c, '"', static_cast<size_t>(end - c)));
      if (c == nullptr) break;
      // Escaped only after an odd run of backslashes: "a\\" ends at its quote.
      size_t slashes = 0;
      while (c - slashes > q + 1 && c[-1 - static_cast<ptrdiff_t>(slashes)] == '\\') ++slashes;
      if (slashes % 2 == 0) break;
      ++c;
    }
    if (c == nullptr) c = end;
    Assign(f, key, std::string_view(q + 1, static_cast<size_t>(c - q - 1)));
    p = c + 1;
  }
}

bool ProtoFrom(std::string_view s, uint8_t* out) {
  uint64_t v;
  if (ParseUint(s, 255, &v)) {
    *out = static_cast<uint8_t>(v);
    return true;
  }
  if (detail::EqualsUpper(s, "TCP")) *out = kProtoTcp;
  else if (detail::EqualsUpper(s, "UDP")) *out = kProtoUdp;
  else if (detail::EqualsUpper(s, "ICMP")) *out = kProtoIcmp;
  else if (detail::EqualsUpper(s, "IPV6-ICMP") || detail::EqualsUpper(s, "ICMPV6")) *out = kProtoIpv6Icmp;
  else return false;
  return true;
}

Action ActionOf(std::string_view a) {
  if (a == "Drop" || a == "Block" || a == "Prevent" || a == "drop" || a == "block" ||
      a == "prevent") {
    return Action::kDrop;
  }
  if (a == "Reject" || a == "reject") return Action::kReject;
  if (a == "Detect" || a == "detect") return Action::kAlert;
  return Action::kUnknown;  // Accept, Allow, Encrypt, Decrypt, Key Install, Inspect, ...
}

struct Error {
  Reason reason;
  std::string detail;
};

class CheckpointParser : public Parser {
 public:
  explicit CheckpointParser(const ParseOptions& options)
      : header_(options),
        fallback_time_(options.reference_time != 0 ? options.reference_time : NowUs()) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    Fields f;
    Scan(line, &f);
    if (f.seen == 0) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    line.empty() ? "empty line" : "no Check Point key:\"value\" fields");
      return;
    }
    Event e;
    e.action = ActionOf(f.action);
    if (e.action == Action::kUnknown) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    FieldDetail(f.action.empty() ? "(no action)" : f.action,
                                "not a drop, reject or detection"));
      return;
    }
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    std::string_view host;
    if (!Time(line, f, &e.time, &host, lineno, sink)) return;
    if (!f.origin.empty()) host = f.origin;
    events_.clear();
    bool ok = f.packets.empty() ? Connection(f, e) : Packets(f.packets, e);
    if (!ok) {
      sink.OnReject(lineno, error_.reason, error_.detail);
      return;
    }
    for (const Event& ev : events_) sink.OnRecord(ev, host);
  }

 private:
  bool Fail(Reason r, std::string_view field, std::string_view why) {
    error_.reason = r;
    error_.detail = FieldDetail(field, why);
    return false;
  }

  bool Port(std::string_view s, uint16_t* out) {
    if (s.empty()) return true;
    uint64_t v;
    if (ParseUint(s, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    bool digits = ParseUint(s, UINT64_MAX, &v);
    return Fail(Reason::kBadPort, s, digits ? "port > 65535" : "port not a number");
  }

  bool Addr(std::string_view s, IpAddr* out) {
    if (IpAddr::Parse(s, out)) return true;
    return Fail(Reason::kUnparsableAddress, s, "not an IPv4/IPv6 address");
  }

  // One connection: src, s_port, dst, service (the target port), proto.
  bool Connection(const Fields& f, Event e) {
    bool conn = !f.proto.empty() || !f.service.empty() || !f.s_port.empty();
    if (f.src.empty() || f.dst.empty()) {
      if (!conn) {
        error_ = {Reason::kTruncated, "no src/dst/proto fields"};
        return false;
      }
      error_ = {Reason::kTruncated, f.src.empty() ? "no src: field" : "no dst: field"};
      return false;
    }
    if (!conn) {
      error_ = {Reason::kNotARecord, "no protocol or ports: not a connection (VPN/IKE event)"};
      return false;
    }
    if (!Addr(f.src, &e.src) || !Addr(f.dst, &e.dst)) return false;
    if (!f.proto.empty() && !ProtoFrom(f.proto, &e.proto)) {
      return Fail(Reason::kUnknownProtocol, f.proto, "unknown protocol");
    }
    if (e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp) {
      if (!Port(f.icmp_type, &e.sport) || !Port(f.icmp_code, &e.dport)) return false;
    } else if (!Port(f.s_port, &e.sport) || !Port(f.service, &e.dport)) {
      return false;
    }
    events_.push_back(e);
    return true;
  }

  // packets:" <192.0.2.1,4117,198.51.100.2,5000,6;eth0> <...>": one record each.
  bool Packets(std::string_view list, const Event& base) {
    size_t i = 0;
    while ((i = list.find('<', i)) != npos) {
      size_t close = list.find('>', i);
      if (close == npos) return Fail(Reason::kTruncated, list.substr(i), "packet without '>'");
      std::string_view pk = list.substr(i + 1, close - i - 1);
      std::string_view col[5];
      size_t n = 0, a = 0;
      while (n < 5) {
        size_t c = pk.find(n < 4 ? ',' : ';', a);
        col[n++] = pk.substr(a, c == npos ? npos : c - a);
        if (c == npos) break;
        a = c + 1;
      }
      if (n < 5) return Fail(Reason::kTruncated, pk, "packet not <src,sport,dst,dport,proto>");
      Event e = base;
      if (!Addr(col[0], &e.src) || !Port(col[1], &e.sport) || !Addr(col[2], &e.dst) ||
          !Port(col[3], &e.dport)) {
        return false;
      }
      if (!ProtoFrom(col[4], &e.proto)) return Fail(Reason::kUnknownProtocol, col[4], "unknown protocol");
      events_.push_back(e);
      i = close + 1;
    }
    if (events_.empty()) return Fail(Reason::kTruncated, list, "no <packet> in packets");
    return true;
  }

  bool Time(std::string_view line, const Fields& f, TimeUs* out, std::string_view* host,
            uint64_t lineno, RecordSink& sink) {
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    // The header ends where the pairs begin; the header parser would
    // otherwise walk the whole structured-data block.
    size_t open = line.find('[');
    detail::SyslogHeader h;
    header_.Parse(line.substr(0, open), &h);
    *host = h.host;
    uint64_t v;
    if (!f.time.empty() && ParseUint(f.time, 1ull << 40, &v)) {
      *out = static_cast<TimeUs>(v) * kUsPerSecond;
      return true;
    }
    if (h.has_time) {
      *out = h.time;
      return true;
    }
    if (h.form == detail::HeaderForm::kNone) {
      *out = fallback_time_;
      return true;
    }
    sink.OnReject(lineno, Reason::kBadTimestamp, h.time_error);
    return false;
  }

  detail::SyslogHeaderParser header_;
  TimeUs fallback_time_;
  std::vector<Event> events_;
  Error error_;
};

}  // namespace

int DetectCheckpoint(std::string_view line) {
  if (line.find("action:\"") == npos) return 0;
  if (line.find("CheckPoint") != npos || line.find("loguid:\"") != npos ||
      line.find("origin:\"") != npos) {
    return 95;
  }
  return line.find("src:\"") != npos || line.find("dst:\"") != npos ? 80 : 40;
}

std::unique_ptr<Parser> MakeCheckpointParser(const ParseOptions& options) {
  return std::make_unique<CheckpointParser>(options);
}

}  // namespace portstorm::parse
