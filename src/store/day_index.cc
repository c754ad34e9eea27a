#include "store/day_index.h"

#include <algorithm>
#include <cstring>

#include <absl/container/flat_hash_map.h>

namespace portstorm::store {

void DayIndex::Add(const Event& e) {
  PortDayStats& s = ports_[PortKey{e.proto, e.dport}];
  if (s.records == 0 || e.time < s.first_seen) s.first_seen = e.time;
  if (s.records == 0 || e.time > s.last_seen) s.last_seen = e.time;
  s.records += 1;
  s.packets += e.count;
  s.sources.Add(e.src);
  s.targets.Add(e.dst);
}

void DayIndex::AddMany(const Event* base, std::span<const uint32_t> rows) {
  struct Acc {
    uint64_t records = 0, packets = 0;
    TimeUs first = 0, last = 0;
    std::vector<IpAddr> src, dst;
  };
  absl::flat_hash_map<uint32_t, Acc> acc;  // key: proto << 16 | port
  for (uint32_t r : rows) {
    const Event& e = base[r];
    Acc& a = acc[uint32_t{e.proto} << 16 | e.dport];
    if (a.records == 0 || e.time < a.first) a.first = e.time;
    if (a.records == 0 || e.time > a.last) a.last = e.time;
    a.records += 1;
    a.packets += e.count;
    a.src.push_back(e.src);
    a.dst.push_back(e.dst);
  }
  for (auto& [key, a] : acc) {
    PortDayStats& s = ports_[PortKey{static_cast<uint8_t>(key >> 16), static_cast<uint16_t>(key)}];
    s.first_seen = s.records == 0 ? a.first : std::min(s.first_seen, a.first);
    s.last_seen = s.records == 0 ? a.last : std::max(s.last_seen, a.last);
    s.records += a.records;
    s.packets += a.packets;
    s.sources.AddMany(a.src);
    s.targets.AddMany(a.dst);
  }
}

void DayIndex::Merge(const DayIndex& other) {
  for (const auto& [k, o] : other.ports_) {
    PortDayStats& s = ports_[k];
    if (s.records == 0) {
      s = o;
      continue;
    }
    s.first_seen = std::min(s.first_seen, o.first_seen);
    s.last_seen = std::max(s.last_seen, o.last_seen);
    s.records += o.records;
    s.packets += o.packets;
    s.sources.UnionWith(o.sources);
    s.targets.UnionWith(o.targets);
  }
}

void DayIndex::Optimize() {
  for (auto& [k, s] : ports_) {
    s.sources.Optimize();
    s.targets.Optimize();
  }
}

const PortDayStats* DayIndex::Find(PortKey k) const {
  auto it = ports_.find(k);
  return it == ports_.end() ? nullptr : &it->second;
}

uint64_t DayIndex::total_records() const {
  uint64_t n = 0;
  for (const auto& [k, s] : ports_) n += s.records;
  return n;
}

DaySummary DayIndex::Summary() const {
  DaySummary d;
  d.day = day_;
  d.ports.reserve(ports_.size());
  for (const auto& [k, s] : ports_) {
    d.ports.push_back(PortSummary{k, s.records, s.packets, s.first_seen, s.last_seen,
                                  s.sources.size(), s.targets.size()});
  }
  return d;
}

namespace {
template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
bool Get(std::string_view* in, T* v) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(v, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}
template <typename T>
T Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Version 2 (docs/formats/store.md, "day index"):
//   i64 day | u32 n | u32 reserved=0 | n × entry | n × (AddrSet sources, AddrSet targets)
//   entry (56 bytes): u8 proto | u8 pad=0 | u16 port | u32 pad=0 | u64 records | u64 packets |
//                     i64 first_seen | i64 last_seen | u64 sources | u64 targets
constexpr size_t kHeaderV2 = 16, kEntryV2 = 56;

PortSummary LoadEntryV2(const char* p) {
  PortSummary e;
  e.key.proto = Load<uint8_t>(p);
  e.key.port = Load<uint16_t>(p + 2);
  e.records = Load<uint64_t>(p + 8);
  e.packets = Load<uint64_t>(p + 16);
  e.first_seen = Load<int64_t>(p + 24);
  e.last_seen = Load<int64_t>(p + 32);
  e.sources = Load<uint64_t>(p + 40);
  e.targets = Load<uint64_t>(p + 48);
  return e;
}

// Splits version-2 bytes into day, entry table and set area.
Status SplitV2(std::string_view in, int64_t* day, uint32_t* n, std::string_view* table,
               std::string_view* sets) {
  if (in.size() < kHeaderV2) return Status::Corruption("day index: truncated header");
  *day = Load<int64_t>(in.data());
  *n = Load<uint32_t>(in.data() + 8);
  in.remove_prefix(kHeaderV2);
  if (in.size() / kEntryV2 < *n) return Status::Corruption("day index: truncated entry table");
  *table = in.substr(0, size_t{*n} * kEntryV2);
  *sets = in.substr(table->size());
  return Status::Ok();
}

Status CheckOrder(uint32_t i, const PortKey& prev, const PortKey& k) {
  if (i > 0 && !(prev < k)) {
    return Status::Corruption("day index: entry " + std::to_string(i) + " out of order");
  }
  return Status::Ok();
}

Status CheckVersion(uint32_t version) {
  if (version < kDayIndexOldestVersion || version > kDayIndexVersion) {
    return Status::Unsupported("day index: version " + std::to_string(version));
  }
  return Status::Ok();
}
}  // namespace

void DayIndex::AppendTo(std::string* out) const {
  out->reserve(out->size() + kHeaderV2 + ports_.size() * (kEntryV2 + 32));
  Put<int64_t>(out, day_);
  Put<uint32_t>(out, static_cast<uint32_t>(ports_.size()));
  Put<uint32_t>(out, 0);
  for (const auto& [k, s] : ports_) {
    Put<uint8_t>(out, k.proto);
    Put<uint8_t>(out, 0);
    Put<uint16_t>(out, k.port);
    Put<uint32_t>(out, 0);
    Put<uint64_t>(out, s.records);
    Put<uint64_t>(out, s.packets);
    Put<int64_t>(out, s.first_seen);
    Put<int64_t>(out, s.last_seen);
    Put<uint64_t>(out, s.sources.size());
    Put<uint64_t>(out, s.targets.size());
  }
  for (const auto& [k, s] : ports_) {
    s.sources.AppendTo(out);
    s.targets.AppendTo(out);
  }
}

Result<DayIndex> DayIndex::ReadFrom(std::string_view in, uint32_t version) {
  PS_RETURN_IF_ERROR(CheckVersion(version));
  DayIndex d;
  if (version == 1) {
    // i64 day | u32 n | n × {u8 proto, u8 pad, u16 port, u64 records, u64 packets,
    //                        i64 first, i64 last, AddrSet src, AddrSet dst}
    uint32_t n;
    if (!Get(&in, &d.day_) || !Get(&in, &n)) {
      return Status::Corruption("day index: truncated header");
    }
    for (uint32_t i = 0; i < n; ++i) {
      PortKey k;
      uint8_t pad;
      PortDayStats s;
      if (!Get(&in, &k.proto) || !Get(&in, &pad) || !Get(&in, &k.port) ||
          !Get(&in, &s.records) || !Get(&in, &s.packets) || !Get(&in, &s.first_seen) ||
          !Get(&in, &s.last_seen)) {
        return Status::Corruption("day index: truncated entry " + std::to_string(i));
      }
      PS_ASSIGN_OR_RETURN(s.sources, AddrSet::ReadFrom(&in));
      PS_ASSIGN_OR_RETURN(s.targets, AddrSet::ReadFrom(&in));
      // Version 1 did not require sorted entries (the writer sorted them);
      // the hint makes the sorted case cheap.
      size_t before = d.ports_.size();
      d.ports_.emplace_hint(d.ports_.end(), k, std::move(s));
      if (d.ports_.size() == before) return Status::Corruption("day index: duplicate port entry");
    }
  } else {
    uint32_t n;
    std::string_view table, sets;
    PS_RETURN_IF_ERROR(SplitV2(in, &d.day_, &n, &table, &sets));
    PortKey prev;
    for (uint32_t i = 0; i < n; ++i) {
      PortSummary e = LoadEntryV2(table.data() + size_t{i} * kEntryV2);
      PS_RETURN_IF_ERROR(CheckOrder(i, prev, e.key));
      PortDayStats s{e.records, e.packets, e.first_seen, e.last_seen, {}, {}};
      PS_ASSIGN_OR_RETURN(s.sources, AddrSet::ReadFrom(&sets));
      PS_ASSIGN_OR_RETURN(s.targets, AddrSet::ReadFrom(&sets));
      if (s.sources.size() != e.sources || s.targets.size() != e.targets) {
        return Status::Corruption("day index: entry " + std::to_string(i) +
                                  " counts differ from its address sets");
      }
      d.ports_.emplace_hint(d.ports_.end(), e.key, std::move(s));
      prev = e.key;
    }
    in = sets;
  }
  if (!in.empty()) return Status::Corruption("day index: trailing bytes");
  return d;
}

Result<DaySummary> DaySummary::ReadFrom(std::string_view in, uint32_t version) {
  PS_RETURN_IF_ERROR(CheckVersion(version));
  if (version == 1) {
    PS_ASSIGN_OR_RETURN(DayIndex full, DayIndex::ReadFrom(in, version));
    return full.Summary();
  }
  DaySummary d;
  uint32_t n;
  std::string_view table, sets;
  PS_RETURN_IF_ERROR(SplitV2(in, &d.day, &n, &table, &sets));
  d.ports.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    d.ports[i] = LoadEntryV2(table.data() + size_t{i} * kEntryV2);
    if (i > 0) PS_RETURN_IF_ERROR(CheckOrder(i, d.ports[i - 1].key, d.ports[i].key));
  }
  // The sets are not decoded, but their framing is walked so that a
  // truncated or padded file fails here as it would in DayIndex::ReadFrom.
  for (uint32_t i = 0; i < 2 * n; ++i) PS_RETURN_IF_ERROR(AddrSet::Skip(&sets));
  if (!sets.empty()) return Status::Corruption("day index: trailing bytes");
  return d;
}

}  // namespace portstorm::store
