// MemoryReader: a store::Reader over a vector of events, for tests.
//
// Day indexes are built eagerly with DayIndex::Add, exactly as the store
// builds them, so the index plan can be tested without a store on disk.
// Scan honours the time range and zeroes the fields of columns not asked
// for, so a query that forgets a column gives wrong answers here too.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "store/day_index.h"
#include "store/reader.h"

namespace portstorm::query::testing {

class MemoryReader : public store::Reader {
 public:
  MemoryReader() = default;
  explicit MemoryReader(std::vector<Event> events) { Add(std::move(events)); }

  void Add(std::vector<Event> events) {
    for (Event& e : events) {
      int64_t d = DayOf(e.time);
      auto it = indexes_.find(d);
      if (it == indexes_.end()) it = indexes_.emplace(d, store::DayIndex(d)).first;
      it->second.Add(e);
      events_.push_back(e);
    }
    for (auto& [d, idx] : indexes_) idx.Optimize();
  }
  // Sensor ids are 1-based positions in `names`.
  void SetSensors(std::vector<std::string> names) { sensors_ = std::move(names); }
  // Replaces a day's index (for tests that need shapes too big to build from events).
  void SetDayIndex(store::DayIndex index) {
    int64_t d = index.day();
    indexes_.insert_or_assign(d, std::move(index));
  }
  const std::vector<Event>& events() const { return events_; }

  std::vector<int64_t> Days() const override {
    std::vector<int64_t> days;
    for (const auto& [d, idx] : indexes_) days.push_back(d);
    return days;
  }

  Status Scan(const store::ScanOptions& o,
              const std::function<Status(std::span<const Event>)>& fn) const override {
    std::vector<Event> batch;
    auto flush = [&]() -> Status {
      if (batch.empty()) return Status::Ok();
      Status s = fn(batch);
      batch.clear();
      return s;
    };
    for (const Event& e : events_) {
      if (e.time < o.from || e.time >= o.until) continue;
      batch.push_back(Mask(e, o.columns));
      if (batch.size() == 1000) PS_RETURN_IF_ERROR(flush());
    }
    return flush();
  }

  Result<store::DayIndex> ReadDayIndex(int64_t day) const override {
    auto it = indexes_.find(day);
    if (it == indexes_.end()) return store::DayIndex(day);
    return it->second;
  }

  Result<store::DaySummary> ReadDaySummary(int64_t day) const override {
    auto it = indexes_.find(day);
    if (it == indexes_.end()) return store::DaySummary{day, {}};
    return it->second.Summary();
  }

  std::string SensorName(uint32_t id) const override {
    return id >= 1 && id <= sensors_.size() ? sensors_[id - 1] : std::string();
  }
  std::optional<uint32_t> FindSensor(std::string_view name) const override {
    for (size_t i = 0; i < sensors_.size(); ++i) {
      if (sensors_[i] == name) return static_cast<uint32_t>(i + 1);
    }
    return std::nullopt;
  }

 private:
  static Event Mask(const Event& e, uint32_t cols) {
    namespace col = store::col;
    Event m;
    m.count = 0;
    if (cols & col::kTime) m.time = e.time;
    if (cols & col::kSrc) m.src = e.src;
    if (cols & col::kDst) m.dst = e.dst;
    if (cols & col::kPorts) m.sport = e.sport, m.dport = e.dport;
    if (cols & col::kProto) m.proto = e.proto;
    if (cols & col::kFlags) m.tcp_flags = e.tcp_flags, m.action = e.action, m.marks = e.marks;
    if (cols & col::kCount) m.count = e.count;
    if (cols & col::kSensor) m.sensor = e.sensor;
    return m;
  }

  std::vector<Event> events_;
  std::map<int64_t, store::DayIndex> indexes_;
  std::vector<std::string> sensors_;
};

}  // namespace portstorm::query::testing
