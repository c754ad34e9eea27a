// One packet is one record; one SYN and its retries are one attempt.
//
// PacketDedup sees every record an ingest is about to store, in the order of
// its logs, and decides two things (issue 4, docs/dedup.md):
//
//  * Cross-log merging. A sensor that logs the same packet several times
//    (seed 004: ipchains, snort and p0f on one host) must store it once. A new
//    record is the same packet as an earlier one when both come from the same
//    sensor but different logs (origins), have the same protocol, addresses
//    and ports, lie within `tolerance` of each other (absorbing each log's
//    clock and rounding: p0f and syslog write whole seconds), and nothing they
//    both know disagrees (IP ID, sequence number, TCP flags, where both logs
//    carry them). Each earlier record is claimed by at most one record of
//    each other log, the nearest in time, so three retransmissions seconds
//    apart logged by two logs merge pairwise, never all into one.
//  * Attempts. A TCP SYN (without ACK) that repeats an earlier SYN of the same
//    sensor — same addresses, ports and sequence number (where known) — within
//    `retry_window` is a retransmission (seed 002: 3 s, seed 004: 0, 3, 9 s);
//    it is stored, marked mark::kRetransmission, so reports can count records
//    or attempts.
//
// DShield-style aggregate records (count > 1) are never merged. Memory is
// bounded and cache-friendly: admitted records live in a small ring (the
// newest `recent` records — every retry and every same-command copy of a
// packet is near in the ring, since logs are in time order), records seeded
// from the store in a second ring allocated only when seeding happens. Each
// ring is a hash chain per flow; the oldest entries are overwritten first and a
// lookup walks at most `max_chain` entries of its flow. Flows are told apart by
// a 64-bit hash of (sensor, protocol, addresses, ports). Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/event.h"

namespace portstorm::ingest {

struct DedupOptions {
  bool merge = true;                          // cross-log merging
  TimeUs tolerance = 2 * kUsPerSecond;        // same packet in two logs: at most this apart
  TimeUs retry_window = 180 * kUsPerSecond;   // a SYN retry follows its previous try within this
  uint32_t recent = 1u << 16;                 // admitted records remembered (3.5 MB)
  uint32_t seeded = 1u << 20;                 // stored records remembered (56 MB, when used)
  uint32_t max_chain = 256;                   // entries of one flow looked at per record
};

class PacketDedup {
 public:
  explicit PacketDedup(DedupOptions options = {});

  // A record already in the store near the times being ingested: new records
  // may duplicate it (other logs) or retransmit it.
  void Seed(const Event& stored);
  // A new record. Returns false when it is another log's copy of a packet
  // already admitted or seeded (do not store it); otherwise sets or clears
  // mark::kRetransmission in e->marks and returns true.
  bool Admit(Event* e);

  uint64_t merged() const { return merged_; }
  uint64_t retransmissions() const { return retransmissions_; }

 private:
  struct Entry {
    uint64_t flow = 0;   // hash of the flow key
    TimeUs time = 0;
    uint64_t prev = 0;   // sequence number + 1 of the flow chain's previous entry (0 = none)
    uint32_t origin = 0;
    uint32_t seq = 0;
    uint32_t claimed_by[2] = {};  // other logs whose copy merged into this record
    uint16_t ip_id = 0;
    uint8_t tcp_flags = 0;
    uint8_t claimed = 0;
  };
  // A ring of entries with one hash chain per flow bucket.
  class Ring {
   public:
    explicit Ring(uint32_t capacity) : capacity_(capacity) {}
    void Add(uint64_t flow, const Event& e);
    // Calls fn(entry) for the newest entries of `flow`, newest first, up to max
    // of them; fn returns false to stop.
    template <typename Fn>
    void ForEach(uint64_t flow, uint32_t max, Fn fn);

   private:
    uint32_t capacity_;
    std::vector<Entry> entries_;   // entry n lives at n % capacity
    std::vector<uint64_t> heads_;  // per bucket: sequence number + 1 of its newest entry
    uint64_t next_ = 0;            // sequence number of the next entry
  };
  static uint64_t FlowHash(const Event& e);

  DedupOptions options_;
  Ring recent_, seeded_;
  uint64_t merged_ = 0, retransmissions_ = 0;
};

}  // namespace portstorm::ingest
