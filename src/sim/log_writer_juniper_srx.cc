// juniper_srx writer: the RT_FLOW_SESSION_DENY message a Juniper SRX logs for
// a session its policy denied (docs/formats/juniper_srx.md), in the syslog
// form the style's header picks:
//
//   kRfc3164: "standard" syslog, whole seconds, plain message text
//   Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied
//   192.0.2.1/4117->198.51.100.2/5000 0x0 None 6(0) default-deny untrust trust UNKNOWN UNKNOWN
//   N/A(N/A) ge-0/0/0.0 No policy deny
//
//   kIso8601: structured-data (RFC 5424) syslog
//   <14>1 2005-01-11T01:42:22.250123Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY
//   [junos@2636.1.1.1.2.40 source-address="192.0.2.1" source-port="4117"
//   destination-address="198.51.100.2" destination-port="5000" connection-tag="0"
//   service-name="None" protocol-id="6" icmp-type="0" policy-name="default-deny"
//   source-zone-name="untrust" destination-zone-name="trust" application="UNKNOWN"
//   nested-application="UNKNOWN" username="N/A" roles="N/A"
//   packet-incoming-interface="ge-0/0/0.0" encrypted="No" reason="policy deny"]
//
// (each one line; an empty host is left out, "-" in RFC 5424). Carried:
// time (UTC), source, destination, ports (TCP, UDP, SCTP; for ICMP and ICMPv6
// the event's type and code, the type also in the protocol word "1(8)" /
// icmp-type="8"; other protocols are logged with port 0), protocol, and the
// host. Junos stamps structured lines with milliseconds; the writer gives all
// six digits RFC 5424 allows, so the time resolution is a microsecond there.
// Every denial is RT_FLOW_SESSION_DENY, which the parser reads as drop:
// Action is not carried (a policy "reject" logs the same message).
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteIp;
using detail::WriteUint;

bool HasPorts(uint8_t proto) {
  return proto == kProtoTcp || proto == kProtoUdp || proto == 132 || proto == kProtoIcmp ||
         proto == kProtoIpv6Icmp;
}

bool IsIcmp(uint8_t proto) { return proto == kProtoIcmp || proto == kProtoIpv6Icmp; }

class JuniperSrxWriter final : public LogWriter {
 public:
  explicit JuniperSrxWriter(const LogStyle& style)
      : structured_(style.header == SyslogHeader::kIso8601),
        host_(style.host),
        date_(structured_ ? detail::DateCache::Form::kIso : detail::DateCache::Form::kSyslog) {
    // Two addresses and ports, the header and the fixed words.
    max_line_ = host_.size() + 640;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    const bool ports = HasPorts(e.proto);
    const uint16_t sport = ports ? e.sport : 0, dport = ports ? e.dport : 0;
    const uint16_t icmp_type = IsIcmp(e.proto) ? e.sport : 0;
    if (structured_) {
      p = Append(p, "<14>1 ");
      p = detail::WriteIsoDateTime(p, &date_, e.time, 'T', true);
      p = Append(p, "Z ");
      p = Append(p, host_.empty() ? std::string_view("-") : host_);  // RFC 5424 NILVALUE
      p = Append(p, " RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.40 source-address=\"");
      p = WriteIp(p, e.src);
      p = Append(p, "\" source-port=\"");
      p = WriteUint(p, sport);
      p = Append(p, "\" destination-address=\"");
      p = WriteIp(p, e.dst);
      p = Append(p, "\" destination-port=\"");
      p = WriteUint(p, dport);
      p = Append(p, "\" connection-tag=\"0\" service-name=\"None\" protocol-id=\"");
      p = WriteUint(p, e.proto);
      p = Append(p, "\" icmp-type=\"");
      p = WriteUint(p, icmp_type);
      p = Append(p,
                 "\" policy-name=\"default-deny\" source-zone-name=\"untrust\" "
                 "destination-zone-name=\"trust\" application=\"UNKNOWN\" "
                 "nested-application=\"UNKNOWN\" username=\"N/A\" roles=\"N/A\" "
                 "packet-incoming-interface=\"ge-0/0/0.0\" encrypted=\"No\" "
                 "reason=\"policy deny\"]\n");
    } else {
      detail::SplitTime t = detail::Split(e.time);
      p = date_.Write(p, t.day);
      *p++ = ' ';
      p = detail::WriteClock(p, t.sec_of_day);
      if (!host_.empty()) {
        *p++ = ' ';
        p = Append(p, host_);
      }
      p = Append(p, " RT_FLOW: RT_FLOW_SESSION_DENY: session denied ");
      p = WriteIp(p, e.src);
      *p++ = '/';
      p = WriteUint(p, sport);
      p = Append(p, "->");
      p = WriteIp(p, e.dst);
      *p++ = '/';
      p = WriteUint(p, dport);
      p = Append(p, " 0x0 None ");
      p = WriteUint(p, e.proto);
      *p++ = '(';
      p = WriteUint(p, icmp_type);
      p = Append(p,
                 ") default-deny untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 No "
                 "policy deny\n");
    }
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto;
    if (HasPorts(proto)) f |= fl::kSport | fl::kDport;
    return f;
  }

  TimeUs TimeResolution() const override { return structured_ ? 1 : kUsPerSecond; }

 private:
  bool structured_;
  std::string host_;
  detail::DateCache date_;
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeJuniperSrxWriter(const LogStyle& style) {
  return std::make_unique<JuniperSrxWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
