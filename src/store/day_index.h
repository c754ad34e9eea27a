// DayIndex: for one UTC day, per (protocol, target port), the exact sets of
// source and target addresses plus record/packet counts and first/last seen.
//
// Daily port reports and "sources shared by ports A and B" are set
// operations on these, not scans. The store keeps one per day
// (docs/formats/store.md, "day index"); queries also build them in memory.
// Entries are keyed by (proto, Event::dport); for ICMP that slot holds the
// code (the type is in sport), as DShield's port columns carry them.
//
// DaySummary is the same day without the sets: per entry the counts, first
// and last seen and the *number* of distinct sources and targets. Format
// version 2 stores those numbers in a table in front of the sets, so a
// summary is read without decoding one bitmap; a report whose every row is
// one index entry (the daily port ranking) needs nothing more.
// Not thread-safe for mutation.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "store/addr_set.h"

namespace portstorm::store {

// Versions of the raw day-index bytes (the day-index file's version field).
// 1: entries with their sets inline, no cardinalities (read, never written).
// 2: a fixed-size entry table with cardinalities, then the sets.
inline constexpr uint32_t kDayIndexVersion = 2;
inline constexpr uint32_t kDayIndexOldestVersion = 1;

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

// One day-index entry without its sets.
struct PortSummary {
  PortKey key;
  uint64_t records = 0;
  uint64_t packets = 0;
  TimeUs first_seen = 0;
  TimeUs last_seen = 0;
  uint64_t sources = 0;  // distinct source addresses
  uint64_t targets = 0;  // distinct target addresses
  friend bool operator==(const PortSummary&, const PortSummary&) = default;
};

struct DaySummary {
  int64_t day = 0;
  std::vector<PortSummary> ports;  // sorted by key, keys unique

  // Parses raw day-index bytes (DayIndex::AppendTo) of format `version`
  // without decoding address sets (version 1 has no cardinalities, so its
  // sets are decoded and counted: slow, but old files stay readable).
  static Result<DaySummary> ReadFrom(std::string_view in, uint32_t version = kDayIndexVersion);
  friend bool operator==(const DaySummary&, const DaySummary&) = default;
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
  // The entries without their sets (cardinalities computed here).
  DaySummary Summary() const;

  // Serialisation (docs/formats/store.md): the store frames and checksums it.
  // AppendTo writes kDayIndexVersion; ReadFrom reads versions
  // kDayIndexOldestVersion..kDayIndexVersion.
  void AppendTo(std::string* out) const;
  static Result<DayIndex> ReadFrom(std::string_view in, uint32_t version = kDayIndexVersion);

  friend bool operator==(const DayIndex&, const DayIndex&) = default;

 private:
  int64_t day_ = 0;
  std::map<PortKey, PortDayStats> ports_;
};

}  // namespace portstorm::store
