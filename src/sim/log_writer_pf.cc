// pf writer: pflog packets as tcpdump prints them (docs/formats/pf.md). The
// style's header picks the tcpdump:
//
//   kRfc3164: OpenBSD `tcpdump -n -e -ttt -v -r /var/log/pflog`
//   Mar 02 15:32:54.630347 rule 2/(match) block in on em0: 207.95.12.112.3504 >
//   12.82.129.120.6346: S 3993102904:3993102904(0) win 5840 <mss 1460,nop,nop,sackOK> (DF)
//   (ttl 117, id 31988, len 48)
//
//   kIso8601: tcpdump.org (FreeBSD, pfSense) `tcpdump -n -e -tttt -r`
//   2002-03-02 15:32:54.630347 rule 2/0(match): block in on em0: 207.95.12.112.3504 >
//   12.82.129.120.6346: Flags [S], seq 3993102904, win 5840, options [mss 1460,nop,nop,sackOK],
//   length 0
//
// each on one line. With a LogStyle::host the line is what `tcpdump -l ... |
// logger -t pf` leaves in syslog: "Mar  2 15:32:54 fw pf: <tcpdump line>"
// (the syslog header in the style's form; the packet's own stamp decides the
// time). Times are microseconds.
//
// Carried: time, addresses, protocol, TCP/UDP ports, TCP flags (old form:
// letters SFRPWE or '.', ACK from "ack", URG from "urg"; new form: Flags
// [S.EW]), window and options (mss and wscale values, option kinds); with
// OpenBSD's -v also TTL / hop limit, IP length, IPv4 ID, DF, MF and fragment
// offset ("(frag id:len@off+)"). Not carried: the action (pf logs "block"
// for drop and "block return" alike; "match" for a rule without a verdict),
// the sequence number (tcpdump prints it only for SYN/FIN/RST or data), ICMP
// type and code (the parser maps a dozen texts back and no codes beyond
// them); OpenBSD prints no protocol for a non-first fragment.
//
// Packets tcpdump has no printer for here are written with its generic
// "ip-proto-N len" (the real programs decode GRE, ESP, AH, IGMP, PIM).
// Deviation: for a TTL <= 1 OpenBSD writes "[ttl 1]" and leaves ttl out of
// the -v group; the parser then skips the group ("(id 1, len 48)": first word
// not ttl/len) and loses ID and length, so the TTL stays in the group. A
// SACK option is printed "sack 1 {l:r}" even without ACK, where OpenBSD says
// "malformed sack" (which would read back as an unknown option).
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

// Offset (8-byte units) written for ipf::kFragment, as the other writers.
constexpr uint32_t kFragOffset = 185;

size_t OptionSize(TcpOpt o) {
  switch (o) {
    case TcpOpt::kNop:
      return 1;
    case TcpOpt::kMss:
      return 4;
    case TcpOpt::kWscale:
      return 3;
    case TcpOpt::kSack:
    case TcpOpt::kTimestamp:
      return 10;
    default:
      return 2;
  }
}

class PfWriter final : public LogWriter {
 public:
  explicit PfWriter(const LogStyle& style)
      : openbsd_(style.header == SyslogHeader::kRfc3164),
        syslog_(!style.host.empty()),
        stamp_(!openbsd_, style.host, "pf: ") {
    iface_ = style.iface.starts_with("ppp") ? "pppoe0" : "em0";
    // tcpdump line: ~500 for IPv6 TCP with eight long options.
    max_line_ = stamp_.max_size() + iface_.size() + 700;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    if (syslog_) p = stamp_.Write(p, e.time);
    p = WriteTcpdumpStamp(p, e.time);
    const bool block = e.action == Action::kDrop || e.action == Action::kReject;
    std::string_view verdict = block ? "block" : e.action == Action::kAllow ? "pass" : "match";
    p = Append(p, "rule ");
    p = Append(p, block ? "2" : e.action == Action::kAllow ? "7" : "1");
    p = Append(p, openbsd_ ? "/(match) " : "/0(match): ");
    p = Append(p, verdict);
    p = Append(p, " in on ");
    p = Append(p, iface_);
    p = Append(p, ": ");
    p = openbsd_ ? WriteOpenBsdPacket(p, e) : WriteTcpdumpOrgPacket(p, e);
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto;
    if (openbsd_) f |= fl::kTtl | fl::kIpLen | fl::kIpId | fl::kIpFlags;
    if (proto == kProtoTcp) {
      f |= fl::kSport | fl::kDport | fl::kFlags | fl::kWindow | fl::kMss | fl::kWscale |
           fl::kTcpOpts;
    } else if (proto == kProtoUdp) {
      f |= fl::kSport | fl::kDport;
    }
    return f;
  }

  TimeUs TimeResolution() const override { return 1; }

 private:
  static bool IsV6(const Event& e) { return !e.src.is_v4() || !e.dst.is_v4(); }

  // OpenBSD -ttt "%b %d %T.%06u" (day zero-padded), tcpdump.org -tttt "%Y-%m-%d %T.%06u".
  char* WriteTcpdumpStamp(char* p, TimeUs t) {
    detail::SplitTime s = detail::Split(t);
    if (s.day != day_) RenderDate(s.day);
    p = Append(p, std::string_view(date_, date_len_));
    p = detail::WriteClock(p, s.sec_of_day);
    *p++ = '.';
    p = detail::WritePadded(p, s.micros, 6, '0');
    *p++ = ' ';
    return p;
  }

  void RenderDate(int64_t day) {
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    char* p = date_;
    if (openbsd_) {
      p = Append(p, detail::MonthAbbrev(m));
      *p++ = ' ';
      p = detail::Write2(p, static_cast<uint32_t>(d));
    } else {
      p = detail::WritePadded(p, static_cast<uint64_t>(y < 0 ? 0 : y % 10000), 4, '0');
      *p++ = '-';
      p = detail::Write2(p, static_cast<uint32_t>(m));
      *p++ = '-';
      p = detail::Write2(p, static_cast<uint32_t>(d));
    }
    *p++ = ' ';
    date_len_ = static_cast<uint8_t>(p - date_);
    day_ = day;
  }

  static char* WriteAddrPort(char* p, const IpAddr& a, uint16_t port) {
    p = detail::WriteIp(p, a);
    *p++ = '.';
    return WriteUint(p, port);
  }

  // "src.sport > dst.dport: " or "src > dst: "
  static char* WriteAddresses(char* p, const Event& e, bool ports) {
    if (ports) {
      p = WriteAddrPort(p, e.src, e.sport);
      p = Append(p, " > ");
      p = WriteAddrPort(p, e.dst, e.dport);
    } else {
      p = detail::WriteIp(p, e.src);
      p = Append(p, " > ");
      p = detail::WriteIp(p, e.dst);
    }
    return Append(p, ": ");
  }

  // Bytes after the IP header (IPv6: the payload length).
  static uint32_t L4Length(const Event& e) {
    uint32_t ihl = IsV6(e) ? 40 : 20;
    return e.ip_len > ihl ? e.ip_len - ihl : 0;
  }

  static uint32_t TcpHeaderLength(const Event& e) {
    size_t n = 0;
    for (int i = 0; i < 8; ++i) {
      auto o = static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf);
      if (o == TcpOpt::kEnd) break;
      n += OptionSize(o);
    }
    return static_cast<uint32_t>(20 + (n + 3) / 4 * 4);
  }

  static uint32_t TcpDataLength(const Event& e) {
    uint32_t l4 = L4Length(e), hdr = TcpHeaderLength(e);
    return l4 > hdr ? l4 - hdr : 0;
  }

  static uint32_t AckOf(const Event& e) { return detail::Mix32(e.seq ^ 0x5bd1e995u); }

  // --- OpenBSD (print-ip.c, print-tcp.c of OpenBSD's tcpdump) ---

  char* WriteOpenBsdPacket(char* p, const Event& e) const {
    const bool v6 = IsV6(e);
    const bool later_fragment = !v6 && (e.ip_flags & ipf::kFragment);
    const bool fragmented = !v6 && (e.ip_flags & (ipf::kFragment | ipf::kMf));
    if (later_fragment) {
      p = WriteAddresses(p, e, false);
      --p;  // "src > dst:" and then " (frag ...)"
    } else {
      switch (e.proto) {
        case kProtoTcp:
          p = WriteAddresses(p, e, true);
          p = WriteOldTcp(p, e);
          break;
        case kProtoUdp:
          p = WriteAddresses(p, e, true);
          p = Append(p, "udp ");
          p = WriteUint(p, L4Length(e) > 8 ? L4Length(e) - 8 : 0);
          break;
        case kProtoIcmp:
          p = WriteAddresses(p, e, false);
          p = Append(p, "icmp: ");
          p = WriteIcmpText(p, e, /*tcpdump_org=*/false);
          break;
        case kProtoIpv6Icmp:
          p = WriteAddresses(p, e, false);
          p = Append(p, "icmp6: ");
          p = WriteIcmp6Text(p, e);
          break;
        default:
          p = WriteAddresses(p, e, false);
          p = Append(p, "ip-proto-");
          p = WriteUint(p, e.proto);
          *p++ = ' ';
          p = WriteUint(p, L4Length(e));
          break;
      }
    }
    if (v6) {
      p = Append(p, " (len ");
      p = WriteUint(p, L4Length(e));
      p = Append(p, ", hlim ");
      p = WriteUint(p, e.ttl);
      *p++ = ')';
      return p;
    }
    if (fragmented) {
      p = Append(p, " (frag ");
      p = WriteUint(p, e.ip_id);
      *p++ = ':';
      p = WriteUint(p, L4Length(e));
      *p++ = '@';
      p = WriteUint(p, later_fragment ? kFragOffset * 8 : 0);
      if (e.ip_flags & ipf::kMf) *p++ = '+';
      *p++ = ')';
    }
    if (e.ip_flags & ipf::kDf) p = Append(p, " (DF)");
    // -v: "(ttl 52, id 4711, len 48)"; a fragment's ID is in its frag group.
    p = Append(p, " (ttl ");
    p = WriteUint(p, e.ttl);
    if (!fragmented) {
      p = Append(p, ", id ");
      p = WriteUint(p, e.ip_id);
    }
    p = Append(p, ", len ");
    p = WriteUint(p, e.ip_len);
    *p++ = ')';
    return p;
  }

  // "S 1:1(0) ack 2 win 65535 urg 0 <mss 1460,nop>"
  static char* WriteOldTcp(char* p, const Event& e) {
    uint8_t f = e.tcp_flags;
    if (f & (tcp::kSyn | tcp::kFin | tcp::kRst | tcp::kPsh | tcp::kEce | tcp::kCwr)) {
      if (f & tcp::kSyn) *p++ = 'S';
      if (f & tcp::kFin) *p++ = 'F';
      if (f & tcp::kRst) *p++ = 'R';
      if (f & tcp::kPsh) *p++ = 'P';
      if (f & tcp::kCwr) *p++ = 'W';
      if (f & tcp::kEce) *p++ = 'E';
    } else {
      *p++ = '.';
    }
    uint32_t data = TcpDataLength(e);
    if (data > 0 || (f & (tcp::kSyn | tcp::kFin | tcp::kRst))) {
      *p++ = ' ';
      p = WriteUint(p, e.seq);
      *p++ = ':';
      p = WriteUint(p, static_cast<uint32_t>(e.seq + data));
      *p++ = '(';
      p = WriteUint(p, data);
      *p++ = ')';
    }
    if (f & tcp::kAck) {
      p = Append(p, " ack ");
      p = WriteUint(p, AckOf(e));
    }
    p = Append(p, " win ");
    p = WriteUint(p, e.window);
    if (f & tcp::kUrg) p = Append(p, " urg 0");
    if (e.tcp_opts != 0) {
      p = Append(p, " <");
      p = WriteOptions(p, e, /*tcpdump_org=*/false);
      *p++ = '>';
    }
    return p;
  }

  // --- tcpdump.org (print-ip.c, print-tcp.c of tcpdump 4.x) ---

  char* WriteTcpdumpOrgPacket(char* p, const Event& e) const {
    if (!IsV6(e) && (e.ip_flags & ipf::kFragment)) {
      // A later fragment: no transport header, the protocol number only.
      p = WriteAddresses(p, e, false);
      p = Append(p, "ip-proto-");
      return WriteUint(p, e.proto);
    }
    switch (e.proto) {
      case kProtoTcp:
        p = WriteAddresses(p, e, true);
        return WriteNewTcp(p, e);
      case kProtoUdp:
        p = WriteAddresses(p, e, true);
        p = Append(p, "UDP, length ");
        return WriteUint(p, L4Length(e) > 8 ? L4Length(e) - 8 : 0);
      case kProtoIcmp:
        p = WriteAddresses(p, e, false);
        p = Append(p, "ICMP ");
        p = WriteIcmpText(p, e, /*tcpdump_org=*/true);
        p = Append(p, ", length ");
        return WriteUint(p, L4Length(e));
      case kProtoIpv6Icmp:
        p = WriteAddresses(p, e, false);
        p = Append(p, "ICMP6, ");
        p = WriteIcmp6Text(p, e);
        p = Append(p, ", length ");
        return WriteUint(p, L4Length(e));
      default:
        p = WriteAddresses(p, e, false);
        p = Append(p, "ip-proto-");
        p = WriteUint(p, e.proto);
        *p++ = ' ';
        return WriteUint(p, L4Length(e));
    }
  }

  // "Flags [S.], seq 1:101, ack 2, win 65535, urg 0, options [mss 1460,nop], length 100"
  static char* WriteNewTcp(char* p, const Event& e) {
    uint8_t f = e.tcp_flags;
    p = Append(p, "Flags [");
    if (f == 0) {
      p = Append(p, "none");
    } else {
      static constexpr struct {
        uint8_t bit;
        char letter;
      } kLetters[] = {{tcp::kFin, 'F'}, {tcp::kSyn, 'S'}, {tcp::kRst, 'R'}, {tcp::kPsh, 'P'},
                      {tcp::kAck, '.'}, {tcp::kUrg, 'U'}, {tcp::kEce, 'E'}, {tcp::kCwr, 'W'}};
      for (const auto& l : kLetters) {
        if (f & l.bit) *p++ = l.letter;
      }
    }
    *p++ = ']';
    uint32_t data = TcpDataLength(e);
    if (data > 0 || (f & (tcp::kSyn | tcp::kFin | tcp::kRst))) {
      p = Append(p, ", seq ");
      p = WriteUint(p, e.seq);
      if (data > 0) {
        *p++ = ':';
        p = WriteUint(p, static_cast<uint32_t>(e.seq + data));
      }
    }
    if (f & tcp::kAck) {
      p = Append(p, ", ack ");
      p = WriteUint(p, AckOf(e));
    }
    p = Append(p, ", win ");
    p = WriteUint(p, e.window);
    if (f & tcp::kUrg) p = Append(p, ", urg 0");
    if (e.tcp_opts != 0) {
      p = Append(p, ", options [");
      p = WriteOptions(p, e, /*tcpdump_org=*/true);
      *p++ = ']';
    }
    p = Append(p, ", length ");
    return WriteUint(p, data);
  }

  // Options in layout order, comma-separated, with tcpdump's words; "eol"
  // where the header pads with end-of-list bytes.
  static char* WriteOptions(char* p, const Event& e, bool tcpdump_org) {
    size_t bytes = 0;
    bool first = true;
    for (int i = 0; i < 8; ++i) {
      auto o = static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf);
      if (o == TcpOpt::kEnd) break;
      bytes += OptionSize(o);
      if (!first) *p++ = ',';
      first = false;
      switch (o) {
        case TcpOpt::kNop:
          p = Append(p, "nop");
          break;
        case TcpOpt::kMss:
          p = Append(p, "mss ");
          p = WriteUint(p, e.mss);
          break;
        case TcpOpt::kWscale:
          // A window-scale option without its shift byte (wscale 0) reads as shift 0.
          p = Append(p, "wscale ");
          p = WriteUint(p, e.wscale > 0 ? e.wscale - 1u : 0u);
          break;
        case TcpOpt::kSackOk:
          p = Append(p, "sackOK");
          break;
        case TcpOpt::kSack: {
          uint32_t left = e.seq + 1 + (detail::Mix32(e.seq) & 0xffff);
          p = Append(p, "sack 1 {");
          p = WriteUint(p, left);
          *p++ = ':';
          p = WriteUint(p, left + 1448);
          *p++ = '}';
          break;
        }
        case TcpOpt::kTimestamp: {
          uint32_t tsval = static_cast<uint32_t>(e.time / 1000);
          uint32_t tsecr = (e.tcp_flags & tcp::kAck) ? detail::Mix32(tsval) : 0;
          p = Append(p, tcpdump_org ? "TS val " : "timestamp ");
          p = WriteUint(p, tsval);
          p = Append(p, tcpdump_org ? " ecr " : " ");
          p = WriteUint(p, tsecr);
          break;
        }
        default:  // TCP Fast Open cookie request (kind 34)
          p = Append(p, tcpdump_org ? "tfo cookiereq" : "opt-34:");
          break;
      }
    }
    if (bytes % 4 != 0) p = Append(p, ",eol");
    return p;
  }

  // --- ICMP texts (tcpdump's icmp_print) ---

  static char* WriteIcmpText(char* p, const Event& e, bool tcpdump_org) {
    uint8_t type = static_cast<uint8_t>(e.sport), code = static_cast<uint8_t>(e.dport);
    switch (type) {
      case 0:
      case 8:
        p = Append(p, type == 8 ? "echo request" : "echo reply");
        if (tcpdump_org) {
          p = Append(p, ", id ");
          p = WriteUint(p, e.seq >> 16);
          p = Append(p, ", seq ");
          p = WriteUint(p, e.seq & 0xffff);
        }
        return p;
      case 3:
        // The quoted packet went from us (e.dst) to the sender of the error.
        if (code < 2 || code > 4) return detail::WriteIcmpUnreachText(p, code, e.src);
        p = detail::WriteIp(p, e.src);
        if (code == 2) return Append(p, " protocol 17 unreachable");
        if (code == 4) return Append(p, " unreachable - need to frag (mtu 1492)");
        p = Append(p, " udp port ");
        p = WriteUint(p, 1024 + (e.seq >> 16) % 64512);
        return Append(p, " unreachable");
      default:
        break;
    }
    return WriteIcmpOtherText(p, e, type, code);
  }

  static char* WriteIcmpOtherText(char* p, const Event& e, uint8_t type, uint8_t code) {
    switch (type) {
      case 4:
        return Append(p, "source quench");
      case 5:
        p = Append(p, code >= 2 && code <= 3 ? "redirect-tos " : "redirect ");
        p = detail::WriteIp(p, e.src);
        p = Append(p, code & 1 ? " to host " : " to net ");
        return detail::WriteIpv4(p, e.dst.v4() ^ 0x7f);  // the gateway: a neighbour of ours
      case 9:
        return Append(p, "router advertisement");
      case 10:
        return Append(p, "router solicitation");
      case 11:
        if (code == 0) return Append(p, "time exceeded in-transit");
        if (code == 1) return Append(p, "ip reassembly time exceeded");
        p = Append(p, "time exceeded-#");
        return WriteUint(p, code);
      case 12:
        if (code != 0) {
          p = Append(p, "parameter problem - code ");
          return WriteUint(p, code);
        }
        return Append(p, "parameter problem - octet 20");
      case 13:
        return Append(p, "time stamp query");
      case 14:
        return Append(p, "time stamp reply");
      case 15:
        return Append(p, "information request");
      case 16:
        return Append(p, "information reply");
      case 17:
        return Append(p, "address mask request");
      case 18:
        return Append(p, "address mask is 0xffffff00");
      default:
        p = Append(p, "type-#");
        return WriteUint(p, type);
    }
  }

  static char* WriteIcmp6Text(char* p, const Event& e) {
    uint8_t type = static_cast<uint8_t>(e.sport);
    switch (type) {
      case 128:
      case 129:
        p = Append(p, type == 128 ? "echo request, id " : "echo reply, id ");
        p = WriteUint(p, e.seq >> 16);
        p = Append(p, ", seq ");
        return WriteUint(p, e.seq & 0xffff);
      case 1:
        p = detail::WriteIp(p, e.src);
        return Append(p, " unreachable");
      case 2:
        return Append(p, "packet too big, mtu 1280");
      case 3:
        return Append(p, "time exceeded in-transit");
      case 4:
        return Append(p, "parameter problem");
      case 133:
        return Append(p, "router solicitation");
      case 134:
        return Append(p, "router advertisement");
      case 135:
        return Append(p, "neighbor solicitation");
      case 136:
        return Append(p, "neighbor advertisement");
      default:
        p = Append(p, "type-#");
        return WriteUint(p, type);
    }
  }

  bool openbsd_;
  bool syslog_;
  detail::SyslogStamp stamp_;
  std::string iface_;
  size_t max_line_;
  int64_t day_ = INT64_MIN;
  char date_[16] = {};
  uint8_t date_len_ = 0;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakePfWriter(const LogStyle& style) {
  return std::make_unique<PfWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
