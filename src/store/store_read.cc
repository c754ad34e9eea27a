// Store: the read side (Reader interface) and Verify.
//
// Reads see the committed manifest plus, on a writable store, the events
// appended since the last flush (the memtable), so a process reads what it
// has written. Nothing here mutates the Store, so const calls may run
// concurrently (but not concurrently with writes).
#include <algorithm>
#include <map>
#include <numeric>

#include "core/time.h"
#include "store/segment.h"
#include "store/store_impl.h"

namespace portstorm::store {

using detail::PartMeta;

namespace detail {
void MaskEvent(Event* e, uint32_t c) {
  if (c == col::kAll) return;
  if (!(c & col::kTime)) e->time = 0;
  if (!(c & col::kSrc)) e->src = IpAddr();
  if (!(c & col::kDst)) e->dst = IpAddr();
  if (!(c & col::kPorts)) e->sport = e->dport = 0;
  if (!(c & col::kProto)) e->proto = 0;
  if (!(c & col::kFlags)) {
    e->tcp_flags = 0;
    e->action = Action::kUnknown;
    e->marks = 0;
    std::fill(std::begin(e->reserved), std::end(e->reserved), 0);
  }
  if (!(c & col::kCount)) e->count = 0;
  if (!(c & col::kSensor)) e->sensor = 0;
  if (!(c & col::kOrigin)) e->origin = e->line = 0;
  if (!(c & col::kIpHeader)) e->ttl = 0, e->ip_len = 0, e->ip_id = 0, e->ip_flags = 0;
  if (!(c & col::kTcpHeader)) {
    e->seq = 0, e->window = 0, e->mss = 0, e->wscale = 0, e->tcp_opts = 0;
  }
  if (!(c & col::kPayload)) {
    e->payload_len = 0;
    std::fill(std::begin(e->payload), std::end(e->payload), 0);
  }
}
}  // namespace detail

std::vector<int64_t> Store::Days() const {
  std::vector<int64_t> days;
  for (const auto& d : impl_->manifest.indexes) {
    if (d.records > 0) days.push_back(d.day);
  }
  for (const Event& e : impl_->mem) days.push_back(DayOf(e.time));
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

Status Store::Scan(const ScanOptions& options,
                   const std::function<Status(std::span<const Event>)>& fn) const {
  const Impl& m = *impl_;
  if (options.from >= options.until) return Status::Ok();
  std::map<int64_t, std::vector<const PartMeta*>> parts;
  for (const PartMeta& p : m.manifest.parts) {
    if (p.max_time >= options.from && p.min_time < options.until) parts[p.hour].push_back(&p);
  }
  // Unflushed events, in the order a flush would write them.
  std::vector<uint32_t> mem;
  for (uint32_t i = 0; i < m.mem.size(); ++i) {
    TimeUs t = m.mem[i].time;
    if (t >= options.from && t < options.until) mem.push_back(i);
  }
  std::stable_sort(mem.begin(), mem.end(),
                   [&](uint32_t a, uint32_t b) { return m.mem[a].time < m.mem[b].time; });
  for (uint32_t i : mem) parts[HourOf(m.mem[i].time)];  // make the hour visited

  std::vector<Event> rows;
  size_t mem_pos = 0;
  for (const auto& [hour, list] : parts) {
    for (const PartMeta* p : list) {
      std::string path = m.Path(detail::PartPath(*p));
      PS_ASSIGN_OR_RETURN(auto reader, detail::SegmentReader::Open(m.fs, path));
      for (size_t g = 0; g < reader->groups().size(); ++g) {
        const detail::GroupInfo& gi = reader->groups()[g];
        if (gi.max_time < options.from || gi.min_time >= options.until) continue;
        bool partial = gi.min_time < options.from || gi.max_time >= options.until;
        PS_RETURN_IF_ERROR(
            reader->ReadGroup(g, options.columns | (partial ? col::kTime : 0), &rows));
        if (partial) {
          auto end = std::remove_if(rows.begin(), rows.end(), [&](const Event& e) {
            return e.time < options.from || e.time >= options.until;
          });
          rows.erase(end, rows.end());
          if (!(options.columns & col::kTime)) {
            for (Event& e : rows) e.time = 0;
          }
        }
        if (!rows.empty()) PS_RETURN_IF_ERROR(fn(rows));
      }
    }
    rows.clear();
    while (mem_pos < mem.size() && HourOf(m.mem[mem[mem_pos]].time) == hour) {
      rows.push_back(m.mem[mem[mem_pos++]]);
      detail::MaskEvent(&rows.back(), options.columns);
      if (rows.size() == detail::kRowsPerGroup) {
        PS_RETURN_IF_ERROR(fn(rows));
        rows.clear();
      }
    }
    if (!rows.empty()) PS_RETURN_IF_ERROR(fn(rows));
  }
  return Status::Ok();
}

Result<DayIndex> Store::Impl::CommittedDayIndex(int64_t day) const {
  auto it = std::find_if(manifest.indexes.begin(), manifest.indexes.end(),
                         [&](const detail::DayIndexMeta& d) { return d.day == day; });
  if (it == manifest.indexes.end()) return DayIndex(day);
  std::string path = Path(detail::IndexPath(day, it->gen)), bytes;
  PS_RETURN_IF_ERROR(fs->ReadFile(path, &bytes));
  return detail::DecodeIndexFile(bytes, path);
}

Result<DayIndex> Store::ReadDayIndex(int64_t day) const {
  PS_ASSIGN_OR_RETURN(DayIndex index, impl_->CommittedDayIndex(day));
  bool touched = false;
  for (const Event& e : impl_->mem) {
    if (DayOf(e.time) == day) index.Add(e), touched = true;
  }
  if (touched) index.Optimize();
  return index;
}

Result<DaySummary> Store::ReadDaySummary(int64_t day) const {
  const Impl& m = *impl_;
  // Unflushed events of the day change the sets: merge them the slow way.
  for (const Event& e : m.mem) {
    if (DayOf(e.time) == day) {
      PS_ASSIGN_OR_RETURN(DayIndex index, ReadDayIndex(day));
      return index.Summary();
    }
  }
  auto it = std::find_if(m.manifest.indexes.begin(), m.manifest.indexes.end(),
                         [&](const detail::DayIndexMeta& d) { return d.day == day; });
  if (it == m.manifest.indexes.end()) return DaySummary{day, {}};
  std::string path = m.Path(detail::IndexPath(day, it->gen)), bytes;
  PS_RETURN_IF_ERROR(m.fs->ReadFile(path, &bytes));
  return detail::DecodeIndexSummary(bytes, path);
}

std::string Store::SensorName(uint32_t id) const {
  const auto& s = impl_->sensors;
  return id >= 1 && id <= s.size() ? s[id - 1] : std::string();
}

std::optional<uint32_t> Store::FindSensor(std::string_view name) const {
  auto it = impl_->sensor_ids.find(std::string(name));
  if (it == impl_->sensor_ids.end()) return std::nullopt;
  return it->second;
}

uint64_t Store::total_records() const {
  uint64_t n = impl_->mem.size();
  for (const PartMeta& p : impl_->manifest.parts) n += p.rows;
  return n;
}

Result<VerifyReport> Store::Verify() const {
  const Impl& m = *impl_;
  VerifyReport report;
  std::map<int64_t, uint64_t> day_rows;
  for (const PartMeta& p : m.manifest.parts) {
    std::string rel = detail::PartPath(p);
    auto reader = detail::SegmentReader::Open(m.fs, m.Path(rel));
    if (!reader.ok()) {
      report.problems.push_back(reader.status().ToString());
      continue;
    }
    ++report.segments;
    Status s = (*reader)->VerifyAll(&report.blocks);
    if (!s.ok()) {
      report.problems.push_back(s.ToString());
      continue;
    }
    uint64_t rows = (*reader)->rows();
    if (rows != p.rows || (*reader)->hour() != p.hour) {
      report.problems.push_back("segment " + rel + ": holds " + std::to_string(rows) +
                                " rows of hour " + std::to_string((*reader)->hour()) +
                                ", manifest says " + std::to_string(p.rows) + " of hour " +
                                std::to_string(p.hour));
    }
    report.records += rows;
    day_rows[p.hour >= 0 ? p.hour / 24 : -((-p.hour - 1) / 24) - 1] += rows;
  }
  for (const detail::DayIndexMeta& d : m.manifest.indexes) {
    auto index = m.CommittedDayIndex(d.day);
    if (!index.ok()) {
      report.problems.push_back(index.status().ToString());
      continue;
    }
    ++report.indexes;
    uint64_t records = index->total_records();
    uint64_t rows = day_rows.count(d.day) ? day_rows[d.day] : 0;
    if (records != d.records || records != rows) {
      report.problems.push_back("day " + FormatDay(d.day) + ": index " +
                                detail::IndexPath(d.day, d.gen) + " counts " +
                                std::to_string(records) + " records (manifest " +
                                std::to_string(d.records) + "), segments hold " +
                                std::to_string(rows));
    }
    day_rows.erase(d.day);
  }
  for (const auto& [day, rows] : day_rows) {
    report.problems.push_back("day " + FormatDay(day) + ": " + std::to_string(rows) +
                              " records in segments but no day index");
  }
  return report;
}

}  // namespace portstorm::store
