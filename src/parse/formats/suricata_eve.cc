#include "parse/formats/suricata_eve.h"

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

namespace od = simdjson::ondemand;
using detail::FieldDetail;
using detail::ParseUint;

// clang-format off
constexpr std::string_view kJsonErrorNames[] = {
    "SUCCESS", "CAPACITY", "MEMALLOC", "TAPE_ERROR", "DEPTH_ERROR", "STRING_ERROR",
    "T_ATOM_ERROR", "F_ATOM_ERROR", "N_ATOM_ERROR", "NUMBER_ERROR", "UTF8_ERROR",
    "UNINITIALIZED", "EMPTY", "UNESCAPED_CHARS", "UNCLOSED_STRING", "UNSUPPORTED_ARCHITECTURE",
    "INCORRECT_TYPE", "NUMBER_OUT_OF_RANGE", "INDEX_OUT_OF_BOUNDS", "NO_SUCH_FIELD", "IO_ERROR",
    "INVALID_JSON_POINTER", "INVALID_URI_FRAGMENT", "UNEXPECTED_ERROR", "PARSER_IN_USE",
    "OUT_OF_ORDER_ITERATION", "INSUFFICIENT_PADDING", "INCOMPLETE_ARRAY_OR_OBJECT",
    "SCALAR_DOCUMENT_AS_VALUE", "OUT_OF_BOUNDS", "TRAILING_CONTENT"};
// clang-format on
static_assert(std::size(kJsonErrorNames) == simdjson::NUM_ERROR_CODES);

// "invalid JSON (TAPE_ERROR)": simdjson's own name for what it found.
std::string JsonDetail(simdjson::error_code e) {
  auto i = static_cast<size_t>(e);
  std::string_view name = i < std::size(kJsonErrorNames) ? kJsonErrorNames[i] : "UNKNOWN_ERROR";
  std::string d = "invalid JSON (";
  d.append(name);
  d += ')';
  return d;
}

constexpr bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The value of the first "event_type" key, read from the raw text without
// parsing, so that the protocol logs that make up most of an EVE stream
// (dns, http, tls, flow, stats: kilobytes each) are skipped at memchr speed.
// Empty when the text does not have the plain `"event_type": "word"` shape;
// the caller then parses the whole object. Inside a JSON string a quote is
// escaped, so the key can only match a real key.
std::string_view PeekEventType(std::string_view json) {
  size_t k = json.find("\"event_type\"");
  if (k == std::string_view::npos) return {};
  size_t i = k + 12;
  while (i < json.size() && IsJsonSpace(json[i])) ++i;
  if (i >= json.size() || json[i] != ':') return {};
  ++i;
  while (i < json.size() && IsJsonSpace(json[i])) ++i;
  if (i >= json.size() || json[i] != '"') return {};
  size_t start = ++i;
  while (i < json.size() && json[i] != '"' && json[i] != '\\') ++i;
  if (i >= json.size() || json[i] != '"') return {};
  return json.substr(start, i - start);
}

bool IsRecordType(std::string_view t) { return t == "alert" || t == "drop" || t == "flow"; }

// A member's key as it stands in the input, without unescaping: every key
// portstorm reads is plain ASCII, and a key with an escape ends at the
// backslash here, so it matches none of them. The padded buffer ends in
// NUL bytes, so the scan stops inside it.
simdjson::error_code Key(simdjson::simdjson_result<od::field>& field, std::string_view* out) {
  od::raw_json_string rk;
  if (auto e = field.key().get(rk)) return e;
  const char* p = rk.raw();
  size_t n = 0;
  while (p[n] != '"' && p[n] != '\\' && p[n] != '\0') ++n;
  *out = std::string_view(p, n);
  return simdjson::SUCCESS;
}

// A JSON string's content, or, for any other value, its raw text (so that a
// wrong type shows up in the rejection detail: "src_ip": 5 -> "5").
std::string_view Text(od::value& v) {
  std::string_view raw = TrimJsonSpace(v.raw_json_token());
  // Addresses, stamps and names carry no escapes: take them from the input
  // as they are (stage 1 has validated the UTF-8) instead of unescaping.
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"' &&
      raw.find('\\') == std::string_view::npos) {
    return raw.substr(1, raw.size() - 2);
  }
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) return s;
  return raw;
}

// An unsigned number given as a JSON number or a decimal string ("80").
// Parsed from the raw token, so out-of-range and negative values are ours to name.
std::string_view NumberText(od::value& v) {
  std::string_view raw = TrimJsonSpace(v.raw_json_token());
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"')
    raw = raw.substr(1, raw.size() - 2);
  return raw;
}

// Suricata names protocols as /etc/protocols does ("TCP", "IPv6-ICMP", "PIM")
// or gives the number; ParseProto covers the common ones.
bool ProtoFromText(std::string_view s, uint8_t* out) {
  if (s == "TCP") {
    *out = kProtoTcp;
    return true;
  }
  if (s == "UDP") {
    *out = kProtoUdp;
    return true;
  }
  if (s.empty() || s.size() > 16) return false;
  if (auto p = ParseProto(s)) {
    *out = *p;
    return true;
  }
  static constexpr struct {
    std::string_view name;
    uint8_t number;
  } kMore[] = {{"HOPOPT", 0},      {"IPENCAP", 4},    {"IPIP", 4},        {"EGP", 8},
               {"IPV6-ROUTE", 43}, {"IPV6-FRAG", 44}, {"IPV6-NONXT", 59}, {"IPV6-OPTS", 60},
               {"OSPF", 89},       {"OSPFIGP", 89},   {"VRRP", 112},      {"L2TP", 115},
               {"UDPLITE", 136}};
  for (const auto& m : kMore) {
    if (detail::EqualsUpper(s, m.name)) {
      *out = m.number;
      return true;
    }
  }
  return false;
}

// What one EVE object says, as far as portstorm uses it. Views point into the
// line copy or the simdjson string buffer: valid until the next iterate().
struct EveFields {
  std::string_view timestamp, event_type, src_ip, dest_ip, src_port, dest_port, proto;
  std::string_view icmp_type, icmp_code, host;
  std::string_view alert_action, flow_state, flow_action;
  std::string_view tcp_flags_ts, tcp_flags;
  bool reject_target = false;
  bool has_drop = false;
  std::string_view drop_len, drop_ttl, drop_ipid, drop_seq, drop_win;
  uint8_t drop_flags = 0;
};

class SuricataEveParser : public Parser {
 public:
  explicit SuricataEveParser(const ParseOptions& options)
      : default_action_(options.default_action), header_(options), clock_(options.tz) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    size_t brace = line.find('{');
    if (brace == std::string_view::npos) {
      bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
      sink.OnReject(lineno, Reason::kNotARecord, blank ? "empty line" : "no JSON object");
      return;
    }
    std::string_view host;
    detail::SyslogHeader hdr;
    if (line.find_first_not_of(" \t") != brace) {
      // A syslog relay put a header in front: the object starts at the first
      // '{' that opens a key; text such as "suricata[12]: {" is skipped.
      size_t q = line.find_first_not_of(" \t\r\n", brace + 1);
      if (q == std::string_view::npos || (line[q] != '"' && line[q] != '}')) {
        sink.OnReject(lineno, Reason::kNotARecord, "no JSON object");
        return;
      }
      header_.Parse(line.substr(0, brace), &hdr);
      host = hdr.host;
    }
    std::string_view json = line.substr(brace);

    std::string_view peek = PeekEventType(json);
    if (!peek.empty() && !IsRecordType(peek)) {
      RejectType(peek, lineno, sink);
      return;
    }

    // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy the
    // object into a buffer that has them.
    const size_t need = json.size() + simdjson::SIMDJSON_PADDING;
    if (buf_.size() < need) buf_.resize(need);
    std::memcpy(buf_.data(), json.data(), json.size());
    std::memset(buf_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);

    od::document doc;
    od::object obj;
    EveFields f;
    simdjson::error_code err = json_.iterate(buf_.data(), json.size(), buf_.size()).get(doc);
    if (!err) err = doc.get_object().get(obj);
    if (!err) err = ReadTop(obj, &f);
    if (!err) {
      const char* rest = nullptr;
      if (doc.current_location().get(rest) == simdjson::SUCCESS) err = simdjson::TRAILING_CONTENT;
    }
    if (err) {
      sink.OnReject(lineno, Reason::kBadField, JsonDetail(err));
      return;
    }
    if (!f.host.empty()) host = f.host;
    Emit(f, hdr, host, lineno, sink);
  }

 private:
  static void RejectType(std::string_view type, uint64_t lineno, RecordSink& sink) {
    std::string d = "event_type ";
    d.append(type.substr(0, 40));
    d += ": not a traffic record";
    sink.OnReject(lineno, Reason::kNotARecord, d);
  }

  static simdjson::error_code ReadTop(od::object& obj, EveFields* f) {
    for (auto field : obj) {
      std::string_view key;
      od::value v;
      if (auto e = Key(field, &key)) return e;
      if (auto e = field.value().get(v)) return e;
      switch (key.size()) {
        case 3:
          if (key == "tcp") {
            if (auto e = ReadObject(v, [f](std::string_view k, od::value& x) {
                  if (k == "tcp_flags_ts")
                    f->tcp_flags_ts = Text(x);
                  else if (k == "tcp_flags")
                    f->tcp_flags = Text(x);
                }))
              return e;
          }
          break;
        case 4:
          if (key == "flow") {
            if (auto e = ReadObject(v, [f](std::string_view k, od::value& x) {
                  if (k == "state")
                    f->flow_state = Text(x);
                  else if (k == "action")
                    f->flow_action = Text(x);
                }))
              return e;
          } else if (key == "drop") {
            f->has_drop = true;
            if (auto e = ReadDrop(v, f)) return e;
          } else if (key == "host") {
            f->host = Text(v);
          }
          break;
        case 5:
          if (key == "proto") {
            f->proto = NumberText(v);
          } else if (key == "alert") {
            if (auto e = ReadObject(v, [f](std::string_view k, od::value& x) {
                  if (k == "action") f->alert_action = Text(x);
                }))
              return e;
          }
          break;
        case 6:
          if (key == "src_ip") f->src_ip = Text(v);
          break;
        case 7:
          if (key == "dest_ip") {
            f->dest_ip = Text(v);
          } else if (key == "verdict") {
            if (auto e = ReadObject(v, [f](std::string_view k, od::value&) {
                  if (k == "reject-target") f->reject_target = true;
                }))
              return e;
          }
          break;
        case 8:
          if (key == "src_port") f->src_port = NumberText(v);
          break;
        case 9:
          if (key == "timestamp")
            f->timestamp = Text(v);
          else if (key == "dest_port")
            f->dest_port = NumberText(v);
          else if (key == "icmp_type")
            f->icmp_type = NumberText(v);
          else if (key == "icmp_code")
            f->icmp_code = NumberText(v);
          break;
        case 10:
          if (key == "event_type") f->event_type = Text(v);
          break;
        default:
          break;
      }
    }
    return simdjson::SUCCESS;
  }

  // Calls fn(key, value) for each member of an object value; a value of
  // another type is ignored (it is not the object Suricata writes there).
  template <typename Fn>
  static simdjson::error_code ReadObject(od::value& v, Fn&& fn) {
    od::object o;
    if (v.get_object().get(o) != simdjson::SUCCESS) return simdjson::SUCCESS;
    for (auto field : o) {
      std::string_view key;
      od::value x;
      if (auto e = Key(field, &key)) return e;
      if (auto e = field.value().get(x)) return e;
      fn(key, x);
    }
    return simdjson::SUCCESS;
  }

  static simdjson::error_code ReadDrop(od::value& v, EveFields* f) {
    return ReadObject(v, [f](std::string_view k, od::value& x) {
      uint8_t bit = 0;
      if (k == "len")
        f->drop_len = NumberText(x);
      else if (k == "ttl" || k == "hoplimit")
        f->drop_ttl = NumberText(x);
      else if (k == "ipid")
        f->drop_ipid = NumberText(x);
      else if (k == "tcpseq")
        f->drop_seq = NumberText(x);
      else if (k == "tcpwin")
        f->drop_win = NumberText(x);
      else if (k == "syn")
        bit = tcp::kSyn;
      else if (k == "ack")
        bit = tcp::kAck;
      else if (k == "fin")
        bit = tcp::kFin;
      else if (k == "rst")
        bit = tcp::kRst;
      else if (k == "psh")
        bit = tcp::kPsh;
      else if (k == "urg")
        bit = tcp::kUrg;
      bool set = false;
      if (bit != 0 && x.get_bool().get(set) == simdjson::SUCCESS && set) f->drop_flags |= bit;
    });
  }

  void Emit(const EveFields& f, const detail::SyslogHeader& hdr, std::string_view host,
            uint64_t lineno, RecordSink& sink) {
    if (f.event_type.empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, "no event_type: not an EVE record");
      return;
    }
    if (!IsRecordType(f.event_type)) {
      RejectType(f.event_type, lineno, sink);
      return;
    }
    Event e;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    // Action.
    if (f.event_type == "alert") {
      e.action = f.alert_action == "blocked" ? Action::kDrop : Action::kAlert;
    } else if (f.event_type == "drop") {
      e.action = Action::kDrop;
    } else {
      if (f.flow_state != "new") {
        std::string d = "flow state ";
        d.append(f.flow_state.empty() ? std::string_view("missing") : f.flow_state.substr(0, 40));
        d += ": only new (unanswered) flows are records";
        sink.OnReject(lineno, Reason::kNotARecord, d);
        return;
      }
      if (f.flow_action == "drop")
        e.action = Action::kDrop;
      else if (f.flow_action == "pass" || f.flow_action == "accept")
        e.action = Action::kAllow;
      else
        e.action = default_action_;
    }
    // A reject rule sends a RST or ICMP unreachable back (verdict.reject-target).
    if (f.reject_target && e.action == Action::kDrop) e.action = Action::kReject;

    // Addresses.
    if (f.src_ip.empty()) {
      sink.OnReject(lineno, Reason::kTruncated, "no src_ip");
      return;
    }
    if (f.dest_ip.empty()) {
      sink.OnReject(lineno, Reason::kTruncated, "no dest_ip");
      return;
    }
    if (!Address(f.src_ip, &e.src)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f.src_ip, "src_ip not an IPv4/IPv6 address"));
      return;
    }
    if (!Address(f.dest_ip, &e.dst)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f.dest_ip, "dest_ip not an IPv4/IPv6 address"));
      return;
    }
    // Time: the object's own; a relay's header only when the object has none.
    if (!f.timestamp.empty()) {
      detail::ParsedTime t;
      bool valid = true;
      size_t used = detail::ParseIsoTimestamp(f.timestamp, false, &t, &valid);
      if (used == 0 || used != f.timestamp.size()) {
        sink.OnReject(lineno, Reason::kBadTimestamp,
                      FieldDetail(f.timestamp, "timestamp not ISO 8601"));
        return;
      }
      if (!valid) {
        sink.OnReject(lineno, Reason::kBadTimestamp,
                      FieldDetail(f.timestamp, "invalid date or time"));
        return;
      }
      e.time = clock_.ToUtc(t);
    } else if (hdr.has_time) {
      e.time = hdr.time;
    } else {
      sink.OnReject(lineno, Reason::kBadTimestamp, "no timestamp");
      return;
    }
    // Protocol: a name, or the number Suricata prints for one it cannot name.
    if (!f.proto.empty() && !ProtoFromText(f.proto, &e.proto)) {
      sink.OnReject(lineno, Reason::kUnknownProtocol, FieldDetail(f.proto, "unknown protocol"));
      return;
    }
    // Ports; ICMP type and code in their place.
    bool icmp = e.proto == kProtoIcmp || e.proto == kProtoIpv6Icmp;
    std::string_view sp = f.src_port, dp = f.dest_port;
    const char* sp_name = "src_port";
    const char* dp_name = "dest_port";
    uint64_t max = 65535;
    if (icmp && (!f.icmp_type.empty() || !f.icmp_code.empty())) {
      sp = f.icmp_type;
      dp = f.icmp_code;
      sp_name = "icmp_type";
      dp_name = "icmp_code";
      max = 255;
    }
    if (!Port(sp, sp_name, max, &e.sport, lineno, sink) ||
        !Port(dp, dp_name, max, &e.dport, lineno, sink)) {
      return;
    }
    // TCP flags: a flow's are the client's (tcp_flags_ts); a dropped packet's its own.
    if (e.proto == kProtoTcp) {
      std::string_view flags = !f.tcp_flags_ts.empty() ? f.tcp_flags_ts : f.tcp_flags;
      uint64_t v;
      if (!flags.empty()) {
        if (!detail::ParseHex(flags, &v) || v > 0xff) {
          sink.OnReject(lineno, Reason::kBadField, FieldDetail(flags, "tcp_flags not hex 00..ff"));
          return;
        }
        e.tcp_flags = static_cast<uint8_t>(v);
      }
      if (f.has_drop) e.tcp_flags |= f.drop_flags;
    }
    if (f.has_drop) {
      uint64_t v;
      if (ParseUint(f.drop_ttl, 255, &v)) e.ttl = static_cast<uint8_t>(v);
      // IPv4: the total length; IPv6: the payload length (Suricata writes
      // IPV6_GET_PLEN), so the 40-byte fixed header is added back.
      if (ParseUint(f.drop_len, 65535, &v)) {
        if (!e.src.is_v4()) v += 40;
        if (v <= 65535) e.ip_len = static_cast<uint16_t>(v);
      }
      if (ParseUint(f.drop_ipid, 65535, &v)) e.ip_id = static_cast<uint16_t>(v);
      if (ParseUint(f.drop_seq, UINT32_MAX, &v)) e.seq = static_cast<uint32_t>(v);
      if (ParseUint(f.drop_win, 65535, &v)) e.window = static_cast<uint16_t>(v);
    }
    sink.OnRecord(e, host);
  }

  static bool Address(std::string_view s, IpAddr* out) {
    return IpAddr::Parse(s, out) || IpAddr::ParseAnonymisedV4(s, out);
  }

  static bool Port(std::string_view s, const char* name, uint64_t max, uint16_t* out,
                   uint64_t lineno, RecordSink& sink) {
    if (s.empty()) {
      *out = 0;  // ICMP without type, protocols without ports
      return true;
    }
    uint64_t v;
    if (ParseUint(s, max, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    std::string why = name;
    why += ParseUint(s, UINT64_MAX, &v) ? (max == 255 ? " > 255" : " > 65535") : " not a number";
    sink.OnReject(lineno, Reason::kBadPort, FieldDetail(s, why));
    return false;
  }

  Action default_action_;
  detail::SyslogHeaderParser header_;
  detail::LocalClock clock_;
  od::parser json_;
  std::string buf_;
};

}  // namespace

int DetectSuricataEve(std::string_view line) {
  size_t brace = line.find('{');
  if (brace == std::string_view::npos) return 0;
  std::string_view json = line.substr(brace);
  if (json.size() < 20 || json[1] != '"') return 0;
  bool type = json.find("\"event_type\"") != std::string_view::npos;
  bool stamp = json.compare(1, 12, "\"timestamp\":") == 0 ||
               json.find("\"timestamp\"") != std::string_view::npos;
  if (type && stamp) return brace == 0 ? 95 : 85;
  if (type) return 60;
  return 0;
}

std::unique_ptr<Parser> MakeSuricataEveParser(const ParseOptions& options) {
  return std::make_unique<SuricataEveParser>(options);
}

}  // namespace portstorm::parse
