// panos writer: Palo Alto Networks PAN-OS TRAFFIC logs of denied sessions, as
// the firewall's syslog forwarding writes them (PAN-OS 8.1 column layout,
// docs/formats/panos.md), behind a BSD (LogStyle::header kRfc3164) or IETF
// (kIso8601) syslog header:
//
//   Jan 11 01:42:23 pa-fw1 1,2005/01/11 01:42:23,007947650723,TRAFFIC,deny,2561,2005/01/11
//   01:42:22,192.0.2.1,198.51.100.2,0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,
//   untrust,trust,ethernet1/1,,fwd-all,2005/01/11 01:42:22,510272,1,4117,5000,0,0,0x0,tcp,deny,
//   60,60,0,1,2005/01/11 01:42:22,0,any,,1002565209663,0x0,RU,UA,,1,0,policy-deny,0,0,0,0,,
//   pa-fw1,from-policy,,,0,,0,,N/A,0,0,0,0
//
// (one line; the IETF form begins "<14>1 2005-01-11T01:42:23+00:00 pa-fw1 - - - - 1,...";
// an empty host is left out of the BSD header, "-" in the IETF one).
// Carried: generated time (whole seconds, UTC; the receive time and the
// header are one second later, as forwarding delays them), source,
// destination, ports (TCP, UDP and SCTP: PAN-OS logs 0 for ICMP and other
// protocols, so their type and code are not carried), protocol, and the host
// (syslog header and device-name column). Action: Reject is "reset-both",
// everything else "deny" (a TRAFFIC log of an allowed session is not a
// blocked record), so the parser reads drop or reject and Action is not
// carried. Session id, sequence number and countries are derived from the
// event; every denied session is one packet of ip_len bytes.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteIp;
using detail::WriteUint;

// PAN-OS protocol names the parser knows; others as their number.
std::string_view ProtoName(uint8_t proto) {
  switch (proto) {
    case kProtoTcp:
      return "tcp";
    case kProtoUdp:
      return "udp";
    case kProtoIcmp:
      return "icmp";
    case kProtoIpv6Icmp:
      return "ipv6-icmp";
    case kProtoIgmp:
      return "igmp";
    case 47:
      return "gre";
    case 50:
      return "esp";
    case 51:
      return "ah";
    case 132:
      return "sctp";
    default:
      return {};
  }
}


// The country column: the firewall's region name for private space, else a
// country code (from the address hash: the simulator has no GeoIP).
char* WriteCountry(char* p, const IpAddr& a) {
  if (a.is_v4()) {
    uint32_t v = a.v4();
    if ((v >> 24) == 10) return Append(p, "10.0.0.0-10.255.255.255");
    if ((v >> 20) == 0xac1) return Append(p, "172.16.0.0-172.31.255.255");
    if ((v >> 16) == 0xc0a8) return Append(p, "192.168.0.0-192.168.255.255");
  }
  static constexpr char kCodes[] = "USCNDEBRRUKRINNLFRJPGBVNTWUAITCA";
  uint32_t i = detail::FwHashAddr(a, 7) % (sizeof kCodes / 2);
  return Append(p, std::string_view(kCodes + 2 * i, 2));
}

class PanosWriter final : public LogWriter {
 public:
  explicit PanosWriter(const LogStyle& style)
      : ietf_(style.header == SyslogHeader::kIso8601),
        host_(style.host),
        header_date_(ietf_ ? detail::DateCache::Form::kIso : detail::DateCache::Form::kSyslog),
        recv_date_(detail::DateCache::Form::kIso),
        gen_date_(detail::DateCache::Form::kIso) {
    // The device-name column is CSV: a name with a comma or quote is quoted.
    if (host_.find_first_of(",\"") != std::string::npos) {
      device_ = "\"";
      for (char c : host_) {
        device_ += c;
        if (c == '"') device_ += '"';
      }
      device_ += '"';
    } else {
      device_ = host_;
    }
    // The serial number: 12 digits, fixed per device.
    uint32_t h = 2166136261u;
    for (char c : host_) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    char buf[16];
    char* p = Append(buf, "0079");
    p = detail::WritePadded(p, detail::Mix32(h) % 100000000u, 8, '0');
    serial_.assign(buf, static_cast<size_t>(p - buf));
    // Two headers, three times, two addresses and countries, ~70 numbers and names.
    max_line_ = 2 * host_.size() + device_.size() + 700;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    const TimeUs received = e.time + kUsPerSecond;
    const uint32_t h =
        detail::Mix32(detail::FwHashAddr(e.src, e.seq) ^ (uint32_t{e.sport} << 16 | e.dport) ^
                      static_cast<uint32_t>(e.time / kUsPerSecond));
    if (ietf_) {
      p = Append(p, "<14>1 ");
      p = detail::WriteIsoDateTime(p, &header_date_, received, 'T', false);
      p = Append(p, "+00:00 ");
      p = Append(p, host_.empty() ? std::string_view("-") : host_);  // RFC 5424 NILVALUE
      p = Append(p, " - - - - ");
    } else {
      detail::SplitTime r = detail::Split(received);
      p = header_date_.Write(p, r.day);
      *p++ = ' ';
      p = detail::WriteClock(p, r.sec_of_day);
      *p++ = ' ';
      if (!host_.empty()) {
        p = Append(p, host_);
        *p++ = ' ';
      }
    }
    const bool reset = e.action == Action::kReject;
    p = Append(p, "1,");
    p = WritePanTime(p, &recv_date_, received);
    *p++ = ',';
    p = Append(p, serial_);
    p = Append(p, ",TRAFFIC,deny,2561,");
    char* gen = p;
    p = WritePanTime(p, &gen_date_, e.time);
    const std::string_view gen_text(gen, static_cast<size_t>(p - gen));
    *p++ = ',';
    p = WriteIp(p, e.src);
    *p++ = ',';
    p = WriteIp(p, e.dst);
    const bool v6 = !e.src.is_v4();
    p = Append(p, v6 ? ",::,::," : ",0.0.0.0,0.0.0.0,");
    p = Append(p, reset ? "reject-inbound" : "interzone-default");
    p = Append(p, ",,,not-applicable,vsys1,untrust,trust,ethernet1/1,,fwd-all,");
    p = Append(p, gen_text);  // FUTURE_USE: time logged
    *p++ = ',';
    p = WriteUint(p, (h & 0xfffff) + 1);  // session id
    p = Append(p, ",1,");
    const bool ports = detail::HasTransportPorts(e.proto);
    p = WriteUint(p, ports ? e.sport : 0);
    *p++ = ',';
    p = WriteUint(p, ports ? e.dport : 0);
    p = Append(p, ",0,0,0x0,");
    std::string_view name = ProtoName(e.proto);
    p = name.empty() ? WriteUint(p, e.proto) : Append(p, name);
    p = Append(p, reset ? ",reset-both," : ",deny,");
    p = WriteUint(p, e.ip_len);  // bytes, bytes sent, bytes received, packets
    *p++ = ',';
    p = WriteUint(p, e.ip_len);
    p = Append(p, ",0,1,");
    p = Append(p, gen_text);  // start time
    p = Append(p, ",0,any,,");
    p = WriteUint(p, uint64_t{detail::Mix32(h)} << 8 | (h & 0xff));  // sequence number
    p = Append(p, ",0x0,");
    p = WriteCountry(p, e.src);
    *p++ = ',';
    p = WriteCountry(p, e.dst);
    p = Append(p, ",,1,0,policy-deny,0,0,0,0,,");
    p = Append(p, device_);
    p = Append(p, ",from-policy,,,0,,0,,N/A,0,0,0,0\n");
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto;
    if (detail::HasTransportPorts(proto)) f |= fl::kSport | fl::kDport;
    return f;
  }

  TimeUs TimeResolution() const override { return kUsPerSecond; }

 private:
  // "YYYY/MM/DD HH:MM:SS"
  static char* WritePanTime(char* p, detail::DateCache* date, TimeUs t) {
    char* start = p;
    p = detail::WriteIsoDateTime(p, date, t, ' ', false);
    start[4] = start[7] = '/';
    return p;
  }

  bool ietf_;
  std::string host_;
  std::string device_;
  std::string serial_;
  detail::DateCache header_date_, recv_date_, gen_date_;
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakePanosWriter(const LogStyle& style) {
  return std::make_unique<PanosWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
