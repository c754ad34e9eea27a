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
// bounded: entries older than the newest time seen minus the larger window
// are dropped every few thousand records. Not thread-safe; one per ingest.
#pragma once

#include <cstdint>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "core/event.h"

namespace portstorm::ingest {

struct DedupOptions {
  bool merge = true;                          // cross-log merging
  TimeUs tolerance = 2 * kUsPerSecond;        // same packet in two logs: at most this apart
  TimeUs retry_window = 180 * kUsPerSecond;   // a SYN retry follows its previous try within this
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
  struct FlowKey {
    IpAddr src, dst;
    uint32_t sensor;
    uint16_t sport, dport;
    uint8_t proto;
    friend bool operator==(const FlowKey&, const FlowKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const FlowKey& k) {
      return H::combine(std::move(h), k.src.hi(), k.src.lo(), k.dst.lo(), k.sensor, k.sport,
                        k.dport, k.proto);
    }
  };
  struct Seen {
    TimeUs time;
    uint32_t origin;
    uint32_t seq;
    uint16_t ip_id;
    uint8_t tcp_flags;
    uint8_t claimed = 0;  // how many other logs' records merged into it
    uint32_t claimed_by[3] = {};
  };
  void Remember(const FlowKey& k, const Event& e);
  void Evict();

  DedupOptions options_;
  absl::flat_hash_map<FlowKey, std::vector<Seen>> flows_;
  TimeUs newest_ = INT64_MIN;
  uint64_t since_evict_ = 0;
  uint64_t merged_ = 0, retransmissions_ = 0;
};

}  // namespace portstorm::ingest
