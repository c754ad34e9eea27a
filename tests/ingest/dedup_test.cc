#include "ingest/dedup.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace portstorm::ingest
