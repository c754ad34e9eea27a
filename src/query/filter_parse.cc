// Lexer and recursive-descent parser of the filter language
// (docs/filter-language.md). Errors carry the 1-based line:column of the
// offending token and a caret line, because analysts type these on a
// command line and need to see where it went wrong.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "query/filter.h"

namespace portstorm::query {
namespace {

// Deep enough for any filter a person writes; shallow enough that a fuzzed
// "((((((..." cannot exhaust the stack of the parser, printer or evaluator.
constexpr int kMaxDepth = 100;

enum class Tok : uint8_t {
  kEnd, kWord, kString, kLParen, kRParen, kLBracket, kRBracket, kComma,
  kBang, kAndAnd, kOrOr, kLt, kLe, kGt, kGe, kEq,
};

struct Token {
  Tok type = Tok::kEnd;
  size_t pos = 0;         // byte offset in the text
  std::string_view text;  // as written (for kString: including quotes)
  std::string value;      // kString: the unescaped contents
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsWordChar(char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
    case '(': case ')': case '[': case ']': case ',': case '!': case '&': case '|':
    case '<': case '>': case '=': case '"':
      return false;
    default:
      return static_cast<unsigned char>(c) >= 0x20;
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<uint32_t> ParseUint(std::string_view s, uint32_t max) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return static_cast<uint32_t>(v);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Expr> Parse() {
    if (!Advance()) return Fail();
    if (tok_.type == Tok::kEnd) return Expr::True();
    std::optional<Expr> e = ParseOr(0);
    if (!e) return Fail();
    if (tok_.type != Tok::kEnd) {
      Error(tok_.pos, "expected 'and', 'or' or the end of the filter, found " + Describe(tok_));
      return Fail();
    }
    return std::move(*e);
  }

 private:
  // ---- lexer ----
  bool Advance() {
    size_t i = pos_;
    while (i < text_.size() && IsSpace(text_[i])) ++i;
    tok_ = Token{};
    tok_.pos = i;
    if (i >= text_.size()) {
      pos_ = i;
      tok_.type = Tok::kEnd;
      return true;
    }
    char c = text_[i];
    auto two = [&](char next) { return i + 1 < text_.size() && text_[i + 1] == next; };
    size_t len = 1;
    switch (c) {
      case '(': tok_.type = Tok::kLParen; break;
      case ')': tok_.type = Tok::kRParen; break;
      case '[': tok_.type = Tok::kLBracket; break;
      case ']': tok_.type = Tok::kRBracket; break;
      case ',': tok_.type = Tok::kComma; break;
      case '!': tok_.type = Tok::kBang; break;
      case '&':
        if (!two('&')) return Error(i, "unexpected '&' (write 'and' or '&&')");
        tok_.type = Tok::kAndAnd, len = 2;
        break;
      case '|':
        if (!two('|')) return Error(i, "unexpected '|' (write 'or' or '||')");
        tok_.type = Tok::kOrOr, len = 2;
        break;
      case '<':
        tok_.type = two('=') ? Tok::kLe : Tok::kLt, len = two('=') ? 2 : 1;
        break;
      case '>':
        tok_.type = two('=') ? Tok::kGe : Tok::kGt, len = two('=') ? 2 : 1;
        break;
      case '=':
        tok_.type = Tok::kEq, len = two('=') ? 2 : 1;
        break;
      case '"': {
        size_t j = i + 1;
        std::string v;
        while (j < text_.size() && text_[j] != '"') {
          if (text_[j] == '\\' && j + 1 < text_.size()) ++j;
          v += text_[j++];
        }
        if (j >= text_.size()) return Error(i, "unterminated string");
        tok_.type = Tok::kString;
        tok_.value = std::move(v);
        len = j + 1 - i;
        break;
      }
      default: {
        if (!IsWordChar(c)) {
          return Error(i, "unexpected control character (byte " +
                              std::to_string(static_cast<unsigned char>(c)) + ")");
        }
        size_t j = i;
        while (j < text_.size() && IsWordChar(text_[j])) ++j;
        tok_.type = Tok::kWord;
        len = j - i;
        break;
      }
    }
    tok_.text = text_.substr(i, len);
    pos_ = i + len;
    return true;
  }

  bool IsKeyword(std::string_view kw) const {
    return tok_.type == Tok::kWord && EqualsIgnoreCase(tok_.text, kw);
  }

  static std::string Describe(const Token& t) {
    switch (t.type) {
      case Tok::kEnd: return "the end of the filter";
      case Tok::kString: return std::string("the string ").append(t.text);
      default: return std::string("'").append(t.text).append("'");
    }
  }

  // Records the first error; always returns false so callers can `return Error(...)`.
  bool Error(size_t pos, std::string message) {
    if (error_.empty()) {
      error_pos_ = pos;
      error_ = std::move(message);
    }
    return false;
  }

  Status Fail() const {
    size_t line_start = 0;
    int line = 1;
    for (size_t i = 0; i < error_pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') ++line, line_start = i + 1;
    }
    size_t line_end = text_.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text_.size();
    std::string_view line_text = text_.substr(line_start, line_end - line_start);
    std::string caret;
    for (size_t i = line_start; i < error_pos_ && i < line_end; ++i) {
      caret += text_[i] == '\t' ? '\t' : ' ';
    }
    std::string shown;
    for (char c : line_text) shown += static_cast<unsigned char>(c) < 0x20 && c != '\t' ? '?' : c;
    return Status::ParseError("filter:" + std::to_string(line) + ":" +
                              std::to_string(error_pos_ - line_start + 1) + ": " + error_ + "\n  " +
                              shown + "\n  " + caret + "^");
  }

  // ---- grammar ----
  std::optional<Expr> ParseOr(int depth) {
    std::vector<Expr> terms;
    for (;;) {
      std::optional<Expr> e = ParseAnd(depth);
      if (!e) return std::nullopt;
      terms.push_back(std::move(*e));
      if (!IsKeyword("or") && tok_.type != Tok::kOrOr) break;
      if (!Advance()) return std::nullopt;
    }
    return terms.size() == 1 ? std::move(terms[0]) : Expr::Or(std::move(terms));
  }

  std::optional<Expr> ParseAnd(int depth) {
    std::vector<Expr> terms;
    for (;;) {
      std::optional<Expr> e = ParseUnary(depth);
      if (!e) return std::nullopt;
      terms.push_back(std::move(*e));
      if (!IsKeyword("and") && tok_.type != Tok::kAndAnd) break;
      if (!Advance()) return std::nullopt;
    }
    return terms.size() == 1 ? std::move(terms[0]) : Expr::And(std::move(terms));
  }

  std::optional<Expr> ParseUnary(int depth) {
    if (depth >= kMaxDepth) {
      Error(tok_.pos, "filter nested too deeply (more than " + std::to_string(kMaxDepth) +
                          " levels)");
      return std::nullopt;
    }
    if (IsKeyword("not") || tok_.type == Tok::kBang) {
      if (!Advance()) return std::nullopt;
      std::optional<Expr> e = ParseUnary(depth + 1);
      if (!e) return std::nullopt;
      return Expr::Not(std::move(*e));
    }
    return ParsePrimary(depth);
  }

  std::optional<Expr> ParsePrimary(int depth) {
    if (tok_.type == Tok::kLParen) {
      size_t open = tok_.pos;
      if (!Advance()) return std::nullopt;
      std::optional<Expr> e = ParseOr(depth + 1);
      if (!e) return std::nullopt;
      if (tok_.type != Tok::kRParen) {
        Error(tok_.pos, "expected ')' to close the '(' at column " + std::to_string(open + 1) +
                            ", found " + Describe(tok_));
        return std::nullopt;
      }
      if (!Advance()) return std::nullopt;
      return e;
    }
    if (tok_.type != Tok::kWord) return ExpectedPrimary();
    std::string_view kw = tok_.text;
    if (IsKeyword("any")) {
      if (!Advance()) return std::nullopt;
      return Expr::True();
    }
    if (IsKeyword("proto")) return ParseProtoArg();
    for (std::string_view name : {"tcp", "udp", "icmp", "icmp6", "sctp"}) {
      if (IsKeyword(name)) {
        uint8_t p = *ParseProto(name);
        if (!Advance()) return std::nullopt;
        return Expr::Proto(p);
      }
    }
    if (IsKeyword("sport") || IsKeyword("dport")) {
      Side side = IsKeyword("sport") ? Side::kSrc : Side::kDst;
      return ParsePortArg(side, kw);
    }
    Side side = Side::kEither;
    if (IsKeyword("src") || IsKeyword("dst")) {
      side = IsKeyword("src") ? Side::kSrc : Side::kDst;
      if (!Advance()) return std::nullopt;
      if (!IsKeyword("ip") && !IsKeyword("host") && !IsKeyword("net") && !IsKeyword("port")) {
        Error(tok_.pos, "expected 'ip', 'net' or 'port' after '" + std::string(kw) + "', found " +
                            Describe(tok_));
        return std::nullopt;
      }
      kw = tok_.text;
    }
    if (IsKeyword("ip") || IsKeyword("host")) return ParseAddrArg(side, kw, /*cidr=*/false);
    if (IsKeyword("net")) return ParseAddrArg(side, kw, /*cidr=*/true);
    if (IsKeyword("port")) return ParsePortArg(side, kw);
    if (IsKeyword("flags")) return ParseFlagsArg();
    if (IsKeyword("sensor")) {
      if (!Advance()) return std::nullopt;
      if (tok_.type != Tok::kWord && tok_.type != Tok::kString) {
        Error(tok_.pos, "expected a sensor name after 'sensor', found " + Describe(tok_));
        return std::nullopt;
      }
      std::string name = tok_.type == Tok::kString ? tok_.value : std::string(tok_.text);
      if (!Advance()) return std::nullopt;
      return Expr::Sensor(std::move(name));
    }
    return ExpectedPrimary();
  }

  std::optional<Expr> ExpectedPrimary() {
    Error(tok_.pos,
          "expected a filter primitive (proto, ip, net, port, flags, sensor, src, dst, any), "
          "'not' or '(', found " + Describe(tok_));
    return std::nullopt;
  }

  std::optional<Expr> ParseProtoArg() {
    if (!Advance()) return std::nullopt;
    std::optional<uint8_t> p;
    if (tok_.type == Tok::kWord) p = ParseProto(tok_.text);
    if (!p) {
      Error(tok_.pos, "expected a protocol (tcp, udp, icmp, ... or 0-255) after 'proto', found " +
                          Describe(tok_));
      return std::nullopt;
    }
    if (!Advance()) return std::nullopt;
    return Expr::Proto(*p);
  }

  std::optional<Expr> ParseAddrArg(Side side, std::string_view kw, bool cidr) {
    if (!Advance()) return std::nullopt;
    std::string what = cidr ? "a network (CIDR, e.g. 10.0.0.0/8)" : "an IP address";
    if (tok_.type != Tok::kWord) {
      Error(tok_.pos, "expected " + what + " after '" + std::string(kw) + "', found " +
                          Describe(tok_));
      return std::nullopt;
    }
    std::optional<IpNet> net;
    if (cidr) {
      net = IpNet::Parse(tok_.text);
    } else if (auto a = IpAddr::Parse(tok_.text)) {
      net = IpNet{*a, 128};
    }
    if (!net) {
      std::string hint;
      if (!cidr && tok_.text.find('/') != std::string_view::npos && IpNet::Parse(tok_.text)) {
        hint = " (use 'net' for a CIDR)";
      }
      Error(tok_.pos, "expected " + what + " after '" + std::string(kw) + "', found " +
                          Describe(tok_) + hint);
      return std::nullopt;
    }
    if (!Advance()) return std::nullopt;
    return Expr::Net(side, *net);
  }

  // One port number at text offset `pos`; records an error on failure.
  std::optional<uint16_t> PortNumber(std::string_view s, size_t pos, std::string_view kw) {
    if (!AllDigits(s)) {
      Error(pos, "expected a port number after '" + std::string(kw) + "', found '" +
                     std::string(s) + "'");
      return std::nullopt;
    }
    auto v = ParseUint(s, 65535);
    if (!v) {
      Error(pos, "port " + std::string(s) + " is out of range (0-65535)");
      return std::nullopt;
    }
    return static_cast<uint16_t>(*v);
  }

  // N or N-M (also "N - M" and "N -M" across tokens); tok_ is the first word.
  std::optional<PortRange> PortItem(std::string_view kw) {
    size_t pos = tok_.pos;
    std::string_view w = tok_.text;
    size_t dash = w.find('-');
    std::string_view lo_text = w.substr(0, dash);
    auto lo = PortNumber(lo_text, pos, kw);
    if (!lo) return std::nullopt;
    std::string_view hi_text;
    size_t hi_pos = 0;
    if (dash != std::string_view::npos) {
      hi_text = w.substr(dash + 1);
      hi_pos = pos + dash + 1;
      if (!Advance()) return std::nullopt;
      if (hi_text.empty()) {  // "1026- 1031"
        if (tok_.type != Tok::kWord) {
          Error(tok_.pos, "expected the end of the port range after '-', found " + Describe(tok_));
          return std::nullopt;
        }
        hi_text = tok_.text, hi_pos = tok_.pos;
        if (!Advance()) return std::nullopt;
      }
    } else {
      if (!Advance()) return std::nullopt;
      if (tok_.type == Tok::kWord && tok_.text.starts_with('-')) {  // "1026 -1031", "1026 - 1031"
        hi_text = tok_.text.substr(1), hi_pos = tok_.pos + 1;
        if (!Advance()) return std::nullopt;
        if (hi_text.empty()) {
          if (tok_.type != Tok::kWord) {
            Error(tok_.pos, "expected the end of the port range after '-', found " +
                                Describe(tok_));
            return std::nullopt;
          }
          hi_text = tok_.text, hi_pos = tok_.pos;
          if (!Advance()) return std::nullopt;
        }
      } else {
        return PortRange{*lo, *lo};
      }
    }
    auto hi = PortNumber(hi_text, hi_pos, "-");
    if (!hi) return std::nullopt;
    if (*hi < *lo) {
      Error(pos, "port range " + std::string(lo_text) + "-" + std::string(hi_text) +
                     " is reversed (write " + std::string(hi_text) + "-" + std::string(lo_text) +
                     ")");
      return std::nullopt;
    }
    return PortRange{*lo, *hi};
  }

  std::optional<Expr> ParsePortArg(Side side, std::string_view kw) {
    std::string kw_s(kw);
    if (!Advance()) return std::nullopt;
    std::vector<PortRange> ranges;
    if (IsKeyword("in")) {
      if (!Advance()) return std::nullopt;
      if (tok_.type != Tok::kLBracket) {
        Error(tok_.pos, "expected '[' after 'in', found " + Describe(tok_));
        return std::nullopt;
      }
      size_t open = tok_.pos;
      if (!Advance()) return std::nullopt;
      while (tok_.type != Tok::kRBracket) {
        if (tok_.type != Tok::kWord) {
          Error(tok_.pos, std::string(ranges.empty() ? "expected a port number" :
                                      "expected a port number or ']'") +
                              " in the port list opened at column " + std::to_string(open + 1) +
                              ", found " + Describe(tok_));
          return std::nullopt;
        }
        auto r = PortItem("[");
        if (!r) return std::nullopt;
        ranges.push_back(*r);
        if (tok_.type == Tok::kComma && !Advance()) return std::nullopt;
      }
      if (ranges.empty()) {
        Error(tok_.pos, "empty port list");
        return std::nullopt;
      }
      if (!Advance()) return std::nullopt;
      return Expr::Ports(side, std::move(ranges));
    }
    if (tok_.type == Tok::kLt || tok_.type == Tok::kLe || tok_.type == Tok::kGt ||
        tok_.type == Tok::kGe || tok_.type == Tok::kEq) {
      Tok op = tok_.type;
      std::string op_text(tok_.text);
      if (!Advance()) return std::nullopt;
      if (tok_.type != Tok::kWord) {
        Error(tok_.pos, "expected a port number after '" + op_text + "', found " + Describe(tok_));
        return std::nullopt;
      }
      auto n = PortNumber(tok_.text, tok_.pos, op_text);
      if (!n) return std::nullopt;
      PortRange r{*n, *n};
      if ((op == Tok::kLt && *n == 0) || (op == Tok::kGt && *n == 65535)) {
        Error(tok_.pos, "port " + op_text + " " + std::string(tok_.text) + " matches no port");
        return std::nullopt;
      }
      if (op == Tok::kLt) r = {0, static_cast<uint16_t>(*n - 1)};
      if (op == Tok::kLe) r = {0, *n};
      if (op == Tok::kGt) r = {static_cast<uint16_t>(*n + 1), 65535};
      if (op == Tok::kGe) r = {*n, 65535};
      if (!Advance()) return std::nullopt;
      return Expr::Ports(side, {r});
    }
    if (tok_.type != Tok::kWord) {
      Error(tok_.pos, "expected a port number after '" + kw_s + "', found " + Describe(tok_));
      return std::nullopt;
    }
    auto r = PortItem(kw_s);
    if (!r) return std::nullopt;
    return Expr::Ports(side, {*r});
  }

  std::optional<Expr> ParseFlagsArg() {
    if (!Advance()) return std::nullopt;
    if (tok_.type != Tok::kWord) {
      Error(tok_.pos, "expected TCP flag letters (S F A P R U 1 2) after 'flags', found " +
                          Describe(tok_));
      return std::nullopt;
    }
    uint8_t flags = 0;
    for (size_t i = 0; i < tok_.text.size(); ++i) {
      switch (tok_.text[i]) {
        case 'S': case 's': flags |= tcp::kSyn; break;
        case 'F': case 'f': flags |= tcp::kFin; break;
        case 'A': case 'a': flags |= tcp::kAck; break;
        case 'P': case 'p': flags |= tcp::kPsh; break;
        case 'R': case 'r': flags |= tcp::kRst; break;
        case 'U': case 'u': flags |= tcp::kUrg; break;
        case '1': flags |= tcp::kCwr; break;
        case '2': flags |= tcp::kEce; break;
        default:
          Error(tok_.pos + i, "unknown TCP flag '" + std::string(1, tok_.text[i]) +
                                  "' (flags are S F A P R U 1 2)");
          return std::nullopt;
      }
    }
    if (!Advance()) return std::nullopt;
    return Expr::Flags(flags);
  }

  std::string_view text_;
  size_t pos_ = 0;
  Token tok_;
  std::string error_;
  size_t error_pos_ = 0;
};

}  // namespace

Result<Expr> ParseFilter(std::string_view text) { return Parser(text).Parse(); }

}  // namespace portstorm::query
