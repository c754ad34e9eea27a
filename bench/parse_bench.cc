// parse_bench: the parse half of `portstorm ingest` on its own, for tuning
// the line reader and the parsers without the store (docs/performance.md).
//
//   parse_bench FILE [--format NAME] [--runs N] [--expect-records N]
//
// Times, on the same file in the same run: `LineReader` alone (lines/s,
// MB/s), then reader + parser into a sink that keeps nothing. Before it
// prints a speed it checks the answer: every run must see the same line
// count, and records + rejects must equal lines (with --expect-records, for
// formats whose records span lines or whose files start with a header: the
// record count must be N). It prints a digest (xxh64
// over every event's bytes and every reject's line, reason and detail, in
// order) so a change to the parser can be checked to yield exactly the same
// output as before it.
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "parse/input.h"
#include "parse/parser.h"

using namespace portstorm;
using namespace portstorm::parse;

namespace {

class DigestSink : public RecordSink {
 public:
  DigestSink() : state_(XXH64_createState()) { XXH64_reset(state_, 0); }
  ~DigestSink() override { XXH64_freeState(state_); }
  DigestSink(const DigestSink&) = delete;
  DigestSink& operator=(const DigestSink&) = delete;
  void OnRecord(const Event& e, std::string_view host) override {
    ++records;
    XXH64_update(state_, &e, sizeof e);
    XXH64_update(state_, host.data(), host.size());
  }
  void OnReject(uint64_t line, Reason reason, std::string_view detail) override {
    ++rejects;
    XXH64_update(state_, &line, sizeof line);
    XXH64_update(state_, &reason, sizeof reason);
    XXH64_update(state_, detail.data(), detail.size());
  }
  uint64_t digest() { return XXH64_digest(state_); }
  uint64_t records = 0, rejects = 0;

 private:
  XXH64_state_t* state_;
};

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "parse_bench: %s\n", msg.c_str());
  std::exit(1);
}

std::unique_ptr<LineReader> OpenOrDie(const std::string& path) {
  auto r = LineReader::Open(path);
  if (!r.ok()) Die(r.status().ToString());
  return std::move(*r);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path, format;
  int runs = 3;
  long long expect_records = -1;  // -1: every line must give a record or a reject
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--format" && i + 1 < argc) format = argv[++i];
    else if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--expect-records" && i + 1 < argc) expect_records = std::strtoll(argv[++i], nullptr, 10);
    else if (path.empty() && a[0] != '-') path = a;
    else Die("usage: parse_bench FILE [--format NAME] [--runs N] [--expect-records N]");
  }
  if (path.empty()) Die("usage: parse_bench FILE [--format NAME] [--runs N] [--expect-records N]");

  // Format: named, or detected from the first lines as ingest does.
  const FormatInfo* fmt_info = nullptr;
  if (!format.empty()) {
    fmt_info = FindFormat(format);
    if (fmt_info == nullptr) Die("unknown format " + format);
  } else {
    auto r = OpenOrDie(path);
    std::vector<std::string> first;
    Line l;
    while (first.size() < 32 && r->Next(&l)) first.emplace_back(l.text);
    std::vector<std::string_view> views(first.begin(), first.end());
    auto d = DetectFormat(views);
    if (!d.ok()) Die(d.status().ToString());
    fmt_info = *d;
  }

  uint64_t lines = 0, bytes = 0;
  std::vector<double> read_s, parse_s;
  for (int run = 0; run < runs; ++run) {
    auto r = OpenOrDie(path);
    Line l;
    uint64_t n = 0, len = 0;
    double t0 = Now();
    while (r->Next(&l)) {
      ++n;
      len += l.text.size();
    }
    double t1 = Now();
    if (!r->status().ok()) Die(r->status().ToString());
    if (run > 0 && (n != lines || l.end_offset != bytes)) Die("reader runs disagree");
    lines = n;
    bytes = l.end_offset;
    read_s.push_back(t1 - t0);
    (void)len;
  }

  uint64_t digest = 0, records = 0, rejects = 0;
  ParseOptions options;
  options.year = 2005;
  for (int run = 0; run < runs; ++run) {
    auto r = OpenOrDie(path);
    auto parser = fmt_info->make(options);
    DigestSink sink;
    Line l;
    uint64_t n = 0;
    double t0 = Now();
    while (r->Next(&l)) {
      ++n;
      if (l.too_long) sink.OnReject(l.number, Reason::kLineTooLong, "");
      else parser->Line(l.text, l.number, sink);
    }
    parser->Finish(sink);
    double t1 = Now();
    if (n != lines) Die("parse run read a different number of lines");
    if (expect_records >= 0) {
      // Multi-line records (snort dumps, p0f 2) and header lines (Zeek, W3C,
      // CSV): the records the generator wrote must all come back.
      if (sink.records != static_cast<uint64_t>(expect_records)) {
        Die("parsed " + std::to_string(sink.records) + " records, expected " +
            std::to_string(expect_records));
      }
    } else if (sink.records + sink.rejects < lines) {
      Die("lines without a record or a reject");
    }
    if (run > 0 && sink.digest() != digest) Die("parse runs disagree");
    digest = sink.digest();
    records = sink.records;
    rejects = sink.rejects;
    parse_s.push_back(t1 - t0);
  }

  auto best = [](std::vector<double> v) { return *std::min_element(v.begin(), v.end()); };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf("input: %s, %llu lines, %.1f MB, format %.*s\n", path.c_str(),
              static_cast<unsigned long long>(lines), static_cast<double>(bytes) / 1e6,
              static_cast<int>(fmt_info->name.size()), fmt_info->name.data());
  std::printf("records %llu, rejects %llu, digest %016llx\n",
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(rejects),
              static_cast<unsigned long long>(digest));
  for (auto [name, v] : {std::pair<const char*, std::vector<double>*>{"reader", &read_s},
                         {"reader+parse", &parse_s}}) {
    double b = best(*v), m = median(*v);
    std::printf("%-13s best %7.3f s %10.0f lines/s %7.1f MB/s   median %7.3f s %10.0f lines/s\n",
                name, b, static_cast<double>(lines) / b, static_cast<double>(bytes) / 1e6 / b, m,
                static_cast<double>(lines) / m);
  }
  double parse_only = best(parse_s) - best(read_s);
  if (parse_only > 0) {
    std::printf("parse alone   ~%.3f s %10.0f lines/s (best reader+parse minus best reader)\n",
                parse_only, static_cast<double>(lines) / parse_only);
  }
  return 0;
}
