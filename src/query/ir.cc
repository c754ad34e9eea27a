#include "query/ir.h"

#include <algorithm>

namespace portstorm::query {

std::optional<size_t> Query::AggIndex(Agg a) const {
  auto it = std::find(aggregates.begin(), aggregates.end(), a);
  if (it == aggregates.end()) return std::nullopt;
  return group_by.size() + static_cast<size_t>(it - aggregates.begin());
}

std::optional<size_t> Query::KeyIndex(GroupKey k) const {
  auto it = std::find(group_by.begin(), group_by.end(), k);
  if (it == group_by.end()) return std::nullopt;
  return static_cast<size_t>(it - group_by.begin());
}

Column KeyColumn(GroupKey k) {
  switch (k) {
    case GroupKey::kSrc: return {"src", CellType::kIp};
    case GroupKey::kDst: return {"dst", CellType::kIp, Privacy::kTargetAddress};
    case GroupKey::kDstNet: return {"dst_net", CellType::kIp, Privacy::kTargetAddress};
    case GroupKey::kProto: return {"proto", CellType::kString};
    case GroupKey::kSport: return {"sport", CellType::kInt};
    case GroupKey::kDport: return {"dport", CellType::kInt};
    case GroupKey::kSensor: return {"sensor", CellType::kString, Privacy::kSensor};
    case GroupKey::kDay: return {"day", CellType::kDay};
    case GroupKey::kHour: return {"hour", CellType::kTime};
  }
  return {"?", CellType::kInt};
}

Column AggColumn(Agg a) {
  switch (a) {
    case Agg::kRecords: return {"records", CellType::kInt};
    case Agg::kPackets: return {"packets", CellType::kInt};
    case Agg::kAttempts: return {"attempts", CellType::kInt};
    case Agg::kDistinctSources: return {"sources", CellType::kInt};
    case Agg::kDistinctTargets: return {"targets", CellType::kInt};
    case Agg::kDistinctSensors: return {"sensors", CellType::kInt};
    case Agg::kFirstSeen: return {"first_seen", CellType::kTime};
    case Agg::kLastSeen: return {"last_seen", CellType::kTime};
  }
  return {"?", CellType::kInt};
}

std::vector<Column> OutputColumns(const Query& q) {
  std::vector<Column> cols;
  for (GroupKey k : q.group_by) cols.push_back(KeyColumn(k));
  for (Agg a : q.aggregates) cols.push_back(AggColumn(a));
  return cols;
}

Status Validate(const Query& q) {
  for (size_t i = 0; i < q.group_by.size(); ++i) {
    for (size_t j = i + 1; j < q.group_by.size(); ++j) {
      if (q.group_by[i] == q.group_by[j]) {
        return Status::InvalidArgument("query: group key '" + KeyColumn(q.group_by[i]).name +
                                       "' given twice");
      }
    }
  }
  for (size_t i = 0; i < q.aggregates.size(); ++i) {
    for (size_t j = i + 1; j < q.aggregates.size(); ++j) {
      if (q.aggregates[i] == q.aggregates[j]) {
        return Status::InvalidArgument("query: aggregate '" + AggColumn(q.aggregates[i]).name +
                                       "' given twice");
      }
    }
  }
  for (const OrderTerm& o : q.order_by) {
    if (o.column >= q.num_columns()) {
      return Status::InvalidArgument("query: order column " + std::to_string(o.column) +
                                     " out of range (" + std::to_string(q.num_columns()) +
                                     " columns)");
    }
  }
  if (q.time.from > q.time.until) return Status::InvalidArgument("query: time range ends before it starts");
  return Status::Ok();
}

std::string Describe(const Query& q) {
  std::string s;
  auto list = [&](const char* head, const auto& items, auto name) {
    if (items.empty()) return;
    if (!s.empty()) s += ' ';
    s += head;
    for (size_t i = 0; i < items.size(); ++i) {
      s += i ? ',' : ' ';
      s += name(items[i]);
    }
  };
  list("group by", q.group_by, [](GroupKey k) { return KeyColumn(k).name; });
  list("agg", q.aggregates, [](Agg a) { return AggColumn(a).name; });
  // Appends piecewise: gcc 12 warns (-Wrestrict, a false positive) on
  // "literal" + std::string temporaries at -O2.
  auto add = [&](std::string_view word, const std::string& value) {
    if (!s.empty()) s += ' ';
    s += word;
    s += ' ';
    s += value;
  };
  if (q.filter.kind != Expr::Kind::kTrue) add("where", q.filter.ToString());
  if (q.time.from != INT64_MIN) add("from", FormatTime(q.time.from));
  if (q.time.until != INT64_MAX) add("until", FormatTime(q.time.until));
  list("order by", q.order_by, [](const OrderTerm& o) {
    return std::to_string(o.column) + (o.descending ? " desc" : "");
  });
  if (q.limit) add("limit", std::to_string(*q.limit));
  return s;
}

}  // namespace portstorm::query
