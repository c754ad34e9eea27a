// Built-in scenarios and scenario files; see scenario.h.
#include "sim/scenario.h"

#include "sim/catalog.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace portstorm::sim {
namespace {

constexpr std::pair<EventKind, std::string_view> kKindNames[] = {
    {EventKind::kRarePortJump, "rare-port-jump"}, {EventKind::kWormScouting, "worm-scouting"},
    {EventKind::kSynScan, "syn-scan"},            {EventKind::kStalePeer, "stale-peer"},
    {EventKind::kFabricated, "fabricated"},       {EventKind::kQuiet, "quiet"},
    {EventKind::kSurge, "surge"},
};

// The seeds scenario on 21 days (docs/simulator.md, "Seed scenarios").
std::vector<EventSpec> SeedEvents(int days) {
  auto at = [days](int d) { return SeedDay(d, days); };
  auto span = [&](int from, int to) { return std::max(1, at(to) - at(from) + 1); };
  std::vector<EventSpec> ev;
  EventSpec quiet;
  quiet.id = "quiet-start";
  quiet.kind = EventKind::kQuiet;
  quiet.ports = {};
  quiet.proto = 0;
  quiet.start = 0;
  // Up to the first event's day: on short runs the stretch shrinks, or vanishes.
  quiet.days = at(3) - at(0);
  quiet.sources = 0;
  if (quiet.days > 0) ev.push_back(quiet);

  EventSpec p2p;
  p2p.id = "tcp6346-stale-peer";
  p2p.kind = EventKind::kStalePeer;
  p2p.seed = "004";
  p2p.ports = {6346};
  p2p.start = at(3);
  p2p.days = std::max(1, days - p2p.start);
  p2p.sources = 40;
  ev.push_back(p2p);

  EventSpec rare;
  rare.id = "tcp3771-rare-port";
  rare.kind = EventKind::kRarePortJump;
  rare.seed = "000";
  rare.ports = {3771};
  rare.start = at(3);
  rare.surge_day = at(17);
  rare.days = std::max(1, days - rare.start);
  rare.sources = 120;
  ev.push_back(rare);

  EventSpec scout;
  scout.id = "udp1026-1031-scouting";
  scout.kind = EventKind::kWormScouting;
  scout.seed = "001,003";
  scout.proto = 17;
  scout.ports = {1026, 1027, 1028, 1029, 1030, 1031, 135, 137};
  scout.start = at(5);
  scout.surge_day = at(12);
  scout.days = span(5, 14);
  scout.sources = 5000;
  ev.push_back(scout);

  EventSpec scan;
  scan.id = "tcp5000-syn-scan";
  scan.kind = EventKind::kSynScan;
  scan.seed = "002";
  scan.ports = {5000};
  scan.start = at(9);
  scan.days = span(9, 14);
  scan.sources = 3000;
  ev.push_back(scan);

  EventSpec fab;
  fab.id = "tcp2100-fabricated";
  fab.kind = EventKind::kFabricated;
  fab.ports = {2100};
  fab.start = at(16);
  fab.days = 1;
  fab.sources = 400;
  ev.push_back(fab);
  return ev;
}

Status Bad(const std::string& path, const toml::source_region& where, std::string_view what) {
  return Status::InvalidArgument(
      fmt::format("{}:{}:{}: {}", path, where.begin.line, where.begin.column, what));
}

}  // namespace

std::string_view EventKindName(EventKind k) {
  for (const auto& [kind, name] : kKindNames) {
    if (kind == k) return name;
  }
  return "?";
}

std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (const auto& [kind, n] : kKindNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

int SeedDay(int day_of_21, int days) {
  if (days >= 21) return day_of_21;
  int d = static_cast<int>(std::lround(static_cast<double>(day_of_21) * days / 21.0));
  return std::clamp(d, 0, std::max(0, days - 1));
}

Result<Scenario> BuiltinScenario(std::string_view name, int days) {
  Scenario sc;
  sc.name = std::string(name);
  if (name == "seeds") {
    sc.events = SeedEvents(days);
  } else if (name != "background") {
    return Status::InvalidArgument(
        fmt::format("unknown scenario '{}' (seeds, background, or a .toml file)", name));
  }
  return sc;
}

Result<Scenario> LoadScenarioFile(const std::string& path, int days) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Bad(path, e.source(), e.description());
  }
  Scenario sc;
  sc.name = path;
  // `include = "seeds"` starts from a built-in scenario's events.
  for (const auto& [key, node] : doc) {
    if (key != "include" && key != "background" && key != "event") {
      return Bad(path, node.source(), fmt::format("{}: unknown key (include, [background], [[event]])", key.str()));
    }
  }
  if (const toml::node* inc = doc.get("include")) {
    auto name = inc->value<std::string>();
    if (!name) return Bad(path, inc->source(), "include: expected a string (\"seeds\" or \"background\")");
    Result<Scenario> base = BuiltinScenario(*name, days);
    if (!base.ok()) return Bad(path, inc->source(), "include: " + base.status().message());
    sc.events = std::move(base->events);
  }
  if (const toml::table* bg = doc["background"].as_table()) {
    BackgroundParams& b = sc.background;
    for (const auto& [key, node] : *bg) {
      std::optional<double> v = node.value<double>();
      if (!v || *v < 0) return Bad(path, node.source(), fmt::format("background.{}: expected a number >= 0", key.str()));
      if (key == "per_slash24") b.per_slash24 = *v;
      else if (key == "per_address") b.per_address = *v;
      else if (key == "sources") b.sources = static_cast<uint32_t>(std::min(*v, 5e7));
      else if (key == "zipf_s") b.zipf_s = *v;
      else if (key == "daily_swing") b.daily_swing = std::min(*v, 1.0);
      else if (key == "weekend") b.weekend = *v;
      else if (key == "drift") b.drift = *v;
      else if (key == "silent_share") b.silent_share = std::min(*v, 1.0);
      else return Bad(path, node.source(), fmt::format("background.{}: unknown key", key.str()));
    }
  }
  if (const toml::array* events = doc["event"].as_array()) {
    for (const toml::node& n : *events) {
      const toml::table* t = n.as_table();
      if (t == nullptr) return Bad(path, n.source(), "[[event]] must be a table");
      static constexpr std::string_view kKeys[] = {
          "kind", "id", "proto", "ports", "start", "days", "surge_day", "sources",
          "packets_per_source", "sensors", "stack", "targeting", "growth"};
      for (const auto& [key, node] : *t) {
        if (std::find(std::begin(kKeys), std::end(kKeys), key.str()) == std::end(kKeys)) {
          return Bad(path, node.source(), fmt::format("event.{}: unknown key", key.str()));
        }
      }
      EventSpec e;
      auto kind = (*t)["kind"].value<std::string>();
      if (!kind || !ParseEventKind(*kind)) {
        return Bad(path, t->source(), "event.kind: one of rare-port-jump, worm-scouting, syn-scan, "
                                      "stale-peer, fabricated, quiet, surge");
      }
      e.kind = *ParseEventKind(*kind);
      e.id = (*t)["id"].value_or(fmt::format("{}-{}", *kind, sc.events.size()));
      auto proto = (*t)["proto"].value_or<std::string>("tcp");
      if (proto != "tcp" && proto != "udp") return Bad(path, t->source(), "event.proto: tcp or udp");
      e.proto = proto == "tcp" ? 6 : 17;
      if (const toml::array* ports = (*t)["ports"].as_array()) {
        for (const toml::node& p : *ports) {
          auto v = p.value<int64_t>();
          if (!v || *v < 0 || *v > 65535) return Bad(path, p.source(), "event.ports: numbers 0-65535");
          e.ports.push_back(static_cast<uint16_t>(*v));
        }
      }
      e.start = static_cast<int>((*t)["start"].value_or<int64_t>(0));
      e.days = static_cast<int>((*t)["days"].value_or<int64_t>(1));
      e.surge_day = static_cast<int>((*t)["surge_day"].value_or<int64_t>(e.start));
      if (e.start < 0 || e.days < 1 || e.start >= days) {
        return Bad(path, t->source(), fmt::format("event '{}': start must be in 0..{} and days >= 1", e.id, days - 1));
      }
      e.days = std::min(e.days, days - e.start);
      // Values are checked where they are: the error points at the bad one.
      auto number = [&](std::string_view key, double def, double lo, double hi) -> Result<double> {
        const toml::node* n = t->get(key);
        if (n == nullptr) return def;
        std::optional<double> v = n->value<double>();
        if (!v || !(*v >= lo && *v <= hi)) {
          return Bad(path, n->source(), fmt::format("event.{}: expected a number in {}..{}", key, lo, hi));
        }
        return *v;
      };
      PS_ASSIGN_OR_RETURN(double sources, number("sources", 100, 0, 10'000'000));
      PS_ASSIGN_OR_RETURN(e.packets_per_source, number("packets_per_source", 3, 0, 1'000'000));
      PS_ASSIGN_OR_RETURN(double sensors, number("sensors", 0, 0, 100'000));
      PS_ASSIGN_OR_RETURN(e.growth, number("growth", 1, 0.001, 1000));
      e.sources = static_cast<uint32_t>(sources);
      e.sensors = static_cast<int>(sensors);
      e.stack = (*t)["stack"].value_or<std::string>("");
      if (!e.stack.empty() && FindStack(e.stack) == nullptr) {
        return Bad(path, t->get("stack")->source(), fmt::format("event.stack: no stack named '{}' in the catalog", e.stack));
      }
      e.targeting = (*t)["targeting"].value_or<std::string>("random");
      if (e.targeting != "random" && e.targeting != "one-per-24" && e.targeting != "single-address") {
        return Bad(path, t->source(), "event.targeting: random, one-per-24 or single-address");
      }
      sc.events.push_back(std::move(e));
    }
  }
  return sc;
}

}  // namespace portstorm::sim
