#include "core/ip_addr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace portstorm {

bool ParseIPv4(std::string_view s, uint32_t* out) {
  // "0.0.0.0" .. "255.255.255.255": anything shorter or longer is not one.
  if (s.size() < 7 || s.size() > 15) return false;
  const char* p = s.data();
  const char* end = p + s.size();
  auto digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };
  uint32_t value = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (p == end || *p != '.') return false;
      ++p;
    }
    // One to three digits, unrolled: no length counter on the hot path.
    if (p == end || !digit(*p)) return false;
    uint32_t v = static_cast<uint32_t>(*p++ - '0');
    if (p != end && digit(*p)) {
      v = v * 10 + static_cast<uint32_t>(*p++ - '0');
      if (p != end && digit(*p)) v = v * 10 + static_cast<uint32_t>(*p++ - '0');
    }
    if (v > 255) return false;
    value = (value << 8) | v;
  }
  if (p != end) return false;
  *out = value;
  return true;
}

std::optional<IpAddr> IpAddr::Parse(std::string_view text) {
  uint32_t v4;
  if (ParseIPv4(text, &v4)) return IpAddr::V4(v4);
  if (text.empty() || text.size() > 45 || text.find(':') == std::string_view::npos) {
    return std::nullopt;
  }
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  uint8_t bytes[16];
  if (inet_pton(AF_INET6, buf, bytes) != 1) return std::nullopt;
  return IpAddr::V6(bytes);
}

bool IpAddr::InPrefix(const IpAddr& net, int bits) const {
  if (bits <= 0) return true;
  if (bits > 128) bits = 128;
  int full = bits / 8;
  if (std::memcmp(b_.data(), net.b_.data(), full) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (b_[full] & mask) == (net.b_[full] & mask);
}

bool IpAddr::ParseAnonymisedV4(std::string_view text, IpAddr* out) {
  IpAddr a;
  a.b_[0] = 0x01;
  int part = 0, letters = 0;
  uint8_t known = 0;
  size_t i = 0;
  while (part < 4) {
    size_t end = text.find('.', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view p = text.substr(i, end - i);
    if (p.size() == 1 && ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z'))) {
      ++letters;
    } else {
      if (p.empty() || p.size() > 3) return false;
      unsigned v = 0;
      for (char c : p) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
      }
      if (v > 255) return false;
      a.b_[12 + part] = static_cast<uint8_t>(v);
      known |= static_cast<uint8_t>(8 >> part);
    }
    ++part;
    if (end == text.size()) break;
    i = end + 1;
  }
  if (part != 4 || i > text.size() || letters == 0 ||
      (text.size() > 0 && text.back() == '.')) {
    return false;
  }
  // Exactly four parts: the loop must have consumed the whole text.
  size_t dots = 0;
  for (char c : text) dots += c == '.';
  if (dots != 3) return false;
  a.b_[11] = known;
  *out = a;
  return true;
}

IpAddr IpAddr::AnonymisedV4(uint32_t v4, uint8_t known) {
  IpAddr a;
  a.b_[0] = 0x01;
  a.b_[11] = known & 0x0f;
  for (int part = 0; part < 4; ++part) {
    if (known & (8 >> part)) a.b_[12 + part] = static_cast<uint8_t>(v4 >> (24 - 8 * part));
  }
  return a;
}

std::string IpAddr::ToString() const {
  if (is_anonymised()) {
    std::string s;
    for (int part = 0; part < 4; ++part) {
      if (part > 0) s.push_back('.');
      if (b_[11] & (8 >> part)) {
        s += std::to_string(b_[12 + part]);
      } else {
        s.push_back('x');
      }
    }
    return s;
  }
  char buf[INET6_ADDRSTRLEN];
  if (is_v4()) {
    inet_ntop(AF_INET, b_.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, b_.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<IpNet> IpNet::Parse(std::string_view text) {
  size_t slash = text.find('/');
  auto addr = IpAddr::Parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  IpNet net;
  net.addr = *addr;
  if (slash == std::string_view::npos) {
    net.bits = 128;
    return net;
  }
  std::string_view len = text.substr(slash + 1);
  int n = -1;
  auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
  if (ec != std::errc() || p != len.data() + len.size() || len.empty()) return std::nullopt;
  int max = addr->is_v4() ? 32 : 128;
  if (n < 0 || n > max) return std::nullopt;
  net.bits = addr->is_v4() ? 96 + n : n;
  // Clear host bits so that "10.1.2.3/8" means 10.0.0.0/8.
  auto b = addr->bytes();
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(net.bits - i * 8, 0, 8);
    b[i] = keep == 0 ? 0 : static_cast<uint8_t>(b[i] & (0xff << (8 - keep)));
  }
  net.addr = IpAddr::V6(b.data());
  return net;
}

}  // namespace portstorm
