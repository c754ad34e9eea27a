#include "parse/formats/zeek_conn.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

namespace od = simdjson::ondemand;
using detail::FieldDetail;
using detail::ParseUint;

// The columns portstorm reads, by their Zeek names.
enum Col { kTs, kOrigH, kOrigP, kRespH, kRespP, kProto, kState, kHistory, kIpProto, kNumCols };
constexpr std::string_view kColNames[kNumCols] = {"ts",         "id.orig_h", "id.orig_p",
                                                  "id.resp_h",  "id.resp_p", "proto",
                                                  "conn_state", "history",   "ip_proto"};
// Zeek's default conn.log layout, for rows that come without a #fields line:
// ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration
// orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history ...
constexpr int kDefaultIndex[kNumCols] = {0, 2, 3, 4, 5, 6, 11, 15, -1};
constexpr size_t kDefaultMinColumns = 12;            // through conn_state
constexpr uint64_t kMaxEpochSeconds = 253402300799;  // 9999-12-31T23:59:59Z

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

std::string JsonDetail(simdjson::error_code e) {
  auto i = static_cast<size_t>(e);
  std::string_view name = i < std::size(kJsonErrorNames) ? kJsonErrorNames[i] : "UNKNOWN_ERROR";
  std::string d = "invalid JSON (";
  d.append(name);
  d += ')';
  return d;
}

constexpr bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

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

// A JSON string's content, a number's text, "" for null.
std::string_view Text(od::value& v) {
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && IsJsonSpace(raw.back())) raw.remove_suffix(1);
  // Values without escapes are taken from the input as they are (stage 1
  // has validated the UTF-8) instead of being unescaped into a buffer.
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"' &&
      raw.find('\\') == std::string_view::npos) {
    return raw.substr(1, raw.size() - 2);
  }
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) return s;
  return raw == "null" ? std::string_view() : raw;
}

// "1709393574.123456" (Zeek's default), also exponent forms a JSON encoder
// may choose. Fractions beyond microseconds are cut.
bool ParseEpoch(std::string_view s, TimeUs* out) {
  size_t dot = s.find('.');
  uint64_t sec;
  if (s.find_first_of("eE") == std::string_view::npos) {
    if (!ParseUint(s.substr(0, dot), kMaxEpochSeconds, &sec)) return false;
    int64_t us = 0;
    if (dot != std::string_view::npos) {
      std::string_view frac = s.substr(dot + 1);
      if (frac.empty() || frac.size() > 9) return false;
      int64_t scale = 100000;
      for (char c : frac) {
        if (!detail::IsDigit(c)) return false;
        us += (c - '0') * scale;
        scale /= 10;
      }
    }
    *out = static_cast<TimeUs>(sec) * kUsPerSecond + us;
    return true;
  }
  if (s.size() > 32) return false;
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size() || !(d >= 0) ||
      d > static_cast<double>(kMaxEpochSeconds)) {
    return false;
  }
  *out = static_cast<TimeUs>(std::llround(d * 1e6));
  return true;
}

// One connection as far as portstorm uses it; empty = unset.
struct ConnFields {
  std::string_view ts, orig_h, orig_p, resp_h, resp_p, proto, state, history, ip_proto;
};

// conn_state -> verdict. Zeek watches, it does not block: the wire says
// whether the responder refused (REJ: RST to the SYN) or answered (the
// established/closed states). Attempts nobody answered, and midstream or
// one-sided traffic, carry no verdict: they get the configured default
// (a darknet or a sensor behind a dropping firewall says "drop").
Action StateAction(std::string_view s, Action unanswered) {
  if (s == "REJ") return Action::kReject;
  if (s == "SF" || s == "S1" || s == "S2" || s == "S3" || s == "RSTO" || s == "RSTR") {
    return Action::kAllow;
  }
  return unanswered;  // S0 SH SHR RSTOS0 RSTRH OTH, unset
}

// Originator's TCP flags from the history letters (upper case = originator).
uint8_t HistoryFlags(std::string_view h) {
  uint8_t f = 0;
  for (char c : h) {
    switch (c) {
      case 'S':
        f |= tcp::kSyn;
        break;
      case 'H':
        f |= tcp::kSyn | tcp::kAck;
        break;
      case 'A':
        f |= tcp::kAck;
        break;
      case 'F':
        f |= tcp::kFin;
        break;
      case 'R':
        f |= tcp::kRst;
        break;
      default:
        break;
    }
  }
  return f;
}

// "\x09" -> '\t'; a plain character stands for itself.
bool DecodeSeparator(std::string_view v, char* out) {
  if (v.size() == 1) {
    *out = v[0];
    return true;
  }
  if (v.size() == 4 && v[0] == '\\' && v[1] == 'x') {
    int hi = detail::HexDigit(v[2]), lo = detail::HexDigit(v[3]);
    if (hi < 0 || lo < 0) return false;
    *out = static_cast<char>(hi * 16 + lo);
    return true;
  }
  return false;
}

class ZeekConnParser : public Parser {
 public:
  explicit ZeekConnParser(const ParseOptions& options)
      : default_action_(options.default_action), clock_(options.tz) {
    for (int i = 0; i < kNumCols; ++i) index_[i] = kDefaultIndex[i];
  }

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    size_t first = line.find_first_not_of(" \r");
    if (first == std::string_view::npos) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    if (line[0] == '#') {
      Header(line, lineno, sink);
      return;
    }
    if (line[first] == '{') {
      JsonRow(line.substr(first), lineno, sink);
      return;
    }
    TsvRow(line, lineno, sink);
  }

 private:
  void Header(std::string_view line, uint64_t lineno, RecordSink& sink) {
    // "#separator \x09" is the one header whose value follows a space.
    if (line.starts_with("#separator ")) {
      char c;
      std::string_view v = line.substr(11);
      if (!DecodeSeparator(v, &c) || c == '\n' || c == '\r') {
        sink.OnReject(lineno, Reason::kBadField, FieldDetail(v, "#separator not one character"));
        return;
      }
      sep_ = c;
      sink.OnReject(lineno, Reason::kNotARecord, "Zeek header #separator");
      return;
    }
    size_t s = line.find(sep_);
    std::string_view key = line.substr(0, s);
    std::string_view value = s == std::string_view::npos ? std::string_view() : line.substr(s + 1);
    key = key.substr(0, key.find(' '));  // "#close XXXX" as test baselines mask it
    if (key == "#fields") {
      Fields(value);
    } else if (key == "#path") {
      path_.assign(value);
      UpdateLayout();
    } else if (key == "#unset_field") {
      unset_.assign(value);
    } else if (key == "#empty_field") {
      empty_.assign(value);
    } else if (key == "#close") {
      sink.OnReject(lineno, Reason::kNotARecord, "Zeek trailer #close");
      return;
    } else if (key != "#set_separator" && key != "#open" && key != "#types") {
      sink.OnReject(lineno, Reason::kNotARecord, "comment");
      return;
    }
    std::string d = "Zeek header ";
    d.append(key.substr(0, 20));
    sink.OnReject(lineno, Reason::kNotARecord, d);
  }

  void Fields(std::string_view names) {
    for (int& i : index_) i = -1;
    columns_ = 0;
    size_t pos = 0;
    while (true) {
      size_t e = names.find(sep_, pos);
      std::string_view n = names.substr(pos, e == std::string_view::npos ? e : e - pos);
      for (int c = 0; c < kNumCols; ++c) {
        if (n == kColNames[c] && index_[c] < 0) index_[c] = static_cast<int>(columns_);
      }
      ++columns_;
      if (e == std::string_view::npos) break;
      pos = e + 1;
    }
    have_fields_ = true;
    UpdateLayout();
  }

  // Whether rows under the current header are connections; why not, if not.
  void UpdateLayout() {
    layout_error_.clear();
    if (!path_.empty() && !path_.starts_with("conn")) {
      layout_error_ = "#path " + path_.substr(0, 40) + ": not a conn log";
      return;
    }
    for (Col c : {kTs, kOrigH, kRespH}) {
      if (index_[c] < 0) {
        layout_error_ = "#fields has no ";
        layout_error_.append(kColNames[c]);
        layout_error_ += ": not a conn log";
        return;
      }
    }
  }

  std::string_view Unset(std::string_view v) const {
    return v == unset_ || v == empty_ ? std::string_view() : v;
  }

  void TsvRow(std::string_view line, uint64_t lineno, RecordSink& sink) {
    if (!layout_error_.empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, layout_error_);
      return;
    }
    cells_.clear();
    size_t pos = 0;
    while (true) {
      const void* hit = std::memchr(line.data() + pos, sep_, line.size() - pos);
      size_t e =
          hit ? static_cast<size_t>(static_cast<const char*>(hit) - line.data()) : line.size();
      cells_.push_back(line.substr(pos, e - pos));
      if (!hit) break;
      pos = e + 1;
    }
    size_t n = cells_.size();
    if (have_fields_ ? n != columns_ : n < kDefaultMinColumns) {
      if (n == 1) {
        sink.OnReject(lineno, Reason::kNotARecord, "not a Zeek TSV row (no separator)");
        return;
      }
      std::string d = std::to_string(n) + " columns, ";
      d += have_fields_ ? "#fields names " + std::to_string(columns_)
                        : "a conn.log row has at least " + std::to_string(kDefaultMinColumns);
      sink.OnReject(lineno,
                    n < (have_fields_ ? columns_ : kDefaultMinColumns) ? Reason::kTruncated
                                                                       : Reason::kBadField,
                    d);
      return;
    }
    // Without #fields a row may stop before history (column 16).
    auto cell = [&](Col c) {
      auto i = static_cast<size_t>(index_[c]);
      return index_[c] >= 0 && i < n ? Unset(cells_[i]) : std::string_view();
    };
    ConnFields f{cell(kTs),    cell(kOrigH), cell(kOrigP),   cell(kRespH),  cell(kRespP),
                 cell(kProto), cell(kState), cell(kHistory), cell(kIpProto)};
    Emit(f, lineno, sink);
  }

  void JsonRow(std::string_view json, uint64_t lineno, RecordSink& sink) {
    const size_t need = json.size() + simdjson::SIMDJSON_PADDING;
    if (buf_.size() < need) buf_.resize(need);
    std::memcpy(buf_.data(), json.data(), json.size());
    std::memset(buf_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
    od::document doc;
    od::object obj;
    ConnFields f;
    std::string_view path;
    simdjson::error_code err = json_.iterate(buf_.data(), json.size(), buf_.size()).get(doc);
    if (!err) err = doc.get_object().get(obj);
    if (!err) err = ReadJson(obj, &f, &path);
    if (!err) {
      const char* rest = nullptr;
      if (doc.current_location().get(rest) == simdjson::SUCCESS) err = simdjson::TRAILING_CONTENT;
    }
    if (err) {
      sink.OnReject(lineno, Reason::kBadField, JsonDetail(err));
      return;
    }
    if (!path.empty() && !path.starts_with("conn")) {
      std::string d = "_path ";
      d.append(path.substr(0, 40));
      d += ": not a conn log";
      sink.OnReject(lineno, Reason::kNotARecord, d);
      return;
    }
    // Every Zeek log with a connection id has id.orig_h; conn_state is
    // what makes it a conn.log record.
    if (path.empty() && f.state.empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, "no conn_state: not a conn.log record");
      return;
    }
    Emit(f, lineno, sink);
  }

  static simdjson::error_code ReadJson(od::object& obj, ConnFields* f, std::string_view* path) {
    for (auto field : obj) {
      std::string_view key;
      od::value v;
      if (auto e = Key(field, &key)) return e;
      if (auto e = field.value().get(v)) return e;
      if (key.starts_with("id.")) {
        std::string_view k = key.substr(3);
        if (k == "orig_h")
          f->orig_h = Text(v);
        else if (k == "orig_p")
          f->orig_p = Text(v);
        else if (k == "resp_h")
          f->resp_h = Text(v);
        else if (k == "resp_p")
          f->resp_p = Text(v);
      } else if (key == "ts") {
        f->ts = Text(v);
      } else if (key == "proto") {
        f->proto = Text(v);
      } else if (key == "conn_state") {
        f->state = Text(v);
      } else if (key == "history") {
        f->history = Text(v);
      } else if (key == "ip_proto") {
        f->ip_proto = Text(v);
      } else if (key == "_path") {
        *path = Text(v);
      } else if (key == "id") {
        // Some shippers nest the connection id: "id":{"orig_h":...}.
        od::object id;
        if (v.get_object().get(id) != simdjson::SUCCESS) continue;
        for (auto sub : id) {
          std::string_view k;
          od::value x;
          if (auto e = Key(sub, &k)) return e;
          if (auto e = sub.value().get(x)) return e;
          if (k == "orig_h")
            f->orig_h = Text(x);
          else if (k == "orig_p")
            f->orig_p = Text(x);
          else if (k == "resp_h")
            f->resp_h = Text(x);
          else if (k == "resp_p")
            f->resp_p = Text(x);
        }
      }
    }
    return simdjson::SUCCESS;
  }

  void Emit(const ConnFields& f, uint64_t lineno, RecordSink& sink) {
    Event e;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    if (f.orig_h.empty() || f.resp_h.empty()) {
      sink.OnReject(lineno, Reason::kTruncated, f.orig_h.empty() ? "no id.orig_h" : "no id.resp_h");
      return;
    }
    if (!Address(f.orig_h, &e.src)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f.orig_h, "id.orig_h not an IPv4/IPv6 address"));
      return;
    }
    if (!Address(f.resp_h, &e.dst)) {
      sink.OnReject(lineno, Reason::kUnparsableAddress,
                    FieldDetail(f.resp_h, "id.resp_h not an IPv4/IPv6 address"));
      return;
    }
    if (f.ts.empty()) {
      sink.OnReject(lineno, Reason::kBadTimestamp, "no ts");
      return;
    }
    if (!Time(f.ts, &e.time, lineno, sink)) return;
    // Protocol: Zeek's transport names; ip_proto (Zeek 6+) when it has one.
    uint64_t v;
    if (!f.ip_proto.empty() && ParseUint(f.ip_proto, 255, &v)) {
      e.proto = static_cast<uint8_t>(v);
    } else if (f.proto == "tcp") {
      e.proto = kProtoTcp;
    } else if (f.proto == "udp") {
      e.proto = kProtoUdp;
    } else if (f.proto == "icmp") {
      // Zeek logs ICMPv6 as "icmp" too.
      e.proto = e.src.is_v4() ? kProtoIcmp : kProtoIpv6Icmp;
    } else if (f.proto.empty() || f.proto == "unknown_transport") {
      e.proto = 0;
    } else if (auto p = f.proto.size() <= 16 ? ParseProto(f.proto) : std::nullopt) {
      e.proto = *p;
    } else {
      sink.OnReject(lineno, Reason::kUnknownProtocol, FieldDetail(f.proto, "unknown protocol"));
      return;
    }
    if (!Port(f.orig_p, "id.orig_p", &e.sport, lineno, sink) ||
        !Port(f.resp_p, "id.resp_p", &e.dport, lineno, sink)) {
      return;
    }
    if (e.proto == kProtoTcp) e.tcp_flags = HistoryFlags(f.history);
    e.action = StateAction(f.state, default_action_);
    sink.OnRecord(e, {});
  }

  bool Time(std::string_view s, TimeUs* out, uint64_t lineno, RecordSink& sink) {
    if (s.size() >= 19 && s[4] == '-') {
      detail::ParsedTime t;
      bool valid = true;
      size_t used = detail::ParseIsoTimestamp(s, false, &t, &valid);
      if (used == s.size() && valid) {
        *out = clock_.ToUtc(t);
        return true;
      }
    } else if (ParseEpoch(s, out)) {
      return true;
    }
    sink.OnReject(lineno, Reason::kBadTimestamp,
                  FieldDetail(s, "ts not epoch seconds or ISO 8601"));
    return false;
  }

  static bool Address(std::string_view s, IpAddr* out) {
    return IpAddr::Parse(s, out) || IpAddr::ParseAnonymisedV4(s, out);
  }

  static bool Port(std::string_view s, const char* name, uint16_t* out, uint64_t lineno,
                   RecordSink& sink) {
    uint64_t v;
    if (s.empty()) {
      *out = 0;
      return true;
    }
    if (ParseUint(s, 65535, &v)) {
      *out = static_cast<uint16_t>(v);
      return true;
    }
    std::string why = name;
    why += ParseUint(s, UINT64_MAX, &v) ? " > 65535" : " not a number";
    sink.OnReject(lineno, Reason::kBadPort, FieldDetail(s, why));
    return false;
  }

  Action default_action_;
  detail::LocalClock clock_;
  // TSV header state.
  char sep_ = '\t';
  std::string unset_ = "-", empty_ = "(empty)", path_;
  int index_[kNumCols];
  size_t columns_ = 0;
  bool have_fields_ = false;
  std::string layout_error_;
  std::vector<std::string_view> cells_;
  // JSON.
  od::parser json_;
  std::string buf_;
};

bool LooksLikeEpoch(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot < 1 || dot > 11 || s.size() - dot - 1 != 6) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != dot && !detail::IsDigit(s[i])) return false;
  }
  return true;
}

}  // namespace

int DetectZeekConn(std::string_view line) {
  if (line.starts_with("#")) {
    if (line.starts_with("#separator ")) return 100;
    if (line.starts_with("#fields") && line.find("id.orig_h") != std::string_view::npos) {
      return 100;
    }
    if (line.starts_with("#path\tconn")) return 100;
    for (std::string_view k : {"#set_separator\t", "#empty_field\t", "#unset_field\t", "#open\t",
                               "#close\t", "#types\t", "#path\t"}) {
      if (line.starts_with(k)) return 60;
    }
    return 0;
  }
  if (line.starts_with("{")) {
    if (line.find("\"id.orig_h\"") == std::string_view::npos) return 0;
    return line.find("\"conn_state\"") != std::string_view::npos ? 95 : 70;
  }
  // A TSV row: epoch.microseconds, uid "C...", an address.
  size_t t1 = line.find('\t');
  if (t1 == std::string_view::npos || !LooksLikeEpoch(line.substr(0, t1))) return 0;
  size_t t2 = line.find('\t', t1 + 1);
  if (t2 == std::string_view::npos || t2 - t1 < 3 || line[t1 + 1] != 'C') return 0;
  size_t t3 = line.find('\t', t2 + 1);
  if (t3 == std::string_view::npos) return 0;
  IpAddr a;
  if (!IpAddr::Parse(line.substr(t2 + 1, t3 - t2 - 1), &a)) return 0;
  return 90;
}

std::unique_ptr<Parser> MakeZeekConnParser(const ParseOptions& options) {
  return std::make_unique<ZeekConnParser>(options);
}

}  // namespace portstorm::parse
