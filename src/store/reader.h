// Reader: the read side of a store, as the query engine sees it.
//
// The embedded Store implements it; tests implement it over a vector of
// events (MemoryReader in tests/query). A second backend (ClickHouse, later)
// does not implement Reader: it runs the query IR itself.
// Implementations must allow concurrent const calls.
#pragma once

#include <cstdint>
#include <climits>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "store/day_index.h"

namespace portstorm::store {

// Column groups a scan may skip decoding (bit mask). Fields of skipped
// columns are left zero in the events passed to the callback.
namespace col {
inline constexpr uint32_t kTime = 1u << 0, kSrc = 1u << 1, kDst = 1u << 2, kPorts = 1u << 3,
                          kProto = 1u << 4, kFlags = 1u << 5, kCount = 1u << 6,
                          kSensor = 1u << 7, kOrigin = 1u << 8, kIpHeader = 1u << 9,
                          kTcpHeader = 1u << 10, kPayload = 1u << 11, kAll = 0xffffffffu;
}  // namespace col

struct ScanOptions {
  TimeUs from = INT64_MIN;  // inclusive
  TimeUs until = INT64_MAX; // exclusive
  uint32_t columns = col::kAll;
};

class Reader {
 public:
  virtual ~Reader() = default;
  // Days (since epoch) that hold at least one record, ascending.
  virtual std::vector<int64_t> Days() const = 0;
  // Calls fn with batches of events whose time is in [from, until), in
  // segment order: hour by hour; within an hour part by part (flush order,
  // then not-yet-flushed events); within a part by time, ingest order among
  // equal times. So output is not globally time-sorted within an hour that
  // several flushes touched. Stops and returns fn's status if it is not ok.
  virtual Status Scan(const ScanOptions& options,
                      const std::function<Status(std::span<const Event>)>& fn) const = 0;
  // The day index of `day`; an empty index if the day has no data.
  virtual Result<DayIndex> ReadDayIndex(int64_t day) const = 0;
  // The same index without its address sets: per entry the counts, first and
  // last seen and the set cardinalities. Must equal ReadDayIndex(day)->Summary();
  // much cheaper on a stored day (no bitmap is decoded).
  virtual Result<DaySummary> ReadDaySummary(int64_t day) const = 0;
  // Sensor name for an Event::sensor id ("" if unknown).
  virtual std::string SensorName(uint32_t id) const = 0;
  // Sensor id for a name, if that sensor exists.
  virtual std::optional<uint32_t> FindSensor(std::string_view name) const = 0;
};

}  // namespace portstorm::store
