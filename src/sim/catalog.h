// The simulator's catalog: the data its background model is drawn from —
// which ports the Internet's scanners hit (per era, with weights), and the
// OS and tool stacks that shape a packet (TTL, window, options, IP ID, source
// port and SYN retransmission behaviour). Every number here is sourced in
// docs/simulator.md ("Sources of the numbers").
//
// Plain constant tables; thread-safe; spans point at static storage.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace portstorm::sim {

// Scanning habits changed: 2003-2005 was Windows worms (135, 445, 1434,
// 1026...), today it is IoT botnets and cloud scanners (23, 22, 5555, 6379...).
enum class Era : uint8_t { k2003, kToday };
// k2003 for days before 2010-01-01, kToday after.
Era EraOfDay(int64_t day);

struct PortWeight {
  uint8_t proto;    // kProtoTcp / kProtoUdp
  uint16_t port;
  double weight;    // relative share of background records (need not sum to 1)
};
// The era's commonly scanned ports, heaviest first (a Zipf-like head); the
// generator adds a uniform tail of other ports itself.
std::span<const PortWeight> ScannedPorts(Era era);

// How a stack picks the IP ID of successive packets.
enum class IpIdMode : uint8_t {
  kCounter,   // one counter per host, +1 per packet it sends (+ other traffic: step 1..ip_id_step)
  kRandom,    // uniformly random per packet
  kZero,      // always 0 (FreeBSD 11+ for DF packets, RFC 6864; Linux only for DF packets
              // sent without a connected socket, e.g. RSTs; Linux SYNs carry a per-connection
              // counter starting at ISN ^ jiffies, modelled as kRandom)
  kConstant,  // always ip_id_value (ZMap: 54321)
  kMasscan,   // dst IPv4 ^ dst port ^ seq, low 16 bits (masscan's fingerprint)
};
// How a stack picks source ports.
enum class SportMode : uint8_t {
  kSequential,  // per-host counter cycling through [sport_lo, sport_hi] (Windows 1025-5000)
  kRandom,      // uniform in [sport_lo, sport_hi] per connection
  kFixed,       // one port per host for a whole scan, drawn from [sport_lo, sport_hi]
};
enum class SeqMode : uint8_t {
  kRandom,  // random ISN per connection (kept over its retransmissions)
  kDstIp,   // ISN = target IPv4 address (Mirai's scanner)
};

struct Stack {
  std::string_view name;   // short stable key used in truth.json: "windows-xp", "nmap-syn"
  std::string_view label;  // what p0f or an analyst would call it
  uint8_t initial_ttl;     // 32, 64, 128, 255
  uint16_t window;         // TCP window of its SYN
  uint16_t mss;            // MSS option value, 0 = none
  uint8_t wscale;          // window-scale option value + 1, 0 = absent (Event convention)
  uint32_t tcp_opts;       // option layout (Event::tcp_opts nibbles, AppendTcpOpt order)
  uint16_t syn_ip_len;     // IP total length of its SYN (20 + 20 + option bytes)
  bool df;                 // sets Don't Fragment
  IpIdMode ip_id;
  uint16_t ip_id_value;    // kConstant value; kCounter: the host's maximum packet rate, i.e.
                           // IP ID increments per second of its other traffic (seed 004:
                           // +19 in 3 s, +46 in 6 s, so about 7-9 per second)
  SportMode sport;
  uint16_t sport_lo, sport_hi;
  SeqMode seq;
  // Send times of a SYN and its retransmissions while no answer comes, in
  // milliseconds after the first (first entry 0): Windows XP 0, 3000, 9000;
  // Linux 0, 1000, 3000, 7000, ...; stateless scanners send once.
  uint8_t syn_tries;
  std::array<uint32_t, 6> syn_ms;
  // 0: every packet leaves with initial_ttl. Otherwise the TTL is drawn per packet, uniformly
  // in [initial_ttl - ttl_spread, initial_ttl] (nmap's raw packets: 37..59).
  uint8_t ttl_spread = 0;
  // The window is drawn once per host, uniformly in 0..65535, and kept (Mirai sets it from
  // its PRNG at start-up); `window` is then 0 and means nothing.
  bool window_random = false;
};
std::span<const Stack> Stacks();
// nullptr if no stack has that name.
const Stack* FindStack(std::string_view name);

// Share of each stack among the background population of an era (weights
// parallel to Stacks(); a stack not seen in an era has weight 0).
std::span<const double> StackMix(Era era);

}  // namespace portstorm::sim
