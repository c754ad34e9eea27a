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
}  // namespace

// Layout (little-endian): i64 day | u32 entries | entries * {u8 proto, u8 pad,
// u16 port, u64 records, u64 packets, i64 first, i64 last, AddrSet src, AddrSet dst}
void DayIndex::AppendTo(std::string* out) const {
  Put<int64_t>(out, day_);
  Put<uint32_t>(out, static_cast<uint32_t>(ports_.size()));
  for (const auto& [k, s] : ports_) {
    Put<uint8_t>(out, k.proto);
    Put<uint8_t>(out, 0);
    Put<uint16_t>(out, k.port);
    Put<uint64_t>(out, s.records);
    Put<uint64_t>(out, s.packets);
    Put<int64_t>(out, s.first_seen);
    Put<int64_t>(out, s.last_seen);
    s.sources.AppendTo(out);
    s.targets.AppendTo(out);
  }
}

Result<DayIndex> DayIndex::ReadFrom(std::string_view in) {
  DayIndex d;
  uint32_t n;
  if (!Get(&in, &d.day_) || !Get(&in, &n)) return Status::Corruption("day index: truncated header");
  for (uint32_t i = 0; i < n; ++i) {
    PortKey k;
    uint8_t pad;
    PortDayStats s;
    if (!Get(&in, &k.proto) || !Get(&in, &pad) || !Get(&in, &k.port) || !Get(&in, &s.records) ||
        !Get(&in, &s.packets) || !Get(&in, &s.first_seen) || !Get(&in, &s.last_seen)) {
      return Status::Corruption("day index: truncated entry " + std::to_string(i));
    }
    auto src = AddrSet::ReadFrom(&in);
    if (!src.ok()) return src.status();
    auto dst = AddrSet::ReadFrom(&in);
    if (!dst.ok()) return dst.status();
    s.sources = std::move(*src);
    s.targets = std::move(*dst);
    auto [it, inserted] = d.ports_.emplace(k, std::move(s));
    if (!inserted) return Status::Corruption("day index: duplicate port entry");
  }
  if (!in.empty()) return Status::Corruption("day index: trailing bytes");
  return d;
}

}  // namespace portstorm::store
