#include "parse/formats/mikrotik.h"

#include <cstdio>
#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::Digits2;
using detail::FieldDetail;
using detail::IsDigit;
using detail::ParseUint;
using detail::Upper;

constexpr std::string_view kChainMark = ": in:";

bool ContainsWordCi(std::string_view s, std::string_view upper_word) {
  if (s.size() < upper_word.size()) return false;
  for (size_t i = 0; i + upper_word.size() <= s.size(); ++i) {
    size_t k = 0;
    while (k < upper_word.size() && Upper(s[i + k]) == upper_word[k]) ++k;
    if (k == upper_word.size()) return true;
  }
  return false;
}

// A verdict named in a log prefix or chain name ("drop-in", "DROP_SCAN",
// "reject-tcp", "accept-ssh"); kUnknown if none.
Action VerdictOf(std::string_view s) {
  if (s.empty()) return Action::kUnknown;
  if (ContainsWordCi(s, "REJECT")) return Action::kReject;
  if (ContainsWordCi(s, "DROP") || ContainsWordCi(s, "DENY") || ContainsWordCi(s, "BLOCK") ||
      ContainsWordCi(s, "TARPIT")) {
    return Action::kDrop;
  }
  if (ContainsWordCi(s, "ACCEPT") || ContainsWordCi(s, "ALLOW") || ContainsWordCi(s, "PASS")) {
    return Action::kAllow;
  }
  return Action::kUnknown;
}

// RouterOS protocol names (as /ip firewall knows them) not in ParseProto.
bool ProtoOf(std::string_view p, uint8_t* out) {
  if (p == "TCP" || p == "tcp") {
    *out = kProtoTcp;
    return true;
  }
  if (p == "UDP" || p == "udp") {
    *out = kProtoUdp;
    return true;
  }
  if (p == "ICMP" || p == "icmp") {
    *out = kProtoIcmp;
    return true;
  }
  struct Name {
    std::string_view upper;
    uint8_t proto;
  };
  static constexpr Name kNames[] = {
      {"ICMPV6", 58}, {"IPV6-ICMP", 58},  {"IGMP", 2},     {"GRE", 47},   {"IPSEC-ESP", 50},
      {"ESP", 50},    {"IPSEC-AH", 51},   {"AH", 51},      {"IPIP", 4},   {"IPENCAP", 4},
      {"OSPF", 89},   {"VRRP", 112},      {"L2TP", 115},   {"SCTP", 132}, {"PIM", 103},
      {"DCCP", 33},   {"RSVP", 46},       {"ETHERIP", 97}, {"ENCAP", 98}, {"UDP-LITE", 136},
      {"IPV6", 41},   {"IPV6-ENCAP", 41},
  };
  for (const Name& n : kNames) {
    if (detail::EqualsUpper(p, n.upper)) {
      *out = n.proto;
      return true;
    }
  }
  uint64_t v;
  if (ParseUint(p, 255, &v)) {
    *out = static_cast<uint8_t>(v);
    return true;
  }
  return false;
}

int MonthCi(std::string_view m) {
  static constexpr std::string_view kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  for (int i = 0; i < 12; ++i) {
    if (detail::EqualsUpper(m, kMonths[i])) return i + 1;
  }
  return 0;
}

struct Failure {
  Reason reason = Reason::kBadField;
  std::string detail;
};

class MikrotikParser : public Parser {
 public:
  explicit MikrotikParser(const ParseOptions& options)
      : default_action_(options.default_action),
        header_(options),
        stamp_(options),
        clock_(options.tz) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    std::string_view msg, host;
    bool has_time = false;
    TimeUs time = 0;
    std::string_view time_error = "no timestamp";
    detail::SyslogHeader h;
    if (RouterOsStamp(line.substr(first), &msg, &has_time, &time, &time_error)) {
      // the router's own "/log print" or disk log
    } else {
      header_.Parse(line, &h);
      msg = h.message;
      has_time = h.has_time;
      time = h.time;
      time_error = h.time_error;
      if (h.host.find(',') != std::string_view::npos) {
        // No host: the header parser took the topics ("firewall,info") for one.
        msg = line.substr(static_cast<size_t>(h.host.data() - line.data()));
      } else {
        host = h.host;
      }
    }
    size_t mark = msg.find(kChainMark);
    if (mark == std::string_view::npos) {
      sink.OnReject(lineno, Reason::kNotARecord, "no RouterOS firewall \"<chain>: in:\" field");
      return;
    }
    size_t cs = msg.rfind(' ', mark);
    cs = cs == std::string_view::npos ? 0 : cs + 1;
    std::string_view chain = msg.substr(cs, mark - cs);
    std::string_view prefix = msg.substr(0, cs);  // topics and the rule's log prefix
    if (!has_time) {
      sink.OnReject(lineno, Reason::kBadTimestamp, time_error);
      return;
    }
    Event e;
    e.time = time;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    if (!ParseBody(msg.substr(mark + 2), &e)) {
      sink.OnReject(lineno, fail_.reason, fail_.detail);
      return;
    }
    // Topics ("firewall,info") name no verdict; the prefix and chain may.
    e.action = VerdictOf(prefix);
    if (e.action == Action::kUnknown) e.action = VerdictOf(chain);
    if (e.action == Action::kUnknown) e.action = default_action_;
    sink.OnRecord(e, host);
  }

 private:
  // "jan/11/2005 01:42:22 ", "jan/11 01:42:22 " (year inferred as for RFC
  // 3164) or a bare "01:42:22 " (no date: rejected later) at the start.
  bool RouterOsStamp(std::string_view s, std::string_view* rest, bool* has_time, TimeUs* time,
                     std::string_view* time_error) {
    CivilTime c;
    size_t i;
    int year = 0;
    if (s.size() >= 9 && IsDigit(s[0]) && s[2] == ':' && s[5] == ':' && s[8] == ' ') {
      if (Digits2(s.data()) < 0 || Digits2(s.data() + 3) < 0 || Digits2(s.data() + 6) < 0)
        return false;
      *rest = s.substr(9);
      *has_time = false;
      *time_error = "RouterOS time without a date (today's /log print lines)";
      return true;
    }
    if (s.size() < 16 || s[3] != '/' || !IsDigit(s[4]) || !IsDigit(s[5])) return false;
    int month = MonthCi(s.substr(0, 3));
    if (month == 0) return false;
    int day = Digits2(s.data() + 4);
    i = 6;
    if (s[i] == '/') {
      if (s.size() < 21 || Digits2(s.data() + 7) < 0 || Digits2(s.data() + 9) < 0) return false;
      year = Digits2(s.data() + 7) * 100 + Digits2(s.data() + 9);
      i = 11;
    }
    if (s[i] != ' ' || i + 9 > s.size() || s[i + 3] != ':' || s[i + 6] != ':' ||
        (i + 9 < s.size() && s[i + 9] != ' ')) {
      return false;
    }
    int hh = Digits2(s.data() + i + 1), mm = Digits2(s.data() + i + 4),
        ss = Digits2(s.data() + i + 7);
    if (hh < 0 || mm < 0 || ss < 0) return false;
    *rest = s.substr(std::min(s.size(), i + 10));
    *has_time = false;
    *time_error = stamp_error_;
    if (year == 0) {
      // Let the syslog header parser infer the year (and step it at New Year).
      static constexpr std::string_view kMon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3s %02d %02d:%02d:%02d x", kMon[month - 1].data(), day, hh,
                    mm, ss);
      detail::SyslogHeader h;
      stamp_.Parse(buf, &h);
      if (!h.has_time) {
        stamp_error_ = FieldDetail(s.substr(0, i + 9), "invalid date or time");
        *time_error = stamp_error_;
        return true;
      }
      *time = h.time;
      *has_time = true;
      return true;
    }
    c.year = year;
    c.month = month;
    c.day = day;
    c.hour = hh;
    c.minute = mm;
    c.second = ss;
    if (!IsValidDate(year, month, day) || hh > 23 || mm > 59 || ss > 60) {
      stamp_error_ = FieldDetail(s.substr(0, i + 9), "invalid date or time");
      *time_error = stamp_error_;
      return true;
    }
    *time = clock_.ToUtc(c);
    *has_time = true;
    return true;
  }

  bool Fail(Reason r, std::string_view field, std::string_view why) {
    fail_.reason = r;
    fail_.detail = FieldDetail(field, why);
    return false;
  }
  bool Truncated(std::string_view why) {
    fail_.reason = Reason::kTruncated;
    fail_.detail.assign(why);
    return false;
  }

  // "1.2.3.4:80", "1.2.3.4", "[2001:db8::1]:80", "[2001:db8::1]", "2001:db8::1".
  bool Endpoint(std::string_view s, IpAddr* a, uint16_t* port, std::string_view which) {
    std::string_view addr = s, p;
    if (!s.empty() && s[0] == '[') {
      size_t close = s.find(']');
      if (close == std::string_view::npos)
        return Fail(Reason::kUnparsableAddress, s, "no closing ']'");
      addr = s.substr(1, close - 1);
      std::string_view after = s.substr(close + 1);
      if (!after.empty()) {
        if (after[0] != ':') return Fail(Reason::kUnparsableAddress, s, "junk after ']'");
        p = after.substr(1);
        if (p.empty()) return Fail(Reason::kBadPort, s, "empty port");
      }
    } else {
      size_t colon = s.find(':');
      if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
        addr = s.substr(0, colon);
        p = s.substr(colon + 1);
        if (p.empty()) return Fail(Reason::kBadPort, s, "empty port");
      }
    }
    if (!IpAddr::Parse(addr, a) && !IpAddr::ParseAnonymisedV4(addr, a)) {
      std::string why(which);
      why += " not an IPv4/IPv6 address";
      return Fail(Reason::kUnparsableAddress, s, why);
    }
    if (!p.empty()) {
      uint64_t v;
      if (!ParseUint(p, 65535, &v)) {
        bool digits = ParseUint(p, UINT64_MAX, &v);
        return Fail(Reason::kBadPort, s, digits ? "port > 65535" : "port not a number");
      }
      *port = static_cast<uint16_t>(v);
    }
    return true;
  }

  // "in:ether1 out:(unknown 0), [connection-state:new ][src-mac m, ]proto P[ (..)], a->b[, NAT
  // ...], len N"
  bool ParseBody(std::string_view b, Event* e) {
    size_t p = b.find("proto ");
    while (p != std::string_view::npos && p > 0 && b[p - 1] != ' ' && b[p - 1] != ',') {
      p = b.find("proto ", p + 1);
    }
    if (p == std::string_view::npos) return Truncated("no \"proto\" field");
    size_t i = p + 6;
    size_t end = b.find_first_of(" ,", i);
    if (end == std::string_view::npos) return Truncated("nothing after the protocol");
    std::string_view name = b.substr(i, end - i);
    if (!ProtoOf(name, &e->proto)) return Fail(Reason::kUnknownProtocol, name, "unknown protocol");
    i = end;
    if (b.compare(i, 2, " (") == 0) {
      size_t close = b.find(')', i);
      if (close == std::string_view::npos) return Truncated("protocol details not closed by ')'");
      std::string_view g = b.substr(i + 2, close - i - 2);
      if (e->proto == kProtoTcp) {
        if (!TcpFlags(g, e)) return false;
      } else if (e->proto == kProtoIcmp || e->proto == kProtoIpv6Icmp) {
        if (!IcmpTypeCode(g, e)) return false;
      }
      i = close + 1;
    }
    if (b.compare(i, 2, ", ") != 0) return Truncated("no addresses after the protocol");
    i += 2;
    end = b.find(',', i);
    std::string_view pair =
        b.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    size_t arrow = pair.find("->");
    if (arrow == std::string_view::npos) return Truncated("no \"source->destination\"");
    uint16_t sport = 0, dport = 0;
    if (!Endpoint(pair.substr(0, arrow), &e->src, &sport, "source") ||
        !Endpoint(pair.substr(arrow + 2), &e->dst, &dport, "destination")) {
      return false;
    }
    if (e->proto != kProtoIcmp && e->proto != kProtoIpv6Icmp) {
      e->sport = sport;
      e->dport = dport;
    }
    if (end == std::string_view::npos) return Truncated("no \"len\" field");
    size_t len = b.find(", len ", end);
    if (len == std::string_view::npos) return Truncated("no \"len\" field");
    std::string_view n = b.substr(len + 6);
    n = n.substr(0, n.find_first_of(", "));
    bool v6 = !e->src.is_v4() && !e->src.is_anonymised();
    uint64_t v;
    // IPv4: total length; IPv6: RouterOS gives the payload length.
    if (!ParseUint(n, v6 ? 65535 - 40 : 65535, &v))
      return Fail(Reason::kBadField, n, "len not 0..65535");
    e->ip_len = static_cast<uint16_t>(v6 ? v + 40 : v);
    return true;
  }

  // "SYN", "ACK,FIN", "ACK,PSH", "RST", "SYN,ACK", "SYN,ECE,CWR"
  bool TcpFlags(std::string_view g, Event* e) {
    while (!g.empty()) {
      size_t c = g.find(',');
      std::string_view f = g.substr(0, c);
      g = c == std::string_view::npos ? std::string_view() : g.substr(c + 1);
      while (!f.empty() && f[0] == ' ') f.remove_prefix(1);
      if (f == "SYN")
        e->tcp_flags |= tcp::kSyn;
      else if (f == "ACK")
        e->tcp_flags |= tcp::kAck;
      else if (f == "FIN")
        e->tcp_flags |= tcp::kFin;
      else if (f == "RST")
        e->tcp_flags |= tcp::kRst;
      else if (f == "PSH")
        e->tcp_flags |= tcp::kPsh;
      else if (f == "URG")
        e->tcp_flags |= tcp::kUrg;
      else if (f == "ECE")
        e->tcp_flags |= tcp::kEce;
      else if (f == "CWR")
        e->tcp_flags |= tcp::kCwr;
      else
        return Fail(Reason::kBadField, f, "TCP flag not SYN/ACK/FIN/RST/PSH/URG/ECE/CWR");
    }
    return true;
  }

  // "type 8, code 0"
  bool IcmpTypeCode(std::string_view g, Event* e) {
    size_t t = g.find("type "), c = g.find("code ");
    if (t == std::string_view::npos || c == std::string_view::npos) {
      return Fail(Reason::kBadField, g, "ICMP details not \"type t, code c\"");
    }
    std::string_view ts = g.substr(t + 5), cs = g.substr(c + 5);
    ts = ts.substr(0, ts.find(','));
    cs = cs.substr(0, cs.find(','));
    uint64_t type, code;
    if (!ParseUint(ts, 255, &type) || !ParseUint(cs, 255, &code)) {
      return Fail(Reason::kBadField, g, "ICMP type/code not 0..255");
    }
    e->sport = static_cast<uint16_t>(type);
    e->dport = static_cast<uint16_t>(code);
    return true;
  }

  Action default_action_;
  detail::SyslogHeaderParser header_;
  detail::SyslogHeaderParser stamp_;  // year inference for "jan/11 01:42:22"
  detail::LocalClock clock_;
  std::string stamp_error_;
  Failure fail_;
};

}  // namespace

int DetectMikrotik(std::string_view line) {
  size_t mark = line.find(kChainMark);
  if (mark == std::string_view::npos) return 0;
  std::string_view body = line.substr(mark);
  if (body.find(" out:") == std::string_view::npos ||
      body.find("proto ") == std::string_view::npos || body.find("->") == std::string_view::npos) {
    return 20;
  }
  return line.substr(0, mark).find("firewall,") != std::string_view::npos ? 95 : 90;
}

std::unique_ptr<Parser> MakeMikrotikParser(const ParseOptions& options) {
  return std::make_unique<MikrotikParser>(options);
}

}  // namespace portstorm::parse
