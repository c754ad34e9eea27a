// Reports: the tables behind `portstorm report ports`, `report sources` and
// `feed`. Each builds query IR, runs it on a query::Backend (embedded or,
// later, ClickHouse — reports never touch the store directly) and returns a
// report::Table with stable column names (docs/reports.md). The CLI only
// parses options and picks a writer (report/table_writer.h).
//
// All times are UTC. "Today"/"yesterday" are relative to a `now` the caller
// passes, so tests and golden files are reproducible.
// Thread-safety: stateless functions; safe to call concurrently if the
// backend is.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "query/backend.h"
#include "query/filter.h"
#include "query/ir.h"
#include "report/table.h"

namespace portstorm::report {

// ---- report ports --------------------------------------------------------
//
// Columns: rank, port, proto, service, records, sources, targets, prev_rank,
// change. Ranked by records, ties by distinct sources (both descending),
// then port and protocol number (ascending). prev_rank is the port's rank on
// the previous day among all its ports (null if it had no records then).
// change (null when the previous day has no data at all):
//   "jumped to #N"  now in the top `jump_top` (#N), and yesterday absent or
//                   ranked below `jump_top`;
//   "new"           absent yesterday, not in the top `jump_top` today;
//   "up K" / "down K" / "="  otherwise, by rank difference.
// What the count columns count: every stored packet record, or attempts (a
// TCP SYN and its retransmissions once, Event::marks; see docs/dedup.md).
// With kAttempts the column is named "attempts" instead of "records"
// (report ports) and count/percent are over attempts (report sources).
enum class CountUnit : uint8_t { kRecords, kAttempts };

struct PortsOptions {
  std::optional<int64_t> day;  // default: the latest day with data
  CountUnit count = CountUnit::kRecords;
  uint64_t top = 10;           // 0 = every port
  query::Expr filter;          // optional restriction (e.g. proto udp)
  int jump_top = 10;
};
[[nodiscard]] Result<Table> PortsReport(const query::Backend& backend, const PortsOptions& options);

// ---- report sources --port P ---------------------------------------------
//
// Columns: count, percent, ip, first_seen, last_seen — the top sources of
// one target port on one day (seed 000). count = records from that source to
// the port; percent = 100 * count / all records to the port that day (2
// decimals); first/last seen on that day. Sorted by count descending, then
// ip ascending (numeric; IPv4 before IPv6).
struct SourcesOptions {
  uint16_t port = 0;
  std::optional<uint8_t> proto;  // default: tcp and udp
  std::optional<int64_t> day;    // default: the latest day with data
  uint64_t top = 20;             // 0 = every source
  CountUnit count = CountUnit::kRecords;
  query::Expr filter;            // optional restriction (e.g. sensor s00-border)
};
[[nodiscard]] Result<Table> SourcesReport(const query::Backend& backend,
                                          const SourcesOptions& options);

// ---- feed ------------------------------------------------------------------
//
// Columns: ip, first_seen, last_seen, packets, date — one row per source
// and UTC day (seed 001's port1026.dat): first/last time the source was seen
// that day, packets = sum of counts that day. Sorted by ip (numeric; IPv4
// before IPv6), then date.
struct FeedOptions {
  query::Expr filter;
  query::TimeRange time;
};
[[nodiscard]] Result<Table> Feed(const query::Backend& backend, const FeedOptions& options);

// Resolves the --since/--until options of feed-like commands.
//   since: "YYYY-MM-DD", "today", "yesterday" (start of that UTC day),
//          "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS[Z]" (that instant),
//          "Nh" / "Nd" (N hours/days before now), "" (default: start of
//          yesterday — the seed feed's "today or yesterday").
//   until: the same forms; a day means the END of that day (inclusive),
//          "Nh"/"Nd" and instants are exclusive; "" = no end.
// An InvalidArgument error names the bad option; so does an empty window.
[[nodiscard]] Result<query::TimeRange> ParseTimeWindow(std::string_view since,
                                                       std::string_view until, TimeUs now);

}  // namespace portstorm::report
