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
  EventSpec spec_;
  std::vector<Source> sources_;
};

std::unique_ptr<ScenarioEvent> MakeEvent(const EventSpec& spec, const World& w);

}  // namespace portstorm::sim
