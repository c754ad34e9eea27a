#include "ingest/ingest.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <xxhash.h>

#include <optional>


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

class BatchSink : public parse::RecordSink {
 public:
  BatchSink(store::Store* store, const IngestOptions& options, IngestStats* stats,
            const std::string& input, uint32_t origin)
      : store_(store), options_(options), stats_(stats), input_(input), origin_(origin) {
    batch_.reserve(options.batch_events + 64);
  }

  void OnRecord(const Event& e, std::string_view host) override {
    Event ev = e;
    ev.origin = origin_;
    ev.sensor = SensorFor(host);
    batch_.push_back(ev);
  }

  void OnReject(uint64_t line, parse::Reason reason, std::string_view detail) override {
    auto r = static_cast<size_t>(reason);
    if (r >= stats_->rejected.size()) r = static_cast<size_t>(parse::Reason::kBadField);
    if (stats_->rejected[r]++ < options_.max_examples) {
      stats_->examples.push_back(fmt::format("{}:{}: {}: {}", input_, line,
                                             parse::ReasonName(static_cast<parse::Reason>(r)),
                                             detail));
    }
  }

  std::vector<Event>& batch() { return batch_; }
  const Status& status() const { return status_; }

 private:
  uint32_t SensorFor(std::string_view host) {
    if (!options_.sensor.empty()) host = options_.sensor;
    if (host.empty()) host = "local";
    if (have_last_ && host == last_host_) return last_id_;
    auto it = ids_.find(std::string(host));  // cold path: only when the host changes
    uint32_t id;
    if (it != ids_.end()) {
      id = it->second;
    } else {
      auto r = store_->SensorId(host);
      if (!r.ok()) {
        if (status_.ok()) status_ = r.status();
        return 0;
      }
      id = *r;
      ids_.emplace(std::string(host), id);
    }
    last_host_.assign(host);
    last_id_ = id;
    have_last_ = true;
    return id;
  }

  store::Store* store_;
  const IngestOptions& options_;
  IngestStats* stats_;
  const std::string& input_;
  uint32_t origin_;
  std::vector<Event> batch_;
  absl::flat_hash_map<std::string, uint32_t> ids_;
  std::string last_host_;
  uint32_t last_id_ = 0;
  bool have_last_ = false;
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
    : store_(store), options_(std::move(options)) {}

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
  BatchSink sink(store_, options_, &stats_, path, origin->id);
  DiscardSink discard;

  uint64_t acked_lines = origin->lines;
  uint64_t consumed_bytes = origin->bytes, consumed_lines = origin->lines;
  auto commit = [&]() -> Status {
    PS_RETURN_IF_ERROR(sink.status());
    if (sink.batch().empty() && consumed_lines == acked_lines) return Status::Ok();
    PS_RETURN_IF_ERROR(store_->Append(sink.batch(), origin->id, consumed_bytes, consumed_lines));
    stats_.records += sink.batch().size();
    if (on_batch_stored) on_batch_stored(path, sink.batch().size(), consumed_lines);
    sink.batch().clear();
    acked_lines = consumed_lines;
    return Status::Ok();
  };

  auto feed = [&](std::string_view text, const parse::Line& meta) -> Status {
    ++stats_.lines;
    stats_.bytes = meta.end_offset;
    if (meta.end_offset <= origin->bytes) {
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
    if (sink.batch().size() >= options_.batch_events && !parser->holding()) return commit();
    return Status::Ok();
  };

  PS_RETURN_IF_ERROR(in.ForEachLine(feed));
  parser->Finish(sink);
  return commit();
}

}  // namespace portstorm::ingest
