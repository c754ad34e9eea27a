// ipchains writer: the Linux 2.2 firewall's packet log line, as ip_fw.c's
// dump_packet() prints it (docs/formats/ipchains.md):
//
//   Packet log: input DENY ppp0 PROTO=6 207.95.12.112:3504 12.82.129.120:6346
//     L=48 S=0x00 I=31988 F=0x4000 T=117 SYN (#64)
//
// on one line. What the kernel knew is what it printed: "SYN" only for a
// connection request (SYN without ACK and RST), ICMP type:code in the port
// places, and port 65535 where it had no ports (other protocols, non-first
// fragments). Rule number fixed at 64. IPv4 only.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

// Offset (8-byte units) written for ipf::kFragment, as the netfilter writer.
constexpr uint16_t kFragOffset = 185;

// The target ipchains names: DENY, REJECT, ACCEPT, or "-" for a rule that
// only logs (no -j), which reads back as "no verdict".
std::string_view Target(Action a) {
  switch (a) {
    case Action::kDrop:
      return "DENY ";
    case Action::kReject:
      return "REJECT ";
    case Action::kAllow:
      return "ACCEPT ";
    default:
      return "- ";
  }
}

class IpchainsWriter final : public LogWriter {
 public:
  explicit IpchainsWriter(const LogStyle& style)
      : stamp_(style.header == SyslogHeader::kIso8601, style.host), iface_(style.iface) {
    max_line_ = stamp_.max_size() + iface_.size() + 160;
  }

  void Write(const Event& e, std::string* out) override {
    if (!e.src.is_v4() || !e.dst.is_v4()) return;
    detail::LineSpan span(out, max_line_);
    char* p = stamp_.Write(span.begin(), e.time);
    p = Append(p, "Packet log: input ");
    p = Append(p, Target(e.action));
    p = Append(p, iface_);
    p = Append(p, " PROTO=");
    p = WriteUint(p, e.proto);
    bool fragment = (e.ip_flags & ipf::kFragment) != 0;
    bool ports =
        !fragment && (e.proto == kProtoTcp || e.proto == kProtoUdp || e.proto == kProtoIcmp);
    *p++ = ' ';
    p = detail::WriteIpv4(p, e.src.v4());
    *p++ = ':';
    p = WriteUint(p, ports ? e.sport : 0xffff);
    *p++ = ' ';
    p = detail::WriteIpv4(p, e.dst.v4());
    *p++ = ':';
    p = WriteUint(p, ports ? e.dport : 0xffff);
    p = Append(p, " L=");
    p = WriteUint(p, e.ip_len);
    p = Append(p, " S=0x00 I=");
    p = WriteUint(p, e.ip_id);
    uint16_t frag_word = (e.ip_flags & ipf::kDf ? 0x4000 : 0) |
                         (e.ip_flags & ipf::kMf ? 0x2000 : 0) | (fragment ? kFragOffset : 0);
    p = Append(p, " F=0x");
    p = detail::WriteHexByteUpper(p, static_cast<uint8_t>(frag_word >> 8));
    p = detail::WriteHexByteUpper(p, static_cast<uint8_t>(frag_word));
    p = Append(p, " T=");
    p = WriteUint(p, e.ttl);
    bool syn = !fragment && e.proto == kProtoTcp && (e.tcp_flags & tcp::kSyn) &&
               !(e.tcp_flags & (tcp::kAck | tcp::kRst));
    p = Append(p, syn ? " SYN (#64)\n" : " (#64)\n");
    span.End(p);
  }

  // Flags are not among the fields: "SYN" stands only for a connection
  // request (reads back as tcp::kSyn; every other combination as 0).
  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kTtl | fl::kIpLen | fl::kIpId |
                 fl::kIpFlags | fl::kAction;
    if (proto == kProtoTcp || proto == kProtoUdp || proto == kProtoIcmp)
      f |= fl::kSport | fl::kDport;
    return f;
  }

  TimeUs TimeResolution() const override { return stamp_.resolution(); }

 private:
  detail::SyslogStamp stamp_;
  std::string iface_;
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeIpchainsWriter(const LogStyle& style) {
  return std::make_unique<IpchainsWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
