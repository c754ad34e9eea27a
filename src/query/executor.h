// EmbeddedBackend: runs the query IR over a store::Reader.
//
// Two plans:
//  * index: when the query can be answered from the per-day port indexes —
//    group keys within {day, proto, dport}, aggregates within {records,
//    packets, sources, targets, first_seen, last_seen}, a filter that tests
//    only `proto` and `dst port`, and a time range of whole UTC days — it
//    reads ReadDaySummary() per day and never scans. Distinct counts are
//    the cardinalities stored per entry; only a group that merges several
//    entries (e.g. no day key over several days) makes it read those days'
//    full ReadDayIndex() for set unions.
//  * scan: otherwise it scans the time range, decoding only the columns the
//    filter, keys and aggregates need, and aggregates in hash maps.
// Both plans produce identical tables (tests/query/executor_test.cc).
//
// Lifetimes: the Reader must outlive the backend. Thread-safety: Execute is
// const and may run concurrently if the Reader allows it (it must).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "query/backend.h"
#include "store/reader.h"

namespace portstorm::query {

enum class Plan : uint8_t { kAuto, kIndex, kScan };

struct ExecStats {
  Plan plan = Plan::kAuto;      // the plan that ran (kIndex or kScan)
  uint64_t events_scanned = 0;  // events passed to the filter (scan plan)
  uint64_t days_indexed = 0;    // day index summaries read (index plan)
  uint64_t day_sets_read = 0;   // of those, days whose address sets were decoded
};

class EmbeddedBackend final : public Backend {
 public:
  struct Options {
    // Debug knob: force a plan. Forcing kIndex on a query the index cannot
    // answer is an InvalidArgument error.
    Plan force = Plan::kAuto;
  };

  explicit EmbeddedBackend(const store::Reader& reader) : EmbeddedBackend(reader, Options{}) {}
  EmbeddedBackend(const store::Reader& reader, Options options)
      : reader_(reader), options_(options) {}

  std::string_view name() const override { return "embedded"; }
  [[nodiscard]] Result<Table> Execute(const Query& query) const override;
  [[nodiscard]] Result<Table> Execute(const Query& query, ExecStats* stats) const;
  [[nodiscard]] Result<std::vector<int64_t>> Days() const override { return reader_.Days(); }

  // True when the index plan can answer `query`.
  static bool IndexCanAnswer(const Query& query);
  // store::col bits the scan plan decodes for `query`.
  static uint32_t ScanColumns(const Query& query);

 private:
  const store::Reader& reader_;
  Options options_;
};

}  // namespace portstorm::query
