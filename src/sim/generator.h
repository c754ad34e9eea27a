// The simulator's driver: builds the world and the scenario's events, then
// generates every (sensor, day) on its own — in parallel, each from its own
// random stream — and writes one log per sensor and day in the sensor's own
// format plus DIR/truth.json. The same seed gives byte-identical output
// whatever the thread count.
//
// Layout of DIR: <sensor>/<YYYY-MM-DD>.<ext> (no file on a day the sensor was
// silent), truth.json. Each log's modification time is set to the end of its
// day so that `portstorm ingest` infers the year of RFC 3164 lines.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "sim/events.h"
#include "sim/scenario.h"
#include "sim/world.h"

namespace portstorm::sim {

struct SimStats {
  uint64_t records = 0;  // events written (lines)
  uint64_t bytes = 0;    // log bytes written
  uint64_t files = 0;
  std::vector<uint64_t> records_by_sensor;
  double seconds = 0;    // wall time of generation and writing
};

class Simulation {
 public:
  static Result<std::unique_ptr<Simulation>> Create(const SimConfig& config, Scenario scenario);
  const World& world() const { return world_; }
  const SimConfig& config() const { return config_; }
  const Scenario& scenario() const { return scenario_; }
  const std::vector<std::unique_ptr<ScenarioEvent>>& events() const { return events_; }

  // The events sensor `s` logs on day offset `day`, in the order of its log
  // (time as its clock shows it, clock offset applied). Empty on a silent day.
  void SensorDay(uint32_t s, int day, std::vector<Event>* out) const;

  // Writes the logs and truth.json into dir (created if missing).
  Result<SimStats> Write(const std::string& dir) const;
  // The truth document (truth.json's content).
  std::string TruthJson(const SimStats& stats) const;

 private:
  Simulation(const SimConfig& config, Scenario scenario);
  SimConfig config_;
  Scenario scenario_;
  World world_;
  std::vector<std::unique_ptr<ScenarioEvent>> events_;
};

// Path of a sensor-day log inside an output directory: log 0 (the sensor's
// main log) is DIR/<sensor>/<YYYY-MM-DD>.<ext>, log k > 0 (Sensor::more_logs)
// DIR/<sensor>/<YYYY-MM-DD>.<format>.<ext>.
std::string LogPath(const std::string& dir, const Sensor& s, int64_t day, size_t log = 0);

}  // namespace portstorm::sim
