// Test helpers for parser tests: a sink that keeps everything it is given,
// and a one-call wrapper that runs lines through a fresh parser.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parse/parser.h"

namespace portstorm::parse::testing {

struct Rejected {
  uint64_t line;
  Reason reason;
  std::string detail;
};

class CollectSink : public RecordSink {
 public:
  void OnRecord(const Event& e, std::string_view host) override {
    events.push_back(e);
    hosts.emplace_back(host);
  }
  void OnReject(uint64_t line, Reason reason, std::string_view detail) override {
    rejects.push_back({line, reason, std::string(detail)});
  }
  std::vector<Event> events;
  std::vector<std::string> hosts;
  std::vector<Rejected> rejects;
};

inline CollectSink ParseLines(std::string_view format, const std::vector<std::string>& lines,
                       const ParseOptions& options = {}) {
  CollectSink sink;
  const FormatInfo* f = FindFormat(format);
  if (f == nullptr) return sink;
  auto parser = f->make(options);
  uint64_t n = 0;
  for (const std::string& l : lines) parser->Line(l, ++n, sink);
  parser->Finish(sink);
  return sink;
}

inline IpAddr Addr(std::string_view s) { return *IpAddr::Parse(s); }

// UTC instant of a civil time, for expectations.
inline TimeUs Utc(int y, int mo, int d, int h, int mi, int s, int us = 0) {
  return FromCivilUtc(CivilTime{y, mo, d, h, mi, s, us});
}

}  // namespace portstorm::parse::testing
