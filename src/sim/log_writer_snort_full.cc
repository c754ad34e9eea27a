// snort_full writer: snort's packet dump blocks, as `snort -v` prints them
// to a packet log (seed 004; docs/formats/snort_full.md), one block per event:
//
//   =+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   03/02-15:32:54.630347 207.95.12.112:3504 -> 12.82.129.120:6346
//   TCP TTL:117 TOS:0x0 ID:31988 IpLen:20 DgmLen:48 DF
//   ******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28
//   TCP Options (4) => MSS: 1460 NOP NOP SackOK
//   (blank line)
//
// The separator opens the block (as seed 004 quotes it) and a blank line ends
// it. The stamp has no year (snort without -y; the reader supplies it) and
// microseconds, UTC. After the IP line: a "Frag Offset:" line for fragments
// (MF or offset != 0; a non-first fragment has no transport header and no
// ports), then the transport header: TCP flags line ("12UAPRSF", '*' =
// clear) and options line, UDP "Len:" (the UDP payload length), ICMP
// "Type:n  Code:n" (echo ID and sequence from Event::seq, as the netfilter
// writer keeps them). Ports are printed for TCP, UDP and SCTP only. No
// payload dump: the Event keeps no payload beyond 8 bytes, so the lines are
// those of a packet without payload (-v), and the packet is logged, not
// alerted (no "[**]" header): the action reads back as the reader's default.
//
// A window-scale option without its shift byte (Event::wscale 0) has no
// text of its own in snort; it is printed "WS: 0" and reads back as shift 0
// (wscale 1).
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

constexpr std::string_view kSeparator =
    "=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+\n";

// Offset (8-byte units) written for ipf::kFragment, as the other writers.
constexpr uint16_t kFragOffset = 185;

// "%X": upper-case hex without leading zeros.
char* WriteHexUpper(char* p, uint32_t v) {
  int n = 1;
  for (uint32_t t = v >> 4; t != 0; t >>= 4) ++n;
  for (int i = n - 1; i >= 0; --i) {
    p[i] = detail::kHexUpper[v & 15];
    v >>= 4;
  }
  return p + n;
}

// "%04X"
char* WriteHex4Upper(char* p, uint16_t v) {
  p = detail::WriteHexByteUpper(p, static_cast<uint8_t>(v >> 8));
  return detail::WriteHexByteUpper(p, static_cast<uint8_t>(v));
}

uint32_t Mix(uint32_t x) {
  x *= 0x9E3779B1u;
  x ^= x >> 15;
  return x * 0x85EBCA77u;
}



// Address as snort prints it, with ":port" when the packet has ports.
char* WriteEndpoint(char* p, const IpAddr& a, bool ports, uint16_t port) {
  p = detail::WriteIp(p, a);
  if (ports) {
    *p++ = ':';
    p = WriteUint(p, port);
  }
  return p;
}

size_t OptionSize(TcpOpt o, const Event& e) {
  switch (o) {
    case TcpOpt::kNop:
      return 1;
    case TcpOpt::kMss:
      return 4;
    case TcpOpt::kWscale:
      return e.wscale > 0 ? 3 : 2;
    case TcpOpt::kSack:
    case TcpOpt::kTimestamp:
      return 10;
    default:
      return 2;
  }
}

// Option bytes of e.tcp_opts that fit a TCP header (40), and their count.
size_t OptionBytes(const Event& e, int* count) {
  size_t n = 0;
  *count = 0;
  for (int i = 0; i < 8; ++i) {
    auto o = static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf);
    if (o == TcpOpt::kEnd) break;
    size_t size = OptionSize(o, e);
    if (n + size > 40) break;
    n += size;
    ++*count;
  }
  return n;
}

class SnortFullWriter final : public LogWriter {
 public:
  explicit SnortFullWriter(const LogStyle&) {}

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, kMaxBlock);
    char* p = Append(span.begin(), kSeparator);
    detail::SplitTime s = detail::Split(e.time);
    if (s.day != day_) RenderDate(s.day);
    p = Append(p, std::string_view(date_, sizeof date_));
    p = detail::WriteClock(p, s.sec_of_day);
    *p++ = '.';
    p = detail::WritePadded(p, s.micros, 6, '0');
    *p++ = ' ';
    bool fragment = (e.ip_flags & ipf::kFragment) != 0;
    bool ports = detail::HasTransportPorts(e.proto) && !fragment;
    p = WriteEndpoint(p, e.src, ports, e.sport);
    p = Append(p, " -> ");
    p = WriteEndpoint(p, e.dst, ports, e.dport);
    *p++ = '\n';

    // IP header.
    uint16_t ihl = e.src.is_v4() ? 20 : 40;
    p = detail::WriteSnortProto(p, e.proto);
    p = Append(p, " TTL:");
    p = WriteUint(p, e.ttl);
    p = Append(p, " TOS:0x0 ID:");
    p = WriteUint(p, e.ip_id);
    p = Append(p, " IpLen:");
    p = WriteUint(p, ihl);
    p = Append(p, " DgmLen:");
    p = WriteUint(p, e.ip_len);
    if (e.ip_flags & ipf::kDf) p = Append(p, " DF");
    if (e.ip_flags & ipf::kMf) p = Append(p, " MF");
    *p++ = '\n';
    if (e.ip_flags & (ipf::kMf | ipf::kFragment)) {
      p = Append(p, "Frag Offset: 0x");
      p = WriteHex4Upper(p, fragment ? kFragOffset : 0);
      p = Append(p, "   Frag Size: 0x");
      p = WriteHex4Upper(p, static_cast<uint16_t>(e.ip_len > ihl ? e.ip_len - ihl : 0));
      *p++ = '\n';
    }

    if (!fragment) {
      if (e.proto == kProtoTcp) {
        p = WriteTcp(p, e);
      } else if (e.proto == kProtoUdp) {
        p = Append(p, "Len: ");
        p = WriteUint(p, e.ip_len > ihl + 8 ? e.ip_len - ihl - 8 : 0);
        *p++ = '\n';
      } else if (e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp) {
        p = WriteIcmp(p, e);
      }
    }
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kTtl | fl::kIpLen |
                 fl::kIpId | fl::kIpFlags;
    if (detail::HasTransportPorts(proto) || proto == kProtoIcmp || proto == kProtoIpv6Icmp)
      f |= fl::kSport | fl::kDport;
    if (proto == kProtoTcp)
      f |= fl::kFlags | fl::kSeq | fl::kWindow | fl::kMss | fl::kWscale | fl::kTcpOpts;
    return f;
  }

  TimeUs TimeResolution() const override { return 1; }

 private:
  // Separator 75, stamp line ~110 (IPv6), IP line ~80, frag line 40, TCP
  // line ~90, options line: 8 options of at most ~30 characters.
  static constexpr size_t kMaxBlock = 800;

  // "******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28" + options.
  static char* WriteTcp(char* p, const Event& e) {
    static constexpr char kLetters[] = "12UAPRSF";
    for (int i = 0; i < 8; ++i) *p++ = (e.tcp_flags >> (7 - i)) & 1 ? kLetters[i] : '*';
    p = Append(p, " Seq: 0x");
    p = WriteHexUpper(p, e.seq);
    p = Append(p, "  Ack: 0x");
    p = WriteHexUpper(p, (e.tcp_flags & tcp::kAck) ? Mix(e.seq) : 0);
    p = Append(p, "  Win: 0x");
    p = WriteHexUpper(p, e.window);
    int count;
    size_t opt_bytes = OptionBytes(e, &count);
    p = Append(p, "  TcpLen: ");
    p = WriteUint(p, 20 + (opt_bytes + 3) / 4 * 4);
    if (e.tcp_flags & tcp::kUrg) p = Append(p, "  UrgPtr: 0x0");
    *p++ = '\n';
    if (count == 0) return p;
    p = Append(p, "TCP Options (");
    p = WriteUint(p, static_cast<uint32_t>(count));
    p = Append(p, ") => ");
    for (int i = 0; i < count; ++i) {
      switch (static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf)) {
        case TcpOpt::kNop:
          p = Append(p, "NOP ");
          break;
        case TcpOpt::kMss:
          p = Append(p, "MSS: ");
          p = WriteUint(p, e.mss);
          *p++ = ' ';
          break;
        case TcpOpt::kWscale:
          p = Append(p, "WS: ");
          p = WriteUint(p, e.wscale > 0 ? e.wscale - 1 : 0);
          *p++ = ' ';
          break;
        case TcpOpt::kSackOk:
          p = Append(p, "SackOK ");
          break;
        case TcpOpt::kSack: {
          // One SACK block just above the sequence number.
          uint32_t left = e.seq + 1 + (Mix(e.seq) & 0xffff);
          p = Append(p, "Sack: ");
          p = WriteUint(p, left);
          *p++ = '@';
          p = WriteUint(p, left + 1448);
          *p++ = ' ';
          break;
        }
        case TcpOpt::kTimestamp:
          // TSval: a millisecond clock; TSecr echoes only once ACK is set.
          p = Append(p, "TS: ");
          p = WriteUint(p, static_cast<uint32_t>(e.time / 1000));
          *p++ = ' ';
          p = WriteUint(p, (e.tcp_flags & tcp::kAck) ? Mix(e.seq ^ 0x5bd1e995u) : 0);
          *p++ = ' ';
          break;
        default:
          p = Append(p, "Opt 34 (2): ");  // TCP Fast Open cookie request
          break;
      }
    }
    *p++ = '\n';
    return p;
  }

  // "Type:8  Code:0  ID:51318   Seq:10  ECHO"
  static char* WriteIcmp(char* p, const Event& e) {
    // Type and code are bytes on the wire.
    uint8_t type = static_cast<uint8_t>(e.sport), code = static_cast<uint8_t>(e.dport);
    p = Append(p, "Type:");
    p = WriteUint(p, type);
    p = Append(p, "  Code:");
    p = WriteUint(p, code);
    bool v4 = e.proto == kProtoIcmp;
    bool request = v4 ? type == 8 : type == 128;
    bool reply = v4 ? type == 0 : type == 129;
    if ((request || reply) && code == 0) {
      p = Append(p, "  ID:");
      p = WriteUint(p, e.seq >> 16);
      p = Append(p, "   Seq:");
      p = WriteUint(p, e.seq & 0xffff);
      p = Append(p, request ? "  ECHO" : "  ECHO REPLY");
    }
    *p++ = '\n';
    return p;
  }

  // "MM/DD-"
  void RenderDate(int64_t day) {
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    char* p = detail::Write2(date_, static_cast<uint32_t>(m));
    *p++ = '/';
    p = detail::Write2(p, static_cast<uint32_t>(d));
    *p = '-';
    day_ = day;
  }

  int64_t day_ = INT64_MIN;
  char date_[6] = {};
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeSnortFullWriter(const LogStyle& style) {
  return std::make_unique<SnortFullWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
