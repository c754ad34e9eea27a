// snort_fast writer: one-line IDS alerts as snort 2 and Suricata print them
// (docs/formats/snort_fast.md). The style picks the engine and where the
// line goes:
//
//   header   host  line
//   RFC 3164 set   Mar  2 15:32:54 greatwall snort[4711]: [1:1006346:1] TCP to 6346
//                  [Classification: Misc activity] [Priority: 3]: {TCP} 207.95.12.112:3504 ->
//                  12.82.129.120:6346                                     (snort alert_syslog)
//   RFC 3164 ""    03/02-15:32:54.630347  [**] [1:1006346:1] TCP to 6346 [**] [Classification:
//                  Misc activity] [Priority: 3] {TCP} 207.95.12.112:3504 -> 12.82.129.120:6346
//                                                                         (snort fast.log)
//   ISO 8601 set   <174>2002-03-02T15:32:54.630347+00:00 ids suricata[4711]: [Drop] [1:1006346:1]
//                  ... [Priority: 3] {TCP} 207.95.12.112:3504 -> 12.82.129.120:6346
//                                           (Suricata syslog, rsyslog's RSYSLOG_ForwardFormat)
//   ISO 8601 ""    03/02/2002-15:32:54.630347  [Drop] [**] [1:1006346:1] TCP to 6346 [**] ...
//                                                                         (Suricata fast.log)
//
// Each on one line. Carried: time (fast.log and the ISO header: microseconds;
// RFC 3164: seconds), addresses, protocol, and ports — snort prints them for
// TCP, UDP and SCTP only; Suricata for every protocol (ICMP type and code in
// the port places, 0 for protocols without ports), IPv6 as eight full
// groups with the port as a ninth (snort: compressed, "2001:db8::1:80"). A
// non-first fragment (ipf::kFragment) has no transport header: no ports
// (Suricata: 0). Not carried: the action — Suricata in IPS mode writes
// "[Drop]" for a dropped or rejected packet (reject drops too), snort's lines
// name no verdict, and a line without one reads back as an alert.
//
// The Suricata syslog lines keep the "<PRI>" of rsyslog's forwarding format:
// the snort_fast detector gives 0 to any line that starts with a digit and
// is not a fast.log stamp, so a bare ISO 8601 syslog line would not detect.
//
// The rules are local ones in the shape of seed 004's "[1:0:0] TCP to 6346
// gnutella": "TCP to <port>" (sid 1000000 + port), "UDP to <port>"
// (1100000 + port), "ICMP type t code c" (1200000 + type), "ICMPv6 type t
// code c" (1300000 + type), "IP proto n" (1400000 + n); an echo request is
// the community rule "[1:384:5] ICMP PING". All classtype misc-activity.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

constexpr std::string_view kClass = " [Classification: Misc activity] [Priority: 3]";



class SnortFastWriter final : public LogWriter {
 public:
  explicit SnortFastWriter(const LogStyle& style)
      : suricata_(style.header == SyslogHeader::kIso8601),
        syslog_(!style.host.empty()),
        stamp_(suricata_, style.host, Tag(style)),
        max_line_(stamp_.max_size() + kMaxBody) {}

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    std::string_view verdict =
        suricata_ && (e.action == Action::kDrop || e.action == Action::kReject) ? "[Drop] " : "";
    if (syslog_) {
      if (suricata_) p = Append(p, "<174>");  // local5.info, see the header comment
      p = stamp_.Write(p, e.time);
      p = Append(p, verdict);
      p = WriteRule(p, e);
      p = Append(p, kClass);
      p = Append(p, suricata_ ? " {" : ": {");
    } else {
      p = WriteFastStamp(p, e.time);
      p = Append(p, "  ");
      p = Append(p, verdict);
      p = Append(p, "[**] ");
      p = WriteRule(p, e);
      p = Append(p, " [**]");
      p = Append(p, kClass);
      p = Append(p, " {");
    }
    p = detail::WriteSnortProto(p, e.proto);
    p = Append(p, "} ");
    bool fragment = (e.ip_flags & ipf::kFragment) != 0;
    if (suricata_) {
      // Suricata: every protocol with ports (ICMP: type and code), full IPv6.
      bool ports = !fragment && (detail::HasTransportPorts(e.proto) || IsIcmp(e.proto));
      p = WriteSuricataEndpoint(p, e.src, ports ? e.sport : 0);
      p = Append(p, " -> ");
      p = WriteSuricataEndpoint(p, e.dst, ports ? e.dport : 0);
    } else {
      bool ports = !fragment && detail::HasTransportPorts(e.proto);
      p = WriteSnortEndpoint(p, e.src, ports, e.sport);
      p = Append(p, " -> ");
      p = WriteSnortEndpoint(p, e.dst, ports, e.dport);
    }
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto;
    if (detail::HasTransportPorts(proto) || (suricata_ && IsIcmp(proto))) f |= fl::kSport | fl::kDport;
    return f;
  }

  // snort's syslog lines go through a RFC 3164 header (whole seconds); the
  // other forms keep the packet's microseconds.
  TimeUs TimeResolution() const override {
    return syslog_ && !suricata_ ? kUsPerSecond : 1;
  }

 private:
  // After the syslog header (or fast.log stamp ~30): rule ~45, classification
  // 47, protocol 12, two full IPv6 endpoints 2 * 46.
  static constexpr size_t kMaxBody = 400;

  static bool IsIcmp(uint8_t proto) { return proto == kProtoIcmp || proto == kProtoIpv6Icmp; }

  static std::string Tag(const LogStyle& style) {
    uint32_t pid = 1000 + detail::TextHash(style.host) % 60000;
    std::string tag = style.header == SyslogHeader::kIso8601 ? "suricata[" : "snort[";
    tag += std::to_string(pid);
    tag += "]: ";
    return tag;
  }

  // "[gid:sid:rev] message"
  static char* WriteRule(char* p, const Event& e) {
    uint32_t type = e.sport & 0xff, code = e.dport & 0xff;
    switch (e.proto) {
      case kProtoTcp:
        p = Append(p, "[1:");
        p = WriteUint(p, 1000000u + e.dport);
        p = Append(p, ":1] TCP to ");
        return WriteUint(p, e.dport);
      case kProtoUdp:
        p = Append(p, "[1:");
        p = WriteUint(p, 1100000u + e.dport);
        p = Append(p, ":1] UDP to ");
        return WriteUint(p, e.dport);
      case kProtoIcmp:
        if (type == 8 && code == 0) return Append(p, "[1:384:5] ICMP PING");
        p = Append(p, "[1:");
        p = WriteUint(p, 1200000u + type);
        p = Append(p, ":1] ICMP type ");
        break;
      case kProtoIpv6Icmp:
        p = Append(p, "[1:");
        p = WriteUint(p, 1300000u + type);
        p = Append(p, ":1] ICMPv6 type ");
        break;
      default:
        p = Append(p, "[1:");
        p = WriteUint(p, 1400000u + e.proto);
        p = Append(p, ":1] IP proto ");
        return WriteUint(p, e.proto);
    }
    p = WriteUint(p, type);
    p = Append(p, " code ");
    return WriteUint(p, code);
  }

  // snort "MM/DD-HH:MM:SS.uuuuuu", Suricata "MM/DD/YYYY-HH:MM:SS.uuuuuu".
  char* WriteFastStamp(char* p, TimeUs t) {
    detail::SplitTime s = detail::Split(t);
    if (s.day != day_) RenderDate(s.day);
    p = Append(p, std::string_view(date_, date_len_));
    p = detail::WriteClock(p, s.sec_of_day);
    *p++ = '.';
    return detail::WritePadded(p, s.micros, 6, '0');
  }

  void RenderDate(int64_t day) {
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    char* p = detail::Write2(date_, static_cast<uint32_t>(m));
    *p++ = '/';
    p = detail::Write2(p, static_cast<uint32_t>(d));
    if (suricata_) {
      *p++ = '/';
      p = detail::WritePadded(p, static_cast<uint64_t>(y < 0 ? 0 : y % 10000), 4, '0');
    }
    *p++ = '-';
    date_len_ = static_cast<uint8_t>(p - date_);
    day_ = day;
  }

  // snort: inet_ntop text, ":port" when the protocol has ports.
  static char* WriteSnortEndpoint(char* p, const IpAddr& a, bool ports, uint16_t port) {
    p = detail::WriteIp(p, a);
    if (ports) {
      *p++ = ':';
      p = WriteUint(p, port);
    }
    return p;
  }

  // Suricata: IPv6 in eight full groups (its PrintInet), ":port" always.
  static char* WriteSuricataEndpoint(char* p, const IpAddr& a, uint16_t port) {
    p = a.is_v4() ? detail::WriteIpv4(p, a.v4()) : detail::WriteIpv6Full(p, a);
    *p++ = ':';
    return WriteUint(p, port);
  }

  bool suricata_;
  bool syslog_;
  detail::SyslogStamp stamp_;
  size_t max_line_;
  int64_t day_ = INT64_MIN;
  char date_[16] = {};
  uint8_t date_len_ = 0;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeSnortFastWriter(const LogStyle& style) {
  return std::make_unique<SnortFastWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
