// suricata_eve writer: Suricata's EVE JSON "drop" event, the one an IPS
// (inline mode) writes per dropped packet with the drop logger's verdict
// option on (docs/formats/suricata_eve.md). Keys and their order are
// Suricata 7's (CreateEveHeader, output-json-drop.c, EveAddVerdict):
//
//   {"timestamp":"2005-01-11T01:42:22.250123+0000","flow_id":3322687939398,
//   "in_iface":"eth0","event_type":"drop","src_ip":"192.0.2.1","src_port":4117,
//   "dest_ip":"198.51.100.2","dest_port":5000,"proto":"TCP","pkt_src":"wire/pcap",
//   "direction":"to_server","drop":{"len":60,"tos":0,"ttl":52,"ipid":4711,
//   "tcpseq":1296947564,"tcpack":0,"tcpwin":65535,"syn":true,"ack":false,"psh":false,
//   "rst":false,"urg":false,"fin":false,"tcpres":0,"tcpurgp":0,"reason":"rules"},
//   "verdict":{"action":"drop"},"host":"ids-1"}
//
// (one line). Carried: time (microseconds, UTC), source, destination, ports
// (TCP, UDP, SCTP; ICMP and ICMPv6 type and code as icmp_type/icmp_code;
// Suricata writes 0 for other protocols), protocol (Suricata's IANA keyword:
// TCP, UDP, ICMP, IPv6-ICMP, GRE, ...), TTL / hop limit, IP ID, and for TCP
// sequence number and window; the host is Suricata's sensor-name ("host",
// last key). A non-first fragment has no transport header: ports 0, no TCP,
// UDP or ICMP keys. Not carried:
//  - tcp_flags: the drop object has booleans for SYN ACK PSH RST URG FIN only
//    (no ECE, CWR); those six read back.
//  - ip_len: for IPv6 Suricata's "len" is the payload length (IPV6_GET_PLEN),
//    written as such here; the parser adds the 40-byte header back, so it
//    reads back for every real packet, but not for an IPv6 ip_len below 40
//    (which the round trip's random events have), hence not claimed.
//  - action: every event is a drop event, Reject with verdict.reject-target
//    (a reject rule's RST or ICMP), which reads back as reject, everything
//    else as drop.
// host and in_iface are the only strings from outside: JSON-escaped once.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteIp;
using detail::WriteUint;

bool IsIcmp(uint8_t proto) { return proto == kProtoIcmp || proto == kProtoIpv6Icmp; }

// Suricata's known_proto names (IANA keywords); unnamed protocols as numbers.
std::string_view ProtoName(uint8_t proto) {
  switch (proto) {
    case kProtoIcmp:
      return "ICMP";
    case kProtoIgmp:
      return "IGMP";
    case 4:
      return "IPv4";
    case kProtoTcp:
      return "TCP";
    case kProtoUdp:
      return "UDP";
    case 41:
      return "IPv6";
    case 47:
      return "GRE";
    case 50:
      return "ESP";
    case 51:
      return "AH";
    case kProtoIpv6Icmp:
      return "IPv6-ICMP";
    case 103:
      return "PIM";
    case 132:
      return "SCTP";
    case 136:
      return "UDPLite";
    default:
      return {};
  }
}

// A JSON string literal, escaped as Suricata's JsonBuilder does: quote,
// backslash, the short escapes, \u00XX for other control bytes.
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += detail::kHexLower[static_cast<unsigned char>(c) >> 4];
          out += detail::kHexLower[c & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

char* WriteBool(char* p, std::string_view key, bool v) {
  p = Append(p, key);
  return Append(p, v ? "true" : "false");
}

class SuricataEveWriter final : public LogWriter {
 public:
  explicit SuricataEveWriter(const LogStyle& style) : date_(detail::DateCache::Form::kIso) {
    if (!style.iface.empty()) iface_ = ",\"in_iface\":" + JsonString(style.iface);
    if (!style.host.empty()) host_ = ",\"host\":" + JsonString(style.host);
    host_ += "}\n";
    max_line_ = iface_.size() + host_.size() + 700;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    const bool v6 = !e.src.is_v4();
    const bool fragment = (e.ip_flags & ipf::kFragment) != 0;
    const bool ports = detail::HasTransportPorts(e.proto) && !fragment;
    p = Append(p, "{\"timestamp\":\"");
    p = detail::WriteIsoDateTime(p, &date_, e.time, 'T', true);
    // The flow id: a hash of the flow's tuple, 51 bits as FlowGetId keeps.
    const uint32_t tuple = detail::FwHashAddr(e.dst, detail::FwHashAddr(e.src, e.proto)) ^
                           (uint32_t{e.sport} << 16 | e.dport);
    const uint64_t flow_id =
        (uint64_t{detail::Mix32(tuple)} << 19 ^ detail::Mix32(tuple ^ 0x5bd1e995u)) &
        ((uint64_t{1} << 51) - 1);
    p = Append(p, "+0000\",\"flow_id\":");
    p = WriteUint(p, flow_id);
    p = Append(p, iface_);
    p = Append(p, ",\"event_type\":\"drop\",\"src_ip\":\"");
    p = WriteIp(p, e.src);
    p = Append(p, "\",\"src_port\":");
    p = WriteUint(p, ports ? e.sport : 0);
    p = Append(p, ",\"dest_ip\":\"");
    p = WriteIp(p, e.dst);
    p = Append(p, "\",\"dest_port\":");
    p = WriteUint(p, ports ? e.dport : 0);
    p = Append(p, ",\"proto\":");
    std::string_view name = ProtoName(e.proto);
    if (name.empty()) {
      *p++ = '"';
      p = WriteUint(p, e.proto);
      *p++ = '"';
    } else {
      *p++ = '"';
      p = Append(p, name);
      *p++ = '"';
    }
    if (IsIcmp(e.proto) && !fragment) {
      p = Append(p, ",\"icmp_type\":");
      p = WriteUint(p, e.sport & 0xff);
      p = Append(p, ",\"icmp_code\":");
      p = WriteUint(p, e.dport & 0xff);
    }
    p = Append(p, ",\"pkt_src\":\"wire/pcap\",\"direction\":\"to_server\",\"drop\":{\"len\":");
    if (v6) {
      p = WriteUint(p, e.ip_len >= 40 ? e.ip_len - 40u : 0u);  // payload length
      p = Append(p, ",\"tc\":0,\"hoplimit\":");
      p = WriteUint(p, e.ttl);
      p = Append(p, ",\"flowlbl\":");
      p = WriteUint(p, detail::Mix32(tuple) & 0xfffff);
    } else {
      p = WriteUint(p, e.ip_len);
      p = Append(p, ",\"tos\":0,\"ttl\":");
      p = WriteUint(p, e.ttl);
      p = Append(p, ",\"ipid\":");
      p = WriteUint(p, e.ip_id);
    }
    if (!fragment) {
      if (e.proto == kProtoTcp) {
        p = Append(p, ",\"tcpseq\":");
        p = WriteUint(p, e.seq);
        p = Append(p, ",\"tcpack\":");
        p = WriteUint(p, (e.tcp_flags & tcp::kAck) ? detail::Mix32(e.seq ^ tuple) : 0);
        p = Append(p, ",\"tcpwin\":");
        p = WriteUint(p, e.window);
        p = WriteBool(p, ",\"syn\":", e.tcp_flags & tcp::kSyn);
        p = WriteBool(p, ",\"ack\":", e.tcp_flags & tcp::kAck);
        p = WriteBool(p, ",\"psh\":", e.tcp_flags & tcp::kPsh);
        p = WriteBool(p, ",\"rst\":", e.tcp_flags & tcp::kRst);
        p = WriteBool(p, ",\"urg\":", e.tcp_flags & tcp::kUrg);
        p = WriteBool(p, ",\"fin\":", e.tcp_flags & tcp::kFin);
        p = Append(p, ",\"tcpres\":0,\"tcpurgp\":0");
      } else if (e.proto == kProtoUdp) {
        uint32_t header = v6 ? 40 : 20;
        p = Append(p, ",\"udplen\":");
        p = WriteUint(p, e.ip_len >= header + 8 ? e.ip_len - header : 8u);
      } else if (e.proto == kProtoIcmp) {
        // Identifier and sequence of echo messages (Event::seq's halves); the
        // drop logger has no ICMPv6 branch (its switch tests IPPROTO_ICMP).
        bool echo = e.sport == 0 || e.sport == 8;
        p = Append(p, ",\"icmp_id\":");
        p = WriteUint(p, echo ? e.seq >> 16 : 0);
        p = Append(p, ",\"icmp_seq\":");
        p = WriteUint(p, echo ? e.seq & 0xffff : 0);
      }
    }
    p = Append(p, ",\"reason\":\"rules\"},\"verdict\":{\"action\":\"drop\"");
    if (e.action == Action::kReject) {
      p = Append(p, ",\"reject-target\":\"to_client\",\"reject\":[");
      if (e.proto == kProtoTcp) {
        p = Append(p, "\"tcp-reset\"");
      } else if (e.proto == kProtoUdp || IsIcmp(e.proto)) {
        p = Append(p, "\"icmp-prohib\"");
      }
      *p++ = ']';
    }
    *p++ = '}';
    p = Append(p, host_);
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kTtl | fl::kIpId;
    if (detail::HasTransportPorts(proto) || IsIcmp(proto)) f |= fl::kSport | fl::kDport;
    if (proto == kProtoTcp) f |= fl::kSeq | fl::kWindow;
    return f;
  }

  TimeUs TimeResolution() const override { return 1; }

 private:
  detail::DateCache date_;
  std::string iface_;  // ,"in_iface":"eth0"
  std::string host_;   // ,"host":"gw"}\n
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeSuricataEveWriter(const LogStyle& style) {
  return std::make_unique<SuricataEveWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
