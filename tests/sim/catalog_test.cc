// The catalog's tables are data, so the tests check what data can get wrong:
// packet lengths that disagree with the options, retransmission schedules out
// of order, ranges upside down, mixes out of step with the stack list, port
// lists that are not heaviest-first, and the shapes the seeds pin down.
#include "sim/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/time.h"

namespace portstorm::sim {
namespace {

std::vector<TcpOpt> Options(uint32_t layout) {
  std::vector<TcpOpt> out;
  for (int i = 0; i < 8; ++i) {
    auto o = static_cast<TcpOpt>((layout >> (4 * i)) & 0xf);
    if (o == TcpOpt::kEnd) break;
    out.push_back(o);
  }
  return out;
}

// Option bytes on the wire, padded to a 4-byte boundary (EOL/NOP padding).
int PaddedOptionBytes(uint32_t layout) {
  int n = 0;
  for (TcpOpt o : Options(layout)) {
    switch (o) {
      case TcpOpt::kNop: n += 1; break;
      case TcpOpt::kMss: n += 4; break;
      case TcpOpt::kWscale: n += 3; break;
      case TcpOpt::kSackOk: n += 2; break;
      case TcpOpt::kTimestamp: n += 10; break;
      default: ADD_FAILURE() << "unexpected option kind in a SYN"; break;
    }
  }
  return (n + 3) / 4 * 4;
}

// The option string of a stack's SYN as core prints it.
std::string OptsString(const Stack& s) {
  Event e;
  e.tcp_opts = s.tcp_opts;
  e.mss = s.mss;
  e.wscale = s.wscale;
  return TcpOptsString(e);
}

const Stack& Get(std::string_view name) {
  const Stack* s = FindStack(name);
  EXPECT_NE(s, nullptr) << name;
  static const Stack kNone{};
  return s != nullptr ? *s : kNone;
}

double WeightOf(Era era, uint8_t proto, uint16_t port) {
  for (const PortWeight& p : ScannedPorts(era)) {
    if (p.proto == proto && p.port == port) return p.weight;
  }
  return -1;
}

TEST(CatalogStacks, NamesUniqueAndFindStackRoundTrips) {
  std::set<std::string_view> names;
  for (const Stack& s : Stacks()) {
    EXPECT_FALSE(s.name.empty());
    EXPECT_FALSE(s.label.empty()) << s.name;
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate " << s.name;
    EXPECT_EQ(FindStack(s.name), &s) << s.name;
  }
  EXPECT_EQ(FindStack("no-such-stack"), nullptr);
  EXPECT_EQ(FindStack(""), nullptr);
}

TEST(CatalogStacks, SynIpLengthMatchesOptions) {
  for (const Stack& s : Stacks()) {
    EXPECT_EQ(s.syn_ip_len, 40 + PaddedOptionBytes(s.tcp_opts))
        << s.name << " options " << OptsString(s);
  }
}

TEST(CatalogStacks, OptionValuesAgreeWithLayout) {
  for (const Stack& s : Stacks()) {
    std::vector<TcpOpt> opts = Options(s.tcp_opts);
    bool has_mss = std::count(opts.begin(), opts.end(), TcpOpt::kMss) == 1;
    bool has_ws = std::count(opts.begin(), opts.end(), TcpOpt::kWscale) == 1;
    EXPECT_EQ(has_mss, s.mss != 0) << s.name;
    EXPECT_EQ(has_ws, s.wscale != 0) << s.name;
    if (has_ws) {
      EXPECT_LE(s.wscale, 15) << s.name << ": RFC 7323 caps the shift at 14";
    }
    // The layout is exactly what AppendTcpOpt builds from the same list.
    uint32_t rebuilt = 0;
    for (TcpOpt o : opts) rebuilt = AppendTcpOpt(rebuilt, o);
    EXPECT_EQ(rebuilt, s.tcp_opts) << s.name;
  }
}

TEST(CatalogStacks, SynScheduleStartsAtZeroAndAscends) {
  for (const Stack& s : Stacks()) {
    ASSERT_GE(s.syn_tries, 1) << s.name;
    ASSERT_LE(static_cast<size_t>(s.syn_tries), s.syn_ms.size()) << s.name;
    EXPECT_EQ(s.syn_ms[0], 0u) << s.name;
    for (size_t i = 1; i < static_cast<size_t>(s.syn_tries); ++i) {
      EXPECT_LT(s.syn_ms[i - 1], s.syn_ms[i]) << s.name << " try " << i;
    }
    for (size_t i = s.syn_tries; i < s.syn_ms.size(); ++i) {
      EXPECT_EQ(s.syn_ms[i], 0u) << s.name << ": entry past syn_tries";
    }
  }
}

TEST(CatalogStacks, RangesAndModesAreSane) {
  for (const Stack& s : Stacks()) {
    EXPECT_GT(s.sport_lo, 0) << s.name;
    EXPECT_LE(s.sport_lo, s.sport_hi) << s.name;
    EXPECT_GT(s.initial_ttl, 0) << s.name;
    EXPECT_LT(s.ttl_spread, s.initial_ttl) << s.name;
    if (s.ip_id == IpIdMode::kConstant || s.ip_id == IpIdMode::kCounter) {
      EXPECT_GT(s.ip_id_value, 0) << s.name;
    }
    if (s.window_random) {
      EXPECT_EQ(s.window, 0) << s.name;
    } else {
      EXPECT_GT(s.window, 0) << s.name;
    }
    // Stateless raw-packet tools never retransmit; kernels always do.
    if (!s.df) {
      EXPECT_EQ(s.syn_tries, 1) << s.name;
    }
  }
}

// Seed 004: three logs of the same Gnutella SYNs from a "Windows 95 or early NT4".
TEST(CatalogStacks, Seed004WindowsShape) {
  const Stack& s = Get("windows-95-nt4");
  EXPECT_EQ(s.label, "Windows 95 or early NT4");  // p0f's words in the seed
  EXPECT_EQ(s.window, 0x16D0);                   // Win: 0x16D0
  EXPECT_EQ(s.window, 5840);
  EXPECT_EQ(s.mss, 1460);
  EXPECT_EQ(OptsString(s), "M1460,N,N,S");  // MSS: 1460 NOP NOP SackOK
  EXPECT_EQ(s.syn_ip_len, 48);              // DgmLen:48, L=48
  EXPECT_TRUE(s.df);                        // DF, F=0x4000
  EXPECT_EQ(s.initial_ttl - 11, 117);       // TTL:117 after 11 hops
  EXPECT_EQ(s.ip_id, IpIdMode::kCounter);   // ID 31988, 32007, 32053
  // The generator reads ip_id_value as the host's increments per second:
  // +19 in 2.96 s and +53 in 5.89 s must both be reachable.
  EXPECT_GE(s.ip_id_value, 53 / 5.89);
  // SYNs at 15:32:54.630, :57.590, 15:33:03.611 -> 0, 2.96 s, 8.98 s.
  ASSERT_EQ(s.syn_tries, 3);
  const uint32_t seen[] = {0, 2960, 8981};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(static_cast<double>(s.syn_ms[static_cast<size_t>(i)]), seen[i], 100) << i;
  }
  EXPECT_EQ(s.seq, SeqMode::kRandom);  // same Seq over the retries: one ISN per connection
  EXPECT_EQ(s.sport, SportMode::kSequential);
  for (uint16_t port : {3504, 4665}) {
    EXPECT_GE(port, s.sport_lo);
    EXPECT_LE(port, s.sport_hi);
  }
}

// Seed 002 and the issue: Windows XP retries at 3 s then 6 s from 1025-5000.
TEST(CatalogStacks, WindowsXpRetransmission) {
  const Stack& s = Get("windows-xp");
  EXPECT_EQ(s.initial_ttl, 128);
  ASSERT_EQ(s.syn_tries, 3);
  EXPECT_EQ(s.syn_ms[1], 3000u);
  EXPECT_EQ(s.syn_ms[2] - s.syn_ms[1], 6000u);
  EXPECT_EQ(s.sport_lo, 1025);
  EXPECT_EQ(s.sport_hi, 5000);
  for (uint16_t port : {4109, 4117}) {  // seed 002's sources
    EXPECT_GE(port, s.sport_lo);
    EXPECT_LE(port, s.sport_hi);
  }
}

TEST(CatalogStacks, LinuxRtoFollowsTheRfcOfItsTime) {
  // RFC 2988 (3 s initial RTO) for 2.4/2.6, RFC 6298 (1 s) since Linux 3.1.
  for (std::string_view name : {"linux-2.4", "linux-2.6"}) {
    const Stack& s = Get(name);
    EXPECT_EQ(s.initial_ttl, 64) << name;
    EXPECT_EQ(s.syn_ms[1], 3000u) << name;
    EXPECT_EQ(s.window, 5840) << name;  // 4 x 1460
    EXPECT_EQ(OptsString(s).substr(0, 11), "M1460,S,T,N") << name;
  }
  const Stack& m = Get("linux-modern");
  ASSERT_GE(m.syn_tries, 4);
  EXPECT_EQ(m.syn_ms[1], 1000u);
  EXPECT_EQ(m.syn_ms[2], 3000u);
  EXPECT_EQ(m.syn_ms[3], 7000u);
  EXPECT_EQ(OptsString(m), "M1460,S,T,N,W7");
}

TEST(CatalogStacks, ToolFingerprints) {
  const Stack& nmap = Get("nmap-syn");
  EXPECT_EQ(nmap.window, 1024);
  EXPECT_EQ(OptsString(nmap), "M1460");
  EXPECT_EQ(nmap.initial_ttl - nmap.ttl_spread, 37);  // (rand % 23) + 37
  EXPECT_EQ(nmap.initial_ttl, 59);
  EXPECT_EQ(nmap.sport, SportMode::kFixed);

  const Stack& zmap = Get("zmap");
  EXPECT_EQ(zmap.ip_id, IpIdMode::kConstant);
  EXPECT_EQ(zmap.ip_id_value, 54321);
  EXPECT_EQ(zmap.initial_ttl, 255);
  EXPECT_EQ(zmap.window, 65535);

  const Stack& masscan = Get("masscan");
  EXPECT_EQ(masscan.ip_id, IpIdMode::kMasscan);
  EXPECT_EQ(masscan.initial_ttl, 255);
  EXPECT_EQ(masscan.window, 1024);
  EXPECT_EQ(masscan.tcp_opts, 0u);
  EXPECT_EQ(masscan.syn_ip_len, 40);
  EXPECT_EQ(masscan.sport, SportMode::kFixed);

  const Stack& mirai = Get("mirai");
  EXPECT_EQ(mirai.seq, SeqMode::kDstIp);
  EXPECT_EQ(mirai.initial_ttl, 64);
  EXPECT_TRUE(mirai.window_random);
  EXPECT_EQ(mirai.tcp_opts, 0u);
  EXPECT_EQ(mirai.syn_ip_len, 40);
  EXPECT_GE(mirai.sport_lo, 1024);
}

TEST(CatalogMix, ParallelToStacksWithPositiveSum) {
  for (Era era : {Era::k2003, Era::kToday}) {
    auto mix = StackMix(era);
    ASSERT_EQ(mix.size(), Stacks().size());
    double sum = 0;
    for (double w : mix) {
      EXPECT_GE(w, 0);
      sum += w;
    }
    EXPECT_GT(sum, 0);
    EXPECT_NEAR(sum, 1.0, 1e-9);  // written as shares
  }
  auto share = [](Era era, std::string_view name) {
    auto stacks = Stacks();
    for (size_t i = 0; i < stacks.size(); ++i) {
      if (stacks[i].name == name) return StackMix(era)[i];
    }
    return -1.0;
  };
  // Tools that did not exist yet have no share in 2003.
  EXPECT_EQ(share(Era::k2003, "zmap"), 0);
  EXPECT_EQ(share(Era::k2003, "masscan"), 0);
  EXPECT_EQ(share(Era::k2003, "mirai"), 0);
  EXPECT_EQ(share(Era::k2003, "windows-10"), 0);
  // Windows dominated 2003; Linux, IoT and tools dominate today.
  EXPECT_GT(share(Era::k2003, "windows-xp") + share(Era::k2003, "windows-2000"), 0.5);
  EXPECT_GT(share(Era::kToday, "mirai") + share(Era::kToday, "linux-modern"), 0.5);
}

TEST(CatalogPorts, HeaviestFirstPositiveNoDuplicates) {
  for (Era era : {Era::k2003, Era::kToday}) {
    auto ports = ScannedPorts(era);
    EXPECT_GE(ports.size(), 40u);
    EXPECT_LE(ports.size(), 60u);
    std::set<std::pair<uint8_t, uint16_t>> seen;
    for (size_t i = 0; i < ports.size(); ++i) {
      const PortWeight& p = ports[i];
      EXPECT_TRUE(p.proto == kProtoTcp || p.proto == kProtoUdp) << p.port;
      EXPECT_GT(p.weight, 0) << p.port;
      EXPECT_TRUE(seen.insert({p.proto, p.port}).second)
          << "duplicate " << ProtoName(p.proto) << "/" << p.port;
      if (i > 0) {
        EXPECT_LE(p.weight, ports[i - 1].weight) << "not heaviest-first at " << p.port;
      }
    }
    // Zipf-like: a heavy head, a long light tail.
    EXPECT_GT(ports[0].weight, 10 * ports[ports.size() / 2].weight);
  }
}

TEST(CatalogPorts, Era2003) {
  const Era e = Era::k2003;
  EXPECT_GT(WeightOf(e, kProtoTcp, 135), 0);
  EXPECT_GT(WeightOf(e, kProtoTcp, 445), 0);
  EXPECT_GT(WeightOf(e, kProtoUdp, 1434), 0);
  EXPECT_GT(WeightOf(e, kProtoUdp, 137), 0);
  const double head = ScannedPorts(e)[0].weight;
  // The seeds' ports are present only at their quiet background level.
  double p3771 = WeightOf(e, kProtoTcp, 3771);
  EXPECT_GT(p3771, 0);
  EXPECT_LT(p3771, head / 100);
  for (uint16_t port = 1026; port <= 1031; ++port) {
    EXPECT_GT(WeightOf(e, kProtoUdp, port), 0) << port;
    EXPECT_LT(WeightOf(e, kProtoUdp, port), head / 20) << port;
    EXPECT_GT(WeightOf(e, kProtoTcp, port), 0) << port;
    EXPECT_LT(WeightOf(e, kProtoTcp, port), head / 20) << port;
  }
  for (uint16_t port : {5000, 6346}) {
    EXPECT_GT(WeightOf(e, kProtoTcp, port), 0) << port;
    EXPECT_LT(WeightOf(e, kProtoTcp, port), head / 20) << port;
  }
}

TEST(CatalogPorts, EraToday) {
  const Era e = Era::kToday;
  EXPECT_EQ(ScannedPorts(e)[0].proto, kProtoTcp);
  EXPECT_EQ(ScannedPorts(e)[0].port, 23);
  for (uint16_t port : {22, 445, 80, 443, 8080, 3389, 5555, 6379, 2375, 1433, 3306, 5900, 8443,
                        8081, 37215, 52869, 7547, 9200, 2323}) {
    EXPECT_GT(WeightOf(e, kProtoTcp, port), 0) << port;
  }
  for (uint16_t port : {11211, 123, 53, 161, 5060, 1900}) {
    EXPECT_GT(WeightOf(e, kProtoUdp, port), 0) << port;
  }
  // Mirai sends one probe in ten to 2323.
  EXPECT_GT(WeightOf(e, kProtoTcp, 23), 5 * WeightOf(e, kProtoTcp, 2323));
}

TEST(CatalogEra, SplitsAt2010) {
  EXPECT_EQ(EraOfDay(DaysFromCivil(2009, 12, 31)), Era::k2003);
  EXPECT_EQ(EraOfDay(DaysFromCivil(2010, 1, 1)), Era::kToday);
  EXPECT_EQ(EraOfDay(0), Era::k2003);
  // Every seed lies in the first era.
  EXPECT_EQ(EraOfDay(DaysFromCivil(2002, 3, 2)), Era::k2003);
  EXPECT_EQ(EraOfDay(DaysFromCivil(2003, 12, 1)), Era::k2003);
  EXPECT_EQ(EraOfDay(DaysFromCivil(2005, 1, 11)), Era::k2003);
  EXPECT_EQ(EraOfDay(DaysFromCivil(2006, 2, 18)), Era::k2003);
  EXPECT_EQ(EraOfDay(DaysFromCivil(2024, 6, 1)), Era::kToday);
}

}  // namespace
}  // namespace portstorm::sim
