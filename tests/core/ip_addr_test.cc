#include "core/ip_addr.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace portstorm {
namespace {

TEST(IpAddrTest, ParsesIPv4) {
  auto a = IpAddr::Parse("83.50.134.3");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->v4(), (83u << 24) | (50u << 16) | (134u << 8) | 3u);
  EXPECT_EQ(a->ToString(), "83.50.134.3");
}

TEST(IpAddrTest, RejectsBadIPv4) {
  for (const char* s : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
                        "1.2.3.0004", "a.b.c.d", "A.B.C.50", "1.2.3.-4"}) {
    EXPECT_FALSE(IpAddr::Parse(s)) << s;
  }
}

// ParseIPv4 is unrolled for speed; it must accept exactly what the plain
// loop (the reference here) accepts, with the same value.
TEST(IpAddrTest, ParseIPv4MatchesReference) {
  auto reference = [](std::string_view s, uint32_t* out) {
    uint32_t value = 0;
    size_t i = 0;
    for (int octet = 0; octet < 4; ++octet) {
      if (octet > 0) {
        if (i >= s.size() || s[i] != '.') return false;
        ++i;
      }
      size_t start = i;
      uint32_t v = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
        v = v * 10 + static_cast<uint32_t>(s[i] - '0');
        ++i;
      }
      if (i == start || v > 255) return false;
      value = (value << 8) | v;
    }
    if (i != s.size()) return false;
    *out = value;
    return true;
  };
  const char kChars[] = "0123456789..:x 9";
  uint64_t state = 88172645463325252ull;
  for (int round = 0; round < 300000; ++round) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::string s;
    size_t len = state % 18;
    uint64_t r = state;
    for (size_t k = 0; k < len; ++k) {
      s += kChars[r % (sizeof kChars - 1)];
      r = r / 7 + state * (k + 1);
    }
    if (round % 3 == 0) {  // a well-formed address, maybe with leading zeros
      s = std::to_string(state % 300) + "." + std::to_string(state / 300 % 260) + "." +
          std::string(state / 7 % 2, '0') + std::to_string(state / 11 % 256) + "." +
          std::to_string(state / 13 % 1000);
    }
    uint32_t a = 0, b = 0;
    bool ra = ParseIPv4(s, &a), rb = reference(s, &b);
    ASSERT_EQ(ra, rb) << "'" << s << "'";
    if (ra) {
      ASSERT_EQ(a, b) << s;
    }
  }
}

// hi(), lo(), is_v4() and the ordering read the bytes as big-endian words;
// they must agree with the byte-wise definitions.
TEST(IpAddrTest, WordAccessorsMatchBytes) {
  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<IpAddr> addrs;
  for (int i = 0; i < 2000; ++i) {
    uint8_t b[16];
    for (auto& x : b) x = static_cast<uint8_t>(next() % (i % 3 == 0 ? 3 : 256));
    if (i % 4 == 1) std::memcpy(b, IpAddr::V4(static_cast<uint32_t>(next())).bytes().data(), 16);
    if (i % 8 == 2) b[10] = 0xff;  // near-miss of the v4-mapped prefix
    addrs.push_back(IpAddr::V6(b));
  }
  for (const IpAddr& a : addrs) {
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; ++i) hi = hi << 8 | a.bytes()[i];
    for (int i = 8; i < 16; ++i) lo = lo << 8 | a.bytes()[i];
    EXPECT_EQ(a.hi(), hi);
    EXPECT_EQ(a.lo(), lo);
    static constexpr uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    EXPECT_EQ(a.is_v4(), std::memcmp(a.bytes().data(), kPrefix, 12) == 0);
  }
  for (size_t i = 0; i + 1 < addrs.size(); ++i) {
    const IpAddr& a = addrs[i];
    const IpAddr& b = addrs[(i * 7919) % addrs.size()];
    int c = std::memcmp(a.bytes().data(), b.bytes().data(), 16);
    auto o = a <=> b;
    EXPECT_EQ(o < 0, c < 0);
    EXPECT_EQ(o == 0, c == 0);
    EXPECT_EQ(a == b, c == 0);
  }
}

TEST(IpAddrTest, ParsesIPv6AndCompresses) {
  auto a = IpAddr::Parse("2001:0db8:0000:0000:0000:0000:0000:0001");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->is_v4());
  EXPECT_EQ(a->ToString(), "2001:db8::1");
  EXPECT_FALSE(IpAddr::Parse("2001:db8::g"));
  EXPECT_FALSE(IpAddr::Parse(":::"));
}

TEST(IpAddrTest, MappedIPv4IsV4) {
  auto a = IpAddr::Parse("::ffff:1.2.3.4");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(*a, *IpAddr::Parse("1.2.3.4"));
}

TEST(IpAddrTest, OrdersNumerically) {
  EXPECT_LT(*IpAddr::Parse("9.255.255.255"), *IpAddr::Parse("10.0.0.0"));
  EXPECT_LT(*IpAddr::Parse("2.0.0.0"), *IpAddr::Parse("10.0.0.0"));
  EXPECT_LT(*IpAddr::Parse("::1"), *IpAddr::Parse("1.0.0.0"));
  EXPECT_LT(*IpAddr::Parse("1.0.0.0"), *IpAddr::Parse("2001:db8::"));
}

TEST(IpNetTest, Cidr) {
  auto n = IpNet::Parse("83.50.0.0/16");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->Contains(*IpAddr::Parse("83.50.134.3")));
  EXPECT_FALSE(n->Contains(*IpAddr::Parse("83.51.0.1")));
  EXPECT_FALSE(n->Contains(*IpAddr::Parse("2001:db8::1")));
  auto host_bits = IpNet::Parse("10.1.2.3/8");
  ASSERT_TRUE(host_bits);
  EXPECT_TRUE(host_bits->Contains(*IpAddr::Parse("10.200.0.1")));
  auto v6 = IpNet::Parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->Contains(*IpAddr::Parse("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->Contains(*IpAddr::Parse("2001:db9::1")));
  auto all = IpNet::Parse("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->Contains(*IpAddr::Parse("255.255.255.255")));
  EXPECT_FALSE(all->Contains(*IpAddr::Parse("2001:db8::1")));
  EXPECT_FALSE(IpNet::Parse("1.2.3.4/33"));
  EXPECT_FALSE(IpNet::Parse("1.2.3.4/"));
  EXPECT_FALSE(IpNet::Parse("1.2.3.4/x"));
}

}  // namespace
TEST(IpAddrTest, AnonymisedIPv4) {
  IpAddr a, b, c;
  ASSERT_TRUE(IpAddr::ParseAnonymisedV4("A.B.C.50", &a));
  EXPECT_TRUE(a.is_anonymised());
  EXPECT_FALSE(a.is_v4());
  EXPECT_EQ(a.ToString(), "x.x.x.50");
  ASSERT_TRUE(IpAddr::ParseAnonymisedV4("x.x.x.50", &b));
  EXPECT_EQ(a, b);  // the same published target, however the letters are spelled
  ASSERT_TRUE(IpAddr::ParseAnonymisedV4("192.0.x.7", &c));
  EXPECT_EQ(c.ToString(), "192.0.x.7");
  EXPECT_NE(c, a);
  // Never confused with a real address: not even the one with the same octets.
  EXPECT_NE(c, *IpAddr::Parse("192.0.0.7"));
  EXPECT_FALSE(IpAddr::Parse("192.0.0.7")->is_anonymised());
  EXPECT_FALSE(IpAddr::Parse("2001:db8::1")->is_anonymised());
  IpAddr x;
  for (const char* bad : {"1.2.3.4", "A.B.C", "A.B.C.D.E", "A.B.C.256", "AB.C.D.1", "A..C.1",
                          "A.B.C.", ".A.B.C", "A.B.C.-1", "", "A.B.C.5x"}) {
    EXPECT_FALSE(IpAddr::ParseAnonymisedV4(bad, &x)) << bad;
  }
}

}  // namespace portstorm

namespace portstorm {
namespace {

// AnonymisedV4 builds what ParseAnonymisedV4 reads from the same octets.
TEST(IpAddrTest, AnonymisedV4MatchesParsedForm) {
  const char* texts[] = {"x.51.100.2", "x.x.x.50", "a.b.c.d", "192.x.2.x", "192.0.2.x"};
  const uint32_t v4[] = {0x0a336402, 0x00000032, 0, 0xc0000200, 0xc0000200};
  const uint8_t known[] = {0b0111, 0b0001, 0, 0b1010, 0b1110};
  for (size_t i = 0; i < std::size(texts); ++i) {
    IpAddr parsed;
    ASSERT_TRUE(IpAddr::ParseAnonymisedV4(texts[i], &parsed)) << texts[i];
    IpAddr built = IpAddr::AnonymisedV4(v4[i], known[i]);
    EXPECT_EQ(built, parsed) << texts[i];
    EXPECT_TRUE(built.is_anonymised());
    EXPECT_FALSE(built.is_v4());
  }
  // Octets not marked known are dropped, whatever v4 held there.
  EXPECT_EQ(IpAddr::AnonymisedV4(0xffffff32, 0b0001).ToString(), "x.x.x.50");
}

}  // namespace
}  // namespace portstorm
