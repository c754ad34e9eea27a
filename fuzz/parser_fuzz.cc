// Generic parser fuzz harness, compiled once per format with
// -DPS_FUZZ_FORMAT="<name>" (see fuzz/CMakeLists.txt). Splits the input into
// lines, feeds them to the format's parser (with options chosen by the first
// byte, so year/boot-time/zone/default-action paths are all reached), runs
// every detector on each line and DetectFormat on the first lines, and checks
// the parser contract: each callback names a line that exists, each reject
// has a valid reason and a non-empty detail, and formats without continuation
// lines answer every line exactly once.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "parse/parser.h"

#ifndef PS_FUZZ_FORMAT
#error "compile with -DPS_FUZZ_FORMAT=\"<format name>\""
#endif

namespace {

using portstorm::parse::Reason;

class CheckingSink : public portstorm::parse::RecordSink {
 public:
  explicit CheckingSink(uint64_t lines) : lines_(lines) {}
  void OnRecord(const portstorm::Event& e, std::string_view host) override {
    if (e.line == 0 || e.line > lines_) std::abort();
    if (host.size() > (1u << 20)) std::abort();
    Answer(e.line);
  }
  void OnReject(uint64_t line, Reason reason, std::string_view detail) override {
    if (line == 0 || line > lines_) std::abort();
    if (static_cast<int>(reason) >= portstorm::parse::kReasonCount) std::abort();
    if (detail.empty() || detail.size() > 4096) std::abort();
    if (portstorm::parse::ReasonName(reason).empty()) std::abort();
    // A line is rejected at most once (one line may hold several records).
    if (rejected_[line - 1]) std::abort();
    rejected_[line - 1] = true;
    Answer(line);
  }
  uint64_t answered = 0;  // distinct lines with a record or a reject

 private:
  void Answer(uint64_t line) {
    if (!seen_[line - 1]) ++answered;
    seen_[line - 1] = true;
  }
  uint64_t lines_;
  std::vector<bool> seen_ = std::vector<bool>(lines_), rejected_ = std::vector<bool>(lines_);
};

portstorm::TimeZone BerlinOrUtc() {
  auto tz = portstorm::TimeZone::Load("Europe/Berlin");
  return tz.ok() ? *tz : portstorm::TimeZone();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const portstorm::parse::FormatInfo* format =
      portstorm::parse::FindFormat(PS_FUZZ_FORMAT);
  static const portstorm::TimeZone berlin = BerlinOrUtc();
  if (format == nullptr) std::abort();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  uint8_t mode = size > 0 ? data[0] : 0;

  portstorm::parse::ParseOptions options;
  options.reference_time = 1'700'000'000'000'000;  // 2023-11-14
  if (mode & 1) options.year = 2002;
  if (mode & 2) options.boot_time = 1'000'000'000'000'000;
  if (mode & 4) options.tz = berlin;
  if (mode & 8) options.default_action = portstorm::Action::kDrop;

  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < in.size()) {
    size_t nl = in.find('\n', pos);
    size_t end = nl == std::string_view::npos ? in.size() : nl;
    std::string_view line = in.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }

  CheckingSink sink(lines.size());
  auto parser = format->make(options);
  for (size_t i = 0; i < lines.size(); ++i) {
    parser->Line(lines[i], i + 1, sink);
    for (const auto& f : portstorm::parse::Formats()) {
      int score = f.detect(lines[i]);
      if (score < 0 || score > 100) std::abort();
    }
  }
  parser->Finish(sink);
  // Formats with continuation lines answer a record on its first line only;
  // every other format answers every line.
  static const bool multi_line = [] {
    for (std::string_view m : {"ipchains", "snort_fast", "snort_full", "p0f", "ims"}) {
      if (m == PS_FUZZ_FORMAT) return true;
    }
    return false;
  }();
  if (!multi_line && sink.answered != lines.size()) std::abort();

  std::vector<std::string_view> first(lines.begin(),
                                      lines.begin() + static_cast<long>(std::min<size_t>(lines.size(), 16)));
  auto detected = portstorm::parse::DetectFormat(first);
  if (detected.ok() && *detected == nullptr) std::abort();
  return 0;
}
