// checkpoint writer: Check Point firewall drops as Log Exporter sends them in
// its "syslog" format (RFC 5424 header, key:"value" pairs as structured data;
// docs/formats/checkpoint.md):
//
//   <134>1 2005-01-11T01:42:22Z gw CheckPoint 16815 - [action:"Drop"; flags:"412227";
//   ifdir:"inbound"; ifname:"eth0"; logid:"0"; loguid:"{0x41e32efe,0xc92,0xc6bf4cd7,0xc0000000}";
//   origin:"gw"; originsicname:"CN=gw,O=gw..bfb85j"; sequencenum:"64"; time:"1105407742";
//   version:"5"; dst:"198.51.100.2"; inzone:"External"; layer_name:"Network";
//   rule_action:"Drop"; rule_name:"Cleanup rule"; outzone:"Internal"; product:"VPN-1 &
//   FireWall-1"; proto:"6"; s_port:"4117"; service:"5000"; service_id:"tcp-5000"; src:"192.0.2.1"]
//
// (one line). Carried: time (the `time` field, whole seconds), source,
// destination, ports (s_port/service for TCP, UDP and SCTP; icmp_type and
// icmp_code for ICMP and ICMPv6; none for other protocols), protocol
// (number), and the host: the style's host is the gateway, in the header and
// in `origin`. (Log Exporter writes the gateway's address in `origin` and its
// name in `originsicname`; the parser names the record's host after
// `origin`, and the simulator's sensors have names, so the name stands there.)
// Reject is "Reject", everything else "Drop" (an Accept is not a record):
// Action is not carried. The exporter and gateway are one standalone box; an
// empty host writes "-" in the header and no origin.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteIp;
using detail::WriteUint;

bool IsIcmp(uint8_t proto) { return proto == kProtoIcmp || proto == kProtoIpv6Icmp; }

// Check Point's ICMP service objects.
std::string_view IcmpService(uint8_t proto, uint16_t type) {
  if (proto == kProtoIpv6Icmp) return type == 128 ? "echo-request6" : "icmp6-proto";
  switch (type) {
    case 0:
      return "echo-reply";
    case 3:
      return "dest-unreach";
    case 4:
      return "source-quench";
    case 5:
      return "redirect";
    case 8:
      return "echo-request";
    case 11:
      return "time-exceeded";
    case 13:
      return "timestamp";
    default:
      return "icmp-proto";
  }
}

// A value inside key:"value": quotes and brackets escaped as the exporter does.
std::string QuoteValue(std::string_view s) {
  std::string v;
  for (char c : s) {
    if (c == '"' || c == ']' || c == '\\') v += '\\';
    v += c;
  }
  return v;
}

class CheckpointWriter final : public LogWriter {
 public:
  explicit CheckpointWriter(const LogStyle& style)
      : host_(style.host), date_(detail::DateCache::Form::kIso) {
    uint32_t h = 2166136261u;
    for (char c : host_) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    host_hash_ = detail::Mix32(h);
    const std::string name = QuoteValue(host_);
    // The exporter's process id, fixed per box.
    char buf[16];
    header_tail_ = " " + (host_.empty() ? std::string("-") : host_) + " CheckPoint " +
                   std::string(buf, WriteUint(buf, 1000 + host_hash_ % 30000)) + " - [action:\"";
    // A line without a host (the style's empty host) names no gateway.
    if (!host_.empty()) {
      origin_ = "\"; origin:\"" + name + "\"; originsicname:\"CN=" + name + ",O=" + name + "..";
      static constexpr char kBase36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
      for (uint32_t x = host_hash_, i = 0; i < 6; ++i, x /= 36) origin_ += kBase36[x % 36];
    }
    origin_ += "\"; sequencenum:\"";
    ifname_ = "\"; ifdir:\"inbound\"; ifname:\"" + QuoteValue(style.iface) +
              "\"; logid:\"0\"; loguid:\"{0x";
    max_line_ = header_tail_.size() + origin_.size() + ifname_.size() + 900;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    const uint32_t h =
        detail::Mix32(detail::FwHashAddr(e.src, e.seq) ^ (uint32_t{e.sport} << 16 | e.dport) ^
                      static_cast<uint32_t>(e.time / kUsPerSecond));
    const std::string_view verdict = e.action == Action::kReject ? "Reject" : "Drop";
    p = Append(p, "<134>1 ");
    p = detail::WriteIsoDateTime(p, &date_, e.time, 'T', false);
    *p++ = 'Z';
    p = Append(p, header_tail_);
    p = Append(p, verdict);
    p = Append(p, "\"; flags:\"");
    p = WriteUint(p, 411908 + (h & 0x3ff));
    p = Append(p, ifname_);
    p = detail::WriteHex(p, static_cast<uint32_t>(e.time > 0 ? e.time / kUsPerSecond : 0));
    p = Append(p, ",0x");
    p = detail::WriteHex(p, h >> 20);
    p = Append(p, ",0x");
    p = detail::WriteHex(p, host_hash_);
    p = Append(p, ",0xc0000000}");
    p = Append(p, origin_);
    p = WriteUint(p, 1 + (h & 0x3f));
    p = Append(p, "\"; time:\"");
    p = detail::WriteEpochSeconds(p, e.time);
    p = Append(p, "\"; version:\"5\"; dst:\"");
    p = WriteIp(p, e.dst);
    if (IsIcmp(e.proto)) {
      p = Append(p, "\"; icmp_code:\"");
      p = WriteUint(p, e.dport);
      p = Append(p, "\"; icmp_type:\"");
      p = WriteUint(p, e.sport);
    }
    p = Append(p, "\"; inzone:\"External\"; layer_name:\"Network\"; rule_action:\"");
    p = Append(p, verdict);
    p = Append(p,
               "\"; rule_name:\"Cleanup rule\"; outzone:\"Internal\"; product:\"VPN-1 & "
               "FireWall-1\"; proto:\"");
    p = WriteUint(p, e.proto);
    if (detail::HasTransportPorts(e.proto)) {
      p = Append(p, "\"; s_port:\"");
      p = WriteUint(p, e.sport);
      p = Append(p, "\"; service:\"");
      p = WriteUint(p, e.dport);
      p = Append(p, e.proto == kProtoTcp   ? "\"; service_id:\"tcp-"
                    : e.proto == kProtoUdp ? "\"; service_id:\"udp-"
                                           : "\"; service_id:\"sctp-");
      p = WriteUint(p, e.dport);
    } else if (IsIcmp(e.proto)) {
      p = Append(p, "\"; service_id:\"");
      p = Append(p, IcmpService(e.proto, e.sport));
    }
    p = Append(p, "\"; src:\"");
    p = WriteIp(p, e.src);
    p = Append(p, "\"]\n");
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto;
    if (detail::HasTransportPorts(proto) || IsIcmp(proto)) f |= fl::kSport | fl::kDport;
    return f;
  }

  TimeUs TimeResolution() const override { return kUsPerSecond; }

 private:
  std::string host_;
  uint32_t host_hash_ = 0;
  std::string header_tail_;  // " host CheckPoint pid - [action:\""
  std::string origin_;       // "\"; origin:\"host\"; originsicname:\"...\"; sequencenum:\""
  std::string ifname_;       // "\"; ifdir:\"inbound\"; ifname:\"eth0\"; logid:\"0\"; loguid:\"{0x"
  detail::DateCache date_;
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeCheckpointWriter(const LogStyle& style) {
  return std::make_unique<CheckpointWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
