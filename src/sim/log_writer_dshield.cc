// DShield writer: the tab-separated submission format (docs/formats/dshield.md)
//
//   2002-03-02 15:32:54 +00:00 <TAB> userid <TAB> count <TAB> src <TAB> sport <TAB> dst
//   <TAB> dport <TAB> proto <TAB> flags
//
// Times in UTC with an explicit "+00:00", the protocol as its number, ICMP
// type and code in the port columns, flags as FlagsString letters (SFAPRU12)
// for TCP and empty otherwise; the flags column is always present.
#include <memory>

#include "sim/detail/format_util.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

using detail::Append;
using detail::WriteUint;

class DshieldWriter final : public LogWriter {
 public:
  explicit DshieldWriter(const LogStyle& style)
      : userid_(style.host), date_(detail::DateCache::Form::kIso) {
    // date 26, count 10, two addresses 2 * 39, ports 10, proto 3, flags 8, tabs 8.
    max_line_ = userid_.size() + 160;
  }

  void Write(const Event& e, std::string* out) override {
    detail::LineSpan span(out, max_line_);
    char* p = span.begin();
    detail::SplitTime t = detail::Split(e.time);
    p = date_.Write(p, t.day);
    *p++ = ' ';
    p = detail::WriteClock(p, t.sec_of_day);
    p = Append(p, " +00:00\t");
    p = Append(p, userid_);
    *p++ = '\t';
    p = WriteUint(p, e.count);
    *p++ = '\t';
    p = detail::WriteIp(p, e.src);
    *p++ = '\t';
    p = WriteUint(p, e.sport);
    *p++ = '\t';
    p = detail::WriteIp(p, e.dst);
    *p++ = '\t';
    p = WriteUint(p, e.dport);
    *p++ = '\t';
    p = WriteUint(p, e.proto);
    *p++ = '\t';
    if (e.proto == kProtoTcp) {
      // FlagsString order, without its allocation.
      static constexpr struct {
        uint8_t bit;
        char letter;
      } kLetters[] = {{tcp::kSyn, 'S'}, {tcp::kFin, 'F'}, {tcp::kAck, 'A'}, {tcp::kPsh, 'P'},
                      {tcp::kRst, 'R'}, {tcp::kUrg, 'U'}, {tcp::kCwr, '1'}, {tcp::kEce, '2'}};
      for (const auto& l : kLetters) {
        if (e.tcp_flags & l.bit) *p++ = l.letter;
      }
    }
    *p++ = '\n';
    span.End(p);
  }

  uint32_t Fields(uint8_t proto) const override {
    namespace fl = field;
    uint32_t f =
        fl::kTime | fl::kSrc | fl::kDst | fl::kSport | fl::kDport | fl::kProto | fl::kCount;
    if (proto == kProtoTcp) f |= fl::kFlags;
    return f;
  }

  TimeUs TimeResolution() const override { return kUsPerSecond; }

 private:
  std::string userid_;
  detail::DateCache date_;
  size_t max_line_;
};

}  // namespace

namespace detail {
std::unique_ptr<LogWriter> MakeDshieldWriter(const LogStyle& style) {
  return std::make_unique<DshieldWriter>(style);
}
}  // namespace detail

}  // namespace portstorm::sim
