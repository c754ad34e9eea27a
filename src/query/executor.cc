// The embedded executor: an index plan and a scan plan that both reduce to
// a vector of (keys, aggregates) rows, then one shared finish step (order,
// limit, typed cells) so the two plans cannot drift apart in presentation.
#include "query/executor.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>

namespace portstorm::query {
namespace {

uint32_t Bit(GroupKey k) { return 1u << static_cast<unsigned>(k); }

// A group's key tuple; fields of keys not grouped on stay zero.
struct Keys {
  IpAddr src, dst, dst_net;
  int64_t day = 0, hour = 0;
  uint32_t sensor = 0;
  uint16_t sport = 0, dport = 0;
  uint8_t proto = 0;
  friend bool operator==(const Keys&, const Keys&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Keys& k) {
    return H::combine(std::move(h), k.src, k.dst, k.dst_net, k.day, k.hour, k.sensor, k.sport,
                      k.dport, k.proto);
  }
};

struct Aggs {
  uint64_t records = 0, packets = 0, sources = 0, targets = 0, sensors = 0, attempts = 0;
  TimeUs first = 0, last = 0;  // meaningful when records > 0

  void AddTimes(uint64_t n, uint64_t p, TimeUs f, TimeUs l) {
    if (records == 0 || f < first) first = f;
    if (records == 0 || l > last) last = l;
    records += n;
    packets += p;
  }
};

struct Row {
  Keys k;
  Aggs a;
};

IpAddr DstNet(const IpAddr& a) {
  if (a.is_v4()) return IpAddr::V4(a.v4() & 0xffffff00u);
  auto b = a.bytes();
  std::fill(b.begin() + 8, b.end(), 0);
  return IpAddr::V6(b.data());
}

Keys MakeKeys(const Event& e, uint32_t mask) {
  Keys k;
  if (mask & Bit(GroupKey::kSrc)) k.src = e.src;
  if (mask & Bit(GroupKey::kDst)) k.dst = e.dst;
  if (mask & Bit(GroupKey::kDstNet)) k.dst_net = DstNet(e.dst);
  if (mask & Bit(GroupKey::kProto)) k.proto = e.proto;
  if (mask & Bit(GroupKey::kSport)) k.sport = e.sport;
  if (mask & Bit(GroupKey::kDport)) k.dport = e.dport;
  if (mask & Bit(GroupKey::kSensor)) k.sensor = e.sensor;
  if (mask & Bit(GroupKey::kDay)) k.day = DayOf(e.time);
  if (mask & Bit(GroupKey::kHour)) k.hour = HourOf(e.time);
  return k;
}

uint32_t KeyMask(const Query& q) {
  uint32_t m = 0;
  for (GroupKey k : q.group_by) m |= Bit(k);
  return m;
}

bool Wants(const Query& q, Agg a) { return q.AggIndex(a).has_value(); }

// True when `e` tests only proto and the target port, so it can be decided
// from a day-index key (proto, dport) alone.
bool IndexFilter(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kTrue:
    case Expr::Kind::kProto:
      return true;
    case Expr::Kind::kPort:
      return e.side == Side::kDst;
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr:
    case Expr::Kind::kNot:
      return std::all_of(e.children.begin(), e.children.end(), IndexFilter);
    case Expr::Kind::kNet:
    case Expr::Kind::kFlags:
    case Expr::Kind::kSensor:
      return false;
  }
  return false;
}

bool DayAligned(TimeUs t) { return t == INT64_MIN || t == INT64_MAX || t % kUsPerDay == 0; }

// ---------------------------------------------------------------- index plan

// Reads day summaries (counts and set cardinalities, no sets). A group fed
// by one index entry — every group, when the keys are (proto, dport) and the
// range is one day or days are a key — takes that entry's cardinalities.
// Only when a group merges several entries and distinct counts are asked
// for are the full indexes of the days involved read, for set unions.
Result<std::vector<Row>> RunIndex(const Query& q, const store::Reader& reader, ExecStats* stats) {
  PS_ASSIGN_OR_RETURN(Filter filter, Filter::Compile(q.filter, &reader));
  const bool by_day = q.KeyIndex(GroupKey::kDay).has_value();
  const bool by_proto = q.KeyIndex(GroupKey::kProto).has_value();
  const bool by_port = q.KeyIndex(GroupKey::kDport).has_value();
  const bool need_sets = Wants(q, Agg::kDistinctSources) || Wants(q, Agg::kDistinctTargets);

  std::vector<int64_t> days;
  for (int64_t d : reader.Days()) {
    if (q.time.from != INT64_MIN && d * kUsPerDay < q.time.from) continue;
    if (q.time.until != INT64_MAX && (d + 1) * kUsPerDay > q.time.until) continue;
    days.push_back(d);
  }
  // Provably one entry per group: no lookups, no bookkeeping for unions.
  const bool one_per_entry = by_proto && by_port && (by_day || days.size() <= 1);
  auto matches = [&](store::PortKey k) {
    if (filter.matches_all()) return true;
    Event probe;
    probe.proto = k.proto;
    probe.dport = k.port;
    return filter.Matches(probe);
  };
  // Group id of a key; ungrouped parts zeroed. Packed: day, proto << 16 | port.
  auto group_key = [&](int64_t day, store::PortKey k) {
    return std::pair<int64_t, uint32_t>{by_day ? day : 0, (by_proto ? uint32_t{k.proto} << 16 : 0) |
                                                              (by_port ? k.port : 0)};
  };

  struct Group {
    Row row;
    uint32_t entries = 0;
  };
  std::vector<Group> groups;
  absl::flat_hash_map<std::pair<int64_t, uint32_t>, uint32_t> ids;
  std::vector<std::vector<uint32_t>> day_groups(days.size());  // groups each day fed
  bool merged = false;
  for (size_t i = 0; i < days.size(); ++i) {
    PS_ASSIGN_OR_RETURN(store::DaySummary summary, reader.ReadDaySummary(days[i]));
    if (stats) ++stats->days_indexed;
    if (one_per_entry) groups.reserve(groups.size() + summary.ports.size());
    for (const store::PortSummary& e : summary.ports) {
      if (e.records == 0 || !matches(e.key)) continue;
      uint32_t id = static_cast<uint32_t>(groups.size());
      if (!one_per_entry) {
        auto [it, inserted] = ids.try_emplace(group_key(days[i], e.key), id);
        id = it->second;
        if (need_sets) day_groups[i].push_back(id);
      }
      if (id == groups.size()) {
        Keys& k = groups.emplace_back().row.k;
        if (by_day) k.day = days[i];
        if (by_proto) k.proto = e.key.proto;
        if (by_port) k.dport = e.key.port;
      }
      Group& g = groups[id];
      g.row.a.AddTimes(e.records, e.packets, e.first_seen, e.last_seen);
      if (++g.entries == 1) {
        g.row.a.sources = e.sources;
        g.row.a.targets = e.targets;
      } else {
        merged = true;
      }
    }
  }

  if (need_sets && merged) {
    struct Sets {
      store::AddrSet sources, targets;
    };
    absl::flat_hash_map<uint32_t, Sets> unions;  // by group id, for merged groups only
    for (size_t i = 0; i < days.size(); ++i) {
      const auto& fed = day_groups[i];
      if (std::none_of(fed.begin(), fed.end(), [&](uint32_t id) { return groups[id].entries > 1; })) {
        continue;
      }
      PS_ASSIGN_OR_RETURN(store::DayIndex index, reader.ReadDayIndex(days[i]));
      if (stats) ++stats->day_sets_read;
      for (const auto& [pk, st] : index.ports()) {
        if (st.records == 0 || !matches(pk)) continue;
        auto it = ids.find(group_key(days[i], pk));
        // Absent only if a writer replaced the index between the two reads.
        if (it == ids.end() || groups[it->second].entries < 2) continue;
        Sets& u = unions[it->second];
        u.sources.UnionWith(st.sources);
        u.targets.UnionWith(st.targets);
      }
    }
    for (auto& [id, u] : unions) {
      groups[id].row.a.sources = u.sources.size();
      groups[id].row.a.targets = u.targets.size();
    }
  }
  std::vector<Row> rows;
  rows.reserve(groups.size());
  for (Group& g : groups) rows.push_back(g.row);
  return rows;
}

// ---------------------------------------------------------------- scan plan

Result<std::vector<Row>> RunScan(const Query& q, const store::Reader& reader, ExecStats* stats) {
  PS_ASSIGN_OR_RETURN(Filter filter, Filter::Compile(q.filter, &reader));
  const uint32_t key_mask = KeyMask(q);
  const bool need_src = Wants(q, Agg::kDistinctSources);
  const bool need_dst = Wants(q, Agg::kDistinctTargets);
  const bool need_sensors = Wants(q, Agg::kDistinctSensors);

  struct State {
    Aggs a;
    absl::flat_hash_set<IpAddr> srcs, dsts;
    absl::flat_hash_set<uint32_t> sensors;
  };
  absl::flat_hash_map<Keys, State> groups;
  uint64_t scanned = 0;
  store::ScanOptions so;
  so.from = q.time.from;
  so.until = q.time.until;
  so.columns = EmbeddedBackend::ScanColumns(q);
  Status st = reader.Scan(so, [&](std::span<const Event> batch) -> Status {
    scanned += batch.size();
    for (const Event& e : batch) {
      if (!filter.Matches(e)) continue;
      State& s = groups[MakeKeys(e, key_mask)];
      s.a.AddTimes(1, e.count, e.time, e.time);
      s.a.attempts += (e.marks & mark::kRetransmission) == 0;
      if (need_src) s.srcs.insert(e.src);
      if (need_dst) s.dsts.insert(e.dst);
      if (need_sensors) s.sensors.insert(e.sensor);
    }
    return Status::Ok();
  });
  if (stats) stats->events_scanned += scanned;
  PS_RETURN_IF_ERROR(st);
  std::vector<Row> rows;
  rows.reserve(groups.size());
  for (auto& [k, s] : groups) {
    s.a.sources = s.srcs.size();
    s.a.targets = s.dsts.size();
    s.a.sensors = s.sensors.size();
    rows.push_back(Row{k, s.a});
  }
  return rows;
}

// ---------------------------------------------------------------- finish

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

class RowOrder {
 public:
  RowOrder(const Query& q, const absl::flat_hash_map<uint32_t, std::string>& names)
      : q_(q), names_(names) {
    for (const OrderTerm& o : q.order_by) terms_.push_back(o);
    for (size_t i = 0; i < q.group_by.size(); ++i) terms_.push_back(OrderTerm{i, false});
  }
  bool operator()(const Row& a, const Row& b) const {
    for (const OrderTerm& t : terms_) {
      int c = Compare(a, b, t.column);
      if (c != 0) return t.descending ? c > 0 : c < 0;
    }
    return false;
  }

 private:
  int Compare(const Row& a, const Row& b, size_t column) const {
    if (column < q_.group_by.size()) {
      switch (q_.group_by[column]) {
        case GroupKey::kSrc: return Cmp(a.k.src, b.k.src);
        case GroupKey::kDst: return Cmp(a.k.dst, b.k.dst);
        case GroupKey::kDstNet: return Cmp(a.k.dst_net, b.k.dst_net);
        case GroupKey::kProto: return Cmp(a.k.proto, b.k.proto);
        case GroupKey::kSport: return Cmp(a.k.sport, b.k.sport);
        case GroupKey::kDport: return Cmp(a.k.dport, b.k.dport);
        case GroupKey::kDay: return Cmp(a.k.day, b.k.day);
        case GroupKey::kHour: return Cmp(a.k.hour, b.k.hour);
        case GroupKey::kSensor: {
          // By name, as a SQL backend sees them; ids break ties of unnamed sensors.
          int c = Cmp(names_.at(a.k.sensor), names_.at(b.k.sensor));
          return c != 0 ? c : Cmp(a.k.sensor, b.k.sensor);
        }
      }
      return 0;
    }
    switch (q_.aggregates[column - q_.group_by.size()]) {
      case Agg::kRecords: return Cmp(a.a.records, b.a.records);
      case Agg::kPackets: return Cmp(a.a.packets, b.a.packets);
      case Agg::kAttempts: return Cmp(a.a.attempts, b.a.attempts);
      case Agg::kDistinctSources: return Cmp(a.a.sources, b.a.sources);
      case Agg::kDistinctTargets: return Cmp(a.a.targets, b.a.targets);
      case Agg::kDistinctSensors: return Cmp(a.a.sensors, b.a.sensors);
      case Agg::kFirstSeen:
        if ((a.a.records == 0) != (b.a.records == 0)) return a.a.records == 0 ? -1 : 1;
        return Cmp(a.a.first, b.a.first);
      case Agg::kLastSeen:
        if ((a.a.records == 0) != (b.a.records == 0)) return a.a.records == 0 ? -1 : 1;
        return Cmp(a.a.last, b.a.last);
    }
    return 0;
  }

  const Query& q_;
  const absl::flat_hash_map<uint32_t, std::string>& names_;
  std::vector<OrderTerm> terms_;
};

Table Finish(const Query& q, std::vector<Row> rows, const store::Reader& reader) {
  if (q.group_by.empty() && rows.empty()) rows.push_back(Row{});
  absl::flat_hash_map<uint32_t, std::string> names;
  if (q.KeyIndex(GroupKey::kSensor)) {
    for (const Row& r : rows) {
      if (!names.contains(r.k.sensor)) names[r.k.sensor] = reader.SensorName(r.k.sensor);
    }
  }
  RowOrder order(q, names);
  if (q.limit && *q.limit < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(*q.limit), rows.end(),
                      order);
    rows.resize(*q.limit);
  } else {
    std::sort(rows.begin(), rows.end(), order);
  }

  Table t;
  t.columns = OutputColumns(q);
  t.rows.reserve(rows.size());
  for (const Row& r : rows) {
    std::vector<Cell> cells;
    cells.reserve(q.num_columns());
    for (GroupKey k : q.group_by) {
      switch (k) {
        case GroupKey::kSrc: cells.emplace_back(r.k.src); break;
        case GroupKey::kDst: cells.emplace_back(r.k.dst); break;
        case GroupKey::kDstNet: cells.emplace_back(r.k.dst_net); break;
        case GroupKey::kProto: cells.emplace_back(ProtoName(r.k.proto)); break;
        case GroupKey::kSport: cells.emplace_back(int64_t{r.k.sport}); break;
        case GroupKey::kDport: cells.emplace_back(int64_t{r.k.dport}); break;
        case GroupKey::kSensor: {
          const std::string& n = names.at(r.k.sensor);
          if (n.empty()) {
            cells.emplace_back(std::monostate{});
          } else {
            cells.emplace_back(n);
          }
          break;
        }
        case GroupKey::kDay: cells.emplace_back(r.k.day); break;
        case GroupKey::kHour: cells.emplace_back(r.k.hour * kUsPerHour); break;
      }
    }
    for (Agg a : q.aggregates) {
      auto count = [](uint64_t v) { return Cell{static_cast<int64_t>(v)}; };
      switch (a) {
        case Agg::kRecords: cells.push_back(count(r.a.records)); break;
        case Agg::kPackets: cells.push_back(count(r.a.packets)); break;
        case Agg::kAttempts: cells.push_back(count(r.a.attempts)); break;
        case Agg::kDistinctSources: cells.push_back(count(r.a.sources)); break;
        case Agg::kDistinctTargets: cells.push_back(count(r.a.targets)); break;
        case Agg::kDistinctSensors: cells.push_back(count(r.a.sensors)); break;
        case Agg::kFirstSeen:
          cells.push_back(r.a.records == 0 ? Cell{} : Cell{int64_t{r.a.first}});
          break;
        case Agg::kLastSeen:
          cells.push_back(r.a.records == 0 ? Cell{} : Cell{int64_t{r.a.last}});
          break;
      }
    }
    t.rows.push_back(std::move(cells));
  }
  return t;
}

}  // namespace

bool EmbeddedBackend::IndexCanAnswer(const Query& q) {
  for (GroupKey k : q.group_by) {
    if (k != GroupKey::kDay && k != GroupKey::kProto && k != GroupKey::kDport) return false;
  }
  for (Agg a : q.aggregates) {
    // Day indexes count records, not attempts.
    if (a == Agg::kDistinctSensors || a == Agg::kAttempts) return false;
  }
  return IndexFilter(q.filter) && DayAligned(q.time.from) && DayAligned(q.time.until);
}

uint32_t EmbeddedBackend::ScanColumns(const Query& q) {
  namespace col = store::col;
  uint32_t m = FilterColumns(q.filter);
  for (GroupKey k : q.group_by) {
    switch (k) {
      case GroupKey::kSrc: m |= col::kSrc; break;
      case GroupKey::kDst:
      case GroupKey::kDstNet: m |= col::kDst; break;
      case GroupKey::kProto: m |= col::kProto; break;
      case GroupKey::kSport:
      case GroupKey::kDport: m |= col::kPorts; break;
      case GroupKey::kSensor: m |= col::kSensor; break;
      case GroupKey::kDay:
      case GroupKey::kHour: m |= col::kTime; break;
    }
  }
  for (Agg a : q.aggregates) {
    switch (a) {
      case Agg::kRecords: break;
      case Agg::kPackets: m |= col::kCount; break;
      case Agg::kAttempts: m |= col::kFlags; break;  // marks ride in the flags group
      case Agg::kDistinctSources: m |= col::kSrc; break;
      case Agg::kDistinctTargets: m |= col::kDst; break;
      case Agg::kDistinctSensors: m |= col::kSensor; break;
      case Agg::kFirstSeen:
      case Agg::kLastSeen: m |= col::kTime; break;
    }
  }
  return m;
}

Result<Table> EmbeddedBackend::Execute(const Query& query) const {
  return Execute(query, nullptr);
}

Result<Table> EmbeddedBackend::Execute(const Query& q, ExecStats* stats) const {
  PS_RETURN_IF_ERROR(Validate(q));
  Plan plan = options_.force;
  if (plan == Plan::kAuto) plan = IndexCanAnswer(q) ? Plan::kIndex : Plan::kScan;
  if (plan == Plan::kIndex && !IndexCanAnswer(q)) {
    return Status::InvalidArgument("query cannot be answered from day indexes: " + Describe(q));
  }
  if (stats) stats->plan = plan;
  PS_ASSIGN_OR_RETURN(std::vector<Row> rows, plan == Plan::kIndex ? RunIndex(q, reader_, stats)
                                                                  : RunScan(q, reader_, stats));
  return Finish(q, std::move(rows), reader_);
}

}  // namespace portstorm::query
