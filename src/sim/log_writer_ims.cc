// ims writer: records of an IMS-style darknet sensor (the Internet Motion
// Sensor report quoted in seed 002; docs/formats/ims.md), one packet per line:
//
//   01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1296947564 0
//
// date and time (UTC, whole seconds), a record id, source address and port,
// target address and port, protocol, then for TCP the eight flag positions
// "FSRPAUEC" ('-' = clear), sequence and acknowledgement numbers. Records of
// other protocols stop after the protocol (ICMP: type and code in the port
// places), which the parser accepts. Protocols other than TCP, UDP and ICMP
// are written as their number. A non-first fragment has no transport header:
// ports 0 and, for TCP, flags "--------", seq and ack 0.
//
// The record id is the sensor's running record counter, 8 hex digits: the one
// piece of writer state besides the date cache (one writer per output file,
// so a file's ids count 00000000, 00000001, ...). With LogStyle::anonymise_dst
// an IPv4 target is published as "A.B.C.<last octet>" (seed 002), which the
// parser stores as an anonymised address (IpAddr::ParseAnonymisedV4); IPv6
// targets have no such form and are written in full.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

// The acknowledgement number of a packet with ACK set: a hash of the
// sequence number (the peer's ISN is not part of the Event).
uint32_t AckFor(const Event& e) {
  if (!(e.tcp_flags & tcp::kAck)) return 0;
  uint32_t x = e.seq * 0x9E3779B1u;
  x ^= x >> 15;
  return x * 0x85EBCA77u;
}

class ImsWriter final : public LogWriter {
 public:
  explicit ImsWriter(const LogStyle& style) : anonymise_dst_(style.anonymise_dst) {}

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, kMaxLine);
    char* p = span.begin();
    detail::SplitTime s = detail::Split(e.time);
    if (s.day != day_) RenderDate(s.day);
    p = Append(p, std::string_view(date_, sizeof date_));
    *p++ = ' ';
    p = detail::WriteClock(p, s.sec_of_day);
    *p++ = ' ';
    uint32_t id = next_id_++;
    for (int shift = 24; shift >= 0; shift -= 8) {
      p = detail::WriteHexByteLower(p, static_cast<uint8_t>(id >> shift));
    }
    bool fragment = (e.ip_flags & ipf::kFragment) != 0;
    *p++ = ' ';
    p = detail::WriteIp(p, e.src);
    *p++ = ' ';
    p = WriteUint(p, fragment ? 0 : e.sport);
    *p++ = ' ';
    if (anonymise_dst_ && e.dst.is_v4()) {
      p = Append(p, "A.B.C.");
      p = WriteUint(p, e.dst.v4() & 255);
    } else {
      p = detail::WriteIp(p, e.dst);
    }
    *p++ = ' ';
    p = WriteUint(p, fragment ? 0 : e.dport);
    *p++ = ' ';
    switch (e.proto) {
      case kProtoTcp:
        p = Append(p, "TCP ");
        if (fragment) {
          p = Append(p, "-------- 0 0");
        } else {
          static constexpr char kLetters[] = "FSRPAUEC";
          for (int i = 0; i < 8; ++i) *p++ = (e.tcp_flags >> i) & 1 ? kLetters[i] : '-';
          *p++ = ' ';
          p = WriteUint(p, e.seq);
          *p++ = ' ';
          p = WriteUint(p, AckFor(e));
        }
        break;
      case kProtoUdp:
        p = Append(p, "UDP");
        break;
      case kProtoIcmp:
        p = Append(p, "ICMP");
        break;
      default:
        p = WriteUint(p, e.proto);
        break;
    }
    *p++ = '\n';
    span.End(p);
  }

  // Ports for every protocol (written as the event has them; ICMP: type and
  // code); flags and seq for TCP. dst is the anonymised form when the style
  // anonymises IPv4 targets.
  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kProto | fl::kSport | fl::kDport;
    if (proto == kProtoTcp) f |= fl::kFlags | fl::kSeq;
    return f;
  }

  TimeUs TimeResolution() const override { return kUsPerSecond; }

 private:
  // date 10, time 8, id 8, two addresses 39 each, ports, protocol, flags, seq, ack.
  static constexpr size_t kMaxLine = 200;

  // "MM-DD-YYYY"
  void RenderDate(int64_t day) {
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    char* p = detail::Write2(date_, static_cast<uint32_t>(m));
    *p++ = '-';
    p = detail::Write2(p, static_cast<uint32_t>(d));
    *p++ = '-';
    detail::WritePadded(p, static_cast<uint64_t>(y < 0 ? 0 : y % 10000), 4, '0');
    day_ = day;
  }

  bool anonymise_dst_;
  uint32_t next_id_ = 0;
  int64_t day_ = INT64_MIN;
  char date_[10] = {};
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeImsWriter(const LogStyle& style) {
  return std::make_unique<ImsWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
