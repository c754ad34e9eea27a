// Labelled events: the traffic a scenario adds on top of the background,
// each knowing its own truth. One class per EventKind (events.cc); an event
// is built once per run from its EventSpec and the world (its sources are
// fixed then), and is immutable afterwards, so any thread may ask it for any
// (sensor, day).
#pragma once

#include <memory>
#include <vector>

#include "core/event.h"
#include "sim/json_writer.h"
#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/world.h"

namespace portstorm::sim {

class ScenarioEvent {
 public:
  explicit ScenarioEvent(EventSpec spec) : spec_(std::move(spec)) {}
  virtual ~ScenarioEvent() = default;
  const EventSpec& spec() const { return spec_; }
  // Appends what sensor s logs of this event on day offset `day`. *out already
  // holds that sensor-day's background (some kinds size themselves against it).
  virtual void Emit(const World& w, const Sensor& s, int day, Rng& rng,
                    std::vector<Event>* out) const = 0;
  // Writes the event's truth object (id, kind, ports, days, sensors, sources,
  // findings, per-source labels).
  void Truth(const World& w, JsonWriter& j) const;

 protected:
  // Sensors that see the event.
  virtual std::vector<uint32_t> SensorsSeeing(const World& w) const;
  virtual void Findings(const World& w, JsonWriter& j) const = 0;
  bool Active(int day) const { return day >= spec_.start && day < spec_.start + spec_.days; }
  // A random-stream key of this event: its kind's tag and a stable hash of its
  // id, so two events of one kind never share sources.
  uint64_t EventKey(const World& w, uint64_t tag) const;
  EventSpec spec_;
  std::vector<Source> sources_;
  // Sources labelled in truth beside sources_, with a note (outbound hosts).
  std::vector<std::pair<Source, std::string>> extra_labels_;
};

// Builds an event; its sources take fresh addresses from w (World::taken).
std::unique_ptr<ScenarioEvent> MakeEvent(const EventSpec& spec, World& w);

}  // namespace portstorm::sim
