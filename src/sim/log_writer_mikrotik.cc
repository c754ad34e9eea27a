// mikrotik writer: the line RouterOS logs for a firewall rule with log=yes
// (topics firewall,info; the rule's log-prefix before the chain), as remote
// syslog receives it (docs/formats/mikrotik.md):
//
//   Jan 11 01:42:22 gw firewall,info drop-wan input: in:ether1 out:(unknown 0), src-mac
//   00:0d:b9:12:34:56, proto TCP (SYN), 192.0.2.1:4117->198.51.100.2:5000, len 60
//
// on one line. The syslog header takes the style's form (RFC 3164 whole
// seconds, or ISO 8601 with microseconds) and its host; with an empty
// LogStyle::host the line is the router's own disk log
// ("jan/11/2005 01:42:22 firewall,info ..."), which names no host.
//
// The log prefix names the verdict, since RouterOS does not log the rule's
// action: "drop-wan", "reject-wan", "accept-wan", none for a rule that only
// logs. Carried: time, addresses, protocol, the action, TCP/UDP ports, TCP
// flags, ICMP / ICMPv6 type and code, the IP length (IPv6: RouterOS prints
// the payload length, read back + 40). A non-first fragment has no
// transport header: no ports, no flags. src-mac is the upstream router's
// MAC, fixed per host; point-to-point interfaces (style iface ppp*) have
// none and are called pppoe-out1.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

// RouterOS protocol names; others are printed as their number.
std::string_view ProtoName(uint8_t proto) {
  switch (proto) {
    case kProtoTcp:
      return "TCP";
    case kProtoUdp:
      return "UDP";
    case kProtoIcmp:
      return "ICMP";
    case kProtoIpv6Icmp:
      return "ICMPv6";
    case kProtoIgmp:
      return "IGMP";
    case 41:
      return "IPV6-ENCAP";
    case 47:
      return "GRE";
    case 50:
      return "IPSEC-ESP";
    case 51:
      return "IPSEC-AH";
    case 89:
      return "OSPF";
    case 103:
      return "PIM";
    case 112:
      return "VRRP";
    case 132:
      return "SCTP";
    case 136:
      return "UDP-LITE";
    default:
      return {};
  }
}

class MikrotikWriter final : public LogWriter {
 public:
  explicit MikrotikWriter(const LogStyle& style)
      : syslog_(!style.host.empty()),
        stamp_(style.header == SyslogHeader::kIso8601, style.host, "firewall,info ") {
    bool ppp = style.iface.starts_with("ppp");
    link_ = ppp ? "in:pppoe-out1 out:(unknown 0), " : "in:ether1 out:(unknown 0), src-mac ";
    if (!ppp) {
      uint32_t h = detail::Mix32(detail::TextHash(style.host));
      char buf[32];
      char* p = Append(buf, "00:0d:b9:");  // the upstream router's NIC
      for (int shift = 16; shift >= 0; shift -= 8) {
        p = detail::WriteHexByteLower(p, static_cast<uint8_t>(h >> shift));
        *p++ = ':';
      }
      link_.append(buf, static_cast<size_t>(p - buf - 1));
      link_ += ", ";
    }
    max_line_ = stamp_.max_size() + link_.size() + 256;
    resolution_ = syslog_ ? stamp_.resolution() : kUsPerSecond;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    if (syslog_) {
      p = stamp_.Write(p, e.time);
    } else {
      p = WriteRouterOsStamp(p, e.time);
      p = Append(p, "firewall,info ");
    }
    switch (e.action) {
      case Action::kDrop:
        p = Append(p, "drop-wan ");
        break;
      case Action::kReject:
        p = Append(p, "reject-wan ");
        break;
      case Action::kAllow:
        p = Append(p, "accept-wan ");
        break;
      default:
        break;
    }
    p = Append(p, "input: ");
    p = Append(p, link_);
    p = Append(p, "proto ");
    std::string_view name = ProtoName(e.proto);
    p = name.empty() ? WriteUint(p, e.proto) : Append(p, name);
    const bool v6 = !e.src.is_v4() || !e.dst.is_v4();
    const bool transport = !(e.ip_flags & ipf::kFragment);
    const bool ports = transport && (e.proto == kProtoTcp || e.proto == kProtoUdp);
    if (transport && e.proto == kProtoTcp && e.tcp_flags != 0) {
      p = Append(p, " (");
      p = WriteFlags(p, e.tcp_flags);
      *p++ = ')';
    } else if (transport && (e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp)) {
      p = Append(p, " (type ");
      p = WriteUint(p, e.sport & 0xff);
      p = Append(p, ", code ");
      p = WriteUint(p, e.dport & 0xff);
      *p++ = ')';
    }
    p = Append(p, ", ");
    p = WriteEndpoint(p, e.src, v6, ports, e.sport);
    p = Append(p, "->");
    p = WriteEndpoint(p, e.dst, v6, ports, e.dport);
    p = Append(p, ", len ");
    p = WriteUint(p, v6 ? (e.ip_len > 40 ? e.ip_len - 40u : 0u) : e.ip_len);
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kIpLen | fl::kAction;
    if (proto == kProtoTcp) {
      f |= fl::kSport | fl::kDport | fl::kFlags;
    } else if (proto == kProtoUdp || proto == kProtoIcmp || proto == kProtoIpv6Icmp) {
      f |= fl::kSport | fl::kDport;
    }
    return f;
  }

  TimeUs TimeResolution() const override { return resolution_; }

 private:
  // "SYN", "SYN,ACK", "ACK,FIN,PSH", "SYN,ECE,CWR"
  static char* WriteFlags(char* p, uint8_t flags) {
    static constexpr struct {
      uint8_t bit;
      std::string_view name;
    } kNames[] = {{tcp::kSyn, "SYN"}, {tcp::kAck, "ACK"}, {tcp::kFin, "FIN"}, {tcp::kRst, "RST"},
                  {tcp::kPsh, "PSH"}, {tcp::kUrg, "URG"}, {tcp::kEce, "ECE"}, {tcp::kCwr, "CWR"}};
    bool first = true;
    for (const auto& n : kNames) {
      if (!(flags & n.bit)) continue;
      if (!first) *p++ = ',';
      first = false;
      p = Append(p, n.name);
    }
    return p;
  }

  // "192.0.2.1:4117", "[2001:db8::1]:4117", "192.0.2.1", "2001:db8::1"
  static char* WriteEndpoint(char* p, const IpAddr& a, bool v6, bool ports, uint16_t port) {
    if (!ports) return detail::WriteIp(p, a);
    if (v6) *p++ = '[';
    p = detail::WriteIp(p, a);
    if (v6) *p++ = ']';
    *p++ = ':';
    return WriteUint(p, port);
  }

  // RouterOS's own log date: "jan/11/2005 01:42:22 ".
  char* WriteRouterOsStamp(char* p, TimeUs t) {
    detail::SplitTime s = detail::Split(t);
    if (s.day != day_) {
      int y, m, d;
      CivilFromDays(s.day, &y, &m, &d);
      std::string_view mon = detail::MonthAbbrev(m);
      char* q = date_;
      *q++ = static_cast<char>(mon[0] - 'A' + 'a');
      *q++ = mon[1];
      *q++ = mon[2];
      *q++ = '/';
      q = detail::Write2(q, static_cast<uint32_t>(d));
      *q++ = '/';
      detail::WritePadded(q, static_cast<uint64_t>(y < 0 ? 0 : y % 10000), 4, '0');
      day_ = s.day;
    }
    p = Append(p, std::string_view(date_, sizeof date_));
    *p++ = ' ';
    p = detail::WriteClock(p, s.sec_of_day);
    *p++ = ' ';
    return p;
  }

  bool syslog_;
  detail::SyslogStamp stamp_;
  std::string link_;  // "in:ether1 out:(unknown 0), src-mac 00:0d:b9:xx:xx:xx, "
  size_t max_line_;
  TimeUs resolution_;
  int64_t day_ = INT64_MIN;
  char date_[11] = {};  // "jan/11/2005"
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeMikrotikWriter(const LogStyle& style) {
  return std::make_unique<MikrotikWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
