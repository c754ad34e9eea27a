// cisco_asa writer: the syslog messages a Cisco ASA logs for the packets it
// denies (docs/formats/cisco_asa.md), one per event:
//
//   Mar  2 15:32:54 fw1 %ASA-2-106001: Inbound TCP connection denied from 207.95.12.112/3504 to
//   12.82.129.120/6346 flags SYN  on interface outside
//
// (one line). The style's header picks the configuration, and with it the
// message ids, as a real ASA would log them:
//
//   kRfc3164 — no ACL on the outside interface, the security levels deny:
//     TCP connection request (SYN without ACK/RST/FIN)   2-106001 Inbound TCP connection denied
//     other TCP without a connection (SYN-ACK, RST, ...)  6-106015 Deny TCP (no connection)
//     UDP                                                 2-106006 Deny inbound UDP
//     UDP to or from port 53                              2-106007 ... due to DNS Query/Response
//     ICMP                                                3-106014 Deny inbound icmp
//     other protocols                                     3-106010 Deny inbound protocol N
//   kIso8601 — an access-group "outside_in" whose implicit deny logs:
//     TCP connection request, UDP, ICMP, other protocols  4-106023 Deny <proto> ... by
//                                                         access-group "outside_in" [0x0, 0x0]
//     other TCP without a connection                      6-106015 (checked before the ACL)
//
// In both an IPv6 ICMP packet is a 106023 ("icmp6"; IPv6 needs an ACL), a
// non-first fragment (no ports) a 106023, and an allowed packet (Action
// kAllow) the 106100 of an ACL entry with "log": "access-list outside_in
// permitted tcp outside/A(p) -> inside/B(p) hit-cnt 1 first hit [...]".
//
// Header: with a LogStyle::host the syslog receiver's RFC 3164 header
// ("Mar  2 15:32:54 fw1 ", whole seconds) or ISO 8601 one (microseconds);
// with an empty host the ASA's own `logging timestamp` stamp "Mar 02 2002
// 15:32:54: " (whole seconds, no host). An event with count > 1 is written
// as the syslog daemon's "message repeated N times: [ ... ]".
//
// Carried: time, addresses, protocol, count, ports for TCP, UDP and SCTP,
// ICMP / ICMPv6 type and code. Not carried: the action (every message but
// 106100 reads as a drop), TCP flags (106023 and 106100 print none; 106001
// and 106015 print the flag words).
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

constexpr bool IsIcmp(uint8_t proto) { return proto == kProtoIcmp || proto == kProtoIpv6Icmp; }

// The protocol word of 106023/106100: a name ASA knows, else "protocol N"
// (106023) or the number (106100).
char* WriteProtoWord(char* p, uint8_t proto, bool acl_entry) {
  switch (proto) {
    case kProtoTcp:
      return Append(p, "tcp");
    case kProtoUdp:
      return Append(p, "udp");
    case kProtoIcmp:
      return Append(p, "icmp");
    case kProtoIpv6Icmp:
      return Append(p, "icmp6");
    case 132:
      return Append(p, "sctp");
    default:
      if (!acl_entry) p = Append(p, "protocol ");
      return WriteUint(p, proto);
  }
}

// "flags SYN ACK  on interface outside": ASA's flag words in bit order, each
// followed by a blank.
char* WriteFlagWords(char* p, uint8_t flags) {
  static constexpr std::string_view kWords[] = {"FIN ", "SYN ", "RST ", "PSH ",
                                                "ACK ", "URG ", "ECE ", "CWR "};
  p = Append(p, "flags ");
  for (int i = 0; i < 8; ++i) {
    if (flags & (1u << i)) p = Append(p, kWords[i]);
  }
  return Append(p, " on interface outside");
}

class CiscoAsaWriter final : public LogWriter {
 public:
  explicit CiscoAsaWriter(const LogStyle& style)
      : acl_(style.header == SyslogHeader::kIso8601),
        syslog_(!style.host.empty()),
        stamp_(acl_, style.host, "") {
    max_line_ = stamp_.max_size() + 400;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    if (syslog_) {
      p = stamp_.Write(p, e.time);
    } else {
      p = WriteDeviceStamp(p, e.time);
    }
    const bool fragment = (e.ip_flags & ipf::kFragment) != 0;
    const uint8_t syn_bits = e.tcp_flags & (tcp::kSyn | tcp::kAck | tcp::kRst | tcp::kFin);
    const bool tcp_request = e.proto == kProtoTcp && syn_bits == tcp::kSyn;
    const bool repeated = e.count > 1;
    if (e.action == Action::kAllow) {
      p = Append(p, "%ASA-6-106100: ");
      p = WriteRepeat(p, e.count);
      p = WriteAclEntry(p, e, fragment);
    } else if (e.proto == kProtoTcp && !fragment && !tcp_request) {
      p = Append(p, "%ASA-6-106015: ");
      p = WriteRepeat(p, e.count);
      p = Append(p, "Deny TCP (no connection) from ");
      p = WriteFromTo(p, e);
      *p++ = ' ';
      p = WriteFlagWords(p, e.tcp_flags);
    } else if (acl_ || fragment || e.proto == kProtoIpv6Icmp) {
      p = Append(p, "%ASA-4-106023: ");
      p = WriteRepeat(p, e.count);
      p = Append(p, "Deny ");
      p = WriteProtoWord(p, e.proto, false);
      p = WriteSrcDst(p, e, !fragment && detail::HasTransportPorts(e.proto));
      if (!fragment && IsIcmp(e.proto)) p = WriteTypeCode(p, e);
      p = Append(p, " by access-group \"outside_in\" [0x0, 0x0]");
    } else if (e.proto == kProtoTcp) {
      p = Append(p, "%ASA-2-106001: ");
      p = WriteRepeat(p, e.count);
      p = Append(p, "Inbound TCP connection denied from ");
      p = WriteFromTo(p, e);
      *p++ = ' ';
      p = WriteFlagWords(p, e.tcp_flags);
    } else if (e.proto == kProtoUdp) {
      const bool dns = e.dport == 53 || e.sport == 53;
      p = Append(p, dns ? "%ASA-2-106007: " : "%ASA-2-106006: ");
      p = WriteRepeat(p, e.count);
      p = Append(p, "Deny inbound UDP from ");
      p = WriteFromTo(p, e);
      if (dns) {
        p = Append(p, e.dport == 53 ? " due to DNS Query" : " due to DNS Response");
      } else {
        p = Append(p, " on interface outside");
      }
    } else if (e.proto == kProtoIcmp) {
      p = Append(p, "%ASA-3-106014: ");
      p = WriteRepeat(p, e.count);
      p = Append(p, "Deny inbound icmp");
      p = WriteSrcDst(p, e, false);
      p = WriteTypeCode(p, e);
    } else {
      p = Append(p, "%ASA-3-106010: ");
      p = WriteRepeat(p, e.count);
      p = Append(p, "Deny inbound ");
      p = WriteProtoWord(p, e.proto, false);
      p = WriteSrcDst(p, e, detail::HasTransportPorts(e.proto));
    }
    if (repeated) *p++ = ']';
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kCount;
    if (detail::HasTransportPorts(proto) || IsIcmp(proto)) f |= fl::kSport | fl::kDport;
    return f;
  }

  TimeUs TimeResolution() const override { return syslog_ ? stamp_.resolution() : kUsPerSecond; }

 private:
  // "message repeated N times: [ " (the closing ']' ends the line).
  static char* WriteRepeat(char* p, uint32_t count) {
    if (count <= 1) return p;
    p = Append(p, "message repeated ");
    p = WriteUint(p, count);
    return Append(p, " times: [ ");
  }

  // "A/p to B/p"
  static char* WriteFromTo(char* p, const Event& e) {
    p = detail::WriteIp(p, e.src);
    *p++ = '/';
    p = WriteUint(p, e.sport);
    p = Append(p, " to ");
    p = detail::WriteIp(p, e.dst);
    *p++ = '/';
    return WriteUint(p, e.dport);
  }

  // " src outside:A[/p] dst inside:B[/p]"
  static char* WriteSrcDst(char* p, const Event& e, bool ports) {
    p = Append(p, " src outside:");
    p = detail::WriteIp(p, e.src);
    if (ports) {
      *p++ = '/';
      p = WriteUint(p, e.sport);
    }
    p = Append(p, " dst inside:");
    p = detail::WriteIp(p, e.dst);
    if (ports) {
      *p++ = '/';
      p = WriteUint(p, e.dport);
    }
    return p;
  }

  // " (type 8, code 0)"
  static char* WriteTypeCode(char* p, const Event& e) {
    p = Append(p, " (type ");
    p = WriteUint(p, e.sport & 0xff);
    p = Append(p, ", code ");
    p = WriteUint(p, e.dport & 0xff);
    *p++ = ')';
    return p;
  }

  // "access-list outside_in permitted tcp outside/A(p) -> inside/B(p) hit-cnt 1 first hit
  // [0x91c26a3, 0x0]"; ICMP type and code in the port places.
  static char* WriteAclEntry(char* p, const Event& e, bool fragment) {
    bool ports = !fragment && (detail::HasTransportPorts(e.proto) || IsIcmp(e.proto));
    p = Append(p, "access-list outside_in permitted ");
    p = WriteProtoWord(p, e.proto, true);
    p = Append(p, " outside/");
    p = detail::WriteIp(p, e.src);
    *p++ = '(';
    p = WriteUint(p, ports ? e.sport : 0);
    p = Append(p, ") -> inside/");
    p = detail::WriteIp(p, e.dst);
    *p++ = '(';
    p = WriteUint(p, ports ? e.dport : 0);
    return Append(p, ") hit-cnt 1 first hit [0x91c26a3, 0x0]");
  }

  // `logging timestamp`: "Mar 02 2002 15:32:54: "
  char* WriteDeviceStamp(char* p, TimeUs t) {
    detail::SplitTime s = detail::Split(t);
    if (s.day != day_) {
      int y, m, d;
      CivilFromDays(s.day, &y, &m, &d);
      char* q = Append(date_, detail::MonthAbbrev(m));
      *q++ = ' ';
      q = detail::Write2(q, static_cast<uint32_t>(d));
      *q++ = ' ';
      q = detail::WritePadded(q, static_cast<uint64_t>(y < 0 ? 0 : y % 10000), 4, '0');
      *q = ' ';
      day_ = s.day;
    }
    p = Append(p, std::string_view(date_, sizeof date_));
    p = detail::WriteClock(p, s.sec_of_day);
    return Append(p, ": ");
  }

  bool acl_;
  bool syslog_;
  detail::SyslogStamp stamp_;  // "Mar  2 15:32:54 fw1 "
  size_t max_line_;
  int64_t day_ = INT64_MIN;
  char date_[12] = {};  // "Mar 02 2002 "
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeCiscoAsaWriter(const LogStyle& style) {
  return std::make_unique<CiscoAsaWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
