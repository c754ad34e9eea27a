// Small text-scanning helpers shared by the parsers: strict decimal and hex
// number parsing, control-byte detection, ASCII case folding. Everything here
// is allocation-free and works on string_views borrowed from the caller; none
// of it keeps state, so it is safe to use from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portstorm::parse::detail {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
// s without leading and trailing blanks (space, tab).
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

// Strict unsigned decimal: 1..10 digits, no sign, no junk; false on overflow
// of `max`.
inline bool ParseUint(std::string_view s, uint64_t max, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > max) return false;
  }
  *out = v;
  return true;
}

// "0x1F" or "1F" hexadecimal up to 16 digits.
inline bool ParseHex(std::string_view s, uint64_t* out) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (IsDigit(c)) d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

constexpr int HexDigit(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Two ASCII digits at p (caller guarantees two readable bytes); -1 if not digits.
inline int Digits2(const char* p) {
  if (!IsDigit(p[0]) || !IsDigit(p[1])) return -1;
  return (p[0] - '0') * 10 + (p[1] - '0');
}

inline bool IsControl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

// Index of the first byte that cannot appear in a text log line (NUL and the
// other C0 controls except TAB, and DEL), or npos. Runs on every line, so
// where SSE2 is available it checks 64 bytes per branch, and the last
// partial block with one overlapping 16-byte load.
inline size_t FindControlByte(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i k20 = _mm_set1_epi8(0x20), kTab = _mm_set1_epi8('\t'),
                  kDel = _mm_set1_epi8(0x7f), kOnes = _mm_set1_epi8(-1);
    auto bad = [&](size_t at) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
      __m128i printable = _mm_cmpeq_epi8(_mm_max_epu8(v, k20), v);  // v >= 0x20
      return _mm_or_si128(_mm_andnot_si128(_mm_or_si128(printable, _mm_cmpeq_epi8(v, kTab)), kOnes),
                          _mm_cmpeq_epi8(v, kDel));
    };
    auto first = [](__m128i b) { return static_cast<unsigned>(_mm_movemask_epi8(b)); };
    for (; i + 64 <= n; i += 64) {
      __m128i b0 = bad(i), b1 = bad(i + 16), b2 = bad(i + 32), b3 = bad(i + 48);
      if (first(_mm_or_si128(_mm_or_si128(b0, b1), _mm_or_si128(b2, b3))) != 0) {
        for (size_t k = 0; k < 64; k += 16) {
          unsigned m = first(bad(i + k));
          if (m != 0) return i + k + static_cast<size_t>(__builtin_ctz(m));
        }
      }
    }
    for (; i + 16 <= n; i += 16) {
      unsigned m = first(bad(i));
      if (m != 0) return i + static_cast<size_t>(__builtin_ctz(m));
    }
    if (i < n) {
      // The last 16 bytes; those before i are known to be clean.
      unsigned m = first(bad(n - 16));
      return m != 0 ? n - 16 + static_cast<size_t>(__builtin_ctz(m)) : std::string_view::npos;
    }
    return std::string_view::npos;
  }
#endif
  for (; i < n; ++i) {
    if (IsControl(p[i])) return i;
  }
  return std::string_view::npos;
}

// End of the space-delimited token starting at p[i] (index of the next ' ',
// or n) and, in *eq, the index of its first '=' (npos if none). The netfilter
// parser spends most of its time here, so it looks at 16 bytes per step.
inline size_t ScanToken(const char* p, size_t i, size_t n, size_t* eq) {
  *eq = std::string_view::npos;
#if defined(__SSE2__)
  const __m128i sp = _mm_set1_epi8(' '), eqc = _mm_set1_epi8('=');
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    unsigned ms = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp)));
    unsigned me = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, eqc)));
    if (ms != 0) {
      unsigned before = me & ((ms & (0u - ms)) - 1);  // '=' bits below the first space
      if (*eq == std::string_view::npos && before != 0) {
        *eq = i + static_cast<size_t>(__builtin_ctz(before));
      }
      return i + static_cast<size_t>(__builtin_ctz(ms));
    }
    if (*eq == std::string_view::npos && me != 0) *eq = i + static_cast<size_t>(__builtin_ctz(me));
    i += 16;
  }
#endif
  for (; i < n && p[i] != ' '; ++i) {
    if (p[i] == '=' && *eq == std::string_view::npos) *eq = i;
  }
  return i;
}

// Case-insensitive ASCII equality; `upper` must already be upper case.
inline bool EqualsUpper(std::string_view s, std::string_view upper) {
  if (s.size() != upper.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Upper(s[i]) != upper[i]) return false;
  }
  return true;
}

// Detail text for a field that failed: `<field>: <why>`, with the field cut
// to a readable length so a hostile 1 MiB token does not become a 1 MiB detail.
inline std::string FieldDetail(std::string_view field, std::string_view why) {
  constexpr size_t kMax = 80;
  std::string d;
  if (field.size() > kMax) {
    d.append(field.substr(0, kMax));
    d += "...";
  } else {
    d.append(field);
  }
  d += ": ";
  d.append(why);
  return d;
}

}  // namespace portstorm::parse::detail
