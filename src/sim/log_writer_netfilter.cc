// netfilter writer: the lines the kernel's nf_log_syslog (iptables /
// ip6tables -j LOG, nftables `log`, ufw) prints, field for field:
//
//   <prefix>IN=eth0 OUT= MAC=<dst:src:type> SRC= DST= LEN= TOS=0x00 PREC=0x00 TTL= ID= [DF] [MF]
//   [FRAG:n] PROTO=TCP SPT= DPT= [SEQ= ACK=] WINDOW= RES=0x00 <flags> URGP=0 [OPT (hex)]
//
// with the kernel's trailing space before the newline. Values the Event does
// not hold (ICMP echo ID/SEQ, the quoted header inside ICMP errors, TCP
// timestamp and SACK bytes, ACK=, SPI=, IPv6 flow labels) are derived from
// the event's own fields, so a line is a function of its event alone.
// Parser side: docs/formats/netfilter.md.
#include <algorithm>
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteHexByteUpper;
using detail::WriteIpv4;
using detail::WriteIpv6Full;
using detail::WritePadded;
using detail::WriteUint;

constexpr uint8_t kProtoAh = 51, kProtoEsp = 50, kProtoUdplite = 136;
// Offset (8-byte units) written for ipf::kFragment: the second fragment of a
// packet cut at a 1500-byte MTU.
constexpr uint32_t kFragOffset = 185;

// Fills the values a line needs but an Event does not keep (murmur3 finaliser).
uint32_t Mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  return x ^ (x >> 16);
}

uint32_t AddrHash(const IpAddr& a) {
  const auto& b = a.bytes();
  uint32_t h = 0;
  for (size_t i = 0; i < 16; i += 4) {
    h = Mix(h ^
            (uint32_t{b[i]} << 24 | uint32_t{b[i + 1]} << 16 | uint32_t{b[i + 2]} << 8 | b[i + 3]));
  }
  return h;
}

std::string_view Verdict(NetfilterDialect d, Action a) {
  switch (d) {
    case NetfilterDialect::kIptables:
      switch (a) {
        case Action::kDrop:
          return "DROP ";
        case Action::kReject:
          return "REJECT ";
        case Action::kAllow:
          return "ACCEPT ";
        default:
          return "";  // a bare -j LOG rule
      }
    case NetfilterDialect::kUfw:
      // ufw logs its deny and reject policies alike as BLOCK.
      switch (a) {
        case Action::kDrop:
        case Action::kReject:
          return "[UFW BLOCK] ";
        case Action::kAllow:
          return "[UFW ALLOW] ";
        default:
          return "[UFW AUDIT] ";
      }
    case NetfilterDialect::kNftables:
      switch (a) {
        case Action::kDrop:
          return "nft drop in: ";
        case Action::kReject:
          return "nft reject in: ";
        case Action::kAllow:
          return "nft accept in: ";
        default:
          return "nft in: ";
      }
  }
  return "";
}

// Point-to-point and tunnel devices have no link-layer header: "MAC= ".
bool HasMac(std::string_view iface) {
  return !(iface.starts_with("ppp") || iface.starts_with("tun") || iface.starts_with("wg"));
}

class NetfilterWriter final : public LogWriter {
 public:
  explicit NetfilterWriter(const LogStyle& style)
      : style_(style),
        stamp_(style.header == SyslogHeader::kIso8601, style.host),
        uptime_(style.boot_time != 0 && style.header == SyslogHeader::kRfc3164) {
    // "IN=eth0 OUT= MAC=52:54:00:xx:xx:xx:00:0d:b9:yy:yy:yy:08:00 ": the
    // sensor's NIC and its upstream router, fixed per host name.
    uint32_t h = 2166136261u;
    for (char c : style.host) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    const uint32_t nic = h & 0xffffff, router = Mix(h) & 0xffffff;
    uint8_t mac[12] = {0x52, 0x54, 0x00, 0, 0, 0, 0x00, 0x0d, 0xb9, 0, 0, 0};
    for (int i = 0; i < 3; ++i) {
      mac[3 + i] = static_cast<uint8_t>(nic >> (16 - 8 * i));
      mac[9 + i] = static_cast<uint8_t>(router >> (16 - 8 * i));
    }
    size_t max_lead = 0;
    for (int v6 = 0; v6 < 2; ++v6) {
      std::string link = "IN=" + style.iface + " OUT= MAC=";
      if (HasMac(style.iface)) {
        char buf[64];
        char* p = buf;
        for (uint8_t b : mac) {
          p = detail::WriteHexByteLower(p, b);
          *p++ = ':';
        }
        p = Append(p, v6 ? "86:dd" : "08:00");
        link.append(buf, static_cast<size_t>(p - buf));
      }
      link += ' ';
      for (int a = 0; a < kActions; ++a) {
        std::string& lead = lead_[a][v6];
        lead = Verdict(style.dialect, static_cast<Action>(a));
        lead += link;
        max_lead = std::max(max_lead, lead.size());
      }
    }
    // Header + uptime + lead + the longest body (an ICMPv6 error quoting an
    // IPv6 header, or TCP with 40 option bytes) stays far below 1 KiB.
    max_line_ = stamp_.max_size() + 32 + max_lead + 1024;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = stamp_.Write(span.begin(), e.time);
    if (uptime_) p = WriteUptime(p, e.time);
    size_t a = static_cast<size_t>(e.action);
    if (a >= kActions) a = 0;
    bool v6 = !e.src.is_v4() || !e.dst.is_v4();
    p = Append(p, lead_[a][v6]);
    p = v6 ? WriteIpv6Packet(p, e) : WriteIpv4Packet(p, e);
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kTtl | fl::kIpLen | fl::kIpId |
                 fl::kIpFlags;
    // ufw writes its deny and reject policies alike as [UFW BLOCK].
    if (style_.dialect != NetfilterDialect::kUfw) f |= fl::kAction;
    switch (proto) {
      case kProtoTcp:
        f |= fl::kSport | fl::kDport | fl::kFlags | fl::kWindow;
        if (style_.tcp_options) f |= fl::kMss | fl::kWscale | fl::kTcpOpts;
        if (style_.tcp_sequence) f |= fl::kSeq;
        break;
      case kProtoUdp:
      case kProtoUdplite:
      case kProtoIcmp:
      case kProtoIpv6Icmp:
        f |= fl::kSport | fl::kDport;
        break;
      default:
        break;
    }
    return f;
  }

  TimeUs TimeResolution() const override { return stamp_.resolution(); }

 private:
  static constexpr int kActions = 5;  // Action values

  // "[%5lu.%06lu] ": the kernel's printk time, seconds since boot.
  char* WriteUptime(char* p, TimeUs t) const {
    TimeUs up = t - style_.boot_time;
    if (up < 0) up = 0;
    *p++ = '[';
    p = WritePadded(p, static_cast<uint64_t>(up / kUsPerSecond), 5, ' ');
    *p++ = '.';
    p = WritePadded(p, static_cast<uint64_t>(up % kUsPerSecond), 6, '0');
    return Append(p, "] ");
  }

  char* WriteIpv4Packet(char* p, const Event& e) const {
    p = Append(p, "SRC=");
    p = WriteIpv4(p, e.src.v4());
    p = Append(p, " DST=");
    p = WriteIpv4(p, e.dst.v4());
    p = Append(p, " LEN=");
    p = WriteUint(p, e.ip_len);
    p = Append(p, " TOS=0x00 PREC=0x00 TTL=");
    p = WriteUint(p, e.ttl);
    p = Append(p, " ID=");
    p = WriteUint(p, e.ip_id);
    *p++ = ' ';
    if (e.ip_flags & ipf::kDf) p = Append(p, "DF ");
    if (e.ip_flags & ipf::kMf) p = Append(p, "MF ");
    bool fragment = (e.ip_flags & ipf::kFragment) != 0;
    if (fragment) {
      p = Append(p, "FRAG:");
      p = WriteUint(p, kFragOffset);
      *p++ = ' ';
    }
    switch (e.proto) {
      case kProtoTcp:
        p = Append(p, "PROTO=TCP ");
        return fragment ? p : WriteTcp(p, e);
      case kProtoUdp:
      case kProtoUdplite:
        p = Append(p, e.proto == kProtoUdp ? "PROTO=UDP " : "PROTO=UDPLITE ");
        return fragment ? p : WriteUdp(p, e, e.ip_len >= 28 ? e.ip_len - 20u : 8u);
      case kProtoIcmp:
        p = Append(p, "PROTO=ICMP ");
        return fragment ? p : WriteIcmp(p, e);
      case kProtoAh:
        // (The kernel prints nothing at all for a non-first AH fragment; a
        // line without PROTO= would not be a record, so the name stays.)
        p = Append(p, "PROTO=AH ");
        return fragment ? p : WriteSpi(p, e);
      case kProtoEsp:
        p = Append(p, "PROTO=ESP ");
        return fragment ? p : WriteSpi(p, e);
      default:
        // SCTP, GRE, IGMP, ...: nf_log has no decoder for them.
        p = Append(p, "PROTO=");
        p = WriteUint(p, e.proto);
        *p++ = ' ';
        return p;
    }
  }

  char* WriteIpv6Packet(char* p, const Event& e) const {
    p = Append(p, "SRC=");
    p = WriteIpv6Full(p, e.src);
    p = Append(p, " DST=");
    p = WriteIpv6Full(p, e.dst);
    p = Append(p, " LEN=");
    p = WriteUint(p, e.ip_len);
    p = Append(p, " TC=0 HOPLIMIT=");
    p = WriteUint(p, e.ttl);
    // Linux picks a flow label per flow (auto_flowlabels).
    p = Append(p, " FLOWLBL=");
    p = WriteUint(p, Mix(AddrHash(e.src) ^ (uint32_t{e.sport} << 16 | e.dport)) & 0xfffff);
    *p++ = ' ';
    switch (e.proto) {
      case kProtoTcp:
        p = Append(p, "PROTO=TCP ");
        return WriteTcp(p, e);
      case kProtoUdp:
      case kProtoUdplite:
        p = Append(p, e.proto == kProtoUdp ? "PROTO=UDP " : "PROTO=UDPLITE ");
        return WriteUdp(p, e, e.ip_len >= 48 ? e.ip_len - 40u : 8u);
      case kProtoIpv6Icmp:
        p = Append(p, "PROTO=ICMPv6 ");
        return WriteIcmpv6(p, e);
      default:
        // (For ESP ip6tables prints no PROTO= at all unless IP options are
        // logged: it stops at the extension header. A line without PROTO=
        // would not be a record, so the number stays.)
        p = Append(p, "PROTO=");
        p = WriteUint(p, e.proto);
        *p++ = ' ';
        return p;
    }
  }

  static char* WriteUdp(char* p, const Event& e, uint32_t udp_len) {
    p = Append(p, "SPT=");
    p = WriteUint(p, e.sport);
    p = Append(p, " DPT=");
    p = WriteUint(p, e.dport);
    p = Append(p, " LEN=");
    p = WriteUint(p, udp_len);
    *p++ = ' ';
    return p;
  }

  static char* WriteSpi(char* p, const Event& e) {
    p = Append(p, "SPI=0x");
    p = detail::WriteHex(p, Mix(AddrHash(e.src) ^ e.seq) | 0x100);
    *p++ = ' ';
    return p;
  }

  char* WriteTcp(char* p, const Event& e) const {
    p = Append(p, "SPT=");
    p = WriteUint(p, e.sport);
    p = Append(p, " DPT=");
    p = WriteUint(p, e.dport);
    *p++ = ' ';
    if (style_.tcp_sequence) {
      p = Append(p, "SEQ=");
      p = WriteUint(p, e.seq);
      p = Append(p, " ACK=");
      p = WriteUint(p, (e.tcp_flags & tcp::kAck) ? Mix(e.seq ^ AddrHash(e.dst)) : 0);
      *p++ = ' ';
    }
    p = Append(p, "WINDOW=");
    p = WriteUint(p, e.window);
    p = Append(p, " RES=0x00 ");
    static constexpr struct {
      uint8_t bit;
      char name[5];
    } kFlags[] = {{tcp::kCwr, "CWR "}, {tcp::kEce, "ECE "}, {tcp::kUrg, "URG "},
                  {tcp::kAck, "ACK "}, {tcp::kPsh, "PSH "}, {tcp::kRst, "RST "},
                  {tcp::kSyn, "SYN "}, {tcp::kFin, "FIN "}};
    for (const auto& f : kFlags) {
      if (e.tcp_flags & f.bit) p = Append(p, std::string_view(f.name, 4));
    }
    p = Append(p, "URGP=0 ");
    if (style_.tcp_options) p = WriteTcpOptions(p, e);
    return p;
  }

  // The option bytes of e.tcp_opts in layout order, padded with EOL to a
  // multiple of four as the TCP header length requires. Options that would
  // not fit the 40 option bytes of a TCP header are left out.
  static char* WriteTcpOptions(char* p, const Event& e) {
    uint8_t b[40];
    size_t n = 0;
    for (int i = 0; i < 8; ++i) {
      auto o = static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf);
      if (o == TcpOpt::kEnd) break;
      size_t size;
      switch (o) {
        case TcpOpt::kNop:
          size = 1;
          break;
        case TcpOpt::kMss:
          size = 4;
          break;
        case TcpOpt::kWscale:
          size = e.wscale > 0 ? 3 : 2;
          break;
        case TcpOpt::kSackOk:
          size = 2;
          break;
        case TcpOpt::kSack:
          size = 10;
          break;
        case TcpOpt::kTimestamp:
          size = 10;
          break;
        default:
          size = 2;
          break;
      }
      if (n + size > sizeof b) break;
      uint8_t* q = b + n;
      n += size;
      switch (o) {
        case TcpOpt::kNop:
          q[0] = 1;
          break;
        case TcpOpt::kMss:
          q[0] = 2, q[1] = 4, q[2] = static_cast<uint8_t>(e.mss >> 8),
          q[3] = static_cast<uint8_t>(e.mss);
          break;
        case TcpOpt::kWscale:
          // Stored as shift + 1; a window-scale option without a value is
          // kept as a 2-byte option, which reads back the same way.
          q[0] = 3, q[1] = static_cast<uint8_t>(size);
          if (size == 3) q[2] = static_cast<uint8_t>(e.wscale - 1);
          break;
        case TcpOpt::kSackOk:
          q[0] = 4, q[1] = 2;
          break;
        case TcpOpt::kSack: {
          // One SACK block just above the sequence number.
          uint32_t left = e.seq + 1 + (Mix(e.seq) & 0xffff), right = left + 1448;
          q[0] = 5, q[1] = 10;
          for (int k = 0; k < 4; ++k) {
            q[2 + k] = static_cast<uint8_t>(left >> (24 - 8 * k));
            q[6 + k] = static_cast<uint8_t>(right >> (24 - 8 * k));
          }
          break;
        }
        case TcpOpt::kTimestamp: {
          // TSval: a millisecond clock with a per-host offset; TSecr only
          // echoes something once the peer has sent a timestamp (ACK set).
          uint32_t tsval = static_cast<uint32_t>(e.time / 1000) + AddrHash(e.src);
          uint32_t tsecr = (e.tcp_flags & tcp::kAck) ? Mix(tsval ^ AddrHash(e.dst)) : 0;
          q[0] = 8, q[1] = 10;
          for (int k = 0; k < 4; ++k) {
            q[2 + k] = static_cast<uint8_t>(tsval >> (24 - 8 * k));
            q[6 + k] = static_cast<uint8_t>(tsecr >> (24 - 8 * k));
          }
          break;
        }
        default:
          q[0] = 34, q[1] = 2;  // TCP Fast Open cookie request
          break;
      }
    }
    if (n == 0) return p;
    while (n % 4 != 0) b[n++] = 0;
    p = Append(p, "OPT (");
    for (size_t i = 0; i < n; ++i) p = WriteHexByteUpper(p, b[i]);
    return Append(p, ") ");
  }

  char* WriteIcmp(char* p, const Event& e) const {
    uint32_t type = e.sport & 0xff, code = e.dport & 0xff;
    p = Append(p, "TYPE=");
    p = WriteUint(p, e.sport);
    p = Append(p, " CODE=");
    p = WriteUint(p, e.dport);
    *p++ = ' ';
    switch (type) {
      case 0:  // echo reply
      case 8:  // echo request
        return WriteEchoIds(p, e);
      case 12:  // parameter problem
        return Append(p, "PARAMETER=0 ");
      case 5:  // redirect
        p = Append(p, "GATEWAY=");
        p = WriteIpv4(p, e.src.v4());
        *p++ = ' ';
        [[fallthrough]];
      case 3:   // destination unreachable
      case 4:   // source quench
      case 11:  // time exceeded
        *p++ = '[';
        p = WriteQuotedIpv4(p, e, type == 11);
        p = Append(p, "] ");
        if (type == 3 && code == 4) p = Append(p, "MTU=1492 ");
        return p;
      default:
        return p;
    }
  }

  char* WriteIcmpv6(char* p, const Event& e) const {
    uint32_t type = e.sport & 0xff;
    p = Append(p, "TYPE=");
    p = WriteUint(p, e.sport);
    p = Append(p, " CODE=");
    p = WriteUint(p, e.dport);
    *p++ = ' ';
    switch (type) {
      case 128:  // echo request
      case 129:  // echo reply
        return WriteEchoIds(p, e);
      case 4:  // parameter problem
        p = Append(p, "POINTER=00000006 ");
        [[fallthrough]];
      case 1:  // destination unreachable
      case 2:  // packet too big
      case 3:  // time exceeded
        *p++ = '[';
        p = WriteQuotedIpv6(p, e, type == 3);
        p = Append(p, "] ");
        if (type == 2) p = Append(p, "MTU=1280 ");
        return p;
      default:
        return p;
    }
  }

  // Echo identifier and sequence: the high and low half of Event::seq.
  static char* WriteEchoIds(char* p, const Event& e) {
    p = Append(p, "ID=");
    p = WriteUint(p, e.seq >> 16);
    p = Append(p, " SEQ=");
    p = WriteUint(p, e.seq & 0xffff);
    *p++ = ' ';
    return p;
  }

  // The header an ICMP error quotes: a UDP datagram the sensor's address
  // sent (or was spoofed as sending) to the error's source. The parser stops
  // at the '['; these values only have to look like a kernel's.
  static char* WriteQuotedIpv4(char* p, const Event& e, bool ttl_expired) {
    uint32_t h = Mix(e.ip_id ^ e.seq ^ AddrHash(e.src));
    uint32_t len = e.ip_len >= 56 ? e.ip_len - 28u : 40u;
    p = Append(p, "SRC=");
    p = WriteIpv4(p, e.dst.v4());
    p = Append(p, " DST=");
    p = WriteIpv4(p, e.src.v4());
    p = Append(p, " LEN=");
    p = WriteUint(p, len);
    p = Append(p, " TOS=0x00 PREC=0x00 TTL=");
    p = WriteUint(p, ttl_expired ? 1 : 40 + (h & 15));
    p = Append(p, " ID=");
    p = WriteUint(p, (h >> 8) & 0xffff);
    p = Append(p, " PROTO=UDP ");
    return WriteQuotedUdp(p, h, len - 20);
  }

  static char* WriteQuotedIpv6(char* p, const Event& e, bool hop_expired) {
    uint32_t h = Mix(e.seq ^ AddrHash(e.src));
    uint32_t len = e.ip_len >= 96 ? e.ip_len - 48u : 48u;
    p = Append(p, "SRC=");
    p = WriteIpv6Full(p, e.dst);
    p = Append(p, " DST=");
    p = WriteIpv6Full(p, e.src);
    p = Append(p, " LEN=");
    p = WriteUint(p, len);
    p = Append(p, " TC=0 HOPLIMIT=");
    p = WriteUint(p, hop_expired ? 1 : 40 + (h & 15));
    p = Append(p, " FLOWLBL=");
    p = WriteUint(p, (h >> 4) & 0xfffff);
    p = Append(p, " PROTO=UDP ");
    return WriteQuotedUdp(p, h, len - 40);
  }

  static char* WriteQuotedUdp(char* p, uint32_t h, uint32_t udp_len) {
    p = Append(p, "SPT=");
    p = WriteUint(p, 32768 + (h >> 17));
    p = Append(p, " DPT=");
    p = WriteUint(p, 33434 + ((h >> 3) & 63));  // traceroute's ports
    p = Append(p, " LEN=");
    p = WriteUint(p, udp_len);
    *p++ = ' ';
    return p;
  }

  LogStyle style_;
  detail::SyslogStamp stamp_;
  bool uptime_;
  std::string lead_[kActions][2];  // verdict prefix + "IN=.. OUT= MAC=.. ", per Action, v4/v6
  size_t max_line_ = 0;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeNetfilterWriter(const LogStyle& style) {
  return std::make_unique<NetfilterWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
