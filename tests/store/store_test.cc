// Store round trips through the real file system: what is appended is what
// Scan returns, across flushes and reopens; day indexes, dictionaries and
// progress persist; corrupt files are reported, never crash.
#include "store/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "store/fault_fs.h"
#include "test_util.h"

namespace portstorm::store {
namespace {

namespace fs = std::filesystem;
using testing::RandomEvent;
using testing::Sorted;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ps_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<Store> OpenOrDie(StoreOptions o = {}) {
    auto s = Store::Open(dir_, o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  static std::vector<Event> ScanAll(const Store& s, ScanOptions o = {}) {
    std::vector<Event> out;
    Status st = s.Scan(o, [&](std::span<const Event> b) {
      out.insert(out.end(), b.begin(), b.end());
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  std::string dir_;
};

constexpr TimeUs kBase = 1105401600LL * kUsPerSecond;  // 2005-01-11

TEST_F(StoreTest, RoundTripAcrossFlushesAndReopen) {
  std::mt19937_64 rng(7);
  std::vector<Event> all;
  StoreOptions o;
  o.memtable_events = 7000;
  {
    auto s = OpenOrDie(o);
    ASSERT_TRUE(s);
    for (int b = 0; b < 20; ++b) {
      std::vector<Event> batch;
      for (int i = 0; i < 1500; ++i) batch.push_back(RandomEvent(rng, kBase, 3 * kUsPerDay));
      ASSERT_TRUE(s->Append(batch, 0, 0, 0).ok());
      all.insert(all.end(), batch.begin(), batch.end());
      if (b == 5) {
        ASSERT_TRUE(s->Flush().ok());
      }
      if (b % 4 == 0) {
        EXPECT_EQ(Sorted(ScanAll(*s)), Sorted(all));  // memtable visible
      }
    }
    ASSERT_TRUE(s->Close().ok());
  }
  for (bool ro : {true, false}) {
    StoreOptions r = o;
    r.read_only = ro;
    auto s = OpenOrDie(r);
    ASSERT_TRUE(s);
    std::vector<Event> got = ScanAll(*s);
    EXPECT_EQ(got.size(), all.size());
    EXPECT_TRUE(Sorted(got) == Sorted(all));
    EXPECT_EQ(s->total_records(), all.size());
    // Order: hour by hour; within a part, by time.
    for (size_t i = 1; i < got.size(); ++i) {
      ASSERT_LE(HourOf(got[i - 1].time), HourOf(got[i].time));
    }
    auto v = s->Verify();
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->problems.empty()) << v->problems[0];
    EXPECT_EQ(v->records, all.size());
    // Day indexes equal ones built from the events.
    std::map<int64_t, DayIndex> want;
    for (const Event& e : all) {
      auto [it, _] = want.try_emplace(DayOf(e.time), DayOf(e.time));
      it->second.Add(e);
    }
    std::vector<int64_t> days;
    for (auto& [d, idx] : want) days.push_back(d);
    EXPECT_EQ(s->Days(), days);
    for (auto& [d, idx] : want) {
      auto got_idx = s->ReadDayIndex(d);
      ASSERT_TRUE(got_idx.ok()) << got_idx.status().ToString();
      EXPECT_TRUE(*got_idx == idx) << FormatDay(d);
    }
    auto empty = s->ReadDayIndex(days.back() + 10);
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->ports().empty());
  }
}

// A reader that opens while a writer holds acknowledged but unflushed
// batches (as after a kill -9) sees them: it replays the WAL in memory and
// writes nothing.
TEST_F(StoreTest, ReadOnlyOpenSeesAcknowledgedUnflushedBatches) {
  std::mt19937_64 rng(11);
  std::vector<Event> all;
  auto w = OpenOrDie();
  auto sensor = w->SensorId("edge");
  ASSERT_TRUE(sensor.ok());
  for (int b = 0; b < 3; ++b) {
    std::vector<Event> batch;
    for (int i = 0; i < 700; ++i) batch.push_back(RandomEvent(rng, kBase, kUsPerDay));
    ASSERT_TRUE(w->Append(batch, 0, 0, 0).ok());
    all.insert(all.end(), batch.begin(), batch.end());
  }
  auto files_before = testing::ListTree(dir_);
  auto r = OpenOrDie({.read_only = true});
  ASSERT_TRUE(r);
  EXPECT_EQ(Sorted(ScanAll(*r)), Sorted(all));
  EXPECT_EQ(r->FindSensor("edge"), *sensor);
  DayIndex want(DayOf(kBase));
  for (const Event& e : all) want.Add(e);
  auto idx = r->ReadDayIndex(DayOf(kBase));
  ASSERT_TRUE(idx.ok());
  EXPECT_TRUE(*idx == want);
  EXPECT_EQ(testing::ListTree(dir_), files_before);  // the reader wrote nothing
}

TEST_F(StoreTest, ColumnMasksAndTimeRanges) {
  std::mt19937_64 rng(8);
  std::vector<Event> all;
  {
    auto s = OpenOrDie();
    for (int i = 0; i < 30000; ++i) all.push_back(RandomEvent(rng, kBase, 2 * kUsPerDay));
    ASSERT_TRUE(s->Append(all, 0, 0, 0).ok());
    ASSERT_TRUE(s->Close().ok());
  }
  auto s = OpenOrDie({.read_only = true});
  const TimeUs from = kBase + 5 * kUsPerHour + 123, until = kBase + 30 * kUsPerHour + 77;
  for (uint32_t mask : {col::kAll, col::kTime, col::kSrc | col::kPorts, col::kTcpHeader,
                        col::kPayload | col::kCount, col::kOrigin | col::kSensor | col::kFlags}) {
    std::vector<Event> want;
    for (Event e : all) {
      if (e.time < from || e.time >= until) continue;
      Event m = e;
      if (mask != col::kAll) {
        m = Event{};
        m.count = 0;
        if (mask & col::kTime) m.time = e.time;
        if (mask & col::kSrc) m.src = e.src;
        if (mask & col::kPorts) m.sport = e.sport, m.dport = e.dport;
        if (mask & col::kTcpHeader) {
          m.seq = e.seq, m.window = e.window, m.mss = e.mss, m.wscale = e.wscale;
          m.tcp_opts = e.tcp_opts;
        }
        if (mask & col::kPayload) {
          m.payload_len = e.payload_len;
          std::copy(std::begin(e.payload), std::end(e.payload), m.payload);
        }
        if (mask & col::kCount) m.count = e.count;
        if (mask & col::kOrigin) m.origin = e.origin, m.line = e.line;
        if (mask & col::kSensor) m.sensor = e.sensor;
        if (mask & col::kFlags) {
          m.tcp_flags = e.tcp_flags, m.action = e.action, m.marks = e.marks;
          std::copy(std::begin(e.reserved), std::end(e.reserved), m.reserved);
        }
      }
      want.push_back(m);
    }
    auto got = ScanAll(*s, {.from = from, .until = until, .columns = mask});
    EXPECT_TRUE(Sorted(got) == Sorted(want)) << std::hex << mask;
  }
  EXPECT_TRUE(ScanAll(*s, {.from = until, .until = from}).empty());
}

TEST_F(StoreTest, DictionariesAndProgressPersist) {
  {
    auto s = OpenOrDie({.memtable_events = 10});
    auto a = s->SensorId("home-gw");
    auto b = s->SensorId("dmz");
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, 1u);
    EXPECT_EQ(*b, 2u);
    EXPECT_EQ(*s->SensorId("home-gw"), 1u);
    auto o1 = s->RegisterOrigin("fw.log", 0x1234, 4096);
    auto o2 = s->RegisterOrigin("short.log", 0x99, 17);
    ASSERT_TRUE(o1.ok() && o2.ok());
    EXPECT_EQ(o1->id, 1u);
    EXPECT_EQ(s->RegisterOrigin("renamed.log", 0x1234, 4096)->id, 1u);
    std::vector<Event> ev(3);
    for (auto& e : ev) e.time = kBase, e.sensor = 2, e.origin = 1;
    ASSERT_TRUE(s->Append(ev, 1, 1000, 30).ok());
    ASSERT_TRUE(s->Append(ev, 1, 2000, 60).ok());  // flushes (memtable 10 not yet)...
    ASSERT_TRUE(s->Append({}, 2, 17, 1).ok());      // progress only
    // No Close: the destructor flushes; a later crash is covered elsewhere.
  }
  auto s = OpenOrDie({.read_only = true});
  EXPECT_EQ(s->SensorName(1), "home-gw");
  EXPECT_EQ(s->SensorName(2), "dmz");
  EXPECT_EQ(s->SensorName(3), "");
  EXPECT_EQ(s->FindSensor("dmz"), 2u);
  EXPECT_FALSE(s->FindSensor("nope").has_value());
  auto origins = s->Origins();
  ASSERT_EQ(origins.size(), 1u);  // only the short one
  EXPECT_EQ(origins[0].name, "short.log");
  EXPECT_EQ(origins[0].bytes, 17u);
  EXPECT_EQ(s->total_records(), 6u);
  auto w = OpenOrDie();  // read-only and writer may coexist
  auto o = w->RegisterOrigin("again", 0x1234, 4096);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->bytes, 2000u);
  EXPECT_EQ(o->lines, 60u);
  EXPECT_FALSE(Store::Open(dir_).ok());  // locked by w
}

TEST_F(StoreTest, WriteErrorsAndLimits) {
  auto s = OpenOrDie();
  Event e;
  e.time = -5;
  EXPECT_EQ(s->Append(std::span(&e, 1), 0, 0, 0).code(), Code::kInvalidArgument);
  e.time = kBase;
  EXPECT_EQ(s->Append(std::span(&e, 1), 9, 0, 0).code(), Code::kInvalidArgument);
  ASSERT_TRUE(s->Close().ok());
  EXPECT_FALSE(s->Append(std::span(&e, 1), 0, 0, 0).ok());
  auto ro = OpenOrDie({.read_only = true});
  EXPECT_FALSE(ro->SensorId("x").ok());
  EXPECT_EQ(Store::Open(dir_ + "/missing", {.read_only = true}).status().code(), Code::kNotFound);
}

// Flips bytes in every kind of file: Open, Scan or Verify must report
// Corruption, naming the file.
TEST_F(StoreTest, CorruptionIsReported) {
  std::mt19937_64 rng(9);
  {
    auto s = OpenOrDie();
    std::vector<Event> ev;
    for (int i = 0; i < 5000; ++i) ev.push_back(RandomEvent(rng, kBase, kUsPerHour));
    ASSERT_TRUE(s->Append(ev, 0, 0, 0).ok());
    ASSERT_TRUE(s->Close().ok());
  }
  std::vector<std::string> files;
  for (auto& f : fs::recursive_directory_iterator(dir_)) {
    std::string n = f.path().filename();
    if (f.is_regular_file() && (n == "MANIFEST" || n.ends_with(".seg") || n.ends_with(".idx"))) {
      files.push_back(f.path());
    }
  }
  ASSERT_EQ(files.size(), 3u);
  const std::string backup = dir_ + ".bak";
  fs::remove_all(backup);
  fs::copy(dir_, backup, fs::copy_options::recursive);
  for (const std::string& f : files) {
    uint64_t size = fs::file_size(f);
    for (uint64_t pos = 0; pos < size; pos += size / 13 + 1) {
      fs::remove_all(dir_);
      fs::copy(backup, dir_, fs::copy_options::recursive);
      {
        std::fstream io(f, std::ios::in | std::ios::out | std::ios::binary);
        io.seekg(static_cast<std::streamoff>(pos));
        char c;
        io.get(c);
        io.seekp(static_cast<std::streamoff>(pos));
        io.put(static_cast<char>(c ^ 0x21));
      }
      auto s = Store::Open(dir_, {.read_only = true});
      if (!s.ok()) {
        EXPECT_EQ(s.status().code(), Code::kCorruption) << f << " @" << pos;
        continue;
      }
      auto v = (*s)->Verify();
      ASSERT_TRUE(v.ok());
      ASSERT_FALSE(v->problems.empty()) << f << " @" << pos;
      EXPECT_NE(v->problems[0].find(fs::path(f).filename().string()), std::string::npos)
          << v->problems[0];
      Status scan = (*s)->Scan({}, [](std::span<const Event>) { return Status::Ok(); });
      Status idx = (*s)->ReadDayIndex(DayOf(kBase)).status();
      EXPECT_TRUE(scan.code() == Code::kCorruption || idx.code() == Code::kCorruption)
          << f << " @" << pos;
    }
  }
  fs::remove_all(backup);
}

TEST_F(StoreTest, TornWalTailIsCutOnRecovery) {
  FaultInjectionFileSystem ffs;
  StoreOptions o;
  o.fs = &ffs;
  ASSERT_TRUE(ffs.CreateDir("/t").ok());
  std::mt19937_64 rng(10);
  std::vector<Event> acked;
  {
    auto s = Store::Open("/t/db", o);
    ASSERT_TRUE(s.ok());
    for (int b = 0; b < 5; ++b) {
      std::vector<Event> batch;
      for (int i = 0; i < 100; ++i) batch.push_back(RandomEvent(rng, kBase, kUsPerHour));
      ASSERT_TRUE((*s)->Append(batch, 0, 0, 0).ok());
      acked.insert(acked.end(), batch.begin(), batch.end());
    }
    // A last batch torn half-way: append garbage to the WAL without sync.
    auto names = ffs.ListDir("/t/db");
    for (auto& n : *names) {
      if (n.starts_with("wal-")) {
        std::string data;
        ASSERT_TRUE(ffs.ReadFile("/t/db/" + n, &data).ok());
        ASSERT_TRUE(ffs.Corrupt("/t/db/" + n, data.size() - 10, "0123456789").ok());
        // The last acknowledged record is now damaged: that can only happen
        // by bit rot, and recovery cuts it like a torn tail.
        acked.resize(acked.size() - 100);
      }
    }
    ffs.FailAfter(0);  // the process "dies": the destructor's flush fails
    s->reset();
    ffs.SimulateCrash(FaultInjectionFileSystem::CrashMode::kDropAll);
  }
  auto s = Store::Open("/t/db", o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(Sorted(ScanAll(**s)) == Sorted(acked));
}

}  // namespace
}  // namespace portstorm::store
