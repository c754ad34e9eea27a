// Background sessions; see background.h.
#include "sim/background.h"

#include <algorithm>
#include <cmath>

#include "sim/packet.h"

namespace portstorm::sim {
namespace {

constexpr double kTwoPi = 6.283185307179586;

// Payload bytes of a UDP probe to a port: the SQL Slammer worm's 376 bytes
// to 1434, a NetBIOS name query's 50 to 137, small datagrams elsewhere.
uint16_t UdpPayload(uint16_t port, uint64_t key) {
  switch (port) {
    case 1434: return 376;
    case 137: return 50;
    case 53: return 17 + static_cast<uint16_t>(key % 30);
    case 123: return 48;
    case 161: return 40 + static_cast<uint16_t>(key % 20);
    default: return static_cast<uint16_t>(key % 64);
  }
}

// One packet or attempt from s to dst:port shaped by its stack.
void Probe(const World& w, const Source& s, uint32_t dst, uint8_t proto, uint16_t port, TimeUs t,
           uint32_t conn, int tries, Rng& rng, std::vector<Event>* out) {
  const Stack& st = w.StackOf(s);
  if (proto == kProtoUdp) {
    uint16_t sport = SourcePort(s, st, t, conn, rng);
    UdpDatagram(s, st, dst, sport, port, UdpPayload(port, s.key), t, rng, out);
  } else if (proto == kProtoIcmp) {
    IcmpMessage(s, st, dst, 8, 0, 84, t, rng, out);
  } else {
    uint16_t sport = SourcePort(s, st, t, conn, rng);
    SynAttempt(s, st, dst, port, sport, InitialSeq(st, dst, rng), t, tries, rng, out);
  }
}

// Gap between successive targets of one session: stateless tools send in
// milliseconds, hosts and worms in seconds.
TimeUs Gap(const Stack& st, Rng& rng) {
  return st.syn_tries <= 1 ? static_cast<TimeUs>(1000 + rng.Below(200000))
                           : static_cast<TimeUs>(300000 + rng.Below(3000000));
}

}  // namespace

TimeUs DiurnalTime(const World& w, int day, double swing, Rng& rng) {
  // Rejection sampling from 1 + swing * sin(...), peaking around 20:00 UTC.
  for (;;) {
    double u = rng.Uniform();
    double density = 1 + swing * std::sin(kTwoPi * (u - 0.58));
    if (rng.Uniform() * (1 + swing) <= density) {
      return w.DayStart(day) + static_cast<TimeUs>(u * static_cast<double>(kUsPerDay));
    }
  }
}

void Background(const World& w, const BackgroundParams& bg, const Sensor& s, int day, Rng& rng,
                std::vector<Event>* out) {
  const int64_t weekday = (w.start_day + day + 3) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
  double volume = s.volume * w.scale * (weekday >= 5 ? bg.weekend : 1.0);
  const uint64_t target = rng.Poisson(volume);
  const size_t begin = out->size();
  const auto& factor = w.port_factor[static_cast<size_t>(day)];
  const auto& port_pick = w.port_pick[static_cast<size_t>(day)];
  uint64_t draws = 0;
  while (out->size() - begin < target && draws++ < 64 * target + 1000) {
    const Source& src = w.sources[w.source_pick.Sample(rng)];
    if (day < src.first_day || day > src.last_day) continue;
    const Stack& st = w.StackOf(src);
    TimeUs t = DiurnalTime(w, day, bg.daily_swing, rng);
    switch (src.behaviour) {
      case Behaviour::kHorizontal:
      case Behaviour::kPingSweep: {
        // Popularity drift: a port whose walk went down loses sessions.
        if (src.port_index != 0xffff && !rng.Chance(std::min(1.0, factor[src.port_index]))) continue;
        uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(s.Addresses(), 1 + rng.Poisson(5)));
        bool sequential = rng.Chance(0.5);
        uint32_t first = s.PickTarget(rng, day);
        for (uint32_t k = 0; k < n; ++k) {
          uint32_t dst = sequential && !s.nets.empty()
                             ? (first & 0xffffff00u) | (((first & 255) - 1 + k) % 254 + 1)
                             : (k == 0 ? first : s.PickTarget(rng, day));
          Probe(w, src, dst, src.proto, src.port, t, k, st.syn_tries, rng, out);
          t += Gap(st, rng);
        }
        break;
      }
      case Behaviour::kWorm: {
        if (src.port_index != 0xffff && !rng.Chance(std::min(1.0, factor[src.port_index]))) continue;
        uint32_t n = 1 + static_cast<uint32_t>(rng.Poisson(0.7));
        for (uint32_t k = 0; k < n; ++k) {
          Probe(w, src, s.PickTarget(rng, day), src.proto, src.port, t, k, st.syn_tries, rng, out);
          t += static_cast<TimeUs>(rng.Exponential(20.0) * kUsPerSecond);
        }
        break;
      }
      case Behaviour::kSingleProbe: {
        const PortWeight& p = w.ports[port_pick.Sample(rng)];
        Probe(w, src, s.PickTarget(rng, day), p.proto, p.port, t, 0, 1, rng, out);
        break;
      }
      case Behaviour::kVertical: {
        uint32_t dst = s.PickTarget(rng, day);
        uint32_t n = 5 + static_cast<uint32_t>(rng.Poisson(20));
        for (uint32_t k = 0; k < n; ++k) {
          uint16_t port = rng.Chance(0.6) ? w.ports[port_pick.Sample(rng)].port
                                          : static_cast<uint16_t>(1 + rng.Below(65535));
          Probe(w, src, dst, kProtoTcp, port, t, 0, 1, rng, out);
          t += static_cast<TimeUs>(500 + rng.Below(20000));
        }
        break;
      }
      case Behaviour::kBackscatter: {
        // A flooded server answers spoofed SYNs: SYN-ACKs (retransmitted) or RSTs,
        // or ICMP unreachables from its router.
        uint32_t dst = s.PickTarget(rng, day);
        uint16_t dport = static_cast<uint16_t>(1024 + rng.Below(64512));
        if (src.proto == kProtoIcmp) {
          IcmpMessage(src, st, dst, 3, rng.Chance(0.5) ? 3 : 1, 56, t, rng, out);
        } else if (rng.Chance(0.6)) {
          uint32_t seq = static_cast<uint32_t>(rng.Next());
          int tries = 1 + static_cast<int>(rng.Below(3));
          for (int k = 0; k < tries; ++k) {
            TcpSegment(src, st, dst, src.port, dport, tcp::kSyn | tcp::kAck, seq,
                       t + static_cast<TimeUs>(st.syn_ms[static_cast<size_t>(std::min(k, st.syn_tries - 1))]) * 1000 + k,
                       rng, out);
          }
        } else {
          TcpSegment(src, st, dst, src.port, dport, rng.Chance(0.5) ? tcp::kRst : tcp::kRst | tcp::kAck,
                     static_cast<uint32_t>(rng.Next()), t, rng, out);
        }
        break;
      }
      case Behaviour::kMisconfig: {
        // One wrong address, over and over through the day.
        uint32_t dst = s.nets.empty() ? s.AddressOn(day)
                                      : s.nets[src.key % s.nets.size()] | static_cast<uint32_t>(1 + (src.key >> 8) % 254);
        uint32_t n = 3 + static_cast<uint32_t>(rng.Poisson(8));
        TimeUs every = static_cast<TimeUs>(30 + rng.Below(300)) * kUsPerSecond;
        for (uint32_t k = 0; k < n; ++k) {
          Probe(w, src, dst, src.proto, src.port, t, k, st.syn_tries, rng, out);
          t += every;
        }
        break;
      }
      case Behaviour::kP2pStale: {
        // Only a dynamic address that a P2P client used to have gets these.
        if (s.shape != SensorShape::kDynamic) continue;
        uint32_t dst = s.AddressOn(day);
        uint32_t attempts = 1 + static_cast<uint32_t>(rng.Poisson(1.5));
        for (uint32_t k = 0; k < attempts; ++k) {
          Probe(w, src, dst, kProtoTcp, src.port, t, k, st.syn_tries, rng, out);
          t += static_cast<TimeUs>(60 + rng.Below(900)) * kUsPerSecond;
        }
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace portstorm::sim
