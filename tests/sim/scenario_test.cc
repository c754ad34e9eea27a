// Scenarios: the built-in ones ("seeds" laid out on any run length,
// "background"), TOML scenario files parsed into the specs they describe,
// errors that point at file:line:col and name the key, and a generic surge from
// a file showing up in the generated data where (and only where) it was asked for.
#include "sim/scenario.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/time.h"
#include "sim/generator.h"

namespace portstorm::sim {
namespace {

namespace fs = std::filesystem;

// A scenario file in the temp dir, removed at the end of the test.
class TomlFile {
 public:
  explicit TomlFile(std::string_view text) {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() / ("portstorm-scenario-" + std::to_string(::getpid()) + "-" +
                                          std::to_string(counter++) + ".toml"))
                .string();
    std::ofstream(path_) << text;
  }
  ~TomlFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  TomlFile(const TomlFile&) = delete;
  TomlFile& operator=(const TomlFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The error of loading `text` as a scenario file of a 21-day run, with the
// file's path replaced by "FILE".
std::string LoadError(std::string_view text, int days = 21) {
  TomlFile f(text);
  Result<Scenario> sc = LoadScenarioFile(f.path(), days);
  if (sc.ok()) return "(loaded)";
  std::string msg = sc.status().message();
  for (size_t at; (at = msg.find(f.path())) != std::string::npos;)
    msg.replace(at, f.path().size(), "FILE");
  return msg;
}

// ---------------------------------------------------------------------------
// Built-in scenarios

std::vector<std::string> Ids(const Scenario& sc) {
  std::vector<std::string> ids;
  for (const EventSpec& e : sc.events) ids.push_back(e.id);
  return ids;
}

TEST(BuiltinScenario, SeedsOnTwentyOneDays) {
  Result<Scenario> sc = BuiltinScenario("seeds", 21);
  ASSERT_TRUE(sc.ok());
  EXPECT_EQ(sc->name, "seeds");
  std::map<EventKind, const EventSpec*> by_kind;
  for (const EventSpec& e : sc->events) by_kind[e.kind] = &e;
  ASSERT_EQ(by_kind.size(), 6u) << "one event per kind but surge";
  EXPECT_FALSE(by_kind.contains(EventKind::kSurge));
  const EventSpec& rare = *by_kind[EventKind::kRarePortJump];
  EXPECT_EQ(rare.ports, std::vector<uint16_t>{3771});
  EXPECT_EQ(rare.seed, "000");
  EXPECT_LT(rare.start + 7, rare.surge_day) << "grows for weeks before the jump";
  EXPECT_LT(rare.surge_day + 1, rare.start + rare.days) << "the day after the jump is in the run";
  const EventSpec& scout = *by_kind[EventKind::kWormScouting];
  EXPECT_EQ(scout.proto, kProtoUdp);
  EXPECT_EQ(scout.sources, 5000u);
  EXPECT_GT(scout.surge_day, scout.start);
  EXPECT_EQ(by_kind[EventKind::kSynScan]->ports, std::vector<uint16_t>{5000});
  EXPECT_EQ(by_kind[EventKind::kStalePeer]->ports, std::vector<uint16_t>{6346});
  EXPECT_EQ(by_kind[EventKind::kFabricated]->days, 1);
  // The quiet stretch comes before every other event.
  const EventSpec& quiet = *by_kind[EventKind::kQuiet];
  for (const EventSpec& e : sc->events) {
    EXPECT_LT(e.start + e.days, 22) << e.id;
    if (e.kind != EventKind::kQuiet) {
      EXPECT_GE(e.start, quiet.start + quiet.days) << e.id;
    }
  }
  // Every kind's name parses back.
  for (const EventSpec& e : sc->events) EXPECT_EQ(ParseEventKind(EventKindName(e.kind)), e.kind);
}

TEST(BuiltinScenario, SeedsFitShortRuns) {
  for (int days : {1, 2, 5, 7, 14}) {
    Result<Scenario> sc = BuiltinScenario("seeds", days);
    ASSERT_TRUE(sc.ok());
    for (const EventSpec& e : sc->events) {
      EXPECT_GE(e.start, 0) << days << " " << e.id;
      EXPECT_LT(e.start, days) << days << " " << e.id;
      EXPECT_GE(e.days, 1) << days << " " << e.id;
      EXPECT_LE(e.start + e.days, days) << days << " " << e.id;
      if (e.surge_day >= 0) {
        EXPECT_LT(e.surge_day, days) << days << " " << e.id;
      }
    }
  }
  EXPECT_EQ(SeedDay(17, 21), 17);
  EXPECT_EQ(SeedDay(17, 42), 17);
  EXPECT_EQ(SeedDay(0, 7), 0);
  EXPECT_EQ(SeedDay(21, 7), 6);  // clamped to the last day
  EXPECT_EQ(SeedDay(9, 7), 3);
}

// Regression (src/sim/scenario.cc SeedEvents): the quiet stretch is
// days at(0)..at(2) and the first events start at at(3); on a run of 6-10 or
// 16-17 days rounding puts at(2) and at(3) on the same day, so the "quiet"
// window has tcp/6346 and tcp/3771 traffic in it and a detector benchmark
// counts their findings as false alarms (on 1-3 days every event is on day 0).
TEST(BuiltinScenario, QuietStretchIsQuietOnAnyRunLength) {
  std::string overlaps;
  for (int days = 1; days <= 30; ++days) {
    Result<Scenario> sc = BuiltinScenario("seeds", days);
    ASSERT_TRUE(sc.ok());
    for (const EventSpec& q : sc->events) {
      if (q.kind != EventKind::kQuiet) continue;
      for (const EventSpec& e : sc->events) {
        if (e.kind != EventKind::kQuiet && e.start < q.start + q.days &&
            q.start < e.start + e.days) {
          overlaps += " " + std::to_string(days) + ":" + e.id;
        }
      }
    }
  }
  EXPECT_EQ(overlaps, "") << "events inside the quiet stretch (run days:event)";
}

TEST(BuiltinScenario, BackgroundAndUnknown) {
  Result<Scenario> bg = BuiltinScenario("background", 21);
  ASSERT_TRUE(bg.ok());
  EXPECT_TRUE(bg->events.empty());
  Result<Scenario> nope = BuiltinScenario("nope", 21);
  ASSERT_FALSE(nope.ok());
  EXPECT_EQ(nope.status().code(), Code::kInvalidArgument);
  EXPECT_NE(nope.status().message().find("'nope'"), std::string::npos) << nope.status().message();
}

// ---------------------------------------------------------------------------
// Scenario files

TEST(ScenarioFile, ParsesBackgroundAndEvents) {
  TomlFile f(R"(# a test scenario
include = "seeds"

[background]
per_slash24 = 800
per_address = 100.5
sources = 5000
zipf_s = 1.2
daily_swing = 0.5
weekend = 0.7
drift = 0.05
silent_share = 0

[[event]]
id = "tcp8080-surge"
kind = "surge"
proto = "tcp"
ports = [8080, 8081]
start = 4
days = 6
surge_day = 6
sources = 250
packets_per_source = 5
sensors = 3
stack = "linux-2.6"
targeting = "one-per-24"
growth = 1.4

[[event]]
kind = "surge"
proto = "udp"
ports = [4444]
start = 19
days = 5
)");
  Result<Scenario> sc = LoadScenarioFile(f.path(), 21);
  ASSERT_TRUE(sc.ok()) << sc.status().ToString();
  EXPECT_EQ(sc->name, f.path());
  const BackgroundParams& b = sc->background;
  EXPECT_EQ(b.per_slash24, 800);
  EXPECT_EQ(b.per_address, 100.5);
  EXPECT_EQ(b.sources, 5000u);
  EXPECT_EQ(b.zipf_s, 1.2);
  EXPECT_EQ(b.daily_swing, 0.5);
  EXPECT_EQ(b.weekend, 0.7);
  EXPECT_EQ(b.drift, 0.05);
  EXPECT_EQ(b.silent_share, 0);

  // The seeds first (include), then the file's events in order.
  std::vector<std::string> ids = Ids(*BuiltinScenario("seeds", 21));
  const size_t n = ids.size();
  ASSERT_EQ(sc->events.size(), n + 2);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(sc->events[i].id, ids[i]);

  const EventSpec& a = sc->events[n];
  EXPECT_EQ(a.id, "tcp8080-surge");
  EXPECT_EQ(a.kind, EventKind::kSurge);
  EXPECT_EQ(a.proto, kProtoTcp);
  EXPECT_EQ(a.ports, (std::vector<uint16_t>{8080, 8081}));
  EXPECT_EQ(a.start, 4);
  EXPECT_EQ(a.days, 6);
  EXPECT_EQ(a.surge_day, 6);
  EXPECT_EQ(a.sources, 250u);
  EXPECT_EQ(a.packets_per_source, 5.0) << "an integer where a number is expected";
  EXPECT_EQ(a.sensors, 3);
  EXPECT_EQ(a.stack, "linux-2.6");
  EXPECT_EQ(a.targeting, "one-per-24");
  EXPECT_EQ(a.growth, 1.4);

  const EventSpec& u = sc->events[n + 1];
  EXPECT_EQ(u.proto, kProtoUdp);
  EXPECT_EQ(u.ports, std::vector<uint16_t>{4444});
  EXPECT_EQ(u.start, 19);
  EXPECT_EQ(u.days, 2) << "clipped to the run";
  EXPECT_EQ(u.surge_day, 19) << "defaults to the start";
  EXPECT_FALSE(u.id.empty());
  EXPECT_NE(u.id, a.id);
  EXPECT_EQ(u.sources, 100u);
  EXPECT_EQ(u.targeting, "random");

  // Without include, only the file's events.
  TomlFile g("[[event]]\nkind = \"quiet\"\nstart = 1\n");
  Result<Scenario> only = LoadScenarioFile(g.path(), 21);
  ASSERT_TRUE(only.ok()) << only.status().ToString();
  ASSERT_EQ(only->events.size(), 1u);
  EXPECT_EQ(only->events[0].kind, EventKind::kQuiet);
  EXPECT_EQ(only->background.per_slash24, BackgroundParams{}.per_slash24);
}

TEST(ScenarioFile, ErrorsNameFileLineColumnAndKey) {
  // Line and column of the offending value.
  EXPECT_EQ(LoadError("[[event]]\nkind = \"surge\"\nports = [80, 70000]\n"),
            "FILE:3:14: event.ports: numbers 0-65535");
  EXPECT_EQ(LoadError("[background]\nper_slash24 = 10\nper_slash42 = 10\n"),
            "FILE:3:15: background.per_slash42: unknown key");
  EXPECT_EQ(LoadError("[background]\nsources = \"many\"\n"),
            "FILE:2:11: background.sources: expected a number >= 0");
  EXPECT_EQ(LoadError("[background]\ndrift = -1\n"),
            "FILE:2:9: background.drift: expected a number >= 0");

  // Errors about a whole [[event]] point at it and name the key.
  auto starts = [](const std::string& msg, std::string_view prefix) {
    return msg.starts_with(prefix);
  };
  std::string kind =
      LoadError("[[event]]\nkind = \"surge\"\nports = [1]\n\n[[event]]\nkind = \"storm\"\n");
  EXPECT_TRUE(starts(kind, "FILE:5:1: event.kind: one of rare-port-jump,") ||
              starts(kind, "FILE:6:8: event.kind: one of rare-port-jump,"))
      << kind;
  EXPECT_NE(kind.find("surge"), std::string::npos) << kind;
  std::string no_kind = LoadError("[[event]]\nports = [1]\n");
  EXPECT_NE(no_kind.find("FILE:1:1: event.kind"), std::string::npos) << no_kind;
  std::string start = LoadError("[[event]]\nid = \"late\"\nkind = \"surge\"\nstart = 21\n");
  EXPECT_TRUE(starts(start, "FILE:1:1: event 'late': start must be in 0..20") ||
              starts(start, "FILE:4:9: event 'late': start must be in 0..20"))
      << start;
  EXPECT_NE(LoadError("[[event]]\nkind = \"surge\"\nstart = -1\n").find("start must be in 0..20"),
            std::string::npos);
  EXPECT_NE(LoadError("[[event]]\nkind = \"surge\"\ndays = 0\n").find("days >= 1"),
            std::string::npos);
  EXPECT_NE(
      LoadError("[[event]]\nkind = \"surge\"\nproto = \"sctp\"\n").find("event.proto: tcp or udp"),
      std::string::npos);
  EXPECT_NE(LoadError("[[event]]\nkind = \"surge\"\ntargeting = \"all\"\n").find("event.targeting"),
            std::string::npos);

  // Malformed TOML: the parser's own position and reason.
  std::string bad = LoadError("[background]\nper_slash24 = 1\n[[event]\nkind = \"surge\"\n");
  EXPECT_TRUE(bad.starts_with("FILE:3:")) << bad;
  std::string bad2 = LoadError("kind = \n");
  EXPECT_TRUE(bad2.starts_with("FILE:1:")) << bad2;

  // A missing file names the path.
  Result<Scenario> missing = LoadScenarioFile("/nonexistent/scenario.toml", 21);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/scenario.toml"), std::string::npos)
      << missing.status().message();
}

// Regression (src/sim/scenario.cc LoadScenarioFile): `include = "nope"`
// returns BuiltinScenario's message without the file's name or position, and
// keys the loader does not know outside [background] are silently ignored: a
// typo such as `[[events]]` or `port = 8080` yields a run without the event
// and no error. [background] already rejects unknown keys; events and the top
// level should too.
TEST(ScenarioFile, IncludeErrorsAndUnknownKeysAreReported) {
  std::string inc = LoadError("include = \"nope\"\n");
  EXPECT_TRUE(inc.starts_with("FILE:1:")) << inc;
  EXPECT_NE(inc.find("'nope'"), std::string::npos) << inc;
  EXPECT_NE(LoadError("[[events]]\nkind = \"surge\"\nports = [80]\n"), "(loaded)")
      << "[[events]] (typo) silently ignored";
  EXPECT_NE(LoadError("[[event]]\nkind = \"surge\"\nport = 80\n"), "(loaded)")
      << "event key 'port' (typo of ports) silently ignored";
}

// Regression (src/sim/scenario.cc LoadScenarioFile): numbers are cast
// without a range check and names are not checked: `sources = -1` becomes
// 4294967295 sources (Simulation::Create then tries to allocate over 100 GB
// and dies), `sensors = -2` means "all", and `stack = "windowz"` silently
// becomes the era's most common stack.
TEST(ScenarioFile, OutOfRangeValuesAreReported) {
  const std::string head = "[[event]]\nkind = \"surge\"\nports = [80]\n";
  std::string accepted;
  for (std::string_view bad :
       {"sources = -1", "sources = 100000000000", "sensors = -2", "packets_per_source = -3.0",
        "growth = -1.0", "stack = \"windowz\""}) {
    std::string msg = LoadError(head + std::string(bad) + "\n");
    std::string key(bad.substr(0, bad.find(' ')));
    if (!msg.starts_with("FILE:") || msg.find(key) == std::string::npos) {
      accepted += std::string(bad) + " -> " + msg + "\n";
    }
  }
  EXPECT_EQ(accepted, "") << "not reported with file:line:col and the key";
}

// ---------------------------------------------------------------------------
// A surge from a file in the generated data

// Each event's labelled source addresses and sensors, from the run's truth.
struct EventTruth {
  std::unordered_set<uint32_t> sources;
  std::vector<std::string> sensors;
};
std::map<std::string, EventTruth> EventTruths(const Simulation& sim) {
  SimStats stats;
  stats.records_by_sensor.assign(sim.world().sensors.size(), 0);
  const std::string truth = sim.TruthJson(stats);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::map<std::string, EventTruth> out;
  if (parser.parse(truth).get(root)) {
    ADD_FAILURE() << "truth.json does not parse";
    return out;
  }
  // (Arrays are copied out first: a range-for over value_unsafe() of a
  // temporary result would dangle.)
  auto array = [](simdjson::dom::element e, const char* key) {
    simdjson::dom::array a;
    EXPECT_FALSE(e[key].get_array().get(a)) << key;
    return a;
  };
  for (simdjson::dom::element ev : array(root, "events")) {
    EventTruth& t = out[std::string(ev["id"].get_string().value_unsafe())];
    for (simdjson::dom::element l : array(ev, "source_labels")) {
      t.sources.insert(IpAddr::Parse(l["ip"].get_string().value_unsafe())->v4());
    }
    for (simdjson::dom::element s : array(ev, "sensors")) {
      t.sensors.emplace_back(s.get_string().value_unsafe());
    }
  }
  return out;
}

TEST(ScenarioFile, SurgeAppearsAtItsSensorsOnly) {
  TomlFile f(R"(
[[event]]
id = "tcp31337"
kind = "surge"
ports = [31337]
start = 2
days = 4
sources = 2000
sensors = 3
targeting = "one-per-24"

[[event]]
id = "udp4444"
kind = "surge"
proto = "udp"
ports = [4444]
start = 5
days = 2
sources = 300
targeting = "single-address"
)");
  Result<Scenario> sc = LoadScenarioFile(f.path(), 8);
  ASSERT_TRUE(sc.ok()) << sc.status().ToString();
  SimConfig c;
  c.start_day = *ParseDay("2005-03-01");
  c.days = 8;
  c.sensors = 8;
  c.scale = 0.3;
  Result<std::unique_ptr<Simulation>> made = Simulation::Create(c, std::move(*sc));
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const Simulation& sim = **made;
  const World& w = sim.world();

  std::map<std::string, std::unordered_set<uint32_t>> sources;
  std::map<std::string, std::vector<std::string>> truth_sensors;
  for (auto& [id, t] : EventTruths(sim)) {
    sources[id] = std::move(t.sources);
    truth_sensors[id] = std::move(t.sensors);
  }
  ASSERT_EQ(sources["tcp31337"].size(), 2000u);
  ASSERT_EQ(sources["udp4444"].size(), 300u);
  EXPECT_EQ(truth_sensors["tcp31337"],
            (std::vector<std::string>{w.sensors[0].name, w.sensors[1].name, w.sensors[2].name}));
  EXPECT_EQ(truth_sensors["udp4444"].size(), w.sensors.size());

  std::map<uint32_t, uint64_t> tcp_by_sensor, udp_by_sensor;
  std::map<std::pair<uint32_t, int>, std::set<uint32_t>> udp_targets;     // (sensor, day)
  std::map<std::pair<uint32_t, uint32_t>, std::set<uint32_t>> tcp_per24;  // (src, /24) -> addresses
  std::set<int> tcp_days, udp_days;
  uint64_t other = 0;
  std::vector<Event> events;
  for (const Sensor& s : w.sensors) {
    for (int day = 0; day < c.days; ++day) {
      sim.SensorDay(s.index, day, &events);
      for (const Event& e : events) {
        const uint32_t src = e.src.v4();
        if (sources["tcp31337"].contains(src)) {
          if (e.proto != kProtoTcp || e.dport != 31337) ++other;
          ++tcp_by_sensor[s.index];
          tcp_days.insert(day);
          tcp_per24[{src, e.dst.v4() & 0xffffff00u}].insert(e.dst.v4());
        } else if (sources["udp4444"].contains(src)) {
          if (e.proto != kProtoUdp || e.dport != 4444) ++other;
          ++udp_by_sensor[s.index];
          udp_days.insert(day);
          udp_targets[{s.index, day}].insert(e.dst.v4());
        }
      }
    }
  }
  EXPECT_EQ(other, 0u) << "surge sources send only the surge's port";
  // tcp/31337 at sensors 0-2, each of them, on days 2-5 only.
  EXPECT_EQ(tcp_by_sensor.size(), 3u);
  for (uint32_t s = 0; s < 3; ++s) EXPECT_GT(tcp_by_sensor[s], 0u) << w.sensors[s].name;
  for (const auto& [s, n] : tcp_by_sensor) EXPECT_LT(s, 3u) << w.sensors[s].name << ": " << n;
  EXPECT_EQ(tcp_days, (std::set<int>{2, 3, 4, 5}));
  for (const auto& [key, addrs] : tcp_per24) EXPECT_EQ(addrs.size(), 1u) << "one-per-24";
  // udp/4444 everywhere (sensors = 0), one address per sensor-day, days 5-6.
  EXPECT_EQ(
      udp_by_sensor.size(), w.sensors.size() - [&] {
        size_t silent = 0;
        for (const Sensor& s : w.sensors) silent += s.Silent(5) && s.Silent(6);
        return silent;
      }());
  for (const auto& [key, addrs] : udp_targets) {
    EXPECT_EQ(addrs.size(), 1u) << w.sensors[key.first].name << " day " << key.second;
  }
  EXPECT_EQ(udp_days, (std::set<int>{5, 6}));
}

// Regression (src/sim/events.cc): each kind draws its sources from a
// stream keyed by the seed and a per-kind constant (Key(seed, 0x5000) for
// syn-scan, 0x1026 for worm-scouting, ...), not by the event, so a file that
// adds a second syn-scan (here tcp/445 next to the seeds' tcp/5000) gets the
// very same 3000 addresses, and truth labels each address twice.
TEST(ScenarioFile, TwoEventsOfOneKindHaveTheirOwnSources) {
  TomlFile f(R"(include = "seeds"
[background]
sources = 100

[[event]]
id = "tcp445-scan"
kind = "syn-scan"
ports = [445]
start = 10
days = 3
sources = 3000
)");
  Result<Scenario> sc = LoadScenarioFile(f.path(), 21);
  ASSERT_TRUE(sc.ok()) << sc.status().ToString();
  SimConfig c;
  c.days = 21;
  c.sensors = 3;
  Result<std::unique_ptr<Simulation>> sim = Simulation::Create(c, std::move(*sc));
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  auto truths = EventTruths(**sim);
  const auto& a = truths["tcp5000-syn-scan"].sources;
  const auto& b = truths["tcp445-scan"].sources;
  ASSERT_GT(a.size(), 1000u);
  ASSERT_GT(b.size(), 1000u);
  size_t shared = 0;
  for (uint32_t ip : b) shared += a.contains(ip);
  EXPECT_EQ(shared, 0u) << "of " << b.size() << " sources also in tcp5000-syn-scan";
}

}  // namespace
}  // namespace portstorm::sim
