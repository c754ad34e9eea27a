// csv writer: a generic CSV export of blocked packets, the kind a SIEM or a
// spreadsheet produces (docs/formats/csv.md). Begin() writes the header row,
// whose column names the parser finds by its aliases (no --csv-map needed):
//
//   timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action,count,ttl,flags
//   2005-01-11 01:42:22,192.0.2.1,4117,198.51.100.2,5000,tcp,drop,1,52,S
//
// The timestamp's form follows LogStyle::header: kRfc3164 "YYYY-MM-DD
// HH:MM:SS" (whole seconds, no zone: read in --tz, UTC), kIso8601
// "2005-01-11T01:42:22.123456Z". Carried: time, source, destination, ports
// (for every protocol as the event has them; ICMP type and code), protocol
// (tcp, udp, icmp, icmpv6, gre, esp, ah, igmp, sctp, ipv6, pim, else the
// number), action (drop, reject, alert, allow; an empty cell for unknown,
// which reads back as the parser's default action), count, TTL, and TCP
// flags as letters SFAPRU plus E (ECE) and C (CWR), empty for other
// protocols. No cell needs quoting. The record names no host.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteIp;
using detail::WriteUint;

std::string_view ProtoName(uint8_t proto) {
  switch (proto) {
    case kProtoTcp:
      return "tcp";
    case kProtoUdp:
      return "udp";
    case kProtoIcmp:
      return "icmp";
    case kProtoIpv6Icmp:
      return "icmpv6";
    case kProtoIgmp:
      return "igmp";
    case 41:
      return "ipv6";
    case 47:
      return "gre";
    case 50:
      return "esp";
    case 51:
      return "ah";
    case 103:
      return "pim";
    case 132:
      return "sctp";
    default:
      return {};
  }
}

std::string_view ActionWord(Action a) {
  switch (a) {
    case Action::kDrop:
      return "drop";
    case Action::kReject:
      return "reject";
    case Action::kAlert:
      return "alert";
    case Action::kAllow:
      return "allow";
    default:
      return "";  // no verdict: the parser's default action
  }
}

class CsvWriter final : public LogWriter {
 public:
  explicit CsvWriter(const LogStyle& style)
      : iso_(style.header == SyslogHeader::kIso8601), date_(detail::DateCache::Form::kIso) {}

  void Begin(std::string* out) override {
    out->append("timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action,count,ttl,flags\n");
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, kMaxLine);
    char* p = span.begin();
    p = detail::WriteIsoDateTime(p, &date_, e.time, iso_ ? 'T' : ' ', iso_);
    if (iso_) *p++ = 'Z';
    *p++ = ',';
    p = WriteIp(p, e.src);
    *p++ = ',';
    p = WriteUint(p, e.sport);
    *p++ = ',';
    p = WriteIp(p, e.dst);
    *p++ = ',';
    p = WriteUint(p, e.dport);
    *p++ = ',';
    std::string_view name = ProtoName(e.proto);
    p = name.empty() ? WriteUint(p, e.proto) : Append(p, name);
    *p++ = ',';
    p = Append(p, ActionWord(e.action));
    *p++ = ',';
    p = WriteUint(p, e.count);
    *p++ = ',';
    p = WriteUint(p, e.ttl);
    *p++ = ',';
    if (e.proto == kProtoTcp) {
      static constexpr struct {
        uint8_t bit;
        char letter;
      } kLetters[] = {{tcp::kSyn, 'S'}, {tcp::kFin, 'F'}, {tcp::kAck, 'A'}, {tcp::kPsh, 'P'},
                      {tcp::kRst, 'R'}, {tcp::kUrg, 'U'}, {tcp::kEce, 'E'}, {tcp::kCwr, 'C'}};
      for (const auto& l : kLetters) {
        if (e.tcp_flags & l.bit) *p++ = l.letter;
      }
    }
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f = fl::kTime | fl::kSrc | fl::kDst | fl::kSport | fl::kDport | fl::kProto |
                 fl::kAction | fl::kCount | fl::kTtl;
    if (proto == kProtoTcp) f |= fl::kFlags;
    return f;
  }

  TimeUs TimeResolution() const override { return iso_ ? 1 : kUsPerSecond; }

 private:
  // time 27, two addresses 39 each, ports, protocol, action, count, ttl, flags.
  static constexpr size_t kMaxLine = 200;

  bool iso_;
  detail::DateCache date_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeCsvWriter(const LogStyle& style) {
  return std::make_unique<CsvWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
