// crash_writer DIR MEMTABLE_EVENTS: appends deterministic batches to the
// store in DIR until killed, printing each batch number on stdout once
// Append has acknowledged it. It resumes after the batches already stored
// (the origin's progress counts them). Used by crash_test.cc.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crash_batches.h"
#include "store/store.h"

int main(int argc, char** argv) {
  using namespace portstorm;
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_writer DIR MEMTABLE_EVENTS\n");
    return 2;
  }
  store::StoreOptions o;
  o.memtable_events = std::strtoull(argv[2], nullptr, 10);
  auto s = store::Store::Open(argv[1], o);
  if (!s.ok()) {
    std::fprintf(stderr, "crash_writer: %s\n", s.status().ToString().c_str());
    return 1;
  }
  auto origin = (*s)->RegisterOrigin("crash-input", store::testing::kCrashKey, 4096);
  if (!origin.ok() || !(*s)->SensorId("crash").ok()) return 1;
  for (uint64_t b = origin->lines;; ++b) {
    auto batch = store::testing::CrashBatch(b);
    Status st = (*s)->Append(batch, origin->id, b + 1, b + 1);
    if (!st.ok()) {
      std::fprintf(stderr, "crash_writer: %s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("%llu\n", static_cast<unsigned long long>(b));
    std::fflush(stdout);
  }
}
