// The deterministic batches crash_writer appends and crash_test checks.
#pragma once

#include <random>
#include <vector>

#include "test_util.h"

namespace portstorm::store::testing {

inline constexpr uint64_t kCrashKey = 0xC4A5;

// Batch b: 5..44 events; seq = b and line = position identify every event.
inline std::vector<Event> CrashBatch(uint64_t b) {
  std::mt19937_64 rng(b * 7919 + 1);
  std::vector<Event> v(5 + b % 40);
  const TimeUs base = 1105401600LL * kUsPerSecond + static_cast<TimeUs>(b) * 11 * kUsPerSecond * 60;
  for (size_t i = 0; i < v.size(); ++i) {
    v[i] = RandomEvent(rng, base, 3 * kUsPerHour);
    v[i].origin = 1;
    v[i].seq = static_cast<uint32_t>(b);
    v[i].line = static_cast<uint32_t>(i);
  }
  return v;
}

}  // namespace portstorm::store::testing
