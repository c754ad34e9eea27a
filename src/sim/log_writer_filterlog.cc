// pfsense_filterlog writer: the CSV lines pfSense's and OPNsense's filterlog
// writes for every logged packet, in Netgate's "Raw Filter Log Format" field
// order (docs/formats/pfsense_filterlog.md):
//
//   pfSense, RFC 3164 (style header kRfc3164):
//   Jan 11 01:42:22 fw filterlog[4711]: 5,,,1000000103,em0,match,block,in,4,0x0,,52,4711,0,DF,
//   6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,S,1296947564,,65535,,mss;sackOK;TS;nop;wscale
//
//   OPNsense, RFC 5424 (kIso8601):
//   <134>1 2005-01-11T01:42:22.250000+00:00 fw filterlog 4711 - [meta sequenceId="1"] 75,,,
//   02f4bab031b57d1e30553ce08e0ec131,vtnet0,match,block,in,6,0x00,0x00000,64,TCP,6,20,2001:db8::1,...
//
// (each one line; an empty LogStyle::host leaves the host out, as pfSense's
// BSD-syslog forwarding does; RFC 5424 writes "-"). Carried: time (RFC 3164 seconds, RFC 5424
// microseconds), addresses, protocol, TTL / hop limit, IP length (IPv6: the
// payload length, read back + 40), IPv4 ID and DF / MF / fragment offset;
// TCP ports, flags (FSRPAUE, W for CWR), sequence number, window and option
// names (filterlog prints no option values: no mss or wscale); UDP ports.
//
// Not carried: the action (block stands for drop and reject alike, pass for
// allow, match for a rule with no verdict of its own), ICMP type and code
// (the parser knows a dozen of filterlog's ICMP words and no code beyond
// them; OPNsense prints only "datalength=N" for ICMP), the TCP data length
// (derived from the IP length; Event::payload_len is not written).
//
// Deviations from the real programs, where portstorm's parser would reject
// what they print (reported, not fixed here):
//  - pfSense's icmp.c appends the ICMP data length to the last ICMP field
//    without a comma ("request,33151,3264" for id 33151, seq 32, 64 bytes);
//    the parser reads "3264" as the sequence and rejects anything > 65535.
//    Lines here end after the sequence ("request,33151,32").
//  - pfSense prints "tstampreply, id,..." with a blank the parser rejects.
//  - A TCP or UDP non-first fragment is written with its port fields (the
//    parser needs them; filterlog has no header to print them from).
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

// Offset (bytes) written for ipf::kFragment: 185 8-byte units, as the other writers.
constexpr uint32_t kFragOffsetBytes = 185 * 8;

uint32_t OptionBytes(const Event& e) {
  uint32_t n = 0;
  for (int i = 0; i < 8; ++i) {
    auto o = static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf);
    if (o == TcpOpt::kEnd) break;
    switch (o) {
      case TcpOpt::kNop:
        n += 1;
        break;
      case TcpOpt::kMss:
        n += 4;
        break;
      case TcpOpt::kWscale:
        n += 3;
        break;
      case TcpOpt::kSack:
      case TcpOpt::kTimestamp:
        n += 10;
        break;
      default:
        n += 2;
        break;
    }
  }
  return (n + 3) / 4 * 4;
}

// IPv4 protocol words (getprotobynumber) and IPv6 ones (tcpdump's names).
std::string_view ProtoText(uint8_t proto, bool v6) {
  switch (proto) {
    case kProtoTcp:
      return v6 ? "TCP" : "tcp";
    case kProtoUdp:
      return v6 ? "UDP" : "udp";
    case kProtoIcmp:
      return "icmp";
    case kProtoIpv6Icmp:
      return "ICMPv6";
    case kProtoIgmp:
      return v6 ? "IGMP" : "igmp";
    case 41:
      return v6 ? "IPv6" : "ipv6";
    case 47:
      return v6 ? "GRE" : "gre";
    case 50:
      return v6 ? "ESP" : "esp";
    case 51:
      return v6 ? "AH" : "ah";
    case 103:
      return v6 ? "PIM" : "pim";
    case 112:
      return v6 ? "VRRP" : "carp";
    case 132:
      return v6 ? "SCTP" : "sctp";
    case 136:
      return v6 ? "UDPLite" : "udplite";
    default:
      return "unknown";
  }
}

class FilterlogWriter final : public LogWriter {
 public:
  explicit FilterlogWriter(const LogStyle& style)
      : opnsense_(style.header == SyslogHeader::kIso8601),
        stamp_(opnsense_, opnsense_ && style.host.empty() ? "-" : std::string_view(style.host),
               Tag(style)) {
    iface_ = style.iface.starts_with("ppp") ? "pppoe0" : opnsense_ ? "vtnet0" : "em0";
    max_line_ = stamp_.max_size() + iface_.size() + 400;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    if (opnsense_) p = Append(p, "<134>1 ");
    p = stamp_.Write(p, e.time);
    bool v6 = !e.src.is_v4() || !e.dst.is_v4();
    // rule, sub rule, anchor, tracker (pfSense's default deny rules, OPNsense's
    // rule labels), interface, reason
    const bool block = e.action == Action::kDrop || e.action == Action::kReject;
    if (opnsense_) {
      p = Append(p, block ? "75,,,02f4bab031b57d1e30553ce08e0ec131,"
                          : "80,,,fae559338f65e11c53669fc3642c93c2,");
    } else if (block) {
      p = Append(p, v6 ? "7,,,1000000105," : "5,,,1000000103,");
    } else {
      p = Append(p, "77,,,1420012345,");
    }
    p = Append(p, iface_);
    p = Append(p, ",match,");
    p = Append(p, block ? "block" : e.action == Action::kAllow ? "pass" : "match");
    p = Append(p, ",in,");
    p = v6 ? WriteIpv6Header(p, e) : WriteIpv4Header(p, e);
    uint32_t ihl = v6 ? 40 : 20;
    uint32_t l4 = e.ip_len > ihl ? e.ip_len - ihl : 0;  // the transport's bytes
    switch (e.proto) {
      case kProtoTcp:
        p = WriteTcp(p, e, l4);
        break;
      case kProtoUdp:
        p = WriteUint(p, e.sport);
        *p++ = ',';
        p = WriteUint(p, e.dport);
        *p++ = ',';
        p = WriteUint(p, l4);
        break;
      case kProtoIcmp:
        p = opnsense_ ? WriteDataLength(p, l4) : WriteIcmp(p, e);
        break;
      case kProtoIpv6Icmp:
        // pfSense prints nothing after the addresses (the line ends in ',').
        if (opnsense_) p = WriteDataLength(p, l4);
        break;
      default:
        p = WriteDataLength(p, l4);
        break;
    }
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kTtl | fl::kIpLen | fl::kIpId |
                 fl::kIpFlags;
    if (proto == kProtoTcp) {
      f |= fl::kSport | fl::kDport | fl::kFlags | fl::kSeq | fl::kWindow | fl::kTcpOpts;
    } else if (proto == kProtoUdp) {
      f |= fl::kSport | fl::kDport;
    }
    return f;
  }

  TimeUs TimeResolution() const override { return stamp_.resolution(); }

 private:
  static std::string Tag(const LogStyle& style) {
    uint32_t pid = 1000 + detail::TextHash(style.host) % 60000;
    // RFC 5424: APP-NAME, PROCID, MSGID and OPNsense's structured data.
    if (style.header == SyslogHeader::kIso8601) {
      return "filterlog " + std::to_string(pid) + " - [meta sequenceId=\"1\"] ";
    }
    return "filterlog[" + std::to_string(pid) + "]: ";
  }

  // 4,tos,ecn,ttl,id,offset,flags,proto id,proto text,length,src,dst,
  char* WriteIpv4Header(char* p, const Event& e) const {
    p = Append(p, "4,0x0,,");
    p = WriteUint(p, e.ttl);
    *p++ = ',';
    p = WriteUint(p, e.ip_id);
    *p++ = ',';
    p = WriteUint(p, (e.ip_flags & ipf::kFragment) ? kFragOffsetBytes : 0);
    *p++ = ',';
    bool df = e.ip_flags & ipf::kDf, mf = e.ip_flags & ipf::kMf;
    p = Append(p, df && mf ? "DF+MF" : df ? "DF" : mf ? "MF" : "none");
    *p++ = ',';
    p = WriteUint(p, e.proto);
    *p++ = ',';
    p = Append(p, ProtoText(e.proto, false));
    *p++ = ',';
    p = WriteUint(p, e.ip_len);
    *p++ = ',';
    p = detail::WriteIpv4(p, e.src.v4());
    *p++ = ',';
    p = detail::WriteIpv4(p, e.dst.v4());
    *p++ = ',';
    return p;
  }

  // 6,class,flow label,hop limit,proto text,proto id,payload length,src,dst,
  char* WriteIpv6Header(char* p, const Event& e) const {
    p = Append(p, "6,0x00,0x00000,");
    p = WriteUint(p, e.ttl);
    *p++ = ',';
    p = Append(p, ProtoText(e.proto, true));
    *p++ = ',';
    p = WriteUint(p, e.proto);
    *p++ = ',';
    p = WriteUint(p, e.ip_len > 40 ? e.ip_len - 40u : 0u);
    *p++ = ',';
    p = detail::WriteIpv6(p, e.src);
    *p++ = ',';
    p = detail::WriteIpv6(p, e.dst);
    *p++ = ',';
    return p;
  }

  // sport,dport,data length,flags,seq[:end],ack,window,urg,options
  static char* WriteTcp(char* p, const Event& e, uint32_t l4) {
    p = WriteUint(p, e.sport);
    *p++ = ',';
    p = WriteUint(p, e.dport);
    *p++ = ',';
    uint32_t hdr = 20 + OptionBytes(e);
    uint32_t data = l4 > hdr ? l4 - hdr : 0;
    p = WriteUint(p, data);
    *p++ = ',';
    static constexpr struct {
      uint8_t bit;
      char letter;
    } kLetters[] = {{tcp::kSyn, 'S'}, {tcp::kFin, 'F'}, {tcp::kRst, 'R'}, {tcp::kPsh, 'P'},
                    {tcp::kAck, 'A'}, {tcp::kUrg, 'U'}, {tcp::kEce, 'E'}, {tcp::kCwr, 'W'}};
    for (const auto& l : kLetters) {
      if (e.tcp_flags & l.bit) *p++ = l.letter;
    }
    *p++ = ',';
    p = WriteUint(p, e.seq);
    if (data > 0) {
      *p++ = ':';
      p = WriteUint(p, static_cast<uint32_t>(e.seq + data));
    }
    *p++ = ',';
    if (e.tcp_flags & tcp::kAck) p = WriteUint(p, detail::Mix32(e.seq ^ 0x5bd1e995u));
    *p++ = ',';
    p = WriteUint(p, e.window);
    *p++ = ',';
    if (e.tcp_flags & tcp::kUrg) *p++ = '0';
    *p++ = ',';
    bool first = true;
    for (int i = 0; i < 8; ++i) {
      auto o = static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf);
      if (o == TcpOpt::kEnd) break;
      if (!first) *p++ = ';';
      first = false;
      switch (o) {
        case TcpOpt::kNop:
          p = Append(p, "nop");
          break;
        case TcpOpt::kMss:
          p = Append(p, "mss");
          break;
        case TcpOpt::kWscale:
          p = Append(p, "wscale");
          break;
        case TcpOpt::kSackOk:
          p = Append(p, "sackOK");
          break;
        case TcpOpt::kSack:
          p = Append(p, "sack");
          break;
        case TcpOpt::kTimestamp:
          p = Append(p, "TS");
          break;
        default:
          p = Append(p, "unknown-34");  // TCP Fast Open cookie request
          break;
      }
    }
    return p;
  }

  static char* WriteDataLength(char* p, uint32_t n) {
    p = Append(p, "datalength=");
    return WriteUint(p, n);
  }

  // pfSense's icmp.c words for the ICMP type (without the data length it
  // glues on, see the header comment). Echo id and sequence come from
  // Event::seq (id << 16 | seq) as in the netfilter writer.
  static char* WriteIcmp(char* p, const Event& e) {
    uint8_t type = static_cast<uint8_t>(e.sport), code = static_cast<uint8_t>(e.dport);
    switch (type) {
      case 8:
      case 0:
      case 13:
        p = Append(p, type == 8 ? "request," : type == 0 ? "reply," : "tstamp,");
        p = WriteUint(p, e.seq >> 16);
        *p++ = ',';
        return WriteUint(p, e.seq & 0xffff);
      case 14:
        p = Append(p, "tstampreply,");
        p = WriteUint(p, e.seq >> 16);
        *p++ = ',';
        p = WriteUint(p, e.seq & 0xffff);
        // Originate, receive and transmit times: milliseconds since midnight.
        for (int i = 0; i < 3; ++i) {
          *p++ = ',';
          uint32_t ms = static_cast<uint32_t>((e.time / 1000) % 86'400'000) + 2 * i;
          p = detail::WriteClock(p, ms / 1000);
          *p++ = '.';
          p = detail::WritePadded(p, ms % 1000, 3, '0');
        }
        return p;
      case 3:
        // The quoted packet went from us (e.dst) to the sender of the error.
        switch (code) {
          case 2:
            p = Append(p, "unreachproto,");
            p = detail::WriteIpv4(p, e.src.v4());
            return Append(p, ",17");
          case 3:
            p = Append(p, "unreachport,");
            p = detail::WriteIpv4(p, e.src.v4());
            p = Append(p, ",UDP,");
            return WriteUint(p, 1024 + (e.seq >> 16) % 64512);
          case 4:
            p = Append(p, "needfrag,");
            p = detail::WriteIpv4(p, e.src.v4());
            return Append(p, ",1492");
          default:
            p = Append(p, "unreach,");
            return detail::WriteIcmpUnreachText(p, code, e.src);
        }
      case 5: {
        static constexpr std::string_view kRedirect[] = {"redirect ", "redirect ",
                                                         "redirect-tos ", "redirect-tos "};
        p = Append(p, "redirect,");
        p = Append(p, code < 4 ? kRedirect[code] : "redirect-?? ");
        p = detail::WriteIpv4(p, e.src.v4());
        p = Append(p, code < 4 && (code & 1) ? " to host " : " to net ");
        p = detail::WriteIpv4(p, e.dst.v4() ^ 0x7f);  // the gateway: a neighbour of ours
        return code < 4 ? p : Append(p, ",");
      }
      case 9:
        return Append(p, "routeradv30:00,1,");  // lifetime 1800 s, one address
      case 11:
        p = Append(p, "timexceed,");
        if (code == 0) return Append(p, "time exceeded in-transit");
        if (code == 1) return Append(p, "ip reassembly time exceeded");
        p = Append(p, "time exceeded-#");
        return WriteUint(p, code);
      case 12:
        if (code != 0) {
          p = Append(p, "paramprob, parameter problem - code ");
          return WriteUint(p, code);
        }
        return Append(p, "paramprob, parameter problem - octet 20");
      case 18:
        return Append(p, "maskreply, address mask is 0xffffff00");
      case 4:
        return Append(p, "source quench");
      case 10:
        return Append(p, "router solicitation");
      case 15:
        return Append(p, "information request");
      case 16:
        return Append(p, "information reply");
      case 17:
        return Append(p, "address mask request");
      default:
        return Append(p, "type-??");
    }
  }

  bool opnsense_;
  detail::SyslogStamp stamp_;
  std::string iface_;
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeFilterlogWriter(const LogStyle& style) {
  return std::make_unique<FilterlogWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
