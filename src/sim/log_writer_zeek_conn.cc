// zeek_conn writer: Zeek's conn.log in its default tab-separated form, as a
// Zeek 7 sensor watching the sensor's networks writes it
// (docs/formats/zeek_conn.md). Begin() writes the header block
//
//   #separator \x09
//   #set_separator  ,
//   #empty_field    (empty)
//   #unset_field    -
//   #path   conn
//   #fields ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration ...
//           tunnel_parents ip_proto
//   #types  time string addr port addr port enum string interval ... set[string] count
//
// and each event is one connection record (tabs shown as spaces):
//
//   1105407742.250123 CiT5KjbtxnG8HAjKX0 192.0.2.1 4117 198.51.100.2 5000 tcp - - - - S0 F T 0
//   S 1 60 0 0 - 6
//
// A real conn.log also has "#open" with the time its file was opened (Begin
// is given no time, so it is left out) and ends with "#close" (a writer has
// no end hook; the parser needs neither). Each event is a connection of one
// packet from the originator, what a scan or backscatter looks like:
// conn_state and history follow Zeek's state machine (base/protocols/conn):
// a SYN nobody answered is S0 "S", a SYN-ACK or midstream packet OTH "H"/"A",
// Reject is the responder's RST (REJ "Sr"), Allow an established and closed
// connection (SF "ShADadFf", UDP "Dd"); ICMP and other protocols are OTH.
// Zeek keeps the sender of a lone SYN-ACK as originator here (it would flip
// the roles and write "^h"), so that the source stays the packet's source.
//
// Carried: time (microseconds), source, destination, ports (TCP and UDP; ICMP
// and ICMPv6 type and code, as Zeek puts them there), protocol (tcp, udp,
// icmp, unknown_transport, with ip_proto). Not carried: tcp_flags (history
// has letters for SYN, SYN-ACK, ACK, FIN and RST only: those four flags read
// back for dropped and unknown events) and action (unanswered states carry
// no verdict: the parser gives them its default action).
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteIp;
using detail::WriteUint;

bool HasPorts(uint8_t proto) {
  return proto == kProtoTcp || proto == kProtoUdp || proto == kProtoIcmp || proto == kProtoIpv6Icmp;
}

// The originator's letters for one TCP packet, in the order Zeek records them.
char* WriteOrigHistory(char* p, uint8_t f) {
  const bool syn = f & tcp::kSyn, ack = f & tcp::kAck, fin = f & tcp::kFin, rst = f & tcp::kRst;
  if (syn) *p++ = ack ? 'H' : 'S';
  if (syn && (fin || rst)) *p++ = 'Q';  // multi-flag packet
  if (fin && rst) *p++ = 'I';           // inconsistent packet
  if (fin) *p++ = 'F';
  if (rst) *p++ = 'R';
  if (ack && !syn) *p++ = 'A';
  return p;
}

// Zeek's conn_state() for one originator packet and what the responder did.
std::string_view TcpState(uint8_t f, Action a) {
  const bool syn = f & tcp::kSyn, ack = f & tcp::kAck, fin = f & tcp::kFin, rst = f & tcp::kRst;
  if (a == Action::kAllow) return "SF";
  if (a == Action::kReject) return syn ? "REJ" : "RSTRH";  // the responder's RST
  if (rst) return "OTH";  // RSTOS0 needs a SYN and a later RST: two packets
  if (fin) return syn && !ack ? "SH" : "OTH";
  return syn && !ack ? "S0" : "OTH";
}

// 'C' and 17 base62 digits, as Zeek's unique ids look.
char* WriteUid(char* p, uint32_t a, uint32_t b) {
  static constexpr char kDigits[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  uint64_t x = uint64_t{a} << 32 | b;
  uint32_t y = detail::Mix32(a ^ b ^ 0x9e3779b9u);
  *p++ = 'C';
  for (int i = 0; i < 11; ++i, x /= 62) *p++ = kDigits[x % 62];
  for (int i = 0; i < 6; ++i, y /= 62) *p++ = kDigits[y % 62];
  return p;
}

constexpr std::string_view kHeader =
    "#separator \\x09\n"
    "#set_separator\t,\n"
    "#empty_field\t(empty)\n"
    "#unset_field\t-\n"
    "#path\tconn\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
    "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
    "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
    "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount\n";

class ZeekConnWriter final : public LogWriter {
 public:
  explicit ZeekConnWriter(const LogStyle&) {}

  void Begin(std::string* out) override { out->append(kHeader); }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, kMaxLine);
    char* p = span.begin();
    const uint32_t h1 = detail::FwHashAddr(e.src, e.seq ^ static_cast<uint32_t>(e.time));
    const uint32_t h2 = detail::FwHashAddr(e.dst, h1 ^ (uint32_t{e.sport} << 16 | e.dport));
    // ts: epoch seconds with six decimals.
    p = detail::WriteEpochSeconds(p, e.time);
    *p++ = '.';
    p = detail::WritePadded(p, static_cast<uint64_t>(e.time > 0 ? e.time % kUsPerSecond : 0), 6,
                            '0');
    *p++ = '\t';
    p = WriteUid(p, h1, h2);
    const bool ports = HasPorts(e.proto);
    *p++ = '\t';
    p = WriteIp(p, e.src);
    *p++ = '\t';
    p = WriteUint(p, ports ? e.sport : 0);
    *p++ = '\t';
    p = WriteIp(p, e.dst);
    *p++ = '\t';
    p = WriteUint(p, ports ? e.dport : 0);
    *p++ = '\t';
    const bool v4 = e.src.is_v4();
    switch (e.proto) {
      case kProtoTcp: {
        std::string_view state = TcpState(e.tcp_flags, e.action);
        p = Append(p, "tcp\t-\t");
        if (e.action == Action::kAllow) {
          // An established connection: a few segments each way, then FINs.
          const uint32_t orig = 40 + (h2 & 0x1ff), resp = 200 + (h2 >> 20);
          const uint32_t segment = v4 ? 52 : 72;  // IP and TCP headers with timestamps
          p = WriteDuration(p, 50000 + (h1 & 0x1fffff));
          *p++ = '\t';
          p = WriteUint(p, orig);
          *p++ = '\t';
          p = WriteUint(p, resp);
          *p++ = '\t';
          p = Append(p, state);
          p = Append(p, "\tF\tT\t0\tShADadFf\t6\t");
          p = WriteUint(p, orig + 6 * segment);
          p = Append(p, "\t4\t");
          p = WriteUint(p, resp + 4 * segment);
        } else if (e.action == Action::kReject) {
          p = WriteDuration(p, 100 + (h1 & 0x3fff));  // the RST's round trip
          p = Append(p, "\t0\t0\t");
          p = Append(p, state);
          p = Append(p, "\tF\tT\t0\t");
          p = WriteOrigHistory(p, e.tcp_flags);
          p = Append(p, "r\t1\t");
          p = WriteUint(p, e.ip_len);
          p = Append(p, "\t1\t");
          p = WriteUint(p, v4 ? 40 : 60);  // the RST's IP bytes
        } else {
          // One packet: no duration, hence no byte counts (Zeek sets them
          // only for a duration > 0).
          p = Append(p, "-\t-\t-\t");
          p = Append(p, state);
          p = Append(p, "\tF\tT\t0\t");
          char* hist = p;
          p = WriteOrigHistory(p, e.tcp_flags);
          if (p == hist) *p++ = '-';
          p = Append(p, "\t1\t");
          p = WriteUint(p, e.ip_len);
          p = Append(p, "\t0\t0");
        }
        break;
      }
      case kProtoUdp:
        p = Append(p, "udp\t-\t");
        if (e.action == Action::kAllow) {
          const uint32_t header = v4 ? 28 : 48;
          const uint32_t orig = e.ip_len > header ? e.ip_len - header : 0;
          const uint32_t resp = 48 + (h2 & 0x1ff);
          p = WriteDuration(p, 200 + (h1 & 0xffff));
          *p++ = '\t';
          p = WriteUint(p, orig);
          *p++ = '\t';
          p = WriteUint(p, resp);
          p = Append(p, "\tSF\tF\tT\t0\tDd\t1\t");
          p = WriteUint(p, e.ip_len);
          p = Append(p, "\t1\t");
          p = WriteUint(p, resp + header);
        } else {
          p = Append(p, "-\t-\t-\tS0\tF\tT\t0\tD\t1\t");
          p = WriteUint(p, e.ip_len);
          p = Append(p, "\t0\t0");
        }
        break;
      case kProtoIcmp:
      case kProtoIpv6Icmp:
        p = Append(p, "icmp\t-\t-\t-\t-\tOTH\tF\tT\t0\t-\t1\t");
        p = WriteUint(p, e.ip_len);
        p = Append(p, "\t0\t0");
        break;
      default:
        p = Append(p, "unknown_transport\t-\t-\t-\t-\tOTH\tF\tT\t0\t-\t1\t");
        p = WriteUint(p, e.ip_len);
        p = Append(p, "\t0\t0");
        break;
    }
    p = Append(p, "\t-\t");
    p = WriteUint(p, e.proto);
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto;
    if (HasPorts(proto)) f |= fl::kSport | fl::kDport;
    return f;
  }

  TimeUs TimeResolution() const override { return 1; }

 private:
  // ts, uid, two addresses, ports and counts: far below this.
  static constexpr size_t kMaxLine = 400;

  // An interval in seconds with six decimals ("0.000412").
  static char* WriteDuration(char* p, uint32_t micros) {
    p = WriteUint(p, micros / 1000000);
    *p++ = '.';
    return detail::WritePadded(p, micros % 1000000, 6, '0');
  }
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeZeekConnWriter(const LogStyle& style) {
  return std::make_unique<ZeekConnWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
