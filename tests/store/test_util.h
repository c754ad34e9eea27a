// Helpers shared by the store tests: deterministic random events and
// multiset comparison of event lists.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "core/event.h"
#include "core/time.h"

namespace portstorm::store::testing {

// An event with every field random, times in [base, base + span_us).
inline Event RandomEvent(std::mt19937_64& rng, TimeUs base, TimeUs span_us) {
  Event e;
  e.time = base + static_cast<TimeUs>(rng() % static_cast<uint64_t>(span_us));
  auto addr = [&]() {
    if (rng() % 4 == 0) {
      uint8_t b[16];
      for (auto& x : b) x = static_cast<uint8_t>(rng() % 3 == 0 ? rng() : 0);
      b[0] = 0x20, b[1] = 0x01;
      return IpAddr::V6(b);
    }
    return IpAddr::V4(rng() % 3 == 0 ? static_cast<uint32_t>(rng())
                                     : 0x0a000000u + static_cast<uint32_t>(rng() % 300));
  };
  e.src = addr();
  e.dst = addr();
  e.seq = static_cast<uint32_t>(rng());
  e.count = 1 + static_cast<uint32_t>(rng() % 3);
  e.sensor = static_cast<uint32_t>(rng() % 4);
  e.origin = static_cast<uint32_t>(rng() % 2);
  e.line = static_cast<uint32_t>(rng());
  e.tcp_opts = static_cast<uint32_t>(rng() % 5 == 0 ? rng() : 0);
  e.sport = static_cast<uint16_t>(rng());
  e.dport = static_cast<uint16_t>(rng() % 2 ? rng() % 20 : rng());
  e.ip_len = static_cast<uint16_t>(rng());
  e.ip_id = static_cast<uint16_t>(rng());
  e.window = static_cast<uint16_t>(rng());
  e.mss = static_cast<uint16_t>(rng() % 3 ? 1460 : rng());
  e.payload_len = static_cast<uint16_t>(rng());
  e.proto = static_cast<uint8_t>(rng() % 3 == 0 ? rng() : 6);
  e.tcp_flags = static_cast<uint8_t>(rng());
  e.ttl = static_cast<uint8_t>(rng());
  e.action = static_cast<Action>(rng() % 5);
  e.ip_flags = static_cast<uint8_t>(rng() % 8);
  e.wscale = static_cast<uint8_t>(rng() % 16);
  for (auto& b : e.payload) b = static_cast<uint8_t>(rng() % 2 ? rng() : 0);
  e.marks = static_cast<uint8_t>(rng() % 3 == 0 ? rng() : 0);
  for (auto& b : e.reserved) b = static_cast<uint8_t>(rng() % 7 == 0 ? rng() : 0);
  return e;
}

inline bool EventLess(const Event& a, const Event& b) {
  return std::memcmp(&a, &b, sizeof(Event)) < 0;
}

// Every file under `dir` with its size, as "relative/path:size" lines.
inline std::vector<std::string> ListTree(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    out.push_back(std::filesystem::relative(e.path(), dir).string() + ":" +
                  std::to_string(e.file_size()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<Event> Sorted(std::vector<Event> v) {
  std::sort(v.begin(), v.end(), EventLess);
  return v;
}

}  // namespace portstorm::store::testing
