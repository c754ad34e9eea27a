#include "parse/formats/snort_full.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/formats/snort_common.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::IsDigit;
using snort_detail::LineNo;
using snort_detail::Stamp;

constexpr auto npos = std::string_view::npos;

std::string_view LTrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::string_view RTrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Splits off the next blank-separated token of *s.
std::string_view NextToken(std::string_view* s) {
  *s = LTrim(*s);
  size_t end = 0;
  while (end < s->size() && (*s)[end] != ' ' && (*s)[end] != '\t') ++end;
  std::string_view tok = s->substr(0, end);
  s->remove_prefix(end);
  return tok;
}

// "src -> dst" at the start of s; *rest = what follows dst.
bool SplitAddresses(std::string_view s, std::string_view* src, std::string_view* dst,
                    std::string_view* rest) {
  *src = NextToken(&s);
  if (src->empty() || NextToken(&s) != "->") return false;
  *dst = NextToken(&s);
  *rest = LTrim(s);
  return !dst->empty();
}

bool IsHexPair(std::string_view s, size_t i) {
  return i + 1 < s.size() && detail::HexDigit(s[i]) >= 0 && detail::HexDigit(s[i + 1]) >= 0 &&
         (i + 2 == s.size() || s[i + 2] == ' ');
}

// A payload line "47 45 54 20 ...  GET ..." (snort 2: 16 pairs; snort 3: an
// extra blank after the 8th): the byte count, 0 if the line is not one.
// Bytes go to out[] (up to `room`).
int HexLineBytes(std::string_view s, uint8_t* out, int room) {
  int n = 0;
  size_t i = 0;
  while (n < 16 && IsHexPair(s, i)) {
    if (n < room)
      out[n] = static_cast<uint8_t>(detail::HexDigit(s[i]) * 16 + detail::HexDigit(s[i + 1]));
    ++n;
    i += 3;
    if (n == 8 && i < s.size() && s[i] == ' ') ++i;
  }
  return n;
}

class SnortFullParser : public Parser {
 public:
  explicit SnortFullParser(const ParseOptions& options)
      : default_action_(options.default_action), clock_(options.tz), years_(options) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::FindControlByte(line) != npos) {
      Close(sink);
      framing_ = false;
      detail::RejectIfBinary(line, lineno, sink);
      return;
    }
    if (StartsWith(line, "=+=+")) {
      Close(sink);
      return;
    }
    std::string_view s = RTrim(line);
    if (s.empty()) {
      if (open_ || framing_) {
        Close(sink);
        return;
      }
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    if (StartsWith(s, "[**]")) {
      Close(sink);
      Open(lineno, /*alert=*/true);
      return;
    }
    if (IsDigit(s[0])) {
      Stamp st;
      bool valid;
      size_t n = snort_detail::ScanStamp(s, &st, &valid);
      if (n != 0) {
        if (!(open_ && alert_ && !have_stamp_)) {
          Close(sink);
          Open(lineno, /*alert=*/false);
        }
        StampLine(s, n, st, valid);
        return;
      }
    }
    if (open_) {
      BlockLine(s);
      return;
    }
    framing_ = false;
    sink.OnReject(lineno, Reason::kNotARecord, "not part of a snort packet dump");
  }

  void Finish(RecordSink& sink) override { Close(sink); }
  bool holding() const override { return open_; }

 private:
  void Open(uint64_t lineno, bool alert) {
    open_ = true;
    alert_ = alert;
    lineno_ = lineno;
    e_ = Event{};
    e_.line = LineNo(lineno);
    have_stamp_ = stamp_ok_ = have_addr_ = have_ip_ = have_tcp_ = have_l4_ = false;
    in_orig_dump_ = false;
    frag_ = false;
    ip_len_ = tcp_len_ = 0;
    hex_bytes_ = 0;
    udp_len_ = -1;
    error_ = false;
  }

  void Fail(Reason r, std::string detail) {
    if (error_) return;
    error_ = true;
    error_reason_ = r;
    error_detail_ = std::move(detail);
  }

  void StampLine(std::string_view s, size_t n, const Stamp& st, bool valid) {
    have_stamp_ = true;
    stamp_ok_ = valid && snort_detail::StampTime(st, years_, clock_, &e_.time);
    if (!stamp_ok_) stamp_text_.assign(s.substr(0, n));
    std::string_view src, dst, rest;
    // With -e the stamp line names MAC addresses ("... type:0x800 len:0x3C")
    // and the IP addresses follow on the next line.
    if (SplitAddresses(s.substr(n), &src, &dst, &rest) && !StartsWith(rest, "type:")) {
      Addresses(src, dst, rest);
    }
  }

  void Addresses(std::string_view src, std::string_view dst, std::string_view rest) {
    have_addr_ = true;
    src_.assign(src);
    dst_.assign(dst);
    if (rest.find("TTL:") != npos) IpLine(rest);
  }

  void BlockLine(std::string_view s) {
    if (in_orig_dump_) {
      if (StartsWith(s, "** END OF DUMP")) in_orig_dump_ = false;
      return;
    }
    if (StartsWith(s, "** ORIGINAL DATAGRAM DUMP")) {
      in_orig_dump_ = true;
      return;
    }
    if (s[0] == '[') return;  // [Classification ...] [Priority ...] [Xref ...]
    std::string_view src, dst, rest;
    if (!have_addr_ && s.find(" -> ") != npos && SplitAddresses(s, &src, &dst, &rest)) {
      Addresses(src, dst, rest);
      return;
    }
    if (!have_ip_ && s.find(" TTL:") != npos) {
      IpLine(s);
      return;
    }
    if (!have_ip_) return;
    if (e_.proto == kProtoTcp) {
      if (!have_tcp_ && s.size() > 14 && s[8] == ' ' && s.substr(9, 5) == "Seq: ") {
        TcpLine(s);
        return;
      }
      if (StartsWith(s, "TCP Options (")) {
        OptionsLine(s);
        return;
      }
    } else if (e_.proto == kProtoUdp && !have_l4_ && StartsWith(s, "Len: ")) {
      uint64_t v;
      if (!detail::ParseUint(s.substr(5), 65535, &v)) {
        Fail(Reason::kBadField, FieldDetail(s, "UDP length not 0..65535"));
      } else {
        udp_len_ = static_cast<int>(v);
      }
      have_l4_ = true;
      return;
    } else if ((e_.proto == kProtoIcmp || e_.proto == kProtoIpv6Icmp) && !have_l4_ &&
               StartsWith(s, "Type:")) {
      IcmpLine(s);
      return;
    }
    if (StartsWith(s, "Frag Offset: ")) {
      uint64_t v;
      std::string_view rest2 = s.substr(13);
      if (detail::ParseHex(NextToken(&rest2), &v) && v != 0) {
        e_.ip_flags |= ipf::kFragment;
      }
      frag_ = true;
      return;
    }
    uint8_t* out = e_.payload + (hex_bytes_ < 8 ? hex_bytes_ : 8);
    int n = HexLineBytes(s, out, hex_bytes_ < 8 ? 8 - hex_bytes_ : 0);
    hex_bytes_ += n;
  }

  // "TCP TTL:117 TOS:0x0 ID:31988 IpLen:20 DgmLen:48 DF"
  void IpLine(std::string_view s) {
    have_ip_ = true;
    std::string_view proto = NextToken(&s);
    if (!snort_detail::ParseProtoName(proto, &e_.proto)) {
      Fail(Reason::kUnknownProtocol, FieldDetail(proto, "unknown protocol"));
      return;
    }
    while (true) {
      std::string_view tok = NextToken(&s);
      if (tok.empty()) break;
      size_t colon = tok.find(':');
      std::string_view key = tok.substr(0, colon), val;
      if (colon != npos) val = tok.substr(colon + 1);
      uint64_t v = 0;
      if (key == "TTL") {
        if (!detail::ParseUint(val, 255, &v))
          return Fail(Reason::kBadField, FieldDetail(tok, "TTL not 0..255"));
        e_.ttl = static_cast<uint8_t>(v);
      } else if (key == "TOS") {
        if (!detail::ParseHex(val, &v) || v > 0xff) {
          return Fail(Reason::kBadField, FieldDetail(tok, "TOS not 0x0..0xFF"));
        }
      } else if (key == "ID") {
        // IPv6 fragment ids are 32 bits; the Event keeps the low 16.
        if (!detail::ParseUint(val, UINT32_MAX, &v)) {
          return Fail(Reason::kBadField, FieldDetail(tok, "IP ID not a number"));
        }
        e_.ip_id = static_cast<uint16_t>(v & 0xffff);
      } else if (key == "IpLen") {
        if (!detail::ParseUint(val, 60 * 16, &v)) {
          return Fail(Reason::kBadField, FieldDetail(tok, "IP header length out of range"));
        }
        ip_len_ = static_cast<int>(v);
      } else if (key == "DgmLen") {
        if (!detail::ParseUint(val, 65535, &v)) {
          return Fail(Reason::kBadField, FieldDetail(tok, "datagram length not 0..65535"));
        }
        e_.ip_len = static_cast<uint16_t>(v);
      } else if (tok == "DF") {
        e_.ip_flags |= ipf::kDf;
      } else if (tok == "MF") {
        e_.ip_flags |= ipf::kMf;
      }
    }
  }

  // "******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28"
  void TcpLine(std::string_view s) {
    have_tcp_ = true;
    if (!snort_detail::ParseSnortFlags(s.substr(0, 8), &e_.tcp_flags)) {
      return Fail(Reason::kBadField, FieldDetail(s.substr(0, 8), "not a snort TCP flag string"));
    }
    s.remove_prefix(8);
    while (true) {
      std::string_view key = NextToken(&s);
      if (key.empty()) break;
      std::string_view val = NextToken(&s);
      uint64_t v;
      if (key == "Seq:") {
        if (!detail::ParseHex(val, &v) || v > UINT32_MAX) {
          return Fail(Reason::kBadField, FieldDetail(val, "Seq not a 32-bit hex number"));
        }
        e_.seq = static_cast<uint32_t>(v);
      } else if (key == "Win:") {
        if (!detail::ParseHex(val, &v) || v > 0xffff) {
          return Fail(Reason::kBadField, FieldDetail(val, "Win not 0x0..0xFFFF"));
        }
        e_.window = static_cast<uint16_t>(v);
      } else if (key == "TcpLen:") {
        if (!detail::ParseUint(val, 60, &v)) {
          return Fail(Reason::kBadField, FieldDetail(val, "TcpLen not 0..60"));
        }
        tcp_len_ = static_cast<int>(v);
      }
    }
  }

  // "TCP Options (4) => MSS: 1460 NOP NOP SackOK" (snort 3: "=> MSS: 1460 ...").
  void OptionsLine(std::string_view s) {
    size_t arrow = s.find("=>");
    if (arrow == npos) return;
    s.remove_prefix(arrow + 2);
    uint32_t layout = 0;
    while (true) {
      std::string_view tok = NextToken(&s);
      if (tok.empty()) break;
      uint64_t v;
      if (tok == "MSS:") {
        std::string_view val = NextToken(&s);
        if (!detail::ParseUint(val, 65535, &v)) {
          return Fail(Reason::kBadField, FieldDetail(val, "MSS not 0..65535"));
        }
        e_.mss = static_cast<uint16_t>(v);
        layout = AppendTcpOpt(layout, TcpOpt::kMss);
      } else if (tok == "NOP") {
        layout = AppendTcpOpt(layout, TcpOpt::kNop);
      } else if (tok == "WS:") {
        std::string_view val = NextToken(&s);
        if (!detail::ParseUint(val, 254, &v)) {
          return Fail(Reason::kBadField, FieldDetail(val, "window scale not 0..254"));
        }
        e_.wscale = static_cast<uint8_t>(v + 1);
        layout = AppendTcpOpt(layout, TcpOpt::kWscale);
      } else if (tok == "SackOK") {
        layout = AppendTcpOpt(layout, TcpOpt::kSackOk);
      } else if (tok == "Sack:") {
        layout = AppendTcpOpt(layout, TcpOpt::kSack);
      } else if (tok == "TS:") {
        layout = AppendTcpOpt(layout, TcpOpt::kTimestamp);
      } else if (tok == "Opt" || tok == "Kind" || tok == "Echo:" || tok == "Echo" || tok == "CC" ||
                 tok == "CCNEW:" || tok == "CCECHO:") {
        layout = AppendTcpOpt(layout, TcpOpt::kOther);
      }
      // EOL has no nibble of its own (TcpOpt::kEnd ends the layout); values
      // of Sack/TS/Opt are skipped as unknown tokens.
    }
    e_.tcp_opts = layout;
  }

  // "Type:8  Code:0  ID:101   Seq:1  ECHO"
  void IcmpLine(std::string_view s) {
    have_l4_ = true;
    for (int k = 0; k < 2; ++k) {
      std::string_view tok = NextToken(&s);
      bool type = k == 0;
      std::string_view key = type ? "Type:" : "Code:";
      uint64_t v;
      if (!StartsWith(tok, key) || !detail::ParseUint(tok.substr(5), 255, &v)) {
        return Fail(Reason::kBadField,
                    FieldDetail(tok, type ? "ICMP type not 0..255" : "ICMP code not 0..255"));
      }
      (type ? e_.sport : e_.dport) = static_cast<uint16_t>(v);
    }
  }

  void Close(RecordSink& sink) {
    framing_ = true;
    if (!open_) return;
    open_ = false;
    auto reject = [&](Reason r, std::string_view detail) { sink.OnReject(lineno_, r, detail); };
    if (error_) return reject(error_reason_, error_detail_);
    if (!have_stamp_) return reject(Reason::kNotARecord, "alert without a packet dump");
    if (!stamp_ok_)
      return reject(Reason::kBadTimestamp, FieldDetail(stamp_text_, "invalid date or time"));
    if (!have_addr_) return reject(Reason::kNotARecord, "not an IP packet (no \"src -> dst\")");
    if (!have_ip_) return reject(Reason::kTruncated, "no IP header line (\"TCP TTL:...\")");
    bool ports = snort_detail::HasPorts(e_.proto);
    bool has_port;
    uint16_t sport = 0, dport = 0;
    snort_detail::EndpointError err;
    if (!snort_detail::ParseEndpoint(src_, ports, &e_.src, &sport, &has_port, &err)) {
      return reject(err.reason, FieldDetail(src_, err.why));
    }
    if (!snort_detail::ParseEndpoint(dst_, ports, &e_.dst, &dport, &has_port, &err)) {
      return reject(err.reason, FieldDetail(dst_, err.why));
    }
    if (e_.proto != kProtoIcmp && e_.proto != kProtoIpv6Icmp) {
      e_.sport = sport;
      e_.dport = dport;
    }
    if (e_.proto == kProtoTcp && !have_tcp_ && !frag_) {
      return reject(Reason::kTruncated, "no TCP header line (\"******S* Seq: ...\")");
    }
    e_.payload_len = static_cast<uint16_t>(PayloadLen());
    if (hex_bytes_ == 0) std::fill(std::begin(e_.payload), std::end(e_.payload), 0);
    e_.action = alert_ ? Action::kAlert : default_action_;
    sink.OnRecord(e_, {});
  }

  // The bytes the dump shows, else what the headers imply.
  int PayloadLen() const {
    if (hex_bytes_ > 0) return hex_bytes_ > 65535 ? 65535 : hex_bytes_;
    if (frag_ && (e_.ip_flags & ipf::kFragment)) return 0;
    int rest = e_.ip_len - ip_len_;
    if (e_.proto == kProtoTcp && have_tcp_)
      rest -= tcp_len_;
    else if (e_.proto == kProtoUdp && udp_len_ >= 0)
      return udp_len_;
    else if ((e_.proto == kProtoIcmp || e_.proto == kProtoIpv6Icmp) && have_l4_)
      rest -= 8;
    else
      return 0;
    return e_.ip_len == 0 || rest < 0 ? 0 : rest;
  }

  Action default_action_;
  detail::LocalClock clock_;
  snort_detail::YearGuess years_;

  bool open_ = false;     // a block is being read
  bool framing_ = false;  // after a block or separator: blank lines are framing
  bool alert_ = false;    // the block opened with "[**]"
  uint64_t lineno_ = 0;
  Event e_;
  bool have_stamp_ = false, stamp_ok_ = false, have_addr_ = false, have_ip_ = false,
       have_tcp_ = false, have_l4_ = false, in_orig_dump_ = false, frag_ = false;
  int ip_len_ = 0, tcp_len_ = 0, udp_len_ = -1, hex_bytes_ = 0;
  std::string src_, dst_, stamp_text_;
  bool error_ = false;
  Reason error_reason_ = Reason::kBadField;
  std::string error_detail_;
};

}  // namespace

int DetectSnortFull(std::string_view line) {
  if (StartsWith(line, "=+=+=+=+")) return 90;
  if (StartsWith(line, "[**] [")) return 85;
  if (StartsWith(line, "TCP Options (")) return 90;
  if (line.empty()) return 0;
  if (IsDigit(line[0])) {
    Stamp st;
    bool valid;
    size_t n = snort_detail::ScanStamp(line, &st, &valid);
    if (n == 0) return 0;
    std::string_view rest = line.substr(n);
    if (rest.find("[**]") != npos) return 0;  // a fast alert
    std::string_view src, dst, tail;
    return SplitAddresses(rest, &src, &dst, &tail) ? 90 : 0;
  }
  std::string_view s = line;
  std::string_view first = NextToken(&s);
  uint8_t proto;
  if (StartsWith(LTrim(s), "TTL:") && snort_detail::ParseProtoName(first, &proto)) return 90;
  uint8_t flags;
  if (line.size() > 14 && line.substr(8, 6) == " Seq: " &&
      snort_detail::ParseSnortFlags(line.substr(0, 8), &flags)) {
    return 90;
  }
  return 0;
}

std::unique_ptr<Parser> MakeSnortFullParser(const ParseOptions& options) {
  return std::make_unique<SnortFullParser>(options);
}

}  // namespace portstorm::parse
