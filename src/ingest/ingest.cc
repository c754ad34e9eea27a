#include "ingest/ingest.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <xxhash.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace portstorm::ingest {

namespace {

constexpr size_t kKeyBytes = 4096;
constexpr size_t kDetectLines = 32;

// Discards what a parser yields: lines already stored are still fed to the
// parser so that its state (RFC 3164 year rollover, continuation lines)
// matches a run that read them.
class DiscardSink : public parse::RecordSink {
 public:
  void OnRecord(const Event&, std::string_view) override {}
  void OnReject(uint64_t, parse::Reason, std::string_view) override {}
};

// One durable batch on its way from the parser to the store.
struct Batch {
  std::vector<Event> events;
  // Events whose sensor id the parsing side does not know yet: (index in
  // events, local host number). The storing side resolves and patches them.
  std::vector<std::pair<uint32_t, uint32_t>> unresolved;
  // Hosts seen for the first time in this batch, in local-number order.
  std::vector<std::string> new_hosts;
  // Progress of the input through this batch.
  uint64_t consumed_bytes = 0, consumed_lines = 0;

  void Clear() {
    events.clear();
    unresolved.clear();
    new_hosts.clear();
  }
};

// Turns a parser's output into batches. Sensors are numbered locally per
// input (first seen = 0, 1, ...); the store's ids, which only the storing
// side may ask for, come back through Learn().
class BatchSink : public parse::RecordSink {
 public:
  BatchSink(const IngestOptions& options, IngestStats* stats, const std::string& input,
            uint32_t origin, uint64_t stored_lines = 0)
      : options_(options), stats_(stats), input_(input), origin_(origin),
        stored_lines_(stored_lines), no_host_(DefaultHost(options, input)) {}

  void set_batch(Batch* b) { batch_ = b; }
  Batch* batch() { return batch_; }

  void OnRecord(const Event& e, std::string_view host) override {
    // A record held over the end of what an earlier run stored (the last
    // record of a wrapped format, emitted by Finish or by the first new
    // line) was stored by that run.
    if (e.line <= stored_lines_) return;
    uint32_t local = LocalHost(host);
    batch_->events.push_back(e);
    Event& ev = batch_->events.back();
    ev.origin = origin_;
    if (local < ids_.size() && ids_[local] != kUnknown) {
      ev.sensor = ids_[local];
    } else {
      ev.sensor = 0;
      batch_->unresolved.emplace_back(static_cast<uint32_t>(batch_->events.size() - 1), local);
    }
  }

  void OnReject(uint64_t line, parse::Reason reason, std::string_view detail) override {
    if (line <= stored_lines_) return;  // counted by the run that stored it
    auto r = static_cast<size_t>(reason);
    if (r >= stats_->rejected.size()) r = static_cast<size_t>(parse::Reason::kBadField);
    if (stats_->rejected[r]++ < options_.max_examples) {
      stats_->examples.push_back(fmt::format("{}:{}: {}: {}", input_, line,
                                             parse::ReasonName(static_cast<parse::Reason>(r)),
                                             detail));
    }
  }

  // The store's id of local host `local`.
  void Learn(uint32_t local, uint32_t id) {
    if (local >= ids_.size()) ids_.resize(local + 1, kUnknown);
    ids_[local] = id;
  }

 private:
  static constexpr uint32_t kUnknown = UINT32_MAX;

  // a == b for the short host names of one log, without a call to memcmp
  // on every record.
  static bool SameText(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  uint32_t LocalHost(std::string_view host) {
    if (!options_.sensor.empty()) host = options_.sensor;
    if (host.empty()) host = no_host_;
    if (have_last_ && SameText(host, last_host_)) return last_local_;
    auto it = locals_.find(std::string(host));  // cold path: only when the host changes
    uint32_t local;
    if (it != locals_.end()) {
      local = it->second;
    } else {
      local = static_cast<uint32_t>(locals_.size());
      locals_.emplace(std::string(host), local);
      batch_->new_hosts.emplace_back(host);
    }
    last_host_.assign(host);
    last_local_ = local;
    have_last_ = true;
    return local;
  }

  // The sensor of lines that name no host: "local", or with
  // sensor_from_dir the input's directory ("logs/s02-darknet/x.log" ->
  // "s02-darknet"; stdin and a file in the working directory stay "local").
  static std::string DefaultHost(const IngestOptions& o, const std::string& input) {
    if (!o.sensor_from_dir || input == "-") return "local";
    std::filesystem::path dir = std::filesystem::path(input).parent_path().filename();
    if (dir.empty() || dir == "." || dir == "..") {
      dir = std::filesystem::absolute(input).parent_path().filename();
    }
    std::string name = dir.string();
    return name.empty() ? "local" : name;
  }

  const IngestOptions& options_;
  IngestStats* stats_;
  const std::string& input_;
  uint32_t origin_;
  uint64_t stored_lines_;  // lines of this input stored by earlier runs
  const std::string no_host_;
  Batch* batch_ = nullptr;
  absl::flat_hash_map<std::string, uint32_t> locals_;
  std::vector<uint32_t> ids_;  // local host -> store id, kUnknown until learnt
  std::string last_host_;
  uint32_t last_local_ = 0;
  bool have_last_ = false;
};

// Hands batches from the parsing thread to the storing thread: a fixed set
// of buffers cycles between the two (free -> filled by the parser -> full ->
// appended by the store -> free), so neither reallocates per batch and the
// parser runs at most kBatchesInFlight - 1 batches ahead of the store.
class BatchChannel {
 public:
  static constexpr size_t kBatchesInFlight = 2;

  explicit BatchChannel(size_t reserve) {
    for (size_t i = 0; i < kBatchesInFlight; ++i) {
      buffers_.push_back(std::make_unique<Batch>());
      buffers_.back()->events.reserve(reserve);
      free_.push_back(buffers_.back().get());
    }
  }

  // Parser: an empty batch to fill and the sensor ids learnt since the last
  // call; nullptr once the store side has stopped.
  Batch* Acquire(std::vector<std::pair<uint32_t, uint32_t>>* learnt) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || !free_.empty(); });
    learnt->swap(learnt_);
    learnt_.clear();
    if (stopped_) return nullptr;
    Batch* b = free_.back();
    free_.pop_back();
    b->Clear();
    return b;
  }
  // Parser: a batch to store, then (last) the end of the input with the
  // parser's status; the final batch is pushed before Close when ok.
  void Push(Batch* b) {
    std::lock_guard lock(mu_);
    full_.push_back(b);
    cv_.notify_all();
  }
  void Close(Status s) {
    std::lock_guard lock(mu_);
    closed_ = true;
    status_ = std::move(s);
    cv_.notify_all();
  }

  // Store side: the next batch, or nullptr when the parser has closed and
  // every batch was taken (then status() is the parser's).
  Batch* Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !full_.empty(); });
    if (full_.empty()) return nullptr;
    Batch* b = full_.front();
    full_.pop_front();
    return b;
  }
  void Release(Batch* b, const std::vector<std::pair<uint32_t, uint32_t>>& learnt) {
    std::lock_guard lock(mu_);
    learnt_.insert(learnt_.end(), learnt.begin(), learnt.end());
    free_.push_back(b);
    cv_.notify_all();
  }
  // Store side failed: the parser stops at its next Acquire.
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  Status status() {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Batch>> buffers_;
  std::vector<Batch*> free_;
  std::deque<Batch*> full_;
  std::vector<std::pair<uint32_t, uint32_t>> learnt_;
  bool closed_ = false, stopped_ = false;
  Status status_;
};

}  // namespace

uint64_t IngestStats::rejected_total() const {
  uint64_t n = 0;
  for (uint64_t v : rejected) n += v;
  return n;
}

std::pair<uint64_t, uint32_t> InputKey(std::string_view head) {
  head = head.substr(0, kKeyBytes);
  return {XXH64(head.data(), head.size(), 0), static_cast<uint32_t>(head.size())};
}

Ingester::Ingester(store::Store* store, IngestOptions options)
    : store_(store), options_(std::move(options)), dedup_(options_.dedup),
      sensors_before_(store_->Days().empty() ? 0 : store_->SensorCount()) {}

Status Ingester::Dedup(std::vector<Event>* events, uint32_t origin) {
  if (events->empty()) return Status::Ok();
  run_origins_.insert(origin);
  // Records stored by earlier commands near these times, of sensors that had
  // records then: another log's copy of a packet, or an earlier try of a SYN.
  // Each hour is read once per command; a fresh store or new sensors read nothing.
  absl::flat_hash_set<uint32_t> old_sensors;
  TimeUs lo = INT64_MAX, hi = INT64_MIN;
  if (sensors_before_ != 0) {  // else no sensor is old: spare a pass over the batch
    for (const Event& e : *events) {
      if (e.sensor == 0 || e.sensor > sensors_before_) continue;
      old_sensors.insert(e.sensor);
      lo = std::min(lo, e.time), hi = std::max(hi, e.time);
    }
  }
  if (!old_sensors.empty()) {
    const TimeUs reach = std::max(options_.dedup.tolerance, options_.dedup.retry_window);
    for (int64_t h = HourOf(lo - reach); h <= HourOf(hi + options_.dedup.tolerance); ++h) {
      if (!seeded_hours_.insert(h).second) continue;
      store::ScanOptions so;
      so.from = h * kUsPerHour;
      so.until = so.from + kUsPerHour;
      so.columns = store::col::kTime | store::col::kSrc | store::col::kDst | store::col::kPorts |
                   store::col::kProto | store::col::kFlags | store::col::kCount |
                   store::col::kSensor | store::col::kOrigin | store::col::kIpHeader |
                   store::col::kTcpHeader;
      PS_RETURN_IF_ERROR(store_->Scan(so, [&](std::span<const Event> batch) -> Status {
        for (const Event& e : batch) {
          if (old_sensors.contains(e.sensor) && !run_origins_.contains(e.origin)) dedup_.Seed(e);
        }
        return Status::Ok();
      }));
    }
  }
  events->resize(dedup_.AdmitAll(*events));
  stats_.merged = dedup_.merged();
  stats_.retransmissions = dedup_.retransmissions();
  return Status::Ok();
}

Result<OpenedInput> OpenInput(const std::string& path, std::string_view format) {
  OpenedInput in;
  PS_ASSIGN_OR_RETURN(in.reader, parse::LineReader::Open(path));
  in.head = std::string(in.reader->Peek(kKeyBytes));
  // Read the first lines for format detection; they are parsed afterwards.
  parse::Line line;
  size_t non_blank = 0;
  while (non_blank < kDetectLines && in.reader->Next(&line)) {
    in.first.push_back({std::string(line.text), line});
    if (!line.text.empty() && !line.too_long) ++non_blank;
  }
  PS_RETURN_IF_ERROR(in.reader->status());
  if (format == "auto") {
    std::vector<std::string_view> sample;
    for (const auto& b : in.first) {
      if (!b.meta.too_long) sample.push_back(b.text);
    }
    if (sample.empty()) return in;  // empty input: nothing to parse
    auto detected = parse::DetectFormat(sample);
    if (!detected.ok()) {
      return Status::InvalidArgument(fmt::format("{}: {}; `portstorm formats` lists them", path,
                                                 detected.status().message()));
    }
    in.format = *detected;
  } else {
    in.format = parse::FindFormat(format);
    if (in.format == nullptr) {
      return Status::InvalidArgument(
          fmt::format("unknown format '{}' (`portstorm formats` lists them)", format));
    }
  }
  return in;
}

Status OpenedInput::ForEachLine(
    const std::function<Status(std::string_view, const parse::Line&)>& fn) {
  for (const auto& b : first) PS_RETURN_IF_ERROR(fn(b.text, b.meta));
  first.clear();
  parse::Line line;
  while (reader->Next(&line)) PS_RETURN_IF_ERROR(fn(line.text, line));
  return reader->status();
}

Status Ingester::IngestInput(const std::string& path) {
  PS_ASSIGN_OR_RETURN(OpenedInput in, OpenInput(path, options_.format));
  ++stats_.inputs;
  std::string_view head = in.head;
  if (head.empty() || in.format == nullptr) return Status::Ok();  // empty: nothing to store or remember
  parse::LineReader* reader = in.reader.get();

  // Identify the input: the same first bytes as a known input, or a known
  // short input that this one extends (a log that has grown since).
  auto [key_hash, key_len] = InputKey(head);
  std::optional<store::OriginInfo> origin;
  for (const store::OriginInfo& o : store_->Origins()) {
    if (o.key_len == key_len && o.key_hash == key_hash) {
      origin = o;
      break;
    }
    if (o.key_len < key_len && XXH64(head.data(), o.key_len, 0) == o.key_hash) {
      origin = o;
      break;
    }
  }
  if (!origin) {
    PS_ASSIGN_OR_RETURN(origin, store_->RegisterOrigin(path, key_hash, key_len));
  }

  parse::ParseOptions popts = options_.parse;
  popts.reference_time = reader->mtime_us() != 0 ? reader->mtime_us() : NowUs();
  std::unique_ptr<parse::Parser> parser = in.format->make(popts);
  const uint32_t origin_id = origin->id;
  BatchSink sink(options_, &stats_, path, origin_id, origin->lines);
  DiscardSink discard;
  const uint64_t skip_bytes = origin->bytes;

  // --- storing side: only this thread calls the store ---
  uint64_t acked_lines = origin->lines;
  std::vector<uint32_t> store_ids;          // local host -> store id
  std::vector<std::pair<uint32_t, uint32_t>> learnt;  // ids resolved by the last Store()
  auto store_batch = [&](Batch& b) -> Status {
    learnt.clear();
    for (std::string& h : b.new_hosts) {
      PS_ASSIGN_OR_RETURN(uint32_t id, store_->SensorId(h));
      learnt.emplace_back(static_cast<uint32_t>(store_ids.size()), id);
      store_ids.push_back(id);
    }
    for (auto [index, local] : b.unresolved) b.events[index].sensor = store_ids[local];
    PS_RETURN_IF_ERROR(Dedup(&b.events, origin_id));
    if (b.events.empty() && b.consumed_lines == acked_lines) return Status::Ok();
    PS_RETURN_IF_ERROR(store_->Append(b.events, origin_id, b.consumed_bytes, b.consumed_lines));
    stats_.records += b.events.size();
    if (on_batch_stored) on_batch_stored(path, b.events.size(), b.consumed_lines);
    acked_lines = b.consumed_lines;
    return Status::Ok();
  };

  // --- parsing side: reader, parser, sink; stats_ except records ---
  // hand_off stores a full batch (or passes it to the storing thread) and
  // returns the next one to fill; nullptr = stop (the storing side failed).
  std::function<Batch*(Batch*)> hand_off;
  std::function<Batch*()> first_batch;
  std::function<void(Batch*)> finish;  // the last batch of the input
  uint64_t consumed_bytes = origin->bytes, consumed_lines = origin->lines;
  auto produce = [&]() -> Status {
    Batch* batch = first_batch();
    if (batch == nullptr) return Status::Ok();
    sink.set_batch(batch);
    auto feed = [&](std::string_view text, const parse::Line& meta) -> Status {
      ++stats_.lines;
      stats_.bytes = meta.end_offset;
      if (meta.end_offset <= skip_bytes) {
        ++stats_.duplicate_lines;
        if (!meta.too_long) parser->Line(text, meta.number, discard);
        return Status::Ok();
      }
      if (meta.too_long) {
        sink.OnReject(meta.number, parse::Reason::kLineTooLong,
                      fmt::format("longer than {} bytes", parse::kDefaultMaxLine));
      } else {
        parser->Line(text, meta.number, sink);
      }
      consumed_bytes = meta.end_offset;
      consumed_lines = meta.number;
      if (on_progress && meta.number % 131072 == 0) {
        on_progress(Progress{path, reader->raw_bytes_read(), reader->raw_size(), meta.number});
      }
      // Never record progress in the middle of a wrapped record: a resumed run
      // would start at its continuation lines and lose it.
      if (sink.batch()->events.size() >= options_.batch_events && !parser->holding()) {
        sink.batch()->consumed_bytes = consumed_bytes;
        sink.batch()->consumed_lines = consumed_lines;
        Batch* next = hand_off(sink.batch());
        if (next == nullptr) return Status::Internal("ingest stopped");  // storing side's error wins
        sink.set_batch(next);
      }
      return Status::Ok();
    };
    // ForEachLine, without a std::function call per line.
    for (const auto& b : in.first) PS_RETURN_IF_ERROR(feed(b.text, b.meta));
    in.first.clear();
    parse::Line line;
    while (reader->Next(&line)) PS_RETURN_IF_ERROR(feed(line.text, line));
    PS_RETURN_IF_ERROR(reader->status());
    parser->Finish(sink);
    sink.batch()->consumed_bytes = consumed_bytes;
    sink.batch()->consumed_lines = consumed_lines;
    finish(sink.batch());
    return Status::Ok();
  };

  const size_t reserve = options_.batch_events + 64;
  if (options_.parse_thread) {
    BatchChannel channel(reserve);
    std::vector<std::pair<uint32_t, uint32_t>> to_learn;
    auto acquire = [&]() -> Batch* {
      Batch* b = channel.Acquire(&to_learn);
      for (auto [local, id] : to_learn) sink.Learn(local, id);
      return b;
    };
    first_batch = acquire;
    hand_off = [&](Batch* full) -> Batch* {
      channel.Push(full);
      return acquire();
    };
    finish = [&](Batch* full) { channel.Push(full); };
    std::thread parser_thread;
    bool started = false;
    try {
      parser_thread = std::thread([&] { channel.Close(produce()); });
      started = true;
    } catch (const std::system_error&) {
      // No thread to be had: parse and store on this one (below).
    }
    if (started) {
      Status result;
      while (Batch* b = channel.Pop()) {
        if (result.ok()) result = store_batch(*b);
        if (!result.ok()) channel.Stop();
        channel.Release(b, learnt);
      }
      parser_thread.join();
      PS_RETURN_IF_ERROR(result);
      return channel.status();
    }
  }
  Batch batch;
  batch.events.reserve(reserve);
  Status stored;
  first_batch = [&]() -> Batch* { return &batch; };
  hand_off = [&](Batch* full) -> Batch* {
    stored = store_batch(*full);
    if (!stored.ok()) return nullptr;
    for (auto [local, id] : learnt) sink.Learn(local, id);
    full->Clear();
    return full;
  };
  finish = [&](Batch* full) { stored = store_batch(*full); };
  Status produced = produce();
  PS_RETURN_IF_ERROR(stored);
  return produced;
}

}  // namespace portstorm::ingest
