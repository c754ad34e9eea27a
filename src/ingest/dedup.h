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
// from the store in a second ring allocated only when seeding happens. Flows
// are told apart by a 64-bit hash of (sensor, protocol, addresses, ports). A
// record is compared with the newest `max_chain` entries of its flow still in
// a ring, newest first; the oldest entries are overwritten first.
//
// How a ring finds a flow's entries (docs/dedup.md, "Memory layout"): a
// direct-mapped table of 8-byte bucket heads (four per entry) holds the newest
// entry of each bucket's chain, a tag of that entry's flow and a "mixed" bit
// (the chain holds other flows too). A record whose flow has no live entry in
// the ring — almost every record — is answered from that one head; otherwise
// the bucket's chain of 32-byte entries is walked. AdmitAll() hashes a few
// records ahead and prefetches their heads and entries, so the walk rarely
// waits for memory. None of this changes a decision: which entries a record is
// compared with, and in which order, is fixed by the rule above.
//
// Not thread-safe. Admit/AdmitAll modify the events passed in (marks) and
// keep no pointer to them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/event.h"

namespace portstorm::ingest {

struct DedupOptions {
  bool merge = true;                          // cross-log merging
  TimeUs tolerance = 2 * kUsPerSecond;        // same packet in two logs: at most this apart
  TimeUs retry_window = 180 * kUsPerSecond;   // a SYN retry follows its previous try within this
  uint32_t recent = 1u << 16;                 // admitted records remembered (4 MB)
  uint32_t seeded = 1u << 20;                 // stored records remembered (64 MB, when used)
  uint32_t max_chain = 256;                   // entries of one flow looked at per record

  // Testing only; no decision depends on them. `collide`: every flow hashes
  // to one bucket with one tag, so every lookup walks the whole chain.
  // `first_record`: number the first record this (instead of 0), to reach
  // the wrap-around of the rings' 32-bit references in a short test.
  bool collide = false;
  uint64_t first_record = 0;
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
  // Admits events[0], events[1], ... in order, exactly as Admit would one by
  // one, and moves the records to store (Admit true) to the front, keeping
  // their order; returns how many there are. The rest of `events` is left in
  // an unspecified state. Faster than a loop of Admit: it hashes each record
  // once and prefetches a few records ahead.
  size_t AdmitAll(std::span<Event> events);

  uint64_t merged() const { return merged_; }
  uint64_t retransmissions() const { return retransmissions_; }

 private:
  // One remembered record: what a later record is compared with. 32 bytes,
  // aligned: two per cache line, never one across two. The claims (which
  // other logs' copies merged into it, rare) live in a side array.
  struct alignas(32) Entry {
    uint64_t flow;      // hash of the flow key
    TimeUs time;
    uint32_t origin;
    uint32_t seq;
    uint32_t prev;      // Ref of the bucket chain's previous entry (0 = none)
    uint16_t ip_id;
    uint8_t tcp_flags;
    uint8_t claimed;    // other logs whose copy merged into this record (Ring::claims_)
  };
  static_assert(sizeof(Entry) == 32);

  // A ring of entries with one hash chain per bucket.
  class Ring {
   public:
    Ring(uint32_t capacity, uint64_t first_record, bool collide);
    void Add(uint64_t flow, const Event& e);
    // Where a walk of `flow`'s entries starts: 0 when the ring surely holds
    // none (one bucket head read), else the bucket chain's newest entry.
    uint32_t Find(uint64_t flow) const;
    // Calls fn(entry, slot) for the newest entries of `flow` still in the
    // ring, newest first, up to max of them, from start = Find(flow); fn
    // returns false to stop.
    template <typename Fn>
    void ForEach(uint32_t start, uint64_t flow, uint32_t max, Fn fn);
    // Hints for a lookup of `flow` coming soon: its bucket head, then (once
    // the head is in cache) the entry it points to.
    void PrefetchHead(uint64_t flow) const;
    void PrefetchEntry(uint64_t flow) const;
    // The logs that claimed the entry in `slot` (Entry::claimed of them).
    std::array<uint32_t, 2>& Claims(uint32_t slot);

   private:
    // A reference to record number n is kRefValid | (n mod 2^31); 0 = none.
    // Any reference the ring can reach is younger than 2^31 records: heads
    // are swept every kSweepPeriod records (Sweep), and an entry's `prev` was
    // live (at most `capacity` old) when the entry was written.
    static constexpr uint32_t kRefValid = 0x80000000u;
    static constexpr uint64_t kSweepPeriod = uint64_t{1} << 30;
    // Bucket head: the newest entry of the bucket's chain and its flow's tag
    // (bits 33..63 of the hash; bit 0 = kMixed, the chain holds more than one
    // tag). While the head is live and not mixed, every live entry of the
    // chain has the head's tag.
    struct Head {
      uint32_t ref;
      uint32_t tag;
    };
    static constexpr uint32_t kMixed = 1;

    bool Live(uint32_t ref) const {
      // Age of the record in records: 1 = the newest. Unsigned: 0 wraps high.
      const uint32_t age = (static_cast<uint32_t>(next_) - ref) & ~kRefValid;
      return ref != 0 && age - 1 < capacity_;
    }
    uint32_t Tag(uint64_t flow) const { return static_cast<uint32_t>(flow >> 32) & tag_mask_; }
    size_t Bucket(uint64_t flow) const { return flow & bucket_mask_; }
    void Allocate();
    void Sweep();

    uint32_t capacity_;
    uint32_t tag_mask_;     // ~kMixed; 0 with DedupOptions::collide
    uint64_t bucket_mask_;  // heads_.size() - 1; 0 with DedupOptions::collide
    std::vector<Entry> entries_;                  // entry n lives at n % capacity
    std::vector<Head> heads_;                     // four per entry
    std::vector<std::array<uint32_t, 2>> claims_;  // per entry; allocated at the first claim
    uint64_t next_;                               // number of the next entry
  };
  static uint64_t FlowHash(const Event& e);
  bool Admit(Event* e, uint64_t flow);

  DedupOptions options_;
  Ring recent_, seeded_;
  uint64_t merged_ = 0, retransmissions_ = 0;
};

}  // namespace portstorm::ingest
