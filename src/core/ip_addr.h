// IpAddr: an IPv4 or IPv6 address as a 16-byte value.
//
// IPv4 addresses are held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one type,
// one comparison and one hash cover both families; is_v4() tells them apart.
// Ordering is numeric (all IPv4 sort together, inside ::ffff:0:0/96), which is
// the "sorted by IP" order of feeds. Trivially copyable, 16 bytes, no padding.
#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace portstorm {

// Fast strict dotted-quad parser for hot paths: exactly four decimal octets
// 0..255 (no leading '+', at most 3 digits each). Returns false otherwise.
bool ParseIPv4(std::string_view text, uint32_t* out);

class IpAddr {
 public:
  constexpr IpAddr() = default;  // :: (all zero)

  static constexpr IpAddr V4(uint32_t host_order) {
    IpAddr a;
    a.b_[10] = 0xff;
    a.b_[11] = 0xff;
    a.b_[12] = static_cast<uint8_t>(host_order >> 24);
    a.b_[13] = static_cast<uint8_t>(host_order >> 16);
    a.b_[14] = static_cast<uint8_t>(host_order >> 8);
    a.b_[15] = static_cast<uint8_t>(host_order);
    return a;
  }
  static IpAddr V6(const uint8_t bytes[16]) {
    IpAddr a;
    std::memcpy(a.b_.data(), bytes, 16);
    return a;
  }
  // Parses dotted-quad IPv4 or any RFC 4291 IPv6 text form (incl. "::ffff:1.2.3.4").
  // Returns nullopt for anything else (leading/trailing junk, octet > 255, ...).
  static std::optional<IpAddr> Parse(std::string_view text);
  // Parse() for hot paths: no optional, IPv4 tried first without a copy.
  static bool Parse(std::string_view text, IpAddr* out) {
    uint32_t v4;
    if (ParseIPv4(text, &v4)) {
      *out = V4(v4);
      return true;
    }
    auto a = Parse(text);
    if (a) *out = *a;
    return a.has_value();
  }

  // Anonymised IPv4 addresses as sensors publish them ("A.B.C.50", "x.x.x.50",
  // "a.b.c.d"): some octets replaced by a letter, the rest kept. Stored inside
  // the RFC 6666 discard-only prefix 100::/64, which no log ever names as a real
  // source or target: bytes 0-1 = 01 00, byte 11 = which octets are known
  // (bit 3 = first octet ... bit 0 = last), bytes 12-15 = the known octets (0
  // where unknown). Never equal to a real address; ToString() gives
  // "x.x.x.50". ParseAnonymisedV4 wants four dot-separated parts, each a
  // decimal octet or one letter, at least one letter.
  static bool ParseAnonymisedV4(std::string_view text, IpAddr* out);
  // The anonymised form of an IPv4 address of which only the octets with
  // their bit set in `known` (bit 3 = first octet ... bit 0 = last) are real;
  // AnonymisedV4(0x0a336402, 0b0111) is "x.51.100.2".
  static IpAddr AnonymisedV4(uint32_t v4, uint8_t known);
  bool is_anonymised() const { return b_[0] == 0x01 && b_[1] == 0 && b_[2] == 0 && b_[3] == 0 &&
                                      b_[4] == 0 && b_[5] == 0 && b_[6] == 0 && b_[7] == 0 &&
                                      b_[8] == 0 && b_[9] == 0 && b_[10] == 0 && b_[11] < 16; }

  // Inline and free of library calls: the store sorts and hashes addresses
  // by the million (dictionary encoding, day-index address sets).
  bool is_v4() const { return hi() == 0 && (lo() >> 32) == 0xffff; }
  // Host-order IPv4 value; only meaningful when is_v4().
  uint32_t v4() const {
    return (uint32_t{b_[12]} << 24) | (uint32_t{b_[13]} << 16) | (uint32_t{b_[14]} << 8) | b_[15];
  }
  const std::array<uint8_t, 16>& bytes() const { return b_; }
  uint64_t hi() const { return LoadBigEndian64(b_.data()); }      // first 8 bytes as a number
  uint64_t lo() const { return LoadBigEndian64(b_.data() + 8); }  // last 8 bytes as a number

  // True when the first `bits` bits equal those of `net` (bits counted on the
  // 128-bit form; for IPv4 CIDRs pass 96 + prefix length).
  bool InPrefix(const IpAddr& net, int bits) const;

  std::string ToString() const;  // "1.2.3.4" or RFC 5952 "2001:db8::1"

  friend bool operator==(const IpAddr&, const IpAddr&) = default;
  // Byte order = numeric order of the two big-endian halves.
  friend std::strong_ordering operator<=>(const IpAddr& a, const IpAddr& b) {
    uint64_t ah = a.hi(), bh = b.hi();
    if (ah != bh) return ah < bh ? std::strong_ordering::less : std::strong_ordering::greater;
    return a.lo() <=> b.lo();
  }
  template <typename H>
  friend H AbslHashValue(H h, const IpAddr& a) {
    return H::combine(std::move(h), a.hi(), a.lo());
  }

 private:
  static uint64_t LoadBigEndian64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    return v;
  }

  std::array<uint8_t, 16> b_{};
};
static_assert(sizeof(IpAddr) == 16);

// A CIDR network ("10.0.0.0/8", "2001:db8::/32", or a bare address = host).
struct IpNet {
  IpAddr addr;
  int bits = 128;  // on the 128-bit form (IPv4 /24 -> 120)
  static std::optional<IpNet> Parse(std::string_view text);
  bool Contains(const IpAddr& a) const { return a.InPrefix(addr, bits); }
};

}  // namespace portstorm
