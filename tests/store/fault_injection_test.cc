// Durability under power loss, leveldb fault_injection_test style: run a
// workload on FaultInjectionFileSystem, make every file-system operation
// from the k-th on fail (for every k), drop what was not synced, reopen and
// check that the store verifies and holds every acknowledged batch exactly
// once, and no batch partially.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "store/fault_fs.h"
#include "store/store.h"
#include "test_util.h"

namespace portstorm::store {
namespace {

using Mode = FaultInjectionFileSystem::CrashMode;
constexpr TimeUs kBase = 1105401600LL * kUsPerSecond;
constexpr int kBatches = 10, kBatchSize = 60;

std::vector<Event> Batch(int b) {
  std::mt19937_64 rng(static_cast<uint64_t>(b));
  std::vector<Event> v;
  for (int i = 0; i < kBatchSize; ++i) {
    // Spread over ~2 days so flushes touch several hours, days and indexes.
    Event e = testing::RandomEvent(rng, kBase + b * 4 * kUsPerHour, 2 * kUsPerHour);
    e.origin = 1;
    e.seq = static_cast<uint32_t>(b);
    e.line = static_cast<uint32_t>(i);
    v.push_back(e);
  }
  return v;
}

// Runs the workload until the first error; returns the acknowledged batches.
std::vector<int> Workload(FaultInjectionFileSystem* fs) {
  std::vector<int> acked;
  StoreOptions o;
  o.fs = fs;
  o.memtable_events = 4 * kBatchSize;
  auto s = Store::Open("/f/db", o);
  if (!s.ok()) return acked;
  if (!(*s)->SensorId("gw").ok()) return acked;
  auto origin = (*s)->RegisterOrigin("in.log", 42, 4096);
  if (!origin.ok()) return acked;
  for (int b = 0; b < kBatches; ++b) {
    if (!(*s)->Append(Batch(b), origin->id, 100 * (b + 1), b + 1).ok()) return acked;
    acked.push_back(b);
    if (b % 5 == 2 && !(*s)->Flush().ok()) return acked;
  }
  (void)(*s)->Close();
  return acked;
}

// Checks the recovered store; returns a description of what is wrong or "".
std::string Check(FaultInjectionFileSystem* fs, const std::vector<int>& acked) {
  StoreOptions o;
  o.fs = fs;
  auto s = Store::Open("/f/db", o);
  if (!s.ok()) return "open: " + s.status().ToString();
  auto v = (*s)->Verify();
  if (!v.ok()) return "verify: " + v.status().ToString();
  if (!v->problems.empty()) return "verify: " + v->problems[0];
  std::map<int, std::vector<Event>> got;
  Status st = (*s)->Scan({}, [&](std::span<const Event> b) {
    for (const Event& e : b) got[static_cast<int>(e.seq)].push_back(e);
    return Status::Ok();
  });
  if (!st.ok()) return "scan: " + st.ToString();
  for (int b : acked) {
    if (!got.count(b)) return "acknowledged batch " + std::to_string(b) + " lost";
  }
  int max_batch = -1;
  for (auto& [b, events] : got) {
    if (testing::Sorted(events) != testing::Sorted(Batch(b))) {
      return "batch " + std::to_string(b) + " holds " + std::to_string(events.size()) +
             " events (partial or duplicated)";
    }
    max_batch = std::max(max_batch, b);
  }
  if (static_cast<int>(got.size()) != max_batch + 1) return "gap in batches";
  if (!acked.empty() && max_batch > acked.back() + 1) return "batch from nowhere";
  // Progress moved atomically with the events.
  auto origin = (*s)->RegisterOrigin("x", 42, 4096);
  if (max_batch >= 0) {
    if (!origin.ok() || origin->lines != static_cast<uint64_t>(max_batch + 1) ||
        origin->bytes != static_cast<uint64_t>(100 * (max_batch + 1))) {
      return "origin progress does not match the stored batches";
    }
  }
  if (max_batch >= 0 && (*s)->FindSensor("gw") != 1u) return "sensor lost";
  return "";
}

TEST(FaultInjectionTest, EveryFailurePointThenPowerLoss) {
  int64_t total;
  {
    FaultInjectionFileSystem fs;
    ASSERT_TRUE(fs.CreateDir("/f").ok());
    ASSERT_EQ(Workload(&fs).size(), static_cast<size_t>(kBatches));
    total = fs.mutating_ops();
    ASSERT_EQ(Check(&fs, {}), "");
  }
  ASSERT_GT(total, 100);
  // Every failure point up to 150, then a stride: a run stays under ~20 s.
  int checked = 0;
  for (int64_t k = 0; k <= total; k += k < 150 ? 1 : 1 + total / 100) {
    for (Mode mode : {Mode::kDropAll, Mode::kRandom}) {
      FaultInjectionFileSystem fs;
      ASSERT_TRUE(fs.CreateDir("/f").ok());
      fs.FailAfter(k);
      std::vector<int> acked = Workload(&fs);
      fs.SimulateCrash(mode, static_cast<uint32_t>(k));
      if (k % 3 == 1) {
        // A second crash, in the middle of recovery.
        fs.FailAfter(k % 40);
        StoreOptions o;
        o.fs = &fs;
        (void)Store::Open("/f/db", o);
        fs.SimulateCrash(mode, static_cast<uint32_t>(k + 1));
      }
      ASSERT_EQ(Check(&fs, acked), "") << "failure after " << k << " ops, mode "
                                       << static_cast<int>(mode) << ", " << acked.size()
                                       << " acked";
      ++checked;
    }
  }
  EXPECT_GT(checked, 300);
}

TEST(FaultInjectionTest, LostDirectorySyncLosesNothingAcknowledged) {
  // Every operation succeeds but nothing is ever made durable except by the
  // store's own syncs: a crash at the end must keep every batch.
  FaultInjectionFileSystem fs;
  ASSERT_TRUE(fs.CreateDir("/f").ok());
  StoreOptions o;
  o.fs = &fs;
  std::vector<int> acked;
  {
    auto s = Store::Open("/f/db", o);
    ASSERT_TRUE(s.ok());
    auto origin = (*s)->RegisterOrigin("in.log", 42, 4096);
    ASSERT_TRUE((*s)->SensorId("gw").ok());
    for (int b = 0; b < 6; ++b) {
      ASSERT_TRUE((*s)->Append(Batch(b), origin->id, 100 * (b + 1), b + 1).ok());
      acked.push_back(b);
    }
    fs.FailAfter(0);
  }
  fs.SimulateCrash(Mode::kDropAll);
  EXPECT_EQ(Check(&fs, acked), "");
}

}  // namespace
}  // namespace portstorm::store
