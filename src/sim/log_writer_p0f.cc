// p0f writer: passive OS fingerprints in the two-line form of seed 004
// (p0f 1 with -v; docs/formats/p0f.md):
//
//   Sat Mar  2 15:32:54 2002 207.95.12.112 [12 hops]: Windows 95 or early NT4
//    207.95.12.112:3504 -> 12.82.129.120:6346
//
// p0f fingerprints connection requests only: an event is written when it is
// an IPv4 TCP SYN without ACK, RST or FIN (p0f's filter "tcp[13] & 0x17 == 2"),
// not a non-first fragment. For every other event Write appends nothing and
// Fields() is 0 for protocols other than TCP. The stamp is asctime() in UTC
// (whole seconds, with the year).
//
// Hops: the smallest usual initial TTL (64, 128, 255) not below the
// packet's TTL, minus the TTL, plus one — p0f 1 counted the receiving hop
// too (seed 004: TTL 117 is "[12 hops]"). The OS label is a rough guess from
// TTL, window and options (nothing reads it back): seed 004's Windows 95 SYN
// (window 5840, MSS NOP NOP SackOK, initial TTL 128), else "Linux 2.4-2.6"
// for an initial TTL of 64, "Windows XP" for 128, "unknown" for 255.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

bool IsSeed004Stack(uint32_t layout) {
  uint32_t want = 0;
  for (TcpOpt o : {TcpOpt::kMss, TcpOpt::kNop, TcpOpt::kNop, TcpOpt::kSackOk})
    want = AppendTcpOpt(want, o);
  return layout == want;
}

class P0fWriter final : public LogWriter {
 public:
  explicit P0fWriter(const LogStyle&) {}

  void Write(const Event& e, std::string* out) override {
    if (e.proto != kProtoTcp || !e.src.is_v4() || !e.dst.is_v4()) return;
    if ((e.ip_flags & ipf::kFragment) ||
        (e.tcp_flags & (tcp::kSyn | tcp::kAck | tcp::kRst | tcp::kFin)) != tcp::kSyn) {
      return;
    }
    detail::LineSpan span(out, kMaxText);
    char* p = span.begin();
    detail::SplitTime s = detail::Split(e.time);
    if (s.day != day_) RenderDate(s.day);
    p = Append(p, std::string_view(date_, 11));
    p = detail::WriteClock(p, s.sec_of_day);
    p = Append(p, std::string_view(year_, 5));
    *p++ = ' ';
    p = detail::WriteIpv4(p, e.src.v4());
    uint32_t initial = e.ttl <= 64 ? 64 : e.ttl <= 128 ? 128 : 255;
    p = Append(p, " [");
    p = WriteUint(p, initial - e.ttl + 1);
    p = Append(p, " hops]: ");
    std::string_view os = initial == 64    ? "Linux 2.4-2.6"
                          : initial == 255 ? "unknown"
                          : e.window == 5840 && IsSeed004Stack(e.tcp_opts) && e.mss == 1460
                              ? "Windows 95 or early NT4"
                              : "Windows XP";
    p = Append(p, os);
    p = Append(p, "\n ");
    p = detail::WriteIpv4(p, e.src.v4());
    *p++ = ':';
    p = WriteUint(p, e.sport);
    p = Append(p, " -> ");
    p = detail::WriteIpv4(p, e.dst.v4());
    *p++ = ':';
    p = WriteUint(p, e.dport);
    *p++ = '\n';
    span.End(p);
  }

  // A p0f record is a TCP SYN by definition: the flags are not carried (read
  // back as SYN), nor TTL, window or options.
  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    if (proto != kProtoTcp) return 0;
    return fl::kTime | fl::kSrc | fl::kDst | fl::kSport | fl::kDport | fl::kProto;
  }

  TimeUs TimeResolution() const override { return kUsPerSecond; }

 private:
  static constexpr size_t kMaxText = 160;

  // "Sat Mar  2 " and " 2002"
  void RenderDate(int64_t day) {
    static constexpr char kDays[] = "SunMonTueWedThuFriSat";
    static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    int64_t wd = ((day % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
    char* p = Append(date_, std::string_view(kDays + 3 * wd, 3));
    *p++ = ' ';
    p = Append(p, std::string_view(kMonths + 3 * (m - 1), 3));
    *p++ = ' ';
    p = detail::WritePadded(p, static_cast<uint32_t>(d), 2, ' ');
    *p = ' ';
    year_[0] = ' ';
    detail::WritePadded(year_ + 1, static_cast<uint64_t>(y < 0 ? 0 : y % 10000), 4, '0');
    day_ = day;
  }

  int64_t day_ = INT64_MIN;
  char date_[11] = {};
  char year_[5] = {};
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeP0fWriter(const LogStyle& style) {
  return std::make_unique<P0fWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
