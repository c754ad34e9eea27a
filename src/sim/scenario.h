// Scenarios: what a simulation run contains — the background model's
// parameters and a list of labelled events on top of it. Three sources:
// "seeds" (the five mailing-list reports replayed, plus a dishonest
// submitter and quiet stretches), "background" (no events) and a TOML file
// (docs/simulator.md, "Scenario files"). Plain data; thread-safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sim/log_writer.h"

namespace portstorm::sim {

struct SimConfig {
  int64_t start_day = 0;   // days since the epoch
  int days = 21;
  int sensors = 40;
  uint64_t seed = 7;
  double scale = 1.0;      // multiplies every packet rate; never sources, days or findings
  std::optional<LogFormat> format;  // every sensor in this format; nullopt = mixed
  int threads = 0;         // 0 = all cores; output does not depend on it
};

struct BackgroundParams {
  double per_slash24 = 1500;   // records per watched /24 per day at scale 1
  double per_address = 250;    // records per day of a single-address sensor
  uint32_t sources = 60000;    // background population
  double zipf_s = 1.0;         // source activity skew (Zipf-Mandelbrot, offset 10)
  double daily_swing = 0.3;    // amplitude of the daily cycle
  double weekend = 0.85;       // weekend volume factor
  double drift = 0.15;         // per-day random walk of port popularity (log scale)
  double silent_share = 0.05;  // share of sensors that go silent for one day
};

// The kinds of labelled events. Seed kinds reproduce one report each; kSurge
// is the generic "many sources start hitting a port" for scenario files.
enum class EventKind : uint8_t {
  kRarePortJump,   // seed 000: tcp/3771
  kWormScouting,   // seeds 001, 003: udp+tcp/1026-1031, udp/135, udp/137
  kSynScan,        // seed 002: tcp/5000, one address per /24
  kStalePeer,      // seed 004: tcp/6346 retries to a reused dynamic address
  kFabricated,     // a dishonest submitter's surge at one sensor
  kQuiet,          // background only: no finding expected
  kSurge,          // generic surge (scenario files)
};
std::string_view EventKindName(EventKind k);
std::optional<EventKind> ParseEventKind(std::string_view name);

struct EventSpec {
  std::string id;
  EventKind kind = EventKind::kSurge;
  std::string seed;          // "000".."004" for the seed kinds, "" otherwise
  uint8_t proto = 6;
  std::vector<uint16_t> ports;
  int start = 0, days = 1;   // day offsets in the run
  int surge_day = -1;        // offset of the loud day, where the kind has one
  uint32_t sources = 100;
  double packets_per_source = 3;  // per day, at scale 1
  int sensors = 0;           // how many sensors see it (0 = all)
  std::string stack;         // stack name (generic surges), "" = the kind's own
  std::string targeting = "random";  // random | one-per-24 | single-address
  double growth = 1.0;       // daily volume factor over the event's days
};

struct Scenario {
  std::string name;
  BackgroundParams background;
  std::vector<EventSpec> events;
};

// The seeds scenario is laid out on 21 days; a run of another length puts
// each event at the same fraction of the run: day `day_of_21` -> this run's day.
int SeedDay(int day_of_21, int days);

// The built-in scenarios for a run of `days` days: "seeds" or "background".
Result<Scenario> BuiltinScenario(std::string_view name, int days);
// Reads a TOML scenario file (errors name the key and the reason).
Result<Scenario> LoadScenarioFile(const std::string& path, int days);

}  // namespace portstorm::sim
