#include "ingest/dedup.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <vector>

namespace portstorm::ingest {
namespace {

// Seed 004: 207.95.12.112:3504 -> 12.82.129.120:6346, SYN at 15:32:54, :57, 33:03
// with IP IDs 31988, 32007, 32053 and one sequence number, logged by ipchains
// (whole seconds, IP ID, no seq), snort (microseconds, IP ID, seq) and p0f
// (whole seconds, neither).
constexpr TimeUs kT0 = 1015083174LL * kUsPerSecond;  // 2002-03-02 15:32:54 UTC

Event Packet(uint32_t origin, TimeUs t, uint16_t ip_id, uint32_t seq) {
  Event e;
  e.time = t;
  e.src = *IpAddr::Parse("207.95.12.112");
  e.dst = *IpAddr::Parse("12.82.129.120");
  e.sport = 3504;
  e.dport = 6346;
  e.proto = kProtoTcp;
  e.tcp_flags = tcp::kSyn;
  e.ip_id = ip_id;
  e.seq = seq;
  e.sensor = 1;
  e.origin = origin;
  return e;
}

TEST(PacketDedupTest, SeedFourThreeLogsStoreEachPacketOnce) {
  PacketDedup d;
  const TimeUs offs[3] = {0, 3 * kUsPerSecond, 9 * kUsPerSecond};
  const uint16_t ids[3] = {31988, 32007, 32053};
  std::vector<Event> stored;
  // ipchains first (origin 1), then snort (2) with sub-second times, then p0f (3).
  for (int i = 0; i < 3; ++i) {
    Event e = Packet(1, kT0 + offs[i], ids[i], 0);
    if (d.Admit(&e)) stored.push_back(e);
  }
  const TimeUs snort_us[3] = {630347, 590663, 611243};
  for (int i = 0; i < 3; ++i) {
    Event e = Packet(2, kT0 + offs[i] + snort_us[i], ids[i], 0xEE01EA38);
    EXPECT_FALSE(d.Admit(&e)) << "snort copy " << i << " should merge";
  }
  for (int i = 0; i < 3; ++i) {
    Event e = Packet(3, kT0 + offs[i], 0, 0);
    e.tcp_flags = 0;  // p0f says SYN only by its mode; leave it unknown
    EXPECT_FALSE(d.Admit(&e)) << "p0f copy " << i << " should merge";
  }
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(d.merged(), 6u);
  // One attempt: the first SYN counts, its two retries are marked.
  EXPECT_EQ(stored[0].marks & mark::kRetransmission, 0);
  EXPECT_NE(stored[1].marks & mark::kRetransmission, 0);
  EXPECT_NE(stored[2].marks & mark::kRetransmission, 0);
  EXPECT_EQ(d.retransmissions(), 2u);
}

TEST(PacketDedupTest, EachPacketClaimedOncePerLog) {
  // Two packets 1 s apart in log 1; log 2 has the same two (no IP ID): each
  // copy takes the nearest unclaimed one, never both the same.
  PacketDedup d;
  Event a = Packet(1, kT0, 0, 0), b = Packet(1, kT0 + kUsPerSecond, 0, 0);
  ASSERT_TRUE(d.Admit(&a));
  ASSERT_TRUE(d.Admit(&b));
  Event a2 = Packet(2, kT0 + 600000, 0, 0), b2 = Packet(2, kT0 + 700000, 0, 0);
  EXPECT_FALSE(d.Admit(&a2));
  EXPECT_FALSE(d.Admit(&b2));
  Event c2 = Packet(2, kT0 + 800000, 0, 0);  // a third copy in log 2: nothing left to claim
  EXPECT_TRUE(d.Admit(&c2));
  EXPECT_EQ(d.merged(), 2u);
}

TEST(PacketDedupTest, DisagreeingFieldsAreDifferentPackets) {
  PacketDedup d;
  Event a = Packet(1, kT0, 100, 0);
  ASSERT_TRUE(d.Admit(&a));
  Event other_id = Packet(2, kT0, 101, 0);
  EXPECT_TRUE(d.Admit(&other_id));
  Event other_port = Packet(3, kT0, 100, 0);
  other_port.sport = 3505;
  EXPECT_TRUE(d.Admit(&other_port));
  Event other_sensor = Packet(3, kT0, 100, 0);
  other_sensor.sensor = 2;
  EXPECT_TRUE(d.Admit(&other_sensor));
  Event too_late = Packet(4, kT0 + 3 * kUsPerSecond, 100, 0);
  EXPECT_TRUE(d.Admit(&too_late)) << "beyond the 2 s tolerance";
  EXPECT_EQ(d.merged(), 0u);
}

TEST(PacketDedupTest, SameLogTwiceIsTwoPackets) {
  PacketDedup d;
  Event a = Packet(1, kT0, 7, 0), b = Packet(1, kT0, 7, 0);
  EXPECT_TRUE(d.Admit(&a));
  EXPECT_TRUE(d.Admit(&b));
  EXPECT_EQ(d.merged(), 0u);
}

TEST(PacketDedupTest, AggregatesAndDisabledMergingAreKept) {
  PacketDedup d;
  Event a = Packet(1, kT0, 0, 0);
  ASSERT_TRUE(d.Admit(&a));
  Event dshield = Packet(2, kT0, 0, 0);
  dshield.count = 5;
  EXPECT_TRUE(d.Admit(&dshield));
  PacketDedup off({.merge = false});
  Event x = Packet(1, kT0, 0, 0), y = Packet(2, kT0, 0, 0);
  EXPECT_TRUE(off.Admit(&x));
  EXPECT_TRUE(off.Admit(&y));
}

TEST(PacketDedupTest, SeededStoreRecordsMergeAndCountAsEarlierTries) {
  PacketDedup d;
  d.Seed(Packet(1, kT0, 31988, 0));
  Event copy = Packet(2, kT0 + 400000, 31988, 0xEE01EA38);
  EXPECT_FALSE(d.Admit(&copy));
  Event retry = Packet(2, kT0 + 3 * kUsPerSecond, 32007, 0xEE01EA38);
  ASSERT_TRUE(d.Admit(&retry));
  EXPECT_NE(retry.marks & mark::kRetransmission, 0);
}

TEST(PacketDedupTest, RetransmissionRules) {
  PacketDedup d({.merge = false});
  Event first = Packet(1, kT0, 0, 1000);
  ASSERT_TRUE(d.Admit(&first));
  EXPECT_EQ(first.marks, 0);
  Event new_seq = Packet(1, kT0 + kUsPerSecond, 0, 2000);  // a new connection, same ports
  ASSERT_TRUE(d.Admit(&new_seq));
  EXPECT_EQ(new_seq.marks & mark::kRetransmission, 0);
  Event retry = Packet(1, kT0 + 3 * kUsPerSecond, 0, 1000);
  ASSERT_TRUE(d.Admit(&retry));
  EXPECT_NE(retry.marks & mark::kRetransmission, 0);
  Event late = Packet(1, kT0 + 400 * kUsPerSecond, 0, 1000);  // beyond the 180 s window
  ASSERT_TRUE(d.Admit(&late));
  EXPECT_EQ(late.marks & mark::kRetransmission, 0);
  Event synack = Packet(1, kT0 + 401 * kUsPerSecond, 0, 1000);
  synack.tcp_flags = tcp::kSyn | tcp::kAck;
  ASSERT_TRUE(d.Admit(&synack));
  EXPECT_EQ(synack.marks & mark::kRetransmission, 0);
  Event udp = Packet(1, kT0 + 402 * kUsPerSecond, 0, 0);
  udp.proto = kProtoUdp;
  udp.tcp_flags = 0;
  Event udp2 = udp;
  udp2.time += kUsPerSecond;
  ASSERT_TRUE(d.Admit(&udp));
  ASSERT_TRUE(d.Admit(&udp2));
  EXPECT_EQ(udp2.marks, 0) << "only TCP SYNs are retransmitted attempts";
  EXPECT_EQ(d.retransmissions(), 1u);
}

TEST(PacketDedupTest, MemoryIsARingOfTheNewestRecords) {
  PacketDedup d({.recent = 1024});
  Event early = Packet(1, kT0, 5, 0);
  ASSERT_TRUE(d.Admit(&early));
  for (uint32_t i = 0; i < 1024; ++i) {  // enough other flows to overwrite it
    Event e = Packet(1, kT0 + i, 0, i + 1);
    e.sport = static_cast<uint16_t>(i);
    ASSERT_TRUE(d.Admit(&e));
  }
  Event copy = Packet(2, kT0, 5, 0);  // its twin comes too late to be recognised: kept
  EXPECT_TRUE(d.Admit(&copy));
  Event recent = Packet(2, kT0 + 1023, 0, 1024);
  recent.sport = 1023;
  EXPECT_FALSE(d.Admit(&recent)) << "a record still in the ring merges";
}


// --- The ring's lookup structures against the rule they implement ---------
//
// ReferenceDedup is the rule of dedup.h written as plainly as possible: every
// record is kept forever, flows are told apart by their exact key (no hash),
// and a record is compared with the newest `max_chain` records of its flow
// among the last `recent` admitted, then among the last `seeded` seeded, newest
// first. PacketDedup (bucket heads with tags, chains, 32-bit references,
// sweeps, prefetching) must decide every record the same way.
class ReferenceDedup {
 public:
  explicit ReferenceDedup(const DedupOptions& o) : o_(o) {}

  void Seed(const Event& e) { Add(&seeded_, e); }

  bool Admit(Event* e) {
    e->marks &= static_cast<uint8_t>(~mark::kRetransmission);
    const bool can_merge = o_.merge && e->count <= 1;
    const bool syn = e->proto == kProtoTcp && IsSyn(e->tcp_flags);
    Record* best = nullptr;
    TimeUs best_gap = o_.tolerance + 1;
    bool retry = false;
    auto walk = [&](Log& log) {
      auto it = log.by_flow.find(KeyOf(*e));
      if (it == log.by_flow.end()) return;
      uint32_t steps = 0;
      for (auto n = it->second.rbegin(); n != it->second.rend() && steps < o_.max_chain; ++n) {
        if (log.records.size() - *n > log.capacity) break;  // no longer remembered
        ++steps;
        Record& s = log.records[*n];
        if (can_merge && s.origin != e->origin && s.claimed.size() < 2 &&
            (s.claimed.empty() || s.claimed[0] != e->origin) &&
            std::llabs(s.time - e->time) < best_gap && Agree(s.ip_id, e->ip_id) &&
            Agree(s.seq, e->seq) && Agree(s.tcp_flags, e->tcp_flags)) {
          best = &s;
          best_gap = std::llabs(s.time - e->time);
        }
        if (syn && IsSyn(s.tcp_flags) && s.time <= e->time &&
            e->time - s.time <= o_.retry_window && Agree(s.seq, e->seq)) {
          retry = true;
        }
      }
    };
    if (can_merge || syn) {
      walk(recent_);
      walk(seeded_);
    }
    if (best != nullptr) {
      best->claimed.push_back(e->origin);
      if (best->ip_id == 0) best->ip_id = e->ip_id;
      if (best->seq == 0) best->seq = e->seq;
      if (best->tcp_flags == 0) best->tcp_flags = e->tcp_flags;
      return false;
    }
    if (retry) e->marks |= mark::kRetransmission;
    Add(&recent_, *e);
    return true;
  }

 private:
  using Key = std::array<uint8_t, 41>;
  struct Record {
    TimeUs time;
    uint32_t origin, seq;
    uint16_t ip_id;
    uint8_t tcp_flags;
    std::vector<uint32_t> claimed;
  };
  struct Log {
    uint64_t capacity;
    std::vector<Record> records;
    std::map<Key, std::vector<size_t>> by_flow;
  };
  static bool IsSyn(uint8_t f) { return (f & tcp::kSyn) != 0 && (f & tcp::kAck) == 0; }
  template <typename T>
  static bool Agree(T a, T b) { return a == 0 || b == 0 || a == b; }
  static Key KeyOf(const Event& e) {
    Key k{};
    std::memcpy(k.data(), e.src.bytes().data(), 16);
    std::memcpy(k.data() + 16, e.dst.bytes().data(), 16);
    std::memcpy(k.data() + 32, &e.sensor, 4);
    std::memcpy(k.data() + 36, &e.sport, 2);
    std::memcpy(k.data() + 38, &e.dport, 2);
    k[40] = e.proto;
    return k;
  }
  void Add(Log* log, const Event& e) {
    log->by_flow[KeyOf(e)].push_back(log->records.size());
    log->records.push_back({e.time, e.origin, e.seq, e.ip_id, e.tcp_flags, {}});
  }

  DedupOptions o_;
  Log recent_{o_.recent, {}, {}}, seeded_{o_.seeded, {}, {}};
};

// Records of few flows (2 sensors x 24 sources x 3 targets x 3 x 3 ports x
// TCP/UDP = 2,592), so that with a ring of 1,024 records and 4,096 buckets
// most buckets hold several flows, chains mix flows and heads go stale. Two
// records in five repeat one of the last 32 (another log's copy, a retry, the
// same line twice) seconds apart, sometimes disagreeing on IP ID, sequence
// number or flags; a few are aggregates; half have whole-second times.
class EventStream {
 public:
  explicit EventStream(uint64_t seed) : rng_(seed) {}
  Event Next() {
    Event e;
    if (Pick(5) < 2 && !last_.empty()) {
      e = last_[Pick(last_.size())];
      e.time += static_cast<TimeUs>(Pick(6 * kUsPerSecond)) - 2 * kUsPerSecond;
      e.origin = 1 + static_cast<uint32_t>(Pick(3));
      if (Pick(4) == 0) e.ip_id = static_cast<uint16_t>(Pick(4));
      if (Pick(4) == 0) e.seq = static_cast<uint32_t>(Pick(4));
      if (Pick(8) == 0) e.tcp_flags = 0;
    } else {
      t_ += static_cast<TimeUs>(Pick(200000));
      e.time = t_;
      e.src = IpAddr::V4(0x0A000000u + static_cast<uint32_t>(Pick(24)));
      e.dst = IpAddr::V4(0xC0A80000u + static_cast<uint32_t>(Pick(3)));
      e.sensor = 1 + static_cast<uint32_t>(Pick(2));
      e.origin = 1 + static_cast<uint32_t>(Pick(3));
      e.sport = static_cast<uint16_t>(1024 + Pick(3));
      e.dport = static_cast<uint16_t>(Pick(3) * 111);
      e.proto = Pick(5) == 0 ? kProtoUdp : kProtoTcp;
      if (e.proto == kProtoTcp) {
        const uint8_t flags[4] = {tcp::kSyn, tcp::kSyn, tcp::kSyn | tcp::kAck, 0};
        e.tcp_flags = flags[Pick(4)];
        e.seq = static_cast<uint32_t>(Pick(4));  // 0 = this log does not say
      }
      e.ip_id = static_cast<uint16_t>(Pick(4));
    }
    e.count = Pick(50) == 0 ? 3 : 1;
    // Half the records come from logs that write whole seconds: ties in time
    // gaps, where the order of comparison decides.
    if (Pick(2) == 0) e.time -= e.time % kUsPerSecond;
    if (last_.size() < 32) {
      last_.push_back(e);
    } else {
      last_[Pick(32)] = e;
    }
    return e;
  }

 private:
  uint64_t Pick(uint64_t n) { return rng_() % n; }
  std::mt19937_64 rng_;
  TimeUs t_ = kT0;
  std::vector<Event> last_;
};

// Runs `events` random records through both, in batches of random size
// through AdmitAll and one by one through Admit, and compares every decision:
// kept or merged, marked or not. Before some batches, as ingest does when a
// batch reaches new hours of the store, up to `seeds` records are seeded.
void ExpectSameDecisions(DedupOptions o, uint64_t seed, size_t seeds, size_t events) {
  PacketDedup dedup(o);
  ReferenceDedup reference(o);
  EventStream stream(seed);
  std::mt19937_64 rng(seed + 1);
  uint64_t kept = 0, marked = 0;
  std::vector<Event> batch, expected;
  for (size_t done = 0; done < events;) {
    if (seeds > 0 && rng() % 8 == 0) {
      for (size_t i = rng() % seeds; i > 0; --i) {
        Event e = stream.Next();
        e.origin += 10;  // stored by an earlier command
        dedup.Seed(e);
        reference.Seed(e);
      }
    }
    const size_t n = std::min<size_t>(events - done, rng() % 64);
    batch.clear();
    expected.clear();
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(stream.Next());
      batch.back().marks = static_cast<uint8_t>(rng() % 2);  // stale marks are cleared
      Event r = batch.back();
      if (reference.Admit(&r)) expected.push_back(r);
    }
    size_t got;
    if (rng() % 4 == 0) {
      got = 0;
      for (Event& e : batch) {
        if (dedup.Admit(&e)) batch[got++] = e;
      }
    } else {
      got = dedup.AdmitAll(batch);
    }
    ASSERT_EQ(got, expected.size()) << "records " << done << ".." << done + n;
    for (size_t i = 0; i < got; ++i) {
      ASSERT_EQ(batch[i], expected[i]) << "records " << done << ".." << done + n << ", kept " << i;
      kept += 1;
      marked += batch[i].marks & mark::kRetransmission;
    }
    done += n;
  }
  // The stream exercises every decision, not just "keep".
  EXPECT_GT(kept, events / 10);
  EXPECT_LT(kept, events - events / 10);
  EXPECT_GT(marked, events / 100);
  EXPECT_EQ(dedup.merged() + kept, events);
  EXPECT_EQ(dedup.retransmissions(), marked);
}

TEST(PacketDedupTest, SameDecisionsAsTheReferenceOnAMillionRecords) {
  ExpectSameDecisions({.recent = 1024, .seeded = 1024, .max_chain = 3}, 42, 40, 1000000);
}

TEST(PacketDedupTest, SameDecisionsWithLongChainsAndDefaults) {
  ExpectSameDecisions({.retry_window = 20 * kUsPerSecond, .recent = 1024, .seeded = 4096}, 7,
                      40, 200000);
  ExpectSameDecisions({}, 8, 40, 100000);
}

TEST(PacketDedupTest, SameDecisionsWhenEveryFlowCollides) {
  // One bucket, one tag: every lookup walks the whole chain, past other flows.
  ExpectSameDecisions({.recent = 1024, .seeded = 1024, .max_chain = 5, .collide = true}, 3, 40,
                      100000);
}

TEST(PacketDedupTest, SameDecisionsAcrossReferenceWrapAround) {
  // Records are referred to by 31-bit numbers; heads are swept every 2^30
  // records. Start just before 2^31 and 2^32 so both wraps happen mid-stream.
  for (uint64_t first : {(uint64_t{1} << 31) - 100000, (uint64_t{1} << 32) - 100000,
                         (uint64_t{1} << 40) - 1}) {
    SCOPED_TRACE(first);
    ExpectSameDecisions({.recent = 1024, .seeded = 1024, .max_chain = 4, .first_record = first},
                        first, 40, 150000);
  }
}

TEST(PacketDedupTest, AdmitAllKeepsOrderAndAnswersLikeAdmit) {
  // Seed 004's three logs in one batch: the same answer as one by one.
  PacketDedup d;
  const TimeUs offs[3] = {0, 3 * kUsPerSecond, 9 * kUsPerSecond};
  const uint16_t ids[3] = {31988, 32007, 32053};
  std::vector<Event> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(Packet(1, kT0 + offs[i], ids[i], 0));
  for (int i = 0; i < 3; ++i) batch.push_back(Packet(2, kT0 + offs[i] + 500000, ids[i], 77));
  ASSERT_EQ(d.AdmitAll(batch), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(batch[i].time, kT0 + offs[i]);
    EXPECT_EQ((batch[i].marks & mark::kRetransmission) != 0, i > 0);
  }
  EXPECT_EQ(d.merged(), 3u);
  EXPECT_EQ(d.AdmitAll({}), 0u);
}

}  // namespace
}  // namespace portstorm::ingest
