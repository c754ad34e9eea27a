// windows_firewall writer: pfirewall.log, the W3C extended log Windows
// Firewall (XP SP2 and later) keeps in %windir%\system32\LogFiles\Firewall
// (docs/formats/windows_firewall.md). Begin() writes the header block
//
//   #Version: 1.5
//   #Software: Microsoft Windows Firewall
//   #Time Format: Local
//   #Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn
//   tcpack tcpwin icmptype icmpcode info path
//   (blank line)
//
// then one line per packet, '-' where a column has no value:
//
//   2002-03-02 15:32:54 DROP TCP 207.95.12.112 12.82.129.120 3504 6346 48 S 3993102904 0 5840
//   - - - RECEIVE
//
// Times are whole seconds in the machine's local time, which for the
// simulator is UTC (read back with --tz UTC, the default). The log names no
// host. Carried: time, addresses, protocol (TCP, UDP, ICMP, ICMPv6 by name,
// others as their number), TCP/UDP ports, ICMP type and code (in icmptype /
// icmpcode, not the port columns), size (the IP length), TCP flags (Windows'
// letters S A F P R U, plus E and C for ECE/CWR), sequence number (tcpsyn)
// and window. Not carried: the action (Windows drops or allows; DROP stands
// for drop, reject and no verdict alike). A non-first fragment has no
// transport header: '-' for its ports and TCP columns.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

constexpr std::string_view kHeader =
    "#Version: 1.5\n"
    "#Software: Microsoft Windows Firewall\n"
    "#Time Format: Local\n"
    "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn "
    "tcpack tcpwin icmptype icmpcode info path\n"
    "\n";

class WindowsFirewallWriter final : public LogWriter {
 public:
  explicit WindowsFirewallWriter(const LogStyle&) : date_(detail::DateCache::Form::kIso) {}

  void Begin(std::string* out) override { out->append(kHeader); }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, kMaxLine);
    char* p = span.begin();
    detail::SplitTime t = detail::Split(e.time);
    p = date_.Write(p, t.day);
    *p++ = ' ';
    p = detail::WriteClock(p, t.sec_of_day);
    p = Append(p, e.action == Action::kAllow ? " ALLOW " : " DROP ");
    switch (e.proto) {
      case kProtoTcp:
        p = Append(p, "TCP ");
        break;
      case kProtoUdp:
        p = Append(p, "UDP ");
        break;
      case kProtoIcmp:
        p = Append(p, "ICMP ");
        break;
      case kProtoIpv6Icmp:
        p = Append(p, "ICMPv6 ");
        break;
      default:
        p = WriteUint(p, e.proto);
        *p++ = ' ';
        break;
    }
    p = detail::WriteIp(p, e.src);
    *p++ = ' ';
    p = detail::WriteIp(p, e.dst);
    *p++ = ' ';
    const bool transport = !(e.ip_flags & ipf::kFragment);
    const bool ports = transport && (e.proto == kProtoTcp || e.proto == kProtoUdp);
    const bool icmp = transport && (e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp);
    if (ports) {
      p = WriteUint(p, e.sport);
      *p++ = ' ';
      p = WriteUint(p, e.dport);
      *p++ = ' ';
    } else {
      p = Append(p, "- - ");
    }
    p = WriteUint(p, e.ip_len);
    *p++ = ' ';
    if (transport && e.proto == kProtoTcp) {
      static constexpr struct {
        uint8_t bit;
        char letter;
      } kLetters[] = {{tcp::kSyn, 'S'}, {tcp::kAck, 'A'}, {tcp::kFin, 'F'}, {tcp::kPsh, 'P'},
                      {tcp::kRst, 'R'}, {tcp::kUrg, 'U'}, {tcp::kEce, 'E'}, {tcp::kCwr, 'C'}};
      char* flags = p;
      for (const auto& l : kLetters) {
        if (e.tcp_flags & l.bit) *p++ = l.letter;
      }
      if (p == flags) *p++ = '-';
      *p++ = ' ';
      p = WriteUint(p, e.seq);
      *p++ = ' ';
      p = WriteUint(p, (e.tcp_flags & tcp::kAck) ? detail::Mix32(e.seq ^ 0x5bd1e995u) : 0);
      *p++ = ' ';
      p = WriteUint(p, e.window);
      *p++ = ' ';
    } else {
      p = Append(p, "- - - - ");
    }
    if (icmp) {
      p = WriteUint(p, e.sport & 0xff);
      *p++ = ' ';
      p = WriteUint(p, e.dport & 0xff);
      *p++ = ' ';
    } else {
      p = Append(p, "- - ");
    }
    p = Append(p, "- RECEIVE\n");
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kIpLen;
    if (proto == kProtoTcp) {
      f |= fl::kSport | fl::kDport | fl::kFlags | fl::kSeq | fl::kWindow;
    } else if (proto == kProtoUdp || proto == kProtoIcmp || proto == kProtoIpv6Icmp) {
      f |= fl::kSport | fl::kDport;
    }
    return f;
  }

  TimeUs TimeResolution() const override { return kUsPerSecond; }

 private:
  // date 10, time 8, action 6, protocol 6, two addresses 39 each, ports, size,
  // flags 8, seq and ack 10 each, window, ICMP columns, info, path.
  static constexpr size_t kMaxLine = 256;

  detail::DateCache date_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeWindowsFirewallWriter(const LogStyle& style) {
  return std::make_unique<WindowsFirewallWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
