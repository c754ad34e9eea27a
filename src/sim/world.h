// The simulated world: sensors (what they watch, how they log) and the
// background population of sources (who sends, with which behaviour and
// stack). Built once per run from the configuration, immutable afterwards,
// so worker threads share it read-only. docs/simulator.md describes the model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/event.h"
#include "core/time.h"
#include "sim/catalog.h"
#include "sim/log_writer.h"
#include "sim/rng.h"

namespace portstorm::sim {

enum class SensorShape : uint8_t {
  kDarknet,  // one unused /24: every packet to it is unsolicited
  kStatic,   // one static address (a small office or a server)
  kDynamic,  // one dial-up/DSL address that changes owner every few days
  kBorder,   // a company border router in front of several /24s
};
std::string_view SensorShapeName(SensorShape s);

struct Sensor {
  uint32_t index = 0;
  std::string name;                   // syslog host / DShield userid: "s00-border"
  SensorShape shape = SensorShape::kDarknet;
  std::vector<uint32_t> nets;         // /24 bases watched (darknet, border)
  std::vector<uint32_t> addr_by_day;  // static/dynamic: the address on each day of the run
  LogStyle style;
  // More logs of the same packets, written beside the main one (seed 004's
  // firewall also ran snort and p0f, so every SYN reached the analyst three
  // times). Each is a file of its own: LogPath(dir, sensor, day, 1 + k).
  std::vector<LogStyle> more_logs;
  size_t LogCount() const { return 1 + more_logs.size(); }
  const LogStyle& Log(size_t k) const { return k == 0 ? style : more_logs[k - 1]; }
  TimeUs clock_offset = 0;            // added to every time it logs
  std::vector<int> silent_days;       // day offsets with no log at all
  double volume = 0;                  // background records per day at scale 1 (before cycles)

  bool Silent(int day) const;
  uint32_t Addresses() const;         // addresses watched on one day
  // A random watched address on day `day` (hosts .1-.254 of a /24).
  uint32_t PickTarget(Rng& rng, int day) const;
  bool Watches(uint32_t addr, int day) const;
  // The /24 bases watched on that day (the single address's /24 for static/dynamic).
  void Nets(int day, std::vector<uint32_t>* out) const;
  // static/dynamic: the address on that day; 0 for sensors that watch /24s.
  uint32_t AddressOn(int day) const;
};

enum class Behaviour : uint8_t {
  kHorizontal,   // one port, many targets
  kVertical,     // many ports, one target
  kWorm,         // random targets on its port, the OS retransmits
  kP2pStale,     // P2P client retrying a peer whose dynamic address was reused
  kBackscatter,  // a DoS victim's replies to spoofed sources: SYN-ACK/RST, ICMP unreachable
  kMisconfig,    // the same wrong address, over and over (DNS, NTP, SNMP, SMTP)
  kSingleProbe,  // one packet
  kPingSweep,    // ICMP echo requests across addresses
  // Behaviours of the seed scenarios.
  kPopupSpam,    // crafted Messenger-spam UDP from fixed source ports (666, 4177)
  kWormScout,    // 2-byte 00 00 UDP probes to 1026-1031/135 + NetBIOS 137 (seeds 001, 003)
  kSynScanner,   // Windows tool SYN scan, one address per /24 (seed 002)
  kP2pClient,    // P2P client hitting a peer's port (seed 000's tcp/3771)
  kFabricated,   // records a dishonest submitter made up
  kCount_
};
std::string_view BehaviourName(Behaviour b);

struct Source {
  uint32_t addr = 0;
  Behaviour behaviour = Behaviour::kSingleProbe;
  uint16_t stack = 0;   // index into Stacks()
  uint8_t hops = 12;
  uint8_t proto = kProtoTcp;
  uint16_t port = 0;    // its port (scanners, worms, P2P, misconfiguration, backscatter service)
  uint16_t port_index = 0xffff;  // index of (proto, port) in World::ports, 0xffff if not there
  int16_t first_day = 0, last_day = 0;  // active days (offsets), inclusive
  uint64_t key = 0;     // per-source random key: IP ID and source-port phase, host octet
};

// A public, routable IPv4 address outside the documentation, private,
// multicast and reserved ranges.
uint32_t RandomPublicAddress(Rng& rng);
// An address near `base` (same /16), as infected hosts of one ISP cluster.
uint32_t NearbyAddress(Rng& rng, uint32_t base);

}  // namespace portstorm::sim

namespace portstorm::sim {

struct SimConfig;
struct BackgroundParams;

// Everything a run draws from. Immutable after BuildWorld.
struct World {
  int64_t start_day = 0;
  int days = 0;
  uint64_t seed = 0;
  double scale = 1;
  Era era = Era::k2003;
  std::vector<Sensor> sensors;
  std::vector<Source> sources;         // background population
  AliasTable source_pick;              // by activity (Zipf)
  std::vector<PortWeight> ports;       // the era's scanned ports
  std::vector<AliasTable> port_pick;   // per day offset: popularity after drift
  std::vector<std::vector<double>> port_factor;  // [day][port index]: drift factor
  std::vector<double> stack_weights;   // StackMix(era)
  AliasTable stack_pick;

  // Addresses handed to sources so far (background and every event) and the
  // /24s sensors watch: each source is one address, and no source sits inside
  // a sensor's network unless an event puts it there on purpose (outbound hosts).
  std::unordered_set<uint32_t> taken;
  std::unordered_set<uint32_t> sensor_nets;
  // A fresh source address: near `pool` (same /16) when pool != 0, else anywhere public.
  uint32_t NewSourceAddress(Rng& rng, uint32_t pool);

  const Stack& StackOf(const Source& s) const { return Stacks()[s.stack]; }
  // Index of the named stack, or of the era's most common one when the catalog lacks it.
  uint16_t StackIndex(std::string_view name) const;
  TimeUs DayStart(int day) const { return (start_day + day) * kUsPerDay; }
};

World BuildWorld(const SimConfig& config, const BackgroundParams& bg);

}  // namespace portstorm::sim
