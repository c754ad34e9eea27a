#include "parse/formats/pf.h"

#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::IsDigit;
using detail::ParseUint;

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

std::string_view TrimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

std::string_view FirstToken(std::string_view s) { return s.substr(0, s.find(' ')); }

std::string_view StripComma(std::string_view t) {
  while (!t.empty() && (t.back() == ',' || t.back() == ';')) t.remove_suffix(1);
  return t;
}

// A leading tcpdump timestamp that is not a date: "-ttt"/"-tttt" deltas
// ("00:00:01.000000", "000001", "1.000001") or "-tt" epoch seconds.
enum class Stamp { kNone, kRelative, kEpoch };

Stamp ClassifyStamp(std::string_view tok, TimeUs* epoch) {
  if (tok.empty() || !IsDigit(tok[0])) return Stamp::kNone;
  bool colon = false;
  size_t dot = std::string_view::npos;
  for (size_t i = 0; i < tok.size(); ++i) {
    char c = tok[i];
    if (c == ':')
      colon = true;
    else if (c == '.' && dot == std::string_view::npos)
      dot = i;
    else if (!IsDigit(c))
      return Stamp::kNone;
  }
  if (!colon && dot != std::string_view::npos && dot >= 9 && dot <= 11) {
    uint64_t secs, frac;
    std::string_view f = tok.substr(dot + 1);
    if (ParseUint(tok.substr(0, dot), 99'999'999'999ull, &secs) && !f.empty() && f.size() <= 9 &&
        ParseUint(f, 999'999'999, &frac)) {
      for (size_t d = f.size(); d < 6; ++d) frac *= 10;
      for (size_t d = f.size(); d > 6; --d) frac /= 10;
      *epoch = static_cast<TimeUs>(secs) * kUsPerSecond + static_cast<TimeUs>(frac);
      return Stamp::kEpoch;
    }
  }
  return Stamp::kRelative;
}

// True when the header parser took tcpdump's own output for a syslog line:
// the "host" is the pflog "rule" keyword, a "(tos ..." group or a source
// address followed by " > ".
bool TcpdumpTimestamp(const detail::SyslogHeader& h) {
  if (h.host == "rule") return true;
  if (!h.host.empty() && h.host[0] == '(') return true;
  return !h.host.empty() && StartsWith(h.message, "> ");
}

// The text from the header's host token on (the host is part of tcpdump's output).
std::string_view FromHost(std::string_view line, const detail::SyslogHeader& h) {
  return line.substr(static_cast<size_t>(h.host.data() - line.data()));
}

Action PfAction(std::string_view a) {
  if (a == "block" || a == "synproxy-drop") return Action::kDrop;
  if (a == "pass") return Action::kAllow;
  return Action::kUnknown;  // match, scrub, nat, binat, rdr: no verdict of their own
}

struct IcmpText {
  std::string_view text;
  uint8_t type, code;
};

// First match wins: more specific texts come first.
// First match wins: the types whose text could contain "port", "host" or
// "net" come before the unreachable codes.
constexpr IcmpText kIcmp4[] = {
    {"echo request", 8, 0},
    {"echo reply", 0, 0},
    {"redirect", 5, 0},
    {"source quench", 4, 0},
    {"router advertisement", 9, 0},
    {"router solicitation", 10, 0},
    {"reassembly time exceeded", 11, 1},
    {"time exceeded", 11, 0},
    {"parameter problem", 12, 0},
    {"time stamp request", 13, 0},
    {"time stamp query", 13, 0},
    {"time stamp reply", 14, 0},
    {"information request", 15, 0},
    {"information reply", 16, 0},
    {"address mask request", 17, 0},
    {"address mask is", 18, 0},
    {"need to frag", 3, 4},
    {"admin prohibited filter", 3, 13},
    {"source route failed", 3, 5},
    {"port", 3, 3},  // "198.51.100.2 udp port 53 unreachable"
    {"protocol", 3, 2},
    {"host", 3, 1},
    {"net", 3, 0},
    {"unreachable", 3, 0},
};
constexpr IcmpText kIcmp6[] = {
    {"echo request", 128, 0},
    {"echo reply", 129, 0},
    {"packet too big", 2, 0},
    {"reassembly time exceeded", 3, 1},
    {"time exceeded", 3, 0},
    {"parameter problem", 4, 0},
    {"router solicitation", 133, 0},
    {"router advertisement", 134, 0},
    {"neighbor sol", 135, 0},
    {"neighbor adv", 136, 0},
    {"redirect", 137, 0},
    {"multicast listener query", 130, 0},
    {"multicast listener report v2", 143, 0},
    {"multicast listener report", 131, 0},
    {"multicast listener done", 132, 0},
    {"port", 1, 4},
    {"unreachable", 1, 0},
};

template <size_t N>
void IcmpTypeCode(std::string_view text, const IcmpText (&table)[N], Event* e) {
  // "icmp: echo request", "ICMP echo request, id 1, ...", "ICMP6, echo request, ...";
  // a "(mtu 1480)" or quoted packet after '(' names no type.
  while (!text.empty() && (text[0] == ':' || text[0] == ',' || text[0] == ' '))
    text.remove_prefix(1);
  text = text.substr(0, text.find('('));
  for (const IcmpText& t : table) {
    if (text.find(t.text) != std::string_view::npos) {
      e->sport = t.type;
      e->dport = t.code;
      return;
    }
  }
}

// Protocol keywords tcpdump prints first for non-TCP/UDP/ICMP payloads.
bool OtherProto(std::string_view t, uint8_t* proto) {
  struct Word {
    std::string_view prefix;
    uint8_t proto;
  };
  static constexpr Word kWords[] = {
      {"igmp", 2},  {"IGMP", 2},  {"ESP(", 50},  {"esp", 50},   {"AH(", 51},   {"ah ", 51},
      {"gre", 47},  {"GRE", 47},  {"CARP", 112}, {"carp", 112}, {"VRRP", 112}, {"vrrp", 112},
      {"pim", 103}, {"PIM", 103}, {"OSPF", 89},  {"ospf", 89},  {"sctp", 132}, {"SCTP", 132},
  };
  for (const Word& w : kWords) {
    if (StartsWith(t, w.prefix)) {
      *proto = w.proto;
      return true;
    }
  }
  uint64_t v;
  if (StartsWith(t, "ip-proto-")) {
    std::string_view n = FirstToken(t.substr(9));
    if (ParseUint(n, 255, &v)) {
      *proto = static_cast<uint8_t>(v);
      return true;
    }
  }
  return false;
}

// Old-style (OpenBSD, tcpdump < 4) TCP flags: "S", "FP", "." (no flag but ACK), "SEW".
bool OldTcpFlags(std::string_view tok) {
  tok = StripComma(tok);
  if (tok.empty() || tok.size() > 8) return false;
  for (char c : tok) {
    if (std::string_view("SFRPWEU.").find(c) == std::string_view::npos) return false;
  }
  return true;
}

struct Failure {
  Reason reason = Reason::kBadField;
  std::string detail;
};

class PfParser : public Parser {
 public:
  explicit PfParser(const ParseOptions& options)
      : default_action_(options.default_action), header_(options), inner_(options) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    if (TrimLeft(line).empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    detail::SyslogHeader h;
    header_.Parse(line, &h);
    std::string_view body, host;
    bool has_time = false;
    TimeUs time = 0;
    std::string_view time_error = "no timestamp (tcpdump -t)";
    std::string_view relative;  // a delta stamp that was dropped
    if (h.form != detail::HeaderForm::kNone && TcpdumpTimestamp(h)) {
      // tcpdump's own date: OpenBSD -ttt, tcpdump.org -tttt.
      body = FromHost(line, h);
      has_time = h.has_time;
      time = h.time;
      time_error = h.time_error;
    } else if (h.form != detail::HeaderForm::kNone) {
      // tcpdump output piped through logger(1): "<syslog header> pf: <tcpdump line>".
      host = h.host;
      has_time = h.has_time;
      time = h.time;
      time_error = h.time_error;
      body = TrimLeft(h.message);
      std::string_view tag = FirstToken(body);
      if (!tag.empty() && tag.back() == ':' && tag != "rule")
        body = TrimLeft(body.substr(tag.size()));
      detail::SyslogHeader ih;
      inner_.Parse(body, &ih);
      if (ih.form != detail::HeaderForm::kNone && TcpdumpTimestamp(ih)) {
        // The packet's own time beats the time the relay wrote it.
        if (ih.has_time) time = ih.time;
        body = FromHost(body, ih);
      } else {
        body = SkipStamps(body, &relative, &has_time, &time);
      }
    } else {
      body = SkipStamps(line, &relative, &has_time, &time);
    }
    body = TrimLeft(body);
    bool pflog = StartsWith(body, "rule ");
    if (!pflog && !LooksLikePacket(body)) {
      sink.OnReject(lineno, Reason::kNotARecord,
                    "no pflog \"rule\" header and no \"src > dst:\" packet");
      return;
    }
    if (!has_time) {
      if (!relative.empty()) {
        std::string d =
            FieldDetail(relative,
                        "relative tcpdump timestamp (a -ttt/-tttt delta) has no date; "
                        "print absolute dates (OpenBSD tcpdump -ttt, tcpdump.org -tttt)");
        sink.OnReject(lineno, Reason::kBadTimestamp, d);
      } else {
        sink.OnReject(lineno, Reason::kBadTimestamp, time_error);
      }
      return;
    }
    Event e;
    e.time = time;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    bool ok = pflog ? ParsePflog(body.substr(5), &e) : ParsePacket(body, &e);
    if (!ok) {
      sink.OnReject(lineno, fail_.reason, fail_.detail);
      return;
    }
    if (e.action == Action::kUnknown) e.action = default_action_;
    sink.OnRecord(e, host);
  }

 private:
  // Drops leading delta stamps ("00:00:01.000000", "000001 00:00:00.000000");
  // takes a -tt epoch stamp as the time.
  static std::string_view SkipStamps(std::string_view s, std::string_view* relative, bool* has_time,
                                     TimeUs* time) {
    for (int i = 0; i < 2; ++i) {
      s = TrimLeft(s);
      std::string_view tok = FirstToken(s);
      TimeUs epoch = 0;
      Stamp k = ClassifyStamp(tok, &epoch);
      if (k == Stamp::kNone) break;
      if (k == Stamp::kEpoch) {
        *has_time = true;
        *time = epoch;
      } else if (relative->empty()) {
        *relative = tok;
      }
      s = s.substr(tok.size());
    }
    return s;
  }

  // "addr[.port] > addr[.port]:" (possibly after a "(tos ...)" group).
  static bool LooksLikePacket(std::string_view s) {
    if (!s.empty() && s[0] == '(') {
      size_t close = s.find(')');
      return close != std::string_view::npos && (s.find("ttl ") < close || s.find("hlim ") < close);
    }
    if (StartsWith(s, "IP "))
      s.remove_prefix(3);
    else if (StartsWith(s, "IP6 "))
      s.remove_prefix(4);
    size_t gt = s.find(" > ");
    if (gt == std::string_view::npos || gt > 64 || gt < 3) return false;
    for (size_t i = 0; i < gt; ++i) {
      char c = s[i];
      if (!detail::IsAlnum(c) && c != '.' && c != ':') return false;
    }
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

  // "2/(match) block in on em0: <packet>" or "21..16777216/0(match): pass out on em0: <packet>"
  bool ParsePflog(std::string_view s, Event* e) {
    size_t on = s.find(" on ");
    if (on == std::string_view::npos) return Truncated("pflog header without \" on <interface>\"");
    std::string_view pre = s.substr(0, on);
    if (FirstToken(pre).find('/') == std::string_view::npos) {
      return Fail(Reason::kBadField, FirstToken(pre), "rule number without /reason");
    }
    size_t sp = pre.rfind(' ');
    if (sp == std::string_view::npos) return Truncated("pflog header without action and direction");
    std::string_view dir = pre.substr(sp + 1);
    pre = pre.substr(0, sp);
    sp = pre.rfind(' ');
    if (sp == std::string_view::npos) return Truncated("pflog header without an action");
    std::string_view action = pre.substr(sp + 1);
    if (dir != "in" && dir != "out" && dir != "in/out" && !StartsWith(dir, "unkn")) {
      return Fail(Reason::kBadField, dir, "direction not in/out");
    }
    e->action = PfAction(action);
    std::string_view after = s.substr(on + 4);
    size_t colon = after.find(": ");
    if (colon == std::string_view::npos) return Truncated("no packet after the interface");
    std::string_view packet = TrimLeft(after.substr(colon + 2));
    // "[uid 0, pid 123]" (OpenBSD -v) and similar bracketed notes.
    while (!packet.empty() && packet[0] == '[') {
      size_t close = packet.find(']');
      if (close == std::string_view::npos) break;
      packet = TrimLeft(packet.substr(close + 1));
    }
    if (packet.empty()) return Truncated("no packet after the interface");
    return ParsePacket(packet, e);
  }

  // Interprets the words of one "( ... )" group of IP header values:
  // OpenBSD -v "(ttl 64, id 1234, len 48)", tcpdump.org "(tos 0x0, ttl 64, id 1234,
  // offset 0, flags [DF], proto TCP (6), length 60)", IPv6 "(flowlabel 0x1, hlim 64,
  // next-header TCP (6) payload length: 40)", "(DF)", "(frag 4711:1480@1480+)".
  bool IpGroup(std::string_view g, Event* e) {
    if (g == "DF") {
      e->ip_flags |= ipf::kDf;
      return true;
    }
    if (StartsWith(g, "frag ")) {
      std::string_view f = g.substr(5);  // id:len@off[+]
      size_t c = f.find(':'), at = f.find('@');
      uint64_t id, off;
      if (c == std::string_view::npos || at == std::string_view::npos || at < c ||
          !ParseUint(f.substr(0, c), 65535, &id)) {
        return Fail(Reason::kBadField, g, "fragment not (frag id:len@offset)");
      }
      std::string_view o = f.substr(at + 1);
      if (!o.empty() && o.back() == '+') {
        e->ip_flags |= ipf::kMf;
        o.remove_suffix(1);
      }
      if (!ParseUint(o, 65535, &off))
        return Fail(Reason::kBadField, g, "fragment offset not a number");
      e->ip_id = static_cast<uint16_t>(id);
      if (off != 0) e->ip_flags |= ipf::kFragment;
      return true;
    }
    std::string_view first = FirstToken(g);
    if (first != "tos" && first != "ttl" && first != "len" && first != "hlim" &&
        first != "flowlabel" && first != "class") {
      return true;  // "(0)", "(29)", "(correct)": not IP header values
    }
    bool v6 = !e->src.is_v4();
    std::string_view prev;
    size_t i = 0;
    uint64_t v;
    auto next = [&]() {
      while (i < g.size() && (g[i] == ' ' || g[i] == ',' || g[i] == ':')) ++i;
      size_t b = i;
      while (i < g.size() && g[i] != ' ' && g[i] != ',' && g[i] != ':') ++i;
      return g.substr(b, i - b);
    };
    for (std::string_view k = next(); !k.empty(); prev = k, k = next()) {
      if (k == "ttl" || k == "hlim") {
        std::string_view n = next();
        if (!ParseUint(n, 255, &v)) return Fail(Reason::kBadField, g, "TTL not 0..255");
        e->ttl = static_cast<uint8_t>(v);
      } else if (k == "id") {
        std::string_view n = next();
        if (!ParseUint(n, 65535, &v)) return Fail(Reason::kBadField, g, "IP ID not 0..65535");
        e->ip_id = static_cast<uint16_t>(v);
      } else if (k == "offset") {
        if (ParseUint(next(), 65535, &v) && v != 0) e->ip_flags |= ipf::kFragment;
      } else if (k == "len" || k == "length") {
        std::string_view n = next();
        bool payload = prev == "payload" || (k == "len" && v6);
        if (!ParseUint(n, payload ? 65535 - 40 : 65535, &v)) {
          return Fail(Reason::kBadField, g, "length not 0..65535");
        }
        e->ip_len = static_cast<uint16_t>(payload ? v + 40 : v);
      } else if (k == "flags") {
        std::string_view f = next();
        if (f.find("DF") != std::string_view::npos) e->ip_flags |= ipf::kDf;
        if (f.find('+') != std::string_view::npos || f.find("MF") != std::string_view::npos) {
          e->ip_flags |= ipf::kMf;
        }
      } else if (k == "proto" || k == "next-header") {
        next();                       // the name
        std::string_view n = next();  // "(6)"
        if (n.size() > 2 && n.front() == '(' && n.back() == ')' &&
            ParseUint(n.substr(1, n.size() - 2), 255, &v)) {
          group_proto_ = static_cast<uint8_t>(v);
        }
      }
    }
    return true;
  }

  // Every top-level "( ... )" group of `s` (nested parentheses kept inside),
  // and OpenBSD's "[ttl 1]" note for TTLs <= 1.
  bool IpGroups(std::string_view s, Event* e) {
    size_t bt = s.find("[ttl ");
    if (bt != std::string_view::npos) {
      std::string_view n = s.substr(bt + 5);
      uint64_t v;
      if (ParseUint(n.substr(0, n.find(']')), 255, &v)) e->ttl = static_cast<uint8_t>(v);
    }
    size_t i = 0;
    while ((i = s.find('(', i)) != std::string_view::npos) {
      int depth = 0;
      size_t j = i;
      for (; j < s.size(); ++j) {
        if (s[j] == '(')
          ++depth;
        else if (s[j] == ')' && --depth == 0)
          break;
      }
      if (j >= s.size()) return true;  // unbalanced: cut-off text, nothing more to take
      // "1296947564:1296947564(0)" is the TCP segment, not an IP group.
      if (i == 0 || s[i - 1] == ' ') {
        if (!IpGroup(s.substr(i + 1, j - i - 1), e)) return false;
      }
      i = j + 1;
    }
    return true;
  }

  bool Address(std::string_view tok, IpAddr* a, uint16_t* port, bool* has_port,
               std::string_view which) {
    *has_port = false;
    if (IpAddr::Parse(tok, a) || IpAddr::ParseAnonymisedV4(tok, a)) return true;
    size_t dot = tok.rfind('.');
    std::string_view ap = dot == std::string_view::npos ? tok : tok.substr(0, dot);
    if (dot == std::string_view::npos ||
        !(IpAddr::Parse(ap, a) || IpAddr::ParseAnonymisedV4(ap, a))) {
      std::string why(which);
      why += " not an address[.port] (read the log with tcpdump -n)";
      return Fail(Reason::kUnparsableAddress, tok, why);
    }
    std::string_view p = tok.substr(dot + 1);
    uint64_t v;
    if (!ParseUint(p, 65535, &v)) {
      bool digits = ParseUint(p, UINT64_MAX, &v);
      return Fail(Reason::kBadPort, tok,
                  digits ? "port > 65535" : "port not a number (read the log with tcpdump -n)");
    }
    *port = static_cast<uint16_t>(v);
    *has_port = true;
    return true;
  }

  bool ParsePacket(std::string_view s, Event* e) {
    group_proto_ = 0;
    // tcpdump 3.9 -v: "(tos 0x0, ttl 64, ...) src > dst: ..." on one line.
    std::string_view lead;
    if (!s.empty() && s[0] == '(') {
      int depth = 0;
      size_t end = 0;
      for (; end < s.size(); ++end) {
        if (s[end] == '(')
          ++depth;
        else if (s[end] == ')' && --depth == 0)
          break;
      }
      if (end >= s.size()) return Truncated("IP header group not closed");
      lead = s.substr(1, end - 1);
      s = TrimLeft(s.substr(end + 1));
      if (s.empty())
        return Truncated("IP header only: tcpdump -v printed the packet on the next line");
    }
    if (StartsWith(s, "IP "))
      s.remove_prefix(3);
    else if (StartsWith(s, "IP6 "))
      s.remove_prefix(4);
    size_t gt = s.find(" > ");
    if (gt == std::string_view::npos) return Truncated("no \"source > destination\"");
    std::string_view src_tok = s.substr(0, gt);
    std::string_view rest = s.substr(gt + 3);
    size_t sp = rest.find(' ');
    std::string_view dst_tok = rest.substr(0, sp);
    if (dst_tok.empty() || dst_tok.back() != ':') {
      return Truncated("destination not followed by ':'");
    }
    dst_tok.remove_suffix(1);
    std::string_view t =
        sp == std::string_view::npos ? std::string_view() : TrimLeft(rest.substr(sp + 1));
    bool sport = false, dport = false;
    if (!Address(src_tok, &e->src, &e->sport, &sport, "source") ||
        !Address(dst_tok, &e->dst, &e->dport, &dport, "destination")) {
      return false;
    }
    if (e->src.is_v4() != e->dst.is_v4() && !e->src.is_anonymised() && !e->dst.is_anonymised()) {
      return Fail(Reason::kUnparsableAddress, s.substr(0, gt + 3 + dst_tok.size()),
                  "source and destination of different IP versions");
    }
    if (!lead.empty() && !IpGroup(lead, e)) return false;
    if (!IpGroups(t, e)) return false;
    bool ports = sport && dport;
    if (StartsWith(t, "Flags [") || StartsWith(t, "[|tcp]") ||
        (ports && OldTcpFlags(FirstToken(t)))) {
      e->proto = kProtoTcp;
      return Tcp(t, e);
    }
    if (StartsWith(t, "udp") || StartsWith(t, "UDP") || StartsWith(t, "[|udp]")) {
      e->proto = kProtoUdp;
      uint64_t v;
      std::string_view n = t.substr(0, t.find('('));  // "udp 10", "UDP, length 10"
      size_t d = n.find_first_of("0123456789");
      if (d != std::string_view::npos &&
          ParseUint(StripComma(FirstToken(n.substr(d))), 65535, &v)) {
        e->payload_len = static_cast<uint16_t>(v);
      }
      return true;
    }
    if (StartsWith(t, "icmp6") || StartsWith(t, "ICMP6")) {
      e->proto = kProtoIpv6Icmp;
      IcmpTypeCode(t.substr(5), kIcmp6, e);
      return true;
    }
    if (StartsWith(t, "icmp") || StartsWith(t, "ICMP")) {
      e->proto = kProtoIcmp;
      IcmpTypeCode(t.substr(4), kIcmp4, e);
      return true;
    }
    if (OtherProto(t, &e->proto)) return true;
    if (ports) {  // an application decode (DNS, NTP, ...): tcpdump decodes those for UDP
      e->proto = kProtoUdp;
      return true;
    }
    if (group_proto_ != 0) {
      e->proto = group_proto_;
      return true;
    }
    if (StartsWith(t, "(frag ")) return true;  // a later fragment: the protocol is not printed
    return Fail(Reason::kUnknownProtocol, t.empty() ? std::string_view("(nothing)") : FirstToken(t),
                "protocol not recognised");
  }

  // Old "S 1296947564:1296947564(0) ack 1 win 65535 <mss 1460,nop>" and new
  // "Flags [S.], seq 1, ack 2, win 65535, options [mss 1460,nop], length 0".
  bool Tcp(std::string_view t, Event* e) {
    size_t i = 0;
    auto next = [&]() {
      while (i < t.size() && t[i] == ' ') ++i;
      size_t b = i;
      while (i < t.size() && t[i] != ' ') ++i;
      return t.substr(b, i - b);
    };
    std::string_view first = next();
    if (first == "Flags") {
      std::string_view f = StripComma(next());  // "[S.]"
      if (f.size() < 2 || f.front() != '[' || f.back() != ']') {
        return Fail(Reason::kBadField, f, "TCP flags not [letters]");
      }
      f = f.substr(1, f.size() - 2);
      if (f != "none" && !Flags(f, /*dot_is_ack=*/true, e)) return false;
    } else if (first != "[|tcp]") {
      if (!Flags(StripComma(first), /*dot_is_ack=*/false, e)) return false;
    }
    uint64_t v;
    for (std::string_view k = next(); !k.empty(); k = next()) {
      std::string_view w = StripComma(k);
      if (w == "seq") {
        std::string_view n = StripComma(next());
        if (!ParseUint(n.substr(0, n.find(':')), UINT32_MAX, &v)) {
          return Fail(Reason::kBadField, n, "sequence not a number");
        }
        e->seq = static_cast<uint32_t>(v);
      } else if (w == "ack") {
        e->tcp_flags |= tcp::kAck;
        next();
      } else if (w == "win") {
        std::string_view n = StripComma(next());
        if (!ParseUint(n, 65535, &v)) return Fail(Reason::kBadField, n, "window not 0..65535");
        e->window = static_cast<uint16_t>(v);
      } else if (w == "urg") {
        e->tcp_flags |= tcp::kUrg;
        next();
      } else if (w == "length") {
        std::string_view n = StripComma(next());
        if (ParseUint(n.substr(0, n.find(':')), 65535, &v))
          e->payload_len = static_cast<uint16_t>(v);
      } else if (w == "options" || (!w.empty() && w[0] == '<')) {
        // Options run to the closing ']' or '>'.
        size_t b = w == "options" ? t.find('[', i) : static_cast<size_t>(w.data() - t.data());
        char close = w == "options" ? ']' : '>';
        if (b == std::string_view::npos) break;
        size_t end = t.find(close, b);
        if (end == std::string_view::npos) end = t.size();  // cut off ("[|tcp]")
        Options(t.substr(b + 1, end - b - 1), e);
        i = end == t.size() ? end : end + 1;
      } else if (!w.empty() && IsDigit(w[0]) && w.find(':') != std::string_view::npos &&
                 w.find('(') != std::string_view::npos) {
        // "first:last(len)": relative or absolute sequence numbers of the segment
        std::string_view n = w.substr(0, w.find(':'));
        if (!ParseUint(n, UINT32_MAX, &v))
          return Fail(Reason::kBadField, w, "sequence not a number");
        e->seq = static_cast<uint32_t>(v);
        size_t open = w.find('('), close = w.find(')', open);
        if (close != std::string_view::npos &&
            ParseUint(w.substr(open + 1, close - open - 1), 65535, &v)) {
          e->payload_len = static_cast<uint16_t>(v);
        }
      }
    }
    return true;
  }

  bool Flags(std::string_view f, bool dot_is_ack, Event* e) {
    for (char c : f) {
      switch (c) {
        case 'S':
          e->tcp_flags |= tcp::kSyn;
          break;
        case 'F':
          e->tcp_flags |= tcp::kFin;
          break;
        case 'R':
          e->tcp_flags |= tcp::kRst;
          break;
        case 'P':
          e->tcp_flags |= tcp::kPsh;
          break;
        case 'U':
          e->tcp_flags |= tcp::kUrg;
          break;
        case 'W':
          e->tcp_flags |= tcp::kCwr;
          break;
        case 'E':
          e->tcp_flags |= tcp::kEce;
          break;
        case '.':
          if (dot_is_ack) e->tcp_flags |= tcp::kAck;
          break;
        default:
          return Fail(Reason::kBadField, f, "TCP flags not letters of SFRPUWE.");
      }
    }
    return true;
  }

  // "mss 1460,nop,wscale 7,sackOK,TS val 1 ecr 0,timestamp 1 0,eol"
  static void Options(std::string_view s, Event* e) {
    while (!s.empty()) {
      size_t comma = s.find(',');
      std::string_view o = TrimLeft(s.substr(0, comma));
      s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
      std::string_view name = FirstToken(o);
      uint64_t v;
      TcpOpt t = TcpOpt::kOther;
      if (name == "nop") {
        t = TcpOpt::kNop;
      } else if (name == "mss") {
        t = TcpOpt::kMss;
        if (ParseUint(TrimLeft(o.substr(name.size())), 65535, &v))
          e->mss = static_cast<uint16_t>(v);
      } else if (name == "wscale") {
        t = TcpOpt::kWscale;
        if (ParseUint(TrimLeft(o.substr(name.size())), 254, &v))
          e->wscale = static_cast<uint8_t>(v + 1);
      } else if (name == "sackOK") {
        t = TcpOpt::kSackOk;
      } else if (name == "sack") {
        t = TcpOpt::kSack;
      } else if (name == "TS" || name == "timestamp") {
        t = TcpOpt::kTimestamp;
      } else if (name == "eol") {
        return;
      } else if (name.empty()) {
        continue;
      }
      e->tcp_opts = AppendTcpOpt(e->tcp_opts, t);
    }
  }

  Action default_action_;
  detail::SyslogHeaderParser header_;
  detail::SyslogHeaderParser inner_;  // tcpdump's own date inside a syslog line
  uint8_t group_proto_ = 0;
  Failure fail_;
};

}  // namespace

int DetectPf(std::string_view line) {
  size_t r = line.find("rule ");
  if (r == std::string_view::npos) return 0;
  std::string_view s = line.substr(r + 5, 160);
  size_t slash = s.find('/');
  size_t open = s.find('(');
  size_t on = s.find(" on ");
  if (slash == std::string_view::npos || open == std::string_view::npos ||
      on == std::string_view::npos || slash > open || open > on || slash > 40) {
    return 0;
  }
  bool verdict = s.find("block ") != std::string_view::npos ||
                 s.find("pass ") != std::string_view::npos ||
                 s.find("match ") != std::string_view::npos;
  bool packet = line.find(" > ", r) != std::string_view::npos;
  return verdict && packet ? 95 : 60;
}

std::unique_ptr<Parser> MakePfParser(const ParseOptions& options) {
  return std::make_unique<PfParser>(options);
}

}  // namespace portstorm::parse
