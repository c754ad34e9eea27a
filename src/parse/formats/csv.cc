#include "parse/formats/csv.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "parse/detail/reject.h"
#include "parse/detail/text.h"
#include "parse/syslog_header.h"

namespace portstorm::parse {
namespace {

using detail::FieldDetail;
using detail::ParseUint;

enum Field {
  kTime,
  kDate,
  kSrc,
  kDst,
  kSport,
  kDport,
  kProto,
  kAction,
  kCount,
  kTtl,
  kFlags,
  kNumFields
};
constexpr std::string_view kFieldNames[kNumFields] = {
    "time", "date", "src", "dst", "sport", "dport", "proto", "action", "count", "ttl", "flags"};
constexpr std::string_view kFieldList =
    "time, date, src, dst, sport, dport, proto, action, "
    "count, ttl, flags";

// Header names (lower case, letters and digits only: "Source IP", "src_ip"
// and "source.ip" all fold to one key) that name a field when --csv-map does
// not. First column that matches wins.
constexpr std::string_view kAliases[kNumFields][14] = {
    /*time*/ {"timestamp", "time", "datetime", "ts", "eventtime", "logtime", "receivedtime"},
    /*date*/ {"date", "day"},
    /*src*/
    {"srcip", "src", "source", "sourceip", "sourceaddress", "sourceipaddress", "srcaddr",
     "srcaddress", "saddr", "sip", "attackerip", "attacker"},
    /*dst*/
    {"dstip", "dst", "dest", "destip", "destination", "destinationip", "destinationaddress",
     "destinationipaddress", "dstaddr", "dstaddress", "daddr", "dip", "target", "targetip"},
    /*sport*/ {"srcport", "sport", "sourceport", "spt", "srcpt"},
    /*dport*/ {"dstport", "dport", "destport", "destinationport", "dpt", "dstpt", "targetport"},
    /*proto*/ {"proto", "protocol", "transport", "networktransport", "ipproto"},
    /*action*/ {"action", "verdict", "disposition", "eventaction"},
    /*count*/ {"count", "packets", "pkts", "hits"},
    /*ttl*/ {"ttl"},
    /*flags*/ {"flags", "tcpflags"},
};

std::string Fold(std::string_view s) {
  std::string k;
  for (char c : s) {
    char l = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if ((l >= 'a' && l <= 'z') || detail::IsDigit(l)) k += l;
  }
  return k;
}

int AliasField(std::string_view folded) {
  for (int f = 0; f < kNumFields; ++f) {
    for (std::string_view a : kAliases[f]) {
      if (!a.empty() && a == folded) return f;
    }
  }
  return -1;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (detail::Upper(a[i]) != detail::Upper(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One "field=column" entry of --csv-map: column by name, or by 1-based index.
struct MapEntry {
  bool set = false;
  std::string name;
  size_t index = 0;  // 1-based; 0 = by name
};

// Parses --csv-map; "" on success, else why not.
std::string ParseMap(std::string_view map, std::array<MapEntry, kNumFields>* out) {
  size_t pos = 0;
  while (pos <= map.size()) {
    size_t comma = map.find(',', pos);
    std::string_view item =
        Trim(map.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
    pos = comma == std::string_view::npos ? map.size() + 1 : comma + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return "csv map: '" + std::string(item.substr(0, 60)) + "' is not field=column";
    }
    std::string_view field = Trim(item.substr(0, eq)), column = Trim(item.substr(eq + 1));
    int f = -1;
    for (int i = 0; i < kNumFields; ++i) {
      if (EqualsNoCase(field, kFieldNames[i])) f = i;
    }
    if (f < 0) {
      return "csv map: unknown field '" + std::string(field.substr(0, 40)) +
             "' (fields: " + std::string(kFieldList) + ")";
    }
    if (column.empty()) return "csv map: no column for " + std::string(kFieldNames[f]);
    MapEntry& e = (*out)[static_cast<size_t>(f)];
    if (e.set) return "csv map: " + std::string(kFieldNames[f]) + " mapped twice";
    e.set = true;
    if (column[0] == '#') {
      uint64_t n;
      if (!ParseUint(column.substr(1), 100000, &n) || n == 0) {
        return "csv map: column '" + std::string(column.substr(0, 40)) +
               "' is not a 1-based index #1, #2, ...";
      }
      e.index = n;
    } else {
      e.name.assign(column);
    }
  }
  return {};
}

// Splits one line into cells (RFC 4180 quoting on one line: "a ""b""" ->
// a "b"). Cells point into the line, or into *scratch for cells that had
// escaped quotes; scratch is reserved up front so those views stay valid.
// Returns "" or why the line is not CSV.
std::string_view Split(std::string_view line, char delim, std::vector<std::string_view>* cells,
                       std::string* scratch) {
  cells->clear();
  scratch->clear();
  scratch->reserve(line.size());
  size_t i = 0, n = line.size();
  while (true) {
    while (i < n && line[i] == ' ' && delim != ' ') ++i;
    if (i < n && line[i] == '"') {
      size_t start = ++i;
      bool escaped = false;
      while (true) {
        const char* q = static_cast<const char*>(std::memchr(line.data() + i, '"', n - i));
        if (q == nullptr) return "unterminated quoted cell";
        i = static_cast<size_t>(q - line.data());
        if (i + 1 < n && line[i + 1] == '"') {
          escaped = true;
          i += 2;
          continue;
        }
        break;
      }
      std::string_view raw = line.substr(start, i - start);
      ++i;  // closing quote
      if (escaped) {
        size_t at = scratch->size();
        for (size_t k = 0; k < raw.size(); ++k) {
          scratch->push_back(raw[k]);
          if (raw[k] == '"') ++k;  // "" -> "
        }
        cells->push_back(std::string_view(scratch->data() + at, scratch->size() - at));
      } else {
        cells->push_back(raw);
      }
      while (i < n && (line[i] == ' ' || line[i] == '\t') && line[i] != delim) ++i;
      if (i == n) return {};
      if (line[i] != delim) return "text after a closing quote";
      ++i;
      continue;
    }
    const char* d = static_cast<const char*>(std::memchr(line.data() + i, delim, n - i));
    size_t end = d ? static_cast<size_t>(d - line.data()) : n;
    cells->push_back(Trim(line.substr(i, end - i)));
    if (d == nullptr) return {};
    i = end + 1;
  }
}

// The delimiter a header uses: the most frequent of , ; TAB (',' on a tie).
char PickDelimiter(std::string_view line) {
  size_t comma = 0, semi = 0, tab = 0;
  for (char c : line) {
    comma += c == ',';
    semi += c == ';';
    tab += c == '\t';
  }
  if (semi > comma && semi >= tab) return ';';
  if (tab > comma && tab > semi) return '\t';
  return ',';
}

bool LooksLikeData(const std::vector<std::string_view>& cells) {
  for (std::string_view c : cells) {
    IpAddr a;
    if (IpAddr::Parse(c, &a)) return true;
    uint64_t v;
    if (ParseUint(c, UINT64_MAX, &v)) return true;
  }
  return false;
}

Action ActionWord(std::string_view w, Action fallback) {
  if (w.empty()) return fallback;
  std::string k = Fold(w);
  if (k == "drop" || k == "dropped" || k == "deny" || k == "denied" || k == "block" ||
      k == "blocked" || k == "discard" || k == "discarded") {
    return Action::kDrop;
  }
  if (k == "reject" || k == "rejected" || k == "reset" || k == "resetboth") return Action::kReject;
  if (k == "alert" || k == "alerted") return Action::kAlert;
  if (k == "allow" || k == "allowed" || k == "accept" || k == "accepted" || k == "pass" ||
      k == "passed" || k == "permit" || k == "permitted") {
    return Action::kAllow;
  }
  return Action::kUnknown;
}

class CsvParser : public Parser {
 public:
  explicit CsvParser(const ParseOptions& options)
      : default_action_(options.default_action), clock_(options.tz) {
    map_error_ = ParseMap(options.csv_map, &map_);
    // A map that names every column it needs by index needs no header.
    indexes_only_ = map_error_.empty() && map_[kSrc].index > 0 && map_[kDst].index > 0 &&
                    (map_[kTime].index > 0 || map_[kDate].index > 0);
    for (const MapEntry& e : map_) indexes_only_ = indexes_only_ && (!e.set || e.index > 0);
  }

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    if (detail::RejectIfBinary(line, lineno, sink)) return;
    if (!map_error_.empty()) {
      sink.OnReject(lineno, Reason::kBadField, map_error_);
      return;
    }
    std::string_view t = Trim(line);
    if (t.empty()) {
      sink.OnReject(lineno, Reason::kNotARecord, "empty line");
      return;
    }
    if (t[0] == '#') {
      sink.OnReject(lineno, Reason::kNotARecord, "comment");
      return;
    }
    if (!have_header_) {
      Header(line, lineno, sink);
      return;
    }
    if (!header_error_.empty()) {
      sink.OnReject(lineno, Reason::kBadField, header_error_);
      return;
    }
    if (line == header_line_) {
      sink.OnReject(lineno, Reason::kNotARecord, "repeated CSV header");
      return;
    }
    Row(line, lineno, sink);
  }

 private:
  void Header(std::string_view line, uint64_t lineno, RecordSink& sink) {
    delim_ = PickDelimiter(line);
    std::string_view bad = Split(line, delim_, &cells_, &scratch_);
    if (!bad.empty()) {
      sink.OnReject(lineno, Reason::kBadField, FieldDetail(line, bad));
      return;
    }
    if (LooksLikeData(cells_)) {
      if (indexes_only_) {
        have_header_ = true;
        if (Resolve({}, lineno, sink)) Row(line, lineno, sink);
        return;
      }
      sink.OnReject(lineno, Reason::kBadField,
                    "row before the CSV header: the first line must name the columns");
      return;
    }
    have_header_ = true;
    header_line_.assign(line);
    std::vector<std::string> names(cells_.begin(), cells_.end());
    if (Resolve(names, lineno, sink)) {
      sink.OnReject(lineno, Reason::kNotARecord, "CSV header");
    }
  }

  // Column index of every field: --csv-map first, then header aliases.
  // On failure the header line and every later row are rejected with why.
  bool Resolve(const std::vector<std::string>& names, uint64_t lineno, RecordSink& sink) {
    col_.fill(-1);
    for (int f = 0; f < kNumFields; ++f) {
      const MapEntry& m = map_[static_cast<size_t>(f)];
      if (!m.set) continue;
      if (m.index > 0) {
        if (!names.empty() && m.index > names.size()) {
          return Fail("csv map: column #" + std::to_string(m.index) + " (" +
                          std::string(kFieldNames[f]) + ") is beyond the header's " +
                          std::to_string(names.size()) + " columns",
                      lineno, sink);
        }
        col_[static_cast<size_t>(f)] = static_cast<int>(m.index - 1);
        continue;
      }
      for (size_t c = 0; c < names.size(); ++c) {
        if (EqualsNoCase(names[c], m.name)) {
          col_[static_cast<size_t>(f)] = static_cast<int>(c);
          break;
        }
      }
      if (col_[static_cast<size_t>(f)] < 0) {
        return Fail("csv map: column '" + m.name.substr(0, 60) + "' (" +
                        std::string(kFieldNames[f]) + ") not in the header",
                    lineno, sink);
      }
    }
    for (size_t c = 0; c < names.size(); ++c) {
      int f = AliasField(Fold(names[c]));
      if (f >= 0 && !map_[static_cast<size_t>(f)].set && col_[static_cast<size_t>(f)] < 0) {
        col_[static_cast<size_t>(f)] = static_cast<int>(c);
      }
    }
    for (Field f : {kSrc, kDst}) {
      if (col_[f] < 0) {
        return Fail("no " + std::string(kFieldNames[f]) + " column (header names such as " +
                        std::string(kAliases[f][0]) + ", " + std::string(kAliases[f][2]) +
                        "); name it with --csv-map " + std::string(kFieldNames[f]) + "=<column>",
                    lineno, sink);
      }
    }
    if (col_[kTime] < 0 && col_[kDate] < 0) {
      return Fail(
          "no time column (header names such as timestamp, time, date); name it with "
          "--csv-map time=<column>",
          lineno, sink);
    }
    needed_ = 0;
    for (int c : col_) needed_ = std::max(needed_, static_cast<size_t>(c + 1));
    return true;
  }

  bool Fail(std::string why, uint64_t lineno, RecordSink& sink) {
    header_error_ = std::move(why);
    sink.OnReject(lineno, Reason::kBadField, header_error_);
    return false;
  }

  std::string_view Cell(Field f) const {
    int c = col_[f];
    return c >= 0 ? cells_[static_cast<size_t>(c)] : std::string_view();
  }

  void Row(std::string_view line, uint64_t lineno, RecordSink& sink) {
    std::string_view bad = Split(line, delim_, &cells_, &scratch_);
    if (!bad.empty()) {
      sink.OnReject(lineno, Reason::kBadField, FieldDetail(line, bad));
      return;
    }
    if (cells_.size() < needed_) {
      sink.OnReject(
          lineno, Reason::kTruncated,
          std::to_string(cells_.size()) + " columns, the mapping needs " + std::to_string(needed_));
      return;
    }
    Event e;
    e.line = static_cast<uint32_t>(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    if (!Time(lineno, sink, &e.time)) return;
    if (!Address(Cell(kSrc), "src", &e.src, lineno, sink) ||
        !Address(Cell(kDst), "dst", &e.dst, lineno, sink)) {
      return;
    }
    std::string_view p = Cell(kProto);
    if (!p.empty()) {
      auto proto = p.size() <= 16 ? ParseProto(p) : std::nullopt;
      if (!proto) {
        sink.OnReject(lineno, Reason::kUnknownProtocol, FieldDetail(p, "proto: unknown protocol"));
        return;
      }
      e.proto = *proto;
    }
    if (!Port(Cell(kSport), "sport", &e.sport, lineno, sink) ||
        !Port(Cell(kDport), "dport", &e.dport, lineno, sink)) {
      return;
    }
    uint64_t v;
    if (std::string_view c = Cell(kCount); !c.empty()) {
      if (!ParseUint(c, UINT32_MAX, &v) || v == 0) {
        sink.OnReject(lineno, Reason::kBadField, FieldDetail(c, "count not 1..4294967295"));
        return;
      }
      e.count = static_cast<uint32_t>(v);
    }
    if (std::string_view c = Cell(kTtl); !c.empty()) {
      if (!ParseUint(c, 255, &v)) {
        sink.OnReject(lineno, Reason::kBadField, FieldDetail(c, "ttl not 0..255"));
        return;
      }
      e.ttl = static_cast<uint8_t>(v);
    }
    if (std::string_view c = Cell(kFlags); !c.empty() && !Flags(c, &e.tcp_flags)) {
      sink.OnReject(lineno, Reason::kBadField,
                    FieldDetail(c, "flags not letters of SFAPRUEC, 0x.. or 0..255"));
      return;
    }
    e.action = ActionWord(Cell(kAction), default_action_);
    sink.OnRecord(e, {});
  }

  bool Time(uint64_t lineno, RecordSink& sink, TimeUs* out) {
    std::string_view t = Cell(kTime), d = Cell(kDate);
    // Separate date and clock columns ("2024-03-02" + "15:32:54") are joined.
    if (!d.empty() && (t.empty() || (t.find_first_of("-/") == std::string_view::npos &&
                                     t.find(':') != std::string_view::npos))) {
      time_buf_.assign(d);
      if (!t.empty()) {
        time_buf_ += ' ';
        time_buf_.append(t);
      }
      t = time_buf_;
    }
    if (t.empty()) {
      sink.OnReject(lineno, Reason::kBadTimestamp, "empty time cell");
      return false;
    }
    // Epoch seconds[.fraction]; 13 digits = milliseconds.
    if (detail::IsDigit(t[0]) && (t.size() < 5 || t[4] != '-') && (t.size() < 5 || t[4] != '/')) {
      size_t dot = t.find('.');
      std::string_view whole = t.substr(0, dot);
      uint64_t v;
      if (ParseUint(whole, UINT64_MAX, &v)) {
        int64_t us = 0;
        bool ok = whole.size() <= 11 || whole.size() == 13;
        if (dot != std::string_view::npos) {
          std::string_view frac = t.substr(dot + 1);
          ok = ok && whole.size() <= 11 && !frac.empty() && frac.size() <= 9;
          int64_t scale = 100000;
          for (char c : frac) {
            ok = ok && detail::IsDigit(c);
            us += (c - '0') * scale;
            scale /= 10;
          }
        }
        if (ok) {
          *out = whole.size() == 13 ? static_cast<TimeUs>(v) * 1000
                                    : static_cast<TimeUs>(v) * kUsPerSecond + us;
          return true;
        }
        sink.OnReject(lineno, Reason::kBadTimestamp,
                      FieldDetail(t, "time not epoch seconds[.fraction] or milliseconds"));
        return false;
      }
    }
    // ISO 8601, also with '/' in the date ("2024/03/02 15:32:54").
    std::string_view iso = t;
    if (t.size() >= 10 && t[4] == '/' && t[7] == '/') {
      if (t.data() != time_buf_.data()) time_buf_.assign(t);
      time_buf_[4] = '-';
      time_buf_[7] = '-';
      iso = time_buf_;
    }
    detail::ParsedTime pt;
    bool valid = true;
    size_t used = detail::ParseIsoTimestamp(iso, /*space_before_offset=*/true, &pt, &valid);
    if (used == 0 || used != iso.size()) {
      sink.OnReject(lineno, Reason::kBadTimestamp,
                    FieldDetail(t, "time not ISO 8601, YYYY-MM-DD HH:MM:SS or epoch seconds"));
      return false;
    }
    if (!valid) {
      sink.OnReject(lineno, Reason::kBadTimestamp, FieldDetail(t, "invalid date or time"));
      return false;
    }
    *out = clock_.ToUtc(pt);
    return true;
  }

  static bool Address(std::string_view s, const char* name, IpAddr* out, uint64_t lineno,
                      RecordSink& sink) {
    if (IpAddr::Parse(s, out) || IpAddr::ParseAnonymisedV4(s, out)) return true;
    std::string why = name;
    why += s.empty() ? " cell empty" : " not an IPv4/IPv6 address";
    sink.OnReject(lineno, Reason::kUnparsableAddress, FieldDetail(s, why));
    return false;
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

  // "SA" (DShield letters, E/C for ECE/CWR, '.' for ACK as tcpdump), "0x12" or "18".
  static bool Flags(std::string_view s, uint8_t* out) {
    uint64_t v;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      if (!detail::ParseHex(s, &v) || v > 255) return false;
      *out = static_cast<uint8_t>(v);
      return true;
    }
    if (ParseUint(s, 255, &v)) {
      *out = static_cast<uint8_t>(v);
      return true;
    }
    uint8_t f = 0;
    for (char c : s) {
      switch (detail::Upper(c)) {
        case 'S':
          f |= tcp::kSyn;
          break;
        case 'F':
          f |= tcp::kFin;
          break;
        case 'A':
        case '.':
          f |= tcp::kAck;
          break;
        case 'P':
          f |= tcp::kPsh;
          break;
        case 'R':
          f |= tcp::kRst;
          break;
        case 'U':
          f |= tcp::kUrg;
          break;
        case 'E':
        case '2':
          f |= tcp::kEce;
          break;
        case 'C':
        case 'W':
        case '1':
          f |= tcp::kCwr;
          break;
        case ' ':
        case '[':
        case ']':
          break;
        default:
          return false;
      }
    }
    *out = f;
    return true;
  }

  Action default_action_;
  detail::LocalClock clock_;
  std::array<MapEntry, kNumFields> map_;
  std::string map_error_;
  bool indexes_only_ = false;
  bool have_header_ = false;
  std::string header_line_;
  std::string header_error_;
  char delim_ = ',';
  std::array<int, kNumFields> col_{};
  size_t needed_ = 0;
  std::vector<std::string_view> cells_;
  std::string scratch_;
  std::string time_buf_;
};

}  // namespace

int DetectCsv(std::string_view line) {
  if (line.empty() || line[0] == '#' || line.size() > 4096) return 0;
  char delim = PickDelimiter(line);
  if (delim == '\t' || line.find(delim) == std::string_view::npos) return 0;
  bool src = false, dst = false;
  size_t pos = 0;
  while (pos <= line.size()) {
    size_t e = line.find(delim, pos);
    std::string_view cell = Trim(line.substr(pos, e == std::string_view::npos ? e : e - pos));
    pos = e == std::string_view::npos ? line.size() + 1 : e + 1;
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') {
      cell = cell.substr(1, cell.size() - 2);
    }
    IpAddr a;
    if (cell.size() > 48 || IpAddr::Parse(cell, &a)) return 0;  // data, or not a header
    int f = AliasField(Fold(cell));
    src = src || f == kSrc;
    dst = dst || f == kDst;
  }
  return src && dst ? 40 : 0;
}

std::unique_ptr<Parser> MakeCsvParser(const ParseOptions& options) {
  return std::make_unique<CsvParser>(options);
}

Status CheckCsvMap(std::string_view map) {
  std::array<MapEntry, kNumFields> entries;
  std::string why = ParseMap(map, &entries);
  return why.empty() ? Status::Ok() : Status::InvalidArgument(why);
}

}  // namespace portstorm::parse
