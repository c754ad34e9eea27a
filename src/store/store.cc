// Store: open, recovery and the write path. Why the steps are ordered as
// they are is the whole point of this file; docs/formats/store.md
// ("exactly once") has the argument in one place.
#include <algorithm>
#include <numeric>

#include "core/time.h"
#include "store/coding.h"
#include "store/segment.h"
#include "store/store_impl.h"

namespace portstorm::store {

using detail::DayIndexMeta;
using detail::Manifest;
using detail::PartMeta;
using detail::WalType;

namespace {
constexpr char kManifestName[] = "MANIFEST";
// Events outside [1970, 10000) cannot come from a log and would overflow
// hour/day arithmetic; Append refuses them.
constexpr TimeUs kMaxTime = 253402300800LL * kUsPerSecond;  // 10000-01-01

bool IsDigits(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() {
  if (!impl_->options.read_only && !impl_->closed) (void)Close();
}

const std::string& Store::dir() const { return impl_->dir; }

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;
  impl->fs = options.fs != nullptr ? options.fs : FileSystem::Default();
  if (impl->options.memtable_events == 0) impl->options.memtable_events = 1;
  FileSystem* fs = impl->fs;
  if (!fs->IsDir(dir)) {
    if (options.read_only || !options.create_if_missing) {
      return Status::NotFound("no store at '" + dir + "'");
    }
    PS_RETURN_IF_ERROR(fs->CreateDir(dir));
    PS_RETURN_IF_ERROR(fs->SyncDir(ParentDir(dir)));
  }
  if (!options.read_only) {
    PS_ASSIGN_OR_RETURN(impl->lock, fs->LockFile(impl->Path("LOCK")));
  }
  std::string mpath = impl->Path(kManifestName);
  if (fs->FileExists(mpath)) {
    std::string bytes;
    PS_RETURN_IF_ERROR(fs->ReadFile(mpath, &bytes));
    PS_ASSIGN_OR_RETURN(impl->manifest, detail::DecodeManifest(bytes, mpath));
  }
  impl->sensors = impl->manifest.sensors;
  for (size_t i = 0; i < impl->sensors.size(); ++i) {
    impl->sensor_ids[impl->sensors[i]] = static_cast<uint32_t>(i + 1);
  }
  impl->origins = impl->manifest.origins;
  impl->last_seq = impl->manifest.flushed_seq;
  // A read-only open replays the WAL into memory too (writing nothing), so
  // records acknowledged before a crash are visible before any writer has
  // run recovery.
  PS_RETURN_IF_ERROR(impl->Recover());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

// Replays the WAL past the manifest, cuts a torn tail, drops files no
// manifest names, then makes the result a fresh committed state with an
// empty WAL, so the next crash starts from a clean slate. Read-only: only
// the replay into memory; nothing is written or removed.
Status Store::Impl::Recover() {
  const bool read_only = options.read_only;
  if (!read_only) PS_RETURN_IF_ERROR(RemoveOrphans());
  PS_ASSIGN_OR_RETURN(auto names, fs->ListDir(dir));
  std::vector<uint64_t> wals;
  for (const std::string& n : names) {
    uint64_t number;
    if (detail::ParseWalName(n, &number)) wals.push_back(number);
  }
  std::sort(wals.begin(), wals.end());
  for (uint64_t number : wals) {
    // A live writer may have flushed and removed this WAL since ListDir; a
    // reader then simply sees less (the last committed state), never more.
    if (read_only && !fs->FileExists(Path(detail::WalName(number)))) continue;
    PS_ASSIGN_OR_RETURN(auto reader, detail::WalReader::Open(fs, Path(detail::WalName(number))));
    detail::WalType type;
    uint64_t seq;
    std::string_view payload;
    while (reader->Next(&type, &seq, &payload)) {
      if (seq <= manifest.flushed_seq) continue;  // already in segments
      if (seq <= last_seq) {
        return Status::Corruption(reader->path() + ": sequence number " + std::to_string(seq) +
                                  " out of order");
      }
      detail::ByteReader r(payload);
      switch (type) {
        case WalType::kEvents: {
          detail::WalEvents batch;
          Status s = detail::DecodeWalEvents(payload, &batch, &mem);
          if (!s.ok()) return Status::Corruption(reader->path() + ": " + s.message());
          if (batch.origin > origins.size()) {
            return Status::Corruption(reader->path() + ": batch names unknown origin");
          }
          if (batch.origin != 0) {
            origins[batch.origin - 1].bytes = batch.origin_bytes;
            origins[batch.origin - 1].lines = batch.origin_lines;
          }
          break;
        }
        case WalType::kSensor: {
          uint32_t id;
          std::string name;
          if (!r.Varint32(&id) || !r.String(&name) || id != sensors.size() + 1) {
            return Status::Corruption(reader->path() + ": bad sensor record");
          }
          sensors.push_back(name);
          sensor_ids[name] = id;
          break;
        }
        case WalType::kOrigin: {
          OriginInfo o;
          if (!r.Varint32(&o.id) || !r.String(&o.name) || !r.U64(&o.key_hash) ||
              !r.Varint32(&o.key_len) || o.id != origins.size() + 1) {
            return Status::Corruption(reader->path() + ": bad origin record");
          }
          origins.push_back(o);
          break;
        }
        default:
          return Status::Corruption(reader->path() + ": unknown record type " +
                                    std::to_string(static_cast<int>(type)));
      }
      last_seq = seq;
      // Bounded memory even for a long WAL: flush what was replayed so far.
      // No WAL is removed until everything is replayed and committed.
      if (!read_only && mem.size() >= options.memtable_events) PS_RETURN_IF_ERROR(FlushMemtable());
    }
    // A torn tail (crash inside a write) is cut by never reading past it:
    // the file is removed once its valid records are committed below.
  }
  if (read_only) return Status::Ok();
  PS_RETURN_IF_ERROR(FlushMemtable());
  old_wals = wals;
  wal_number = wals.empty() ? 1 : wals.back() + 1;
  PS_RETURN_IF_ERROR(RotateWal());
  return Status::Ok();
}

Status Store::Impl::RemoveOrphans() {
  std::set<std::string> named;
  for (const PartMeta& p : manifest.parts) named.insert(detail::PartPath(p));
  for (const DayIndexMeta& d : manifest.indexes) named.insert(detail::IndexPath(d.day, d.gen));
  if (fs->FileExists(Path("MANIFEST.tmp"))) PS_RETURN_IF_ERROR(fs->RemoveFile(Path("MANIFEST.tmp")));
  // Walk YYYY/MM/DD/[HH/] and remove every store file the manifest does not name.
  std::vector<std::pair<std::string, int>> stack = {{"", 0}};
  while (!stack.empty()) {
    auto [rel, depth] = stack.back();
    stack.pop_back();
    PS_ASSIGN_OR_RETURN(auto names, fs->ListDir(rel.empty() ? dir : Path(rel)));
    for (const std::string& n : names) {
      std::string child = rel.empty() ? n : rel + "/" + n;
      static constexpr size_t kWidth[] = {4, 2, 2, 2};
      if (depth < 4 && IsDigits(n, kWidth[depth]) && fs->IsDir(Path(child))) {
        stack.emplace_back(child, depth + 1);
        continue;
      }
      bool ours = (depth == 4 && EndsWith(n, ".seg")) || (depth == 3 && EndsWith(n, ".idx")) ||
                  (depth >= 3 && EndsWith(n, ".tmp"));
      if (ours && !named.count(child)) PS_RETURN_IF_ERROR(fs->RemoveFile(Path(child)));
    }
  }
  return Status::Ok();
}

Status Store::Impl::Fail(Status s) {
  if (error.ok()) error = s;
  return s;
}

Status Store::Impl::CheckWritable() const {
  if (options.read_only) return Status::InvalidArgument("store " + dir + " is open read-only");
  if (closed) return Status::InvalidArgument("store " + dir + " is closed");
  if (!error.ok()) {
    return Status(error.code(), "store " + dir + " refuses writes after an earlier error: " +
                                    error.message());
  }
  return Status::Ok();
}

Status Store::Impl::WriteWal(WalType type, std::string_view payload) {
  Status s = wal->AddRecord(type, last_seq + 1, payload);
  // After a failed write the file may end in a partial record; anything
  // written after it would be lost behind the torn record at recovery, so
  // the store stops accepting writes (like leveldb's background error).
  if (!s.ok()) return Fail(s);
  ++last_seq;
  return Status::Ok();
}

Status Store::Impl::EnsureDir(const std::string& rel) {
  if (known_dirs.count(rel)) return Status::Ok();
  std::string parent = ParentDir(rel);
  if (parent != ".") PS_RETURN_IF_ERROR(EnsureDir(parent));
  if (!fs->IsDir(Path(rel))) {
    PS_RETURN_IF_ERROR(fs->CreateDir(Path(rel)));
  }
  // Sync the parent even when the directory existed: it may have been
  // created by a run that crashed before making it durable.
  PS_RETURN_IF_ERROR(fs->SyncDir(parent == "." ? dir : Path(parent)));
  known_dirs.insert(rel);
  return Status::Ok();
}

Status Store::Impl::WriteDurably(const std::string& rel, std::string_view data) {
  PS_RETURN_IF_ERROR(EnsureDir(ParentDir(rel)));
  return WriteFileAtomically(fs, Path(rel), data);
}

// Writes the memtable as one part per hour plus a new generation of each
// touched day's index, then commits all of it (and the dictionaries and
// progress as of last_seq) with one manifest rename.
Status Store::Impl::FlushMemtable() {
  if (!dirty()) return Status::Ok();
  Manifest next = manifest;
  std::vector<std::string> obsolete;
  if (!mem.empty()) {
    // Order rows by time, ingest order among equals (a stable sort); logs
    // are mostly in order already, so check before sorting.
    std::vector<uint32_t> order(mem.size());
    std::iota(order.begin(), order.end(), 0);
    bool sorted = std::is_sorted(mem.begin(), mem.end(),
                                 [](const Event& a, const Event& b) { return a.time < b.time; });
    if (!sorted) {
      std::vector<std::pair<TimeUs, uint32_t>> keys(mem.size());
      for (uint32_t i = 0; i < mem.size(); ++i) keys[i] = {mem[i].time, i};
      std::sort(keys.begin(), keys.end());
      for (uint32_t i = 0; i < mem.size(); ++i) order[i] = keys[i].second;
    }
    std::string file;
    detail::SegmentInfo info;
    for (size_t start = 0; start < order.size();) {
      int64_t hour = HourOf(mem[order[start]].time);
      size_t end = start;
      while (end < order.size() && HourOf(mem[order[end]].time) == hour) ++end;
      PartMeta p;
      p.hour = hour;
      p.number = next.next_file++;
      detail::EncodeSegment(hour, mem.data(), std::span(order).subspan(start, end - start),
                            options.zstd_level, &file, &info);
      p.rows = info.rows;
      p.min_time = info.min_time;
      p.max_time = info.max_time;
      PS_RETURN_IF_ERROR(WriteDurably(detail::PartPath(p), file));
      next.parts.push_back(p);
      start = end;
    }
    for (size_t start = 0; start < order.size();) {
      int64_t day = DayOf(mem[order[start]].time);
      DayIndex index(day);
      size_t end = start;
      while (end < order.size() && DayOf(mem[order[end]].time) == day) ++end;
      index.AddMany(mem.data(), std::span(order).subspan(start, end - start));
      auto old = std::find_if(next.indexes.begin(), next.indexes.end(),
                              [&](const DayIndexMeta& d) { return d.day == day; });
      if (old != next.indexes.end()) {
        PS_ASSIGN_OR_RETURN(DayIndex prev, CommittedDayIndex(day));
        // Merge the new rows into the (larger) committed index, not the other
        // way round: a union into a Roaring bitmap inserts every container the
        // target lacks by moving its tail, so the big set must be the target.
        prev.Merge(index);
        index = std::move(prev);
        obsolete.push_back(detail::IndexPath(day, old->gen));
      } else {
        old = next.indexes.insert(next.indexes.end(), DayIndexMeta{.day = day});
      }
      index.Optimize();
      old->gen = next.next_file++;
      old->records = index.total_records();
      PS_RETURN_IF_ERROR(WriteDurably(detail::IndexPath(day, old->gen),
                                      detail::EncodeIndexFile(index, options.index_zstd_level)));
      start = end;
    }
    std::sort(next.parts.begin(), next.parts.end(), [](const PartMeta& a, const PartMeta& b) {
      return std::tie(a.hour, a.number) < std::tie(b.hour, b.number);
    });
    std::sort(next.indexes.begin(), next.indexes.end(),
              [](const DayIndexMeta& a, const DayIndexMeta& b) { return a.day < b.day; });
  }
  next.flushed_seq = last_seq;
  next.sensors = sensors;
  next.origins = origins;
  // The commit point: before the rename nothing above is visible, after it
  // all of it is, and WAL records up to last_seq are never replayed again.
  PS_RETURN_IF_ERROR(WriteFileAtomically(fs, Path(kManifestName), detail::EncodeManifest(next)));
  manifest = std::move(next);
  mem.clear();
  if (mem.capacity() > options.memtable_events * 2) std::vector<Event>().swap(mem);
  // Old generations are garbage now; a crash before they go leaves orphans
  // that the next Open removes.
  for (const std::string& rel : obsolete) (void)fs->RemoveFile(Path(rel));
  return Status::Ok();
}

Status Store::Impl::RotateWal() {
  PS_ASSIGN_OR_RETURN(auto fresh, detail::WalWriter::Create(fs, Path(detail::WalName(wal_number))));
  // The new file's name must be durable before a record in it is acknowledged.
  PS_RETURN_IF_ERROR(fs->SyncDir(dir));
  if (wal) {
    (void)wal->Close();
    old_wals.push_back(wal_number - 1);
  }
  wal = std::move(fresh);
  ++wal_number;
  for (uint64_t n : old_wals) PS_RETURN_IF_ERROR(fs->RemoveFile(Path(detail::WalName(n))));
  old_wals.clear();
  return fs->SyncDir(dir);
}

uint32_t Store::SensorCount() const { return static_cast<uint32_t>(impl_->sensors.size()); }

Result<uint32_t> Store::SensorId(std::string_view name) {
  Impl& m = *impl_;
  auto it = m.sensor_ids.find(std::string(name));
  if (it != m.sensor_ids.end()) return it->second;
  PS_RETURN_IF_ERROR(m.CheckWritable());
  if (name.size() > 4096) return Status::InvalidArgument("sensor name too long");
  uint32_t id = static_cast<uint32_t>(m.sensors.size() + 1);
  std::string payload;
  detail::PutVarint(&payload, id);
  detail::PutString(&payload, name);
  PS_RETURN_IF_ERROR(m.WriteWal(WalType::kSensor, payload));
  m.sensors.emplace_back(name);
  m.sensor_ids[std::string(name)] = id;
  return id;
}

Result<OriginInfo> Store::RegisterOrigin(std::string_view name, uint64_t key_hash,
                                         uint32_t key_len) {
  Impl& m = *impl_;
  for (const OriginInfo& o : m.origins) {
    if (o.key_hash == key_hash && o.key_len == key_len) return o;
  }
  PS_RETURN_IF_ERROR(m.CheckWritable());
  if (name.size() > 65536) return Status::InvalidArgument("origin name too long");
  OriginInfo o;
  o.id = static_cast<uint32_t>(m.origins.size() + 1);
  o.name = std::string(name);
  o.key_hash = key_hash;
  o.key_len = key_len;
  std::string payload;
  detail::PutVarint(&payload, o.id);
  detail::PutString(&payload, o.name);
  detail::PutFixed64(&payload, key_hash);
  detail::PutVarint(&payload, key_len);
  PS_RETURN_IF_ERROR(m.WriteWal(WalType::kOrigin, payload));
  m.origins.push_back(o);
  return o;
}

std::vector<OriginInfo> Store::Origins() const {
  std::vector<OriginInfo> out;
  for (const OriginInfo& o : impl_->origins) {
    if (o.key_len != 4096) out.push_back(o);
  }
  return out;
}

Status Store::Append(std::span<const Event> events, uint32_t origin, uint64_t origin_bytes,
                     uint64_t origin_lines) {
  Impl& m = *impl_;
  PS_RETURN_IF_ERROR(m.CheckWritable());
  if (events.size() > kMaxBatchEvents) {
    return Status::InvalidArgument("batch of " + std::to_string(events.size()) +
                                   " events exceeds the limit of " +
                                   std::to_string(kMaxBatchEvents));
  }
  if (origin > m.origins.size()) {
    return Status::InvalidArgument("unknown origin id " + std::to_string(origin));
  }
  for (const Event& e : events) {
    if (e.time < 0 || e.time >= kMaxTime) {
      return Status::InvalidArgument("event time " + std::to_string(e.time) +
                                     " outside 1970..9999");
    }
  }
  std::string& payload = m.wal_scratch;  // reused: a fresh buffer per batch page-faults
  payload.clear();
  detail::EncodeWalEvents({.origin = origin, .origin_bytes = origin_bytes,
                           .origin_lines = origin_lines, .events = events},
                          &payload);
  PS_RETURN_IF_ERROR(m.WriteWal(WalType::kEvents, payload));
  // Acknowledged from here on: the record is synced.
  m.mem.insert(m.mem.end(), events.begin(), events.end());
  if (origin != 0) {
    m.origins[origin - 1].bytes = origin_bytes;
    m.origins[origin - 1].lines = origin_lines;
  }
  if (m.mem.size() >= m.options.memtable_events) {
    // The batch is durable whatever happens here; a failed flush makes the
    // store refuse further writes and surfaces on the next call.
    (void)Flush();
  }
  return Status::Ok();
}

Status Store::Flush() {
  Impl& m = *impl_;
  PS_RETURN_IF_ERROR(m.CheckWritable());
  if (!m.dirty()) return Status::Ok();
  Status s = m.FlushMemtable();
  if (s.ok()) s = m.RotateWal();
  if (!s.ok()) return m.Fail(s);
  return Status::Ok();
}

Status Store::Close() {
  Impl& m = *impl_;
  if (m.options.read_only || m.closed) return Status::Ok();
  Status s = m.error.ok() ? Flush() : m.error;
  if (m.wal) {
    Status c = m.wal->Close();
    if (s.ok()) s = c;
    m.wal.reset();
  }
  m.lock.reset();
  m.closed = true;
  return s;
}

}  // namespace portstorm::store
