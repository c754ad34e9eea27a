#include "report/reports.h"

#include <absl/container/flat_hash_map.h>

#include <charconv>

#include "core/event.h"
#include "report/services.h"

namespace portstorm::report {
namespace {

using query::Agg;
using query::Expr;
using query::GroupKey;
using query::OrderTerm;
using query::Query;
using query::TimeRange;

int64_t IntAt(const std::vector<Cell>& row, size_t i) {
  const int64_t* v = std::get_if<int64_t>(&row[i]);
  return v ? *v : 0;
}

Result<std::optional<int64_t>> LatestDay(const query::Backend& backend) {
  PS_ASSIGN_OR_RETURN(std::vector<int64_t> days, backend.Days());
  if (days.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(days.back());
}

// The full daily port ranking query: keys proto, dport (0, 1); records (2),
// sources (3), targets (4). Order: records desc, sources desc, dport asc;
// the IR then breaks ties by proto, dport.
Agg CountAgg(CountUnit u) { return u == CountUnit::kAttempts ? Agg::kAttempts : Agg::kRecords; }

Query RankingQuery(int64_t day, const Expr& filter, CountUnit unit) {
  Query q;
  q.time = TimeRange::Day(day);
  q.filter = filter;
  q.group_by = {GroupKey::kProto, GroupKey::kDport};
  q.aggregates = {CountAgg(unit), Agg::kDistinctSources, Agg::kDistinctTargets};
  q.order_by = {{2, true}, {3, true}, {1, false}};
  return q;
}

std::string ChangeText(int64_t rank, std::optional<int64_t> prev, int jump_top) {
  bool now_top = rank <= jump_top;
  if (!prev) return now_top ? "jumped to #" + std::to_string(rank) : "new";
  if (now_top && *prev > jump_top) return "jumped to #" + std::to_string(rank);
  if (*prev == rank) return "=";
  if (*prev > rank) return "up " + std::to_string(*prev - rank);
  return "down " + std::to_string(rank - *prev);
}

// Parses "Nh"/"Nd"; nullopt if `s` is not of that form.
std::optional<TimeUs> RelativeDuration(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  char unit = s.back();
  if (unit != 'h' && unit != 'd') return std::nullopt;
  uint32_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size() - 1, n);
  if (ec != std::errc() || p != s.data() + s.size() - 1 || n > 100000) return std::nullopt;
  return static_cast<TimeUs>(n) * (unit == 'h' ? kUsPerHour : kUsPerDay);
}

// "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS[Z]".
std::optional<TimeUs> Instant(std::string_view s) {
  if (s.size() == 20 && s.back() == 'Z') s.remove_suffix(1);
  if (s.size() != 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  auto day = ParseDay(s.substr(0, 10));
  if (!day.ok()) return std::nullopt;
  auto two = [&](size_t at, int max) -> int {
    char a = s[at], b = s[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    int v = (a - '0') * 10 + (b - '0');
    return v > max ? -1 : v;
  };
  int h = two(11, 23), m = two(14, 59), sec = two(17, 59);
  if (h < 0 || m < 0 || sec < 0) return std::nullopt;
  return *day * kUsPerDay + h * kUsPerHour + (m * 60 + sec) * kUsPerSecond;
}

Result<TimeUs> WindowEdge(std::string_view option, std::string_view text, TimeUs now, bool end) {
  if (auto d = RelativeDuration(text)) return now - *d;
  if (auto t = Instant(text)) return *t;
  auto day = ParseDayArg(text, now);
  if (!day.ok()) {
    return Status::InvalidArgument(std::string(option) + ": '" + std::string(text) +
                                   "' is not a time (expected YYYY-MM-DD, today, yesterday, "
                                   "'YYYY-MM-DD HH:MM:SS', Nh or Nd)");
  }
  return (*day + (end ? 1 : 0)) * kUsPerDay;
}

}  // namespace

// ------------------------------------------------------------------ ports

Result<Table> PortsReport(const query::Backend& backend, const PortsOptions& o) {
  Table out;
  out.columns = {{"rank", CellType::kInt},       {"port", CellType::kInt},
                 {"proto", CellType::kString},   {"service", CellType::kString},
                 {o.count == CountUnit::kAttempts ? "attempts" : "records", CellType::kInt},
                 {"sources", CellType::kInt},
                 {"targets", CellType::kInt},    {"prev_rank", CellType::kInt},
                 {"change", CellType::kString}};
  std::optional<int64_t> day = o.day;
  if (!day) {
    PS_ASSIGN_OR_RETURN(day, LatestDay(backend));
    if (!day) return out;
  }
  Query today = RankingQuery(*day, o.filter, o.count);
  if (o.top > 0) today.limit = o.top;
  PS_ASSIGN_OR_RETURN(Table now_t, backend.Execute(today));
  // The previous day is ranked in full: a port in today's top 10 may have
  // been #500 yesterday ("lost in the noise").
  PS_ASSIGN_OR_RETURN(Table prev_t, backend.Execute(RankingQuery(*day - 1, o.filter, o.count)));
  const bool compare = !prev_t.rows.empty();
  absl::flat_hash_map<std::pair<std::string, int64_t>, int64_t> prev_rank;
  for (size_t i = 0; i < prev_t.rows.size(); ++i) {
    const auto& r = prev_t.rows[i];
    prev_rank[{std::get<std::string>(r[0]), IntAt(r, 1)}] = static_cast<int64_t>(i + 1);
  }
  for (size_t i = 0; i < now_t.rows.size(); ++i) {
    const auto& r = now_t.rows[i];
    const std::string& proto = std::get<std::string>(r[0]);
    int64_t port = IntAt(r, 1);
    int64_t rank = static_cast<int64_t>(i + 1);
    std::optional<uint8_t> proto_num = ParseProto(proto);
    std::string_view service =
        proto_num ? ServiceName(*proto_num, static_cast<uint16_t>(port)) : std::string_view();
    std::optional<int64_t> prev;
    if (auto it = prev_rank.find({proto, port}); it != prev_rank.end()) prev = it->second;
    // Cells are filled in place: GCC 12 -O2 misreads `cond ? Cell{..} : Cell{}`
    // temporaries of this variant as maybe-uninitialized strings.
    std::vector<Cell> row(9);
    row[0] = rank;
    row[1] = port;
    row[2] = proto;
    if (!service.empty()) row[3] = std::string(service);
    row[4] = r[2];
    row[5] = r[3];
    row[6] = r[4];
    if (prev) row[7] = *prev;
    if (compare) row[8] = ChangeText(rank, prev, o.jump_top);
    out.rows.push_back(std::move(row));
  }
  return out;
}

// ---------------------------------------------------------------- sources

Result<Table> SourcesReport(const query::Backend& backend, const SourcesOptions& o) {
  Table out;
  out.columns = {{"count", CellType::kInt},
                 {"percent", CellType::kFloat, Privacy::kPublic, 2},
                 {"ip", CellType::kIp},
                 {"first_seen", CellType::kTime},
                 {"last_seen", CellType::kTime}};
  std::optional<int64_t> day = o.day;
  if (!day) {
    PS_ASSIGN_OR_RETURN(day, LatestDay(backend));
    if (!day) return out;
  }
  Expr proto = o.proto ? Expr::Proto(*o.proto)
                       : Expr::Or({Expr::Proto(kProtoTcp), Expr::Proto(kProtoUdp)});
  Expr filter = Expr::And({proto, Expr::Ports(query::Side::kDst, {{o.port, o.port}}), o.filter});

  Query total;
  total.time = TimeRange::Day(*day);
  total.filter = filter;
  total.aggregates = {CountAgg(o.count)};
  PS_ASSIGN_OR_RETURN(Table total_t, backend.Execute(total));
  const int64_t all = total_t.rows.empty() ? 0 : IntAt(total_t.rows[0], 0);
  if (all == 0) return out;

  Query q;
  q.time = TimeRange::Day(*day);
  q.filter = filter;
  q.group_by = {GroupKey::kSrc};
  q.aggregates = {CountAgg(o.count), Agg::kFirstSeen, Agg::kLastSeen};
  q.order_by = {{1, true}};
  if (o.top > 0) q.limit = o.top;
  PS_ASSIGN_OR_RETURN(Table t, backend.Execute(q));
  for (const auto& r : t.rows) {
    int64_t count = IntAt(r, 1);
    out.rows.push_back({count, 100.0 * static_cast<double>(count) / static_cast<double>(all), r[0],
                        r[2], r[3]});
  }
  return out;
}

// ------------------------------------------------------------------- feed

Result<Table> Feed(const query::Backend& backend, const FeedOptions& o) {
  Table out;
  out.columns = {{"ip", CellType::kIp},
                 {"first_seen", CellType::kTime},
                 {"last_seen", CellType::kTime},
                 {"packets", CellType::kInt},
                 {"date", CellType::kDay}};
  Query q;
  q.time = o.time;
  q.filter = o.filter;
  q.group_by = {GroupKey::kSrc, GroupKey::kDay};
  q.aggregates = {Agg::kFirstSeen, Agg::kLastSeen, Agg::kPackets};
  // No order terms: the IR orders by the keys, i.e. ip then day.
  PS_ASSIGN_OR_RETURN(Table t, backend.Execute(q));
  out.rows.reserve(t.rows.size());
  for (auto& r : t.rows) {
    out.rows.push_back({std::move(r[0]), std::move(r[2]), std::move(r[3]), std::move(r[4]),
                        std::move(r[1])});
  }
  return out;
}

Result<TimeRange> ParseTimeWindow(std::string_view since, std::string_view until, TimeUs now) {
  TimeRange r;
  if (since.empty()) {
    r.from = (DayOf(now) - 1) * kUsPerDay;
  } else {
    PS_ASSIGN_OR_RETURN(r.from, WindowEdge("--since", since, now, /*end=*/false));
  }
  if (!until.empty()) {
    PS_ASSIGN_OR_RETURN(r.until, WindowEdge("--until", until, now, /*end=*/true));
  }
  if (r.until <= r.from) {
    return Status::InvalidArgument("--until " + std::string(until) + " is not after --since " +
                                   std::string(since.empty() ? "yesterday" : since));
  }
  return r;
}

}  // namespace portstorm::report
