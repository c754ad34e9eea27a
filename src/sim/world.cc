// Building the simulated world: sensors and the background population.
#include "sim/world.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <unordered_set>

#include <fmt/format.h>

#include "sim/scenario.h"

namespace portstorm::sim {
namespace {

bool Reserved(uint32_t a) {
  const uint32_t o1 = a >> 24, o2 = (a >> 16) & 255, o3 = (a >> 8) & 255;
  if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224) return true;  // this, private, loopback, multicast+
  if (o1 == 100 && o2 >= 64 && o2 < 128) return true;                 // CGN
  if (o1 == 169 && o2 == 254) return true;
  if (o1 == 172 && o2 >= 16 && o2 < 32) return true;
  if (o1 == 192 && o2 == 168) return true;
  if (o1 == 192 && o2 == 0 && (o3 == 0 || o3 == 2)) return true;
  if (o1 == 198 && (o2 == 18 || o2 == 19)) return true;
  if (o1 == 198 && o2 == 51 && o3 == 100) return true;
  if (o1 == 203 && o2 == 0 && o3 == 113) return true;
  return false;
}

// Host part .1-.254 of a /24, or the address itself.
uint32_t Host(uint32_t net, Rng& rng) { return net | static_cast<uint32_t>(1 + rng.Below(254)); }

constexpr uint16_t kP2pPorts[] = {6346, 6881, 4662, 1214, 6699, 6348};
constexpr struct { uint8_t proto; uint16_t port; } kMisconfigPorts[] = {
    {kProtoUdp, 53}, {kProtoUdp, 123}, {kProtoUdp, 161}, {kProtoUdp, 514}, {kProtoTcp, 25}};
constexpr uint16_t kServicePorts[] = {80, 80, 80, 443, 6667, 53, 25, 22};

}  // namespace

std::string_view SensorShapeName(SensorShape s) {
  switch (s) {
    case SensorShape::kDarknet: return "darknet";
    case SensorShape::kStatic: return "static";
    case SensorShape::kDynamic: return "dynamic";
    case SensorShape::kBorder: return "border";
  }
  return "?";
}

std::string_view BehaviourName(Behaviour b) {
  static constexpr std::string_view kNames[] = {
      "horizontal-scanner", "vertical-scanner", "worm", "p2p-stale-peer", "backscatter",
      "misconfiguration", "single-probe", "ping-sweep", "popup-spam", "worm-scout",
      "syn-scanner", "p2p-client", "fabricated"};
  static_assert(std::size(kNames) == static_cast<size_t>(Behaviour::kCount_));
  auto i = static_cast<size_t>(b);
  return i < std::size(kNames) ? kNames[i] : "?";
}

bool Sensor::Silent(int day) const {
  return std::find(silent_days.begin(), silent_days.end(), day) != silent_days.end();
}

uint32_t Sensor::Addresses() const {
  return nets.empty() ? 1 : static_cast<uint32_t>(nets.size() * 254);
}

uint32_t Sensor::PickTarget(Rng& rng, int day) const {
  if (nets.empty()) {
    return addr_by_day[static_cast<size_t>(std::clamp(day, 0, static_cast<int>(addr_by_day.size()) - 1))];
  }
  return Host(nets[rng.Below(nets.size())], rng);
}

bool Sensor::Watches(uint32_t addr, int day) const {
  if (nets.empty()) return addr == AddressOn(day);
  for (uint32_t n : nets) {
    if ((addr & 0xffffff00u) == n) return true;
  }
  return false;
}

void Sensor::Nets(int day, std::vector<uint32_t>* out) const {
  out->clear();
  if (nets.empty()) {
    out->push_back(AddressOn(day) & 0xffffff00u);
  } else {
    *out = nets;
  }
}

uint32_t Sensor::AddressOn(int day) const {
  if (addr_by_day.empty()) return 0;
  return addr_by_day[static_cast<size_t>(std::clamp(day, 0, static_cast<int>(addr_by_day.size()) - 1))];
}

uint32_t RandomPublicAddress(Rng& rng) {
  uint32_t a;
  do a = static_cast<uint32_t>(rng.Next()); while (Reserved(a));
  return a;
}

uint32_t NearbyAddress(Rng& rng, uint32_t base) {
  uint32_t a;
  do a = (base & 0xffff0000u) | static_cast<uint32_t>(rng.Below(65536)); while (Reserved(a) || (a & 255) == 0 || (a & 255) == 255);
  return a;
}

uint32_t World::NewSourceAddress(Rng& rng, uint32_t pool) {
  for (;;) {
    uint32_t a = pool != 0 ? NearbyAddress(rng, pool) : RandomPublicAddress(rng);
    if (sensor_nets.count(a & 0xffffff00u) != 0) continue;
    if (taken.insert(a).second) return a;
  }
}

uint16_t World::StackIndex(std::string_view name) const {
  auto stacks = Stacks();
  for (size_t i = 0; i < stacks.size(); ++i) {
    if (stacks[i].name == name) return static_cast<uint16_t>(i);
  }
  size_t best = 0;
  for (size_t i = 1; i < stack_weights.size(); ++i) {
    if (stack_weights[i] > stack_weights[best]) best = i;
  }
  return static_cast<uint16_t>(best);
}

namespace {

// A format by weight (percent) from r in [0, 100).
struct FormatWeight {
  LogFormat format;
  int percent;
};
LogFormat PickFormat(std::initializer_list<FormatWeight> weights, uint64_t r) {
  int acc = 0;
  for (const FormatWeight& w : weights) {
    acc += w.percent;
    if (r < static_cast<uint64_t>(acc)) return w.format;
  }
  return weights.begin()->format;
}

// What a sensor of that shape ran in that era (docs/simulator.md, "Sensors").
LogStyle StyleFor(const Sensor& s, Era era, std::optional<LogFormat> forced, Rng& rng) {
  using F = LogFormat;
  LogStyle st;
  st.host = s.name;
  st.boot_time = 0;
  const uint64_t r = rng.Below(100);
  const uint64_t pick = rng.Below(100);
  const bool old = era == Era::k2003;
  LogFormat f = F::kNetfilter;
  switch (s.shape) {
    case SensorShape::kBorder:
      st.header = r < 60 ? SyslogHeader::kRfc3164 : SyslogHeader::kIso8601;
      st.dialect = r < 80 ? NetfilterDialect::kIptables : NetfilterDialect::kNftables;
      f = old ? PickFormat({{F::kNetfilter, 60}, {F::kCiscoAsa, 25}, {F::kPf, 15}}, pick)
              : PickFormat({{F::kNetfilter, 25}, {F::kCiscoAsa, 15}, {F::kFortigate, 15},
                            {F::kPanos, 10}, {F::kJuniperSrx, 10}, {F::kCheckpoint, 10},
                            {F::kFilterlog, 10}, {F::kPf, 5}}, pick);
      break;
    case SensorShape::kDarknet:
      st.header = SyslogHeader::kIso8601;
      f = old ? PickFormat({{F::kDshield, 45}, {F::kNetfilter, 35}, {F::kSnortFast, 20}}, pick)
              : PickFormat({{F::kNetfilter, 30}, {F::kDshield, 20}, {F::kSuricataEve, 20},
                            {F::kZeekConn, 20}, {F::kSnortFast, 10}}, pick);
      break;
    case SensorShape::kStatic:
      st.dialect = r < 70 ? NetfilterDialect::kUfw : NetfilterDialect::kIptables;
      f = old ? PickFormat({{F::kNetfilter, 45}, {F::kDshield, 35}, {F::kWindowsFirewall, 20}}, pick)
              : PickFormat({{F::kNetfilter, 35}, {F::kDshield, 15}, {F::kWindowsFirewall, 20},
                            {F::kFilterlog, 15}, {F::kMikrotik, 15}}, pick);
      break;
    case SensorShape::kDynamic:
      // Dial-up firewalls of the early 2000s still ran Linux 2.2's ipchains.
      st.dialect = NetfilterDialect::kUfw;
      st.iface = "ppp0";
      f = old ? PickFormat({{F::kIpchains, 30}, {F::kNetfilter, 30}, {F::kDshield, 25},
                            {F::kWindowsFirewall, 15}}, pick)
              : PickFormat({{F::kNetfilter, 35}, {F::kDshield, 20}, {F::kMikrotik, 20},
                            {F::kWindowsFirewall, 15}, {F::kFilterlog, 10}}, pick);
      break;
  }
  st.format = forced ? *forced : f;
  return st;
}

}  // namespace

World BuildWorld(const SimConfig& config, const BackgroundParams& bg) {
  World w;
  w.start_day = config.start_day;
  w.days = config.days;
  w.seed = config.seed;
  w.scale = config.scale;
  w.era = EraOfDay(config.start_day);
  auto mix = StackMix(w.era);
  w.stack_weights.assign(mix.begin(), mix.end());
  w.stack_pick = AliasTable(w.stack_weights);

  // Ports and their day-by-day drift: a random walk in log space per port.
  auto ports = ScannedPorts(w.era);
  w.ports.assign(ports.begin(), ports.end());
  {
    Rng rng(Key(config.seed, 0x9047));
    std::vector<double> walk(w.ports.size(), 0.0), weights(w.ports.size());
    for (int d = 0; d < config.days; ++d) {
      std::vector<double> factor(w.ports.size());
      for (size_t i = 0; i < w.ports.size(); ++i) {
        walk[i] += bg.drift * (2 * rng.Uniform() - 1);
        factor[i] = std::exp(walk[i]);
        weights[i] = w.ports[i].weight * factor[i];
      }
      w.port_factor.push_back(std::move(factor));
      w.port_pick.emplace_back(weights);
    }
  }

  // Sensors. The first three are the seeds' own: the border router of seed
  // 000, the dial-up firewall of seed 004 and the IMS darknet sensor of seed
  // 002; the rest are drawn by shape.
  Rng rng(Key(config.seed, 0x5e45));
  std::unordered_set<uint32_t> used_nets;
  auto new_net = [&]() {
    uint32_t n;
    do n = RandomPublicAddress(rng) & 0xffffff00u; while (!used_nets.insert(n).second);
    return n;
  };
  for (int i = 0; i < config.sensors; ++i) {
    Sensor s;
    s.index = static_cast<uint32_t>(i);
    if (i == 0) s.shape = SensorShape::kBorder;
    else if (i == 1) s.shape = SensorShape::kDynamic;
    else if (i == 2) s.shape = SensorShape::kDarknet;
    else {
      uint64_t r = rng.Below(100);
      s.shape = r < 25 ? SensorShape::kDarknet : r < 55 ? SensorShape::kStatic
                : r < 80 ? SensorShape::kDynamic : SensorShape::kBorder;
    }
    s.name = fmt::format("s{:02}-{}", i, SensorShapeName(s.shape));
    switch (s.shape) {
      case SensorShape::kDarknet:
        s.nets.push_back(new_net());
        s.volume = bg.per_slash24;
        break;
      case SensorShape::kBorder: {
        // Adjacent /24s, as a company's allocation is.
        uint32_t n = new_net();
        int k = i == 0 ? 3 : static_cast<int>(rng.Range(2, 6));
        s.nets.push_back(n);
        for (int j = 1; j < k; ++j) {
          uint32_t next = n + (static_cast<uint32_t>(j) << 8);
          if (!Reserved(next) && used_nets.insert(next).second) s.nets.push_back(next);
        }
        // Part of a border router's space is in use and answers: fewer drops per address.
        s.volume = bg.per_slash24 * 0.8 * static_cast<double>(s.nets.size());
        break;
      }
      case SensorShape::kStatic: {
        uint32_t a = new_net() | static_cast<uint32_t>(rng.Range(2, 250));
        s.addr_by_day.assign(static_cast<size_t>(config.days), a);
        s.volume = bg.per_address;
        break;
      }
      case SensorShape::kDynamic: {
        // A lease lasts a few days; the next address comes from the same ISP pool.
        uint32_t pool = new_net();
        uint32_t a = NearbyAddress(rng, pool);
        int left = static_cast<int>(rng.Range(2, 6));
        // Seed 004's dial-up sensor gets its new address on the day the stale
        // Gnutella peers start calling, and keeps it.
        const int reused = i == 1 ? SeedDay(3, config.days) : -1;
        for (int d = 0; d < config.days; ++d) {
          if (i == 1) {
            if (d == reused) a = NearbyAddress(rng, pool);
            s.addr_by_day.push_back(a);
            continue;
          }
          if (left-- == 0) {
            a = NearbyAddress(rng, pool);
            left = static_cast<int>(rng.Range(2, 6));
          }
          s.addr_by_day.push_back(a);
        }
        s.volume = bg.per_address;
        break;
      }
    }
    s.style = StyleFor(s, w.era, config.format, rng);
    if (i == 0) {  // seed 000: an iptables border router, classic syslog
      s.style.header = SyslogHeader::kRfc3164;
      s.style.dialect = NetfilterDialect::kIptables;
      if (!config.format) s.style.format = LogFormat::kNetfilter;
    } else if (i == 1 && !config.format) {
      // Seed 004: greatwall, ipchains on ppp0, with snort and p0f watching the
      // same interface: each packet as a kernel line, a snort packet dump and
      // (SYNs) a p0f fingerprint.
      s.style.format = w.era == Era::k2003 ? LogFormat::kIpchains : LogFormat::kNetfilter;
      LogStyle more = s.style;
      more.format = LogFormat::kSnortFull;
      s.more_logs.push_back(more);
      more.format = LogFormat::kP0f;
      s.more_logs.push_back(more);
    } else if (i == 2 && !config.format) {
      // Seed 002: an IMS-style darknet sensor that publishes its targets
      // anonymised as A.B.C.<last octet>.
      s.style.format = LogFormat::kIms;
      s.style.anonymise_dst = true;
    }
    s.style.boot_time = config.start_day * kUsPerDay - static_cast<TimeUs>(rng.Range(3600, 90 * 86400)) * kUsPerSecond;
    // Most clocks are within seconds; a fifth drift by minutes (no NTP).
    int64_t off = rng.Chance(0.2) ? static_cast<int64_t>(rng.Range(10, 300)) : static_cast<int64_t>(rng.Below(3));
    s.clock_offset = (rng.Chance(0.5) ? off : -off) * kUsPerSecond;
    if (i >= 3 && rng.Chance(bg.silent_share) && config.days > 2) {
      s.silent_days.push_back(static_cast<int>(rng.Below(static_cast<uint64_t>(config.days))));
    }
    for (uint32_t n : s.nets) w.sensor_nets.insert(n);
    for (uint32_t a : s.addr_by_day) w.sensor_nets.insert(a & 0xffffff00u);
    w.sensors.push_back(std::move(s));
  }

  // The background population: heavy-tailed activity, addresses clustered
  // in ISP pools, a behaviour and a stack each.
  Rng prng(Key(config.seed, 0x5043));
  std::vector<uint32_t> pools(256);
  for (uint32_t& p : pools) p = RandomPublicAddress(prng);
  std::vector<double> activity(bg.sources);
  const uint16_t nmap = w.StackIndex("nmap-syn");
  const uint16_t zmap = w.StackIndex("zmap"), masscan = w.StackIndex("masscan");
  w.sources.resize(bg.sources);
  for (uint32_t i = 0; i < bg.sources; ++i) {
    Source& s = w.sources[i];
    // Zipf-Mandelbrot: a heavy tail without one source owning a tenth of the Internet.
    activity[i] = 1.0 / std::pow(static_cast<double>(i + 10), bg.zipf_s);
    s.key = prng.Next();
    s.addr = w.NewSourceAddress(prng, prng.Chance(0.6) ? pools[prng.Below(pools.size())] : 0);
    s.hops = static_cast<uint8_t>(6 + prng.Below(10) + prng.Below(10));
    uint64_t r = prng.Below(100);
    s.behaviour = r < 33 ? Behaviour::kHorizontal : r < 52 ? Behaviour::kWorm
                  : r < 70 ? Behaviour::kSingleProbe : r < 75 ? Behaviour::kVertical
                  : r < 83 ? Behaviour::kBackscatter : r < 86 ? Behaviour::kMisconfig
                  : r < 95 ? Behaviour::kP2pStale : Behaviour::kPingSweep;
    s.stack = static_cast<uint16_t>(w.stack_pick.Sample(prng));
    const uint32_t pi = w.port_pick.empty() ? 0 : w.port_pick[0].Sample(prng);
    s.proto = w.ports[pi].proto;
    s.port = w.ports[pi].port;
    s.port_index = static_cast<uint16_t>(pi);
    if (s.behaviour != Behaviour::kHorizontal && s.behaviour != Behaviour::kWorm) s.port_index = 0xffff;
    switch (s.behaviour) {
      case Behaviour::kVertical:
        s.stack = nmap;
        s.proto = kProtoTcp;
        break;
      case Behaviour::kHorizontal:
        if (w.era == Era::kToday && prng.Chance(0.5)) s.stack = prng.Chance(0.5) ? zmap : masscan;
        break;
      case Behaviour::kP2pStale:
        s.proto = kProtoTcp;
        s.port = kP2pPorts[prng.Below(std::size(kP2pPorts))];
        break;
      case Behaviour::kMisconfig: {
        const auto& m = kMisconfigPorts[prng.Below(std::size(kMisconfigPorts))];
        s.proto = m.proto;
        s.port = m.port;
        break;
      }
      case Behaviour::kBackscatter:
        s.proto = prng.Chance(0.8) ? kProtoTcp : kProtoIcmp;
        s.port = kServicePorts[prng.Below(std::size(kServicePorts))];
        break;
      case Behaviour::kPingSweep:
        s.proto = kProtoIcmp;
        s.port = 8;
        break;
      default:
        break;
    }
    // The heaviest hitters are scanners and worms; a misconfigured host or a
    // victim's backscatter is steady but never the top of the table.
    if (s.behaviour != Behaviour::kHorizontal && s.behaviour != Behaviour::kWorm &&
        s.behaviour != Behaviour::kVertical) {
      activity[i] = std::min(activity[i], 1.0 / std::pow(300.0, bg.zipf_s));
    }
    // Lifetimes: most sources are seen for a few days, some for the whole run.
    int first = static_cast<int>(prng.Below(static_cast<uint64_t>(config.days) + 10)) - 10;
    int life = 1 + static_cast<int>(prng.Exponential(prng.Chance(0.2) ? 30.0 : 5.0));
    s.first_day = static_cast<int16_t>(std::max(first, -10));
    s.last_day = static_cast<int16_t>(std::min(first + life, 32000));
  }
  w.source_pick = AliasTable(activity);
  return w;
}

}  // namespace portstorm::sim
