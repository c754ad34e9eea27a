// The query IR: what to count, over which events, grouped how, in which
// order. It is backend-neutral: the embedded executor (query/executor.h)
// runs it over a store::Reader, and the ClickHouse backend (later) turns it
// into SQL. Both must return equal Tables for equal data; the semantics
// below are that contract, and tests/query/backend_conformance.h checks it.
//
// Semantics:
//  * Events in [time.from, time.until) that match `filter` are grouped by
//    the tuple of `group_by` keys; each group becomes one row whose columns
//    are the keys (in group_by order) followed by the aggregates (in
//    aggregates order). Column names and types: KeyColumn(), AggColumn().
//  * With no group keys there is exactly one row, also when nothing
//    matched (counts 0, first/last seen null).
//  * Rows are ordered by `order_by` (column indexes into the output), then by
//    every key column ascending, so the order is total and identical on
//    every backend. Ascending order of keys: addresses numerically (IPv4
//    before IPv6), protocols and ports numerically, sensors by name, days
//    and hours chronologically. A null first/last seen sorts lowest.
//  * `limit` keeps the first N rows of that order (top-N).
//  * kDstNet is the target's /24 for IPv4 and /64 for IPv6, as the network
//    address. kDay/kHour are UTC buckets of the event time.
//
// Thread-safety: plain values.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "query/filter.h"
#include "query/table.h"

namespace portstorm::query {

struct TimeRange {
  TimeUs from = INT64_MIN;   // inclusive
  TimeUs until = INT64_MAX;  // exclusive

  // The whole UTC days first..last (inclusive).
  static TimeRange Days(int64_t first, int64_t last) {
    return {first * kUsPerDay, (last + 1) * kUsPerDay};
  }
  static TimeRange Day(int64_t day) { return Days(day, day); }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

enum class GroupKey : uint8_t {
  kSrc,     // "src"      ip
  kDst,     // "dst"      ip (target address)
  kDstNet,  // "dst_net"  ip: target /24 (IPv4) or /64 (IPv6) network address
  kProto,   // "proto"    string: tcp, udp, icmp, ... or the number
  kSport,   // "sport"    int (ICMP: type)
  kDport,   // "dport"    int (ICMP: code)
  kSensor,  // "sensor"   string: sensor name
  kDay,     // "day"      day
  kHour,    // "hour"     time: start of the UTC hour
};

enum class Agg : uint8_t {
  kRecords,          // "records"    int: matching records
  kPackets,          // "packets"    int: sum of Event::count
  kDistinctSources,  // "sources"    int: distinct source addresses
  kDistinctTargets,  // "targets"    int: distinct target addresses
  kDistinctSensors,  // "sensors"    int: distinct sensors
  kFirstSeen,        // "first_seen" time: earliest event time (null if none)
  kLastSeen,         // "last_seen"  time: latest event time (null if none)
  kAttempts,         // "attempts"   int: records that are not SYN retransmissions
                     //              (Event::marks & mark::kRetransmission clear)
};

struct OrderTerm {
  size_t column = 0;  // index into the output columns (keys, then aggregates)
  bool descending = false;
  friend bool operator==(const OrderTerm&, const OrderTerm&) = default;
};

struct Query {
  TimeRange time;
  Expr filter;  // Expr::True() = every event
  std::vector<GroupKey> group_by;
  std::vector<Agg> aggregates;
  std::vector<OrderTerm> order_by;
  std::optional<uint64_t> limit;

  size_t num_columns() const { return group_by.size() + aggregates.size(); }
  // Output column index of an aggregate / a key, if the query has it.
  std::optional<size_t> AggIndex(Agg a) const;
  std::optional<size_t> KeyIndex(GroupKey k) const;
};

Column KeyColumn(GroupKey k);
Column AggColumn(Agg a);
// The output columns of `q`, keys first.
std::vector<Column> OutputColumns(const Query& q);

// Checks the structural rules (no duplicate keys or aggregates, order
// columns in range, from <= until). Backends call it first.
[[nodiscard]] Status Validate(const Query& q);

// One-line description for logs and EXPLAIN-like output, e.g.
// "group by proto,dport agg records,sources where dst port 3771 order by 2 desc limit 10".
std::string Describe(const Query& q);

}  // namespace portstorm::query
