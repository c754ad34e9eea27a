// truth.json: what the simulator put in the logs, for tests, the detection
// benchmark and classification accuracy. Layout in docs/simulator.md, "truth.json".
// Everything outside "stats" is independent of --scale and --threads.
#include <fmt/format.h>

#include "sim/generator.h"
#include "sim/json_writer.h"

namespace portstorm::sim {

std::string Simulation::TruthJson(const SimStats& stats) const {
  const World& w = world_;
  std::string out;
  JsonWriter j(&out, 3);
  j.BeginObject();
  j.Field("generator", "portstorm simulate");
  j.Field("truth_version", 1);
  j.Key("config").BeginObject();
  j.Field("start", FormatDay(w.start_day));
  j.Field("days", config_.days);
  j.Field("sensors", config_.sensors);
  j.Field("seed", config_.seed);
  j.Field("scenario", scenario_.name);
  j.Field("format", config_.format ? LogFormatName(*config_.format) : std::string_view("mixed"));
  j.Field("era", w.era == Era::k2003 ? "2003" : "today");
  j.EndObject();

  j.Key("sensors").BeginArray();
  for (const Sensor& s : w.sensors) {
    j.BeginObject();
    j.Field("name", s.name);
    j.Field("shape", SensorShapeName(s.shape));
    j.Field("format", LogFormatName(s.style.format));
    // More logs of the same packets (seed 004), one file each per day.
    j.Key("more_logs").BeginArray();
    for (const LogStyle& m : s.more_logs) j.String(LogFormatName(m.format));
    j.EndArray();
    j.Field("anonymised_targets", s.style.anonymise_dst);
    j.Key("networks").BeginArray();
    for (uint32_t n : s.nets) j.String(IpAddr::V4(n).ToString() + "/24");
    j.EndArray();
    // Static and dynamic sensors: the address from each day on.
    j.Key("addresses").BeginArray();
    for (size_t d = 0; d < s.addr_by_day.size(); ++d) {
      if (d > 0 && s.addr_by_day[d] == s.addr_by_day[d - 1]) continue;
      j.BeginObject();
      j.Field("from", FormatDay(w.start_day + static_cast<int64_t>(d)));
      j.Field("address", IpAddr::V4(s.addr_by_day[d]).ToString());
      j.EndObject();
    }
    j.EndArray();
    j.Field("clock_offset_s", s.clock_offset / kUsPerSecond);
    j.Key("silent_days").BeginArray();
    for (int d : s.silent_days) j.String(FormatDay(w.start_day + d));
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();

  j.Key("events").BeginArray();
  for (const auto& e : events_) e->Truth(w, j);
  j.EndArray();

  j.Key("background").BeginObject();
  j.Field("sources", static_cast<uint64_t>(w.sources.size()));
  j.Key("source_labels").BeginArray();
  for (const Source& s : w.sources) {
    j.BeginObject();
    j.Field("ip", IpAddr::V4(s.addr).ToString());
    j.Field("behaviour", BehaviourName(s.behaviour));
    j.Field("stack", Stacks()[s.stack].name);
    j.Field("proto", ProtoName(s.proto));
    j.Field("port", s.port);
    j.Field("first_day", FormatDay(w.start_day + s.first_day));
    j.Field("last_day", FormatDay(w.start_day + s.last_day));
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();

  j.Key("stats").BeginObject();
  j.Field("scale", config_.scale);
  j.Field("records", stats.records);
  j.Field("bytes", stats.bytes);
  j.Field("files", stats.files);
  j.Key("records_by_sensor").BeginObject();
  for (const Sensor& s : w.sensors) {
    j.Field(s.name, s.index < stats.records_by_sensor.size() ? stats.records_by_sensor[s.index] : 0);
  }
  j.EndObject();
  j.EndObject();
  j.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace portstorm::sim
