#include "parse/formats/mixed_syslog.h"

#include <array>
#include <vector>

namespace portstorm::parse {

namespace {

constexpr std::array<std::string_view, 10> kCarried = {
    "netfilter", "ipchains",   "snort_fast",  "pfsense_filterlog", "mikrotik",
    "cisco_asa", "fortigate",  "panos",       "juniper_srx",       "checkpoint"};

// A detector this sure of a line needs no second opinion.
constexpr int kSure = 85;

const std::array<const FormatInfo*, kCarried.size()>& CarriedInfos() {
  static const auto infos = [] {
    std::array<const FormatInfo*, kCarried.size()> a{};
    for (size_t i = 0; i < kCarried.size(); ++i) a[i] = FindFormat(kCarried[i]);
    return a;
  }();
  return infos;
}

class MixedSyslogParser final : public Parser {
 public:
  explicit MixedSyslogParser(const ParseOptions& options) : options_(options) {}

  void Line(std::string_view line, uint64_t lineno, RecordSink& sink) override {
    const auto& infos = CarriedInfos();
    size_t pick = kNone;
    if (last_ != kNone && infos[last_]->detect(line) >= kSure) {
      pick = last_;
    } else {
      int best = 0;
      for (size_t i = 0; i < infos.size(); ++i) {
        if (infos[i] == nullptr) continue;
        int s = infos[i]->detect(line);
        if (s > best) {
          best = s;
          pick = i;
        }
      }
    }
    if (pick == kNone) {
      // Blank lines and the sshd/cron lines of a collector's stream.
      sink.OnReject(lineno, Reason::kNotARecord, "no firewall format recognised in this line");
      return;
    }
    last_ = pick;
    if (parsers_[pick] == nullptr) {
      parsers_[pick] = infos[pick]->make(options_);
      order_.push_back(pick);
    }
    parsers_[pick]->Line(line, lineno, sink);
  }

  void Finish(RecordSink& sink) override {
    for (size_t i : order_) parsers_[i]->Finish(sink);
  }

  bool holding() const override {
    for (size_t i : order_) {
      if (parsers_[i]->holding()) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kNone = kCarried.size();
  ParseOptions options_;
  std::array<std::unique_ptr<Parser>, kCarried.size()> parsers_;
  std::vector<size_t> order_;  // formats met so far, in order of their first line
  size_t last_ = kNone;
};

}  // namespace

std::span<const std::string_view> SyslogCarriedFormats() { return kCarried; }

const FormatInfo* BestSyslogFormat(std::string_view line, int* score) {
  const FormatInfo* best = nullptr;
  int top = 0;
  for (const FormatInfo* f : CarriedInfos()) {
    if (f == nullptr) continue;
    int s = f->detect(line);
    if (s > top) {
      top = s;
      best = f;
    }
  }
  *score = top;
  return best;
}

int DetectMixedSyslog(std::string_view line) {
  (void)line;
  return 0;
}

std::unique_ptr<Parser> MakeMixedSyslogParser(const ParseOptions& options) {
  return std::make_unique<MixedSyslogParser>(options);
}

}  // namespace portstorm::parse
