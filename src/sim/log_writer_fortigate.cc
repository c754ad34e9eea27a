// fortigate writer: FortiOS 6.x forward-traffic logs of sessions a policy
// denied, key=value as FortiGate sends them to syslog (docs/formats/fortigate.md):
//
//   date=2002-03-02 time=15:32:54 devname="gw" devid="FG100E4Q17012345" logid="0000000013"
//   type="traffic" subtype="forward" level="notice" vd="root" eventtime=1015083174630347000
//   tz="+0000" srcip=207.95.12.112 srcport=3504 srcintf="wan1" srcintfrole="wan"
//   dstip=12.82.129.120 dstport=6346 dstintf="internal" dstintfrole="lan" sessionid=123456
//   proto=6 action="deny" policyid=0 policytype="policy" service="tcp/6346" trandisp="noop"
//   duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 appcat="unscanned" crscore=30 craction=131072
//   crlevel="high"
//
// on one line. devname is LogStyle::host (left out when it is empty); date and time are UTC (tz="+0000")
// and eventtime is in nanoseconds (FortiOS 6.2+), so times keep their
// microseconds. ICMP has no port fields but icmpid, icmptype and icmpcode
// (hex) and service "PING" or "icmp/t/c".
//
// Carried: time, addresses, protocol, TCP/UDP ports, ICMP / ICMPv6 type and
// code, the host. FortiGate's traffic log of an allowed session records how
// the session ended (action="accept"/"close"), which portstorm does not take
// for blocked traffic: Write appends nothing for Action::kAllow. Not carried:
// the action (a policy denies or rejects; an event without a verdict is
// written as "deny"). A non-first fragment has no transport header: no port
// fields.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

class FortigateWriter final : public LogWriter {
 public:
  explicit FortigateWriter(const LogStyle& style) : date_(detail::DateCache::Form::kIso) {
    // A FortiGate 100E's serial number, fixed per host.
    char serial[16];
    char* p = detail::WritePadded(serial, detail::TextHash(style.host) % 100000, 5, '0');
    // An empty host leaves devname out: the log then names no sensor.
    if (!style.host.empty()) head_ = "devname=\"" + style.host + "\" ";
    head_ += "devid=\"FG100E4Q170" +
            std::string(serial, static_cast<size_t>(p - serial)) +
            "\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" "
            "vd=\"root\" eventtime=";
    max_line_ = head_.size() + 800;  // the rest: ~560 with two IPv6 addresses
  }

  void Write(const Event& e, std::string* out) override {
    if (e.action == Action::kAllow) return;
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    detail::SplitTime t = detail::Split(e.time);
    p = Append(p, "date=");
    p = date_.Write(p, t.day);
    p = Append(p, " time=");
    p = detail::WriteClock(p, t.sec_of_day);
    *p++ = ' ';
    p = Append(p, head_);
    p = WriteUint(p, static_cast<uint64_t>(e.time < 0 ? 0 : e.time) * 1000);
    p = Append(p, " tz=\"+0000\" srcip=");
    p = detail::WriteIp(p, e.src);
    const bool transport = !(e.ip_flags & ipf::kFragment);
    const bool ports = transport && (e.proto == kProtoTcp || e.proto == kProtoUdp);
    const bool icmp = transport && (e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp);
    if (ports) {
      p = Append(p, " srcport=");
      p = WriteUint(p, e.sport);
    }
    p = Append(p, " srcintf=\"wan1\" srcintfrole=\"wan\" dstip=");
    p = detail::WriteIp(p, e.dst);
    if (ports) {
      p = Append(p, " dstport=");
      p = WriteUint(p, e.dport);
    }
    p = Append(p, " dstintf=\"internal\" dstintfrole=\"lan\" sessionid=");
    p = WriteUint(p, SessionId(e));
    p = Append(p, " proto=");
    p = WriteUint(p, e.proto);
    p = Append(p, e.action == Action::kReject ? " action=\"reject\"" : " action=\"deny\"");
    p = Append(p, " policyid=0 policytype=\"policy\" service=\"");
    uint8_t type = static_cast<uint8_t>(e.sport), code = static_cast<uint8_t>(e.dport);
    if (ports) {
      p = Append(p, e.proto == kProtoTcp ? "tcp/" : "udp/");
      p = WriteUint(p, e.dport);
    } else if (icmp && e.proto == kProtoIcmp && type == 8 && code == 0) {
      p = Append(p, "PING");
    } else if (icmp) {
      p = Append(p, e.proto == kProtoIcmp ? "icmp/" : "icmp6/");
      p = WriteUint(p, type);
      *p++ = '/';
      p = WriteUint(p, code);
    } else {
      p = Append(p, "ip/");
      p = WriteUint(p, e.proto);
    }
    *p++ = '"';
    if (icmp) {
      // FortiOS writes these in hex: icmpid=0x1a2b icmptype=0x08 icmpcode=0x00.
      p = Append(p, " icmpid=0x");
      uint16_t id = static_cast<uint16_t>(e.seq >> 16);
      p = detail::WriteHexByteLower(p, static_cast<uint8_t>(id >> 8));
      p = detail::WriteHexByteLower(p, static_cast<uint8_t>(id));
      p = Append(p, " icmptype=0x");
      p = detail::WriteHexByteLower(p, type);
      p = Append(p, " icmpcode=0x");
      p = detail::WriteHexByteLower(p, code);
    }
    p = Append(p,
               " trandisp=\"noop\" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 appcat=\"unscanned\" "
               "crscore=30 craction=131072 crlevel=\"high\"\n");
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto;
    if (proto == kProtoTcp || proto == kProtoUdp || proto == kProtoIcmp ||
        proto == kProtoIpv6Icmp) {
      f |= fl::kSport | fl::kDport;
    }
    return f;
  }

  TimeUs TimeResolution() const override { return 1; }

 private:
  // FortiOS numbers sessions with a counter; a hash of the flow stands in.
  static uint32_t SessionId(const Event& e) {
    uint32_t h = static_cast<uint32_t>(e.time) ^ static_cast<uint32_t>(e.time >> 32);
    const auto& b = e.src.bytes();
    for (size_t i = 12; i < 16; ++i) h = h * 31 + b[i];
    return detail::Mix32(h ^ (uint32_t{e.sport} << 16 | e.dport)) % 100000000;
  }

  detail::DateCache date_;
  std::string head_;  // from devname= to eventtime=
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeFortigateWriter(const LogStyle& style) {
  return std::make_unique<FortigateWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
