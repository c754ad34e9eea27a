#include "report/table_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <fmt/format.h>

#include "core/time.h"

namespace portstorm::report {
namespace {

bool IsNumeric(CellType t) { return t == CellType::kInt || t == CellType::kFloat; }

// Display width in code points (UTF-8 continuation bytes do not count).
size_t Width(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

std::string FloatText(double v, int decimals) {
  if (!std::isfinite(v)) return {};
  return fmt::format("{:.{}f}", v, decimals);
}

std::string TsvEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default: out += c;
    }
  }
  return out;
}

std::string CsvQuote(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not one.
size_t Utf8Len(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) n = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) n = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) n = 4, cp = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff)) {
    return 0;  // overlong, out of range or a surrogate
  }
  return n;
}

void JsonString(std::string_view s, std::string* out) {
  *out += '"';
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    switch (c) {
      case '"': *out += "\\\""; ++i; continue;
      case '\\': *out += "\\\\"; ++i; continue;
      case '\n': *out += "\\n"; ++i; continue;
      case '\r': *out += "\\r"; ++i; continue;
      case '\t': *out += "\\t"; ++i; continue;
      case '\b': *out += "\\b"; ++i; continue;
      case '\f': *out += "\\f"; ++i; continue;
      default: break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      *out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
      ++i;
      continue;
    }
    size_t n = Utf8Len(s, i);
    if (n == 0) {
      *out += "\xef\xbf\xbd";  // U+FFFD
      ++i;
    } else {
      out->append(s.substr(i, n));
      i += n;
    }
  }
  *out += '"';
}

void JsonCell(const Cell& cell, const Column& col, std::string* out) {
  if (IsNull(cell)) {
    *out += "null";
    return;
  }
  switch (col.type) {
    case CellType::kInt:
      if (auto* v = std::get_if<int64_t>(&cell)) {
        *out += std::to_string(*v);
        return;
      }
      break;
    case CellType::kFloat:
      if (auto* v = std::get_if<double>(&cell)) {
        *out += std::isfinite(*v) ? FloatText(*v, col.decimals) : "null";
        return;
      }
      break;
    case CellType::kTime:
      if (auto* v = std::get_if<int64_t>(&cell)) {
        JsonString(FormatIso(*v), out);
        return;
      }
      break;
    default:
      break;
  }
  JsonString(CellText(cell, col), out);
}

std::string Json(const Table& t) {
  if (t.rows.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    out += "  {";
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (c > 0) out += ", ";
      JsonString(t.columns[c].name, &out);
      out += ": ";
      JsonCell(c < t.rows[r].size() ? t.rows[r][c] : Cell{}, t.columns[c], &out);
    }
    out += r + 1 < t.rows.size() ? "},\n" : "}\n";
  }
  out += "]\n";
  return out;
}

std::string Delimited(const Table& t, OutputFormat f) {
  const char sep = f == OutputFormat::kTsv ? '\t' : ',';
  auto field = [&](std::string_view s) {
    return f == OutputFormat::kTsv ? TsvEscape(s) : CsvQuote(s);
  };
  std::string out;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    if (c > 0) out += sep;
    out += field(t.columns[c].name);
  }
  out += '\n';
  for (const auto& row : t.rows) {
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (c > 0) out += sep;
      out += field(c < row.size() ? CellText(row[c], t.columns[c]) : std::string());
    }
    out += '\n';
  }
  return out;
}

std::string Aligned(const Table& t) {
  const size_t n = t.columns.size();
  std::vector<std::vector<std::string>> text(t.rows.size(), std::vector<std::string>(n));
  std::vector<size_t> width(n);
  for (size_t c = 0; c < n; ++c) width[c] = Width(t.columns[c].name);
  for (size_t r = 0; r < t.rows.size(); ++r) {
    for (size_t c = 0; c < n; ++c) {
      // Control characters would break the alignment (and the terminal).
      std::string s = c < t.rows[r].size() ? CellText(t.rows[r][c], t.columns[c]) : "";
      for (char& ch : s) {
        if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
      }
      width[c] = std::max(width[c], Width(s));
      text[r][c] = std::move(s);
    }
  }
  std::string out;
  auto line = [&](auto get) {
    std::string l;
    for (size_t c = 0; c < n; ++c) {
      std::string_view s = get(c);
      std::string pad(width[c] - Width(s), ' ');
      if (c > 0) l += "  ";
      if (IsNumeric(t.columns[c].type)) {
        l += pad;
        l += s;
      } else {
        l += s;
        if (c + 1 < n) l += pad;
      }
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l;
    out += '\n';
  };
  line([&](size_t c) -> std::string_view { return t.columns[c].name; });
  for (const auto& row : text) line([&](size_t c) -> std::string_view { return row[c]; });
  return out;
}

}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view text) {
  std::string l;
  for (char c : text) l += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (l == "table") return OutputFormat::kTable;
  if (l == "tsv") return OutputFormat::kTsv;
  if (l == "csv") return OutputFormat::kCsv;
  if (l == "json") return OutputFormat::kJson;
  return Status::InvalidArgument("unknown output format '" + std::string(text) +
                                 "' (expected table, tsv, csv or json)");
}

std::string_view OutputFormatName(OutputFormat f) {
  switch (f) {
    case OutputFormat::kTable: return "table";
    case OutputFormat::kTsv: return "tsv";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kJson: return "json";
  }
  return "table";
}

OutputFormat DefaultOutputFormat(bool is_terminal) {
  return is_terminal ? OutputFormat::kTable : OutputFormat::kTsv;
}

OutputFormat DefaultOutputFormatForFd(int fd) { return DefaultOutputFormat(isatty(fd) == 1); }

std::string CellText(const Cell& cell, const Column& col) {
  if (IsNull(cell)) return {};
  if (auto* s = std::get_if<std::string>(&cell)) return *s;
  if (auto* a = std::get_if<IpAddr>(&cell)) return a->ToString();
  if (auto* d = std::get_if<double>(&cell)) return FloatText(*d, col.decimals);
  int64_t v = std::get<int64_t>(cell);
  switch (col.type) {
    case CellType::kTime: return FormatTime(v);
    case CellType::kDay: return FormatDay(v);
    case CellType::kFloat: return FloatText(static_cast<double>(v), col.decimals);
    default: return std::to_string(v);
  }
}

std::string FormatTable(const Table& table, OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable: return Aligned(table);
    case OutputFormat::kTsv:
    case OutputFormat::kCsv: return Delimited(table, format);
    case OutputFormat::kJson: return Json(table);
  }
  return {};
}

Status WriteTable(const Table& table, OutputFormat format, std::FILE* out) {
  std::string s = FormatTable(table, format);
  if (std::fwrite(s.data(), 1, s.size(), out) != s.size() || std::fflush(out) != 0) {
    return Status::FromErrno("writing output", errno);
  }
  return Status::Ok();
}

}  // namespace portstorm::report
