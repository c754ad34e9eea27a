// DayIndex: for one UTC day, per (protocol, target port), the exact sets of
// source and target addresses plus record/packet counts and first/last seen.
//
// Daily port reports and "sources shared by ports A and B" are set
// operations on these, not scans. The store keeps one per day
// (docs/formats/store.md, "day index"); queries also build them in memory.
// Entries are keyed by (proto, Event::dport); for ICMP that slot holds the
// code (the type is in sport), as DShield's port columns carry them.
// Not thread-safe for mutation.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/event.h"
#include "store/addr_set.h"

namespace portstorm::store {

struct PortKey {
  uint8_t proto = 0;
  uint16_t port = 0;
  friend auto operator<=>(const PortKey&, const PortKey&) = default;
};

struct PortDayStats {
  uint64_t records = 0;  // stored records (lines)
  uint64_t packets = 0;  // sum of Event::count
  TimeUs first_seen = 0;
  TimeUs last_seen = 0;
  AddrSet sources;
  AddrSet targets;
  friend bool operator==(const PortDayStats&, const PortDayStats&) = default;
};

class DayIndex {
 public:
  DayIndex() = default;
  explicit DayIndex(int64_t day) : day_(day) {}

  int64_t day() const { return day_; }
  // Adds one event (its day must be day()). Key: (proto, dport).
  void Add(const Event& e);
  // Adds base[rows[i]] for every i (all of day()): the same as Add in a
  // loop, several times faster (address sets are filled in bulk).
  void AddMany(const Event* base, std::span<const uint32_t> rows);
  // Merges another index of the same day into this one.
  void Merge(const DayIndex& other);
  void Optimize();

  const std::map<PortKey, PortDayStats>& ports() const { return ports_; }
  const PortDayStats* Find(PortKey k) const;
  uint64_t total_records() const;

  // Serialisation (docs/formats/store.md): the store frames and checksums it.
  void AppendTo(std::string* out) const;
  static Result<DayIndex> ReadFrom(std::string_view in);

  friend bool operator==(const DayIndex&, const DayIndex&) = default;

 private:
  int64_t day_ = 0;
  std::map<PortKey, PortDayStats> ports_;
};

}  // namespace portstorm::store
