// PacketDedup; see dedup.h and docs/dedup.md.
#include "ingest/dedup.h"

// The library's own XXH3_64bits, inlined (no call through the PLT per record):
// the same flow hashes as always, so flows are told apart exactly as before.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace portstorm::ingest {
namespace {

bool IsSyn(uint8_t flags) { return (flags & tcp::kSyn) != 0 && (flags & tcp::kAck) == 0; }

// Fields both logs know must agree; a zero means "this log does not say".
bool Compatible(uint16_t id_a, uint16_t id_b, uint32_t seq_a, uint32_t seq_b, uint8_t fl_a,
                uint8_t fl_b) {
  if (id_a != 0 && id_b != 0 && id_a != id_b) return false;
  if (seq_a != 0 && seq_b != 0 && seq_a != seq_b) return false;
  if (fl_a != 0 && fl_b != 0 && fl_a != fl_b) return false;
  return true;
}

uint32_t PowerOfTwo(uint32_t n) {
  uint32_t p = 1024;
  while (p < n && p < (1u << 28)) p <<= 1;
  return p;
}

}  // namespace

PacketDedup::Ring::Ring(uint32_t capacity, uint64_t first_record, bool collide)
    : capacity_(capacity),
      tag_mask_(collide ? 0 : ~kMixed),
      // Four buckets per entry: a lookup rarely meets another flow's entry.
      bucket_mask_(collide ? 0 : uint64_t{capacity} * 4 - 1),
      next_(first_record) {}

void PacketDedup::Ring::Allocate() {
  // On first use: a ring nobody fills costs nothing. Zeroed entries are never
  // read: only references to written entries are followed.
  entries_.resize(capacity_);
  heads_.assign(size_t{capacity_} * 4, Head{0, 0});
}

void PacketDedup::Ring::Sweep() {
  for (Head& h : heads_) {
    if (!Live(h.ref)) h = Head{0, 0};
  }
}

void PacketDedup::Ring::Add(uint64_t flow, const Event& e) {
  if (entries_.empty()) Allocate();
  Head& head = heads_[Bucket(flow)];
  const uint32_t tag = Tag(flow);
  uint32_t prev = 0, head_tag = tag;
  if (Live(head.ref)) {
    prev = head.ref;
    if ((head.tag & ~kMixed) != tag || (head.tag & kMixed) != 0) head_tag |= kMixed;
  }
  // A dead head starts a new chain: nothing older in it is live.
  entries_[next_ & (capacity_ - 1)] =
      Entry{.flow = flow, .time = e.time, .origin = e.origin, .seq = e.seq, .prev = prev,
            .ip_id = e.ip_id, .tcp_flags = e.tcp_flags, .claimed = 0};
  head = Head{kRefValid | static_cast<uint32_t>(next_), head_tag};
  ++next_;
  if ((next_ & (kSweepPeriod - 1)) == 0) Sweep();
}

uint32_t PacketDedup::Ring::Find(uint64_t flow) const {
  if (heads_.empty()) return 0;
  const Head head = heads_[Bucket(flow)];
  if (!Live(head.ref)) return 0;
  // Not mixed and another tag: no live entry of this flow (the common case).
  if (head.tag != Tag(flow) && (head.tag & kMixed) == 0) return 0;
  return head.ref;
}

template <typename Fn>
void PacketDedup::Ring::ForEach(uint32_t start, uint64_t flow, uint32_t max, Fn fn) {
  uint32_t steps = 0;
  for (uint32_t ref = start; ref != 0 && steps < max;) {
    if (!Live(ref)) return;  // overwritten: everything older is gone too
    const uint32_t slot = ref & (capacity_ - 1);
    Entry& s = entries_[slot];
    ref = s.prev;
    if (s.flow != flow) continue;  // another flow in this bucket
    ++steps;
    if (!fn(s, slot)) return;
  }
}

void PacketDedup::Ring::PrefetchHead(uint64_t flow) const {
  if (!heads_.empty()) __builtin_prefetch(&heads_[Bucket(flow)]);
}

void PacketDedup::Ring::PrefetchEntry(uint64_t flow) const {
  if (const uint32_t ref = Find(flow); ref != 0) {
    __builtin_prefetch(&entries_[ref & (capacity_ - 1)]);
  }
}

std::array<uint32_t, 2>& PacketDedup::Ring::Claims(uint32_t slot) {
  if (claims_.empty()) claims_.resize(capacity_);
  return claims_[slot];
}

PacketDedup::PacketDedup(DedupOptions options)
    : options_(options),
      recent_(PowerOfTwo(options.recent), options.first_record, options.collide),
      seeded_(PowerOfTwo(options.seeded), options.first_record, options.collide) {}

uint64_t PacketDedup::FlowHash(const Event& e) {
  unsigned char key[16 + 16 + 4 + 2 + 2 + 1];
  std::memcpy(key, e.src.bytes().data(), 16);
  std::memcpy(key + 16, e.dst.bytes().data(), 16);
  std::memcpy(key + 32, &e.sensor, 4);
  std::memcpy(key + 36, &e.sport, 2);
  std::memcpy(key + 38, &e.dport, 2);
  key[40] = e.proto;
  return XXH3_64bits(key, sizeof key);
}

void PacketDedup::Seed(const Event& stored) { seeded_.Add(FlowHash(stored), stored); }

bool PacketDedup::Admit(Event* e) { return Admit(e, FlowHash(*e)); }

size_t PacketDedup::AdmitAll(std::span<Event> events) {
  // Record i + kHeadAhead is hashed and its bucket heads prefetched; by
  // record i + kEntryAhead the heads are in cache and tell which entry the
  // lookup will read first. Hints only: records admitted in between may
  // change a head, never a decision.
  constexpr size_t kHeadAhead = 16, kEntryAhead = 6;
  uint64_t flows[kHeadAhead];
  const size_t n = events.size();
  auto hash_ahead = [&](size_t j) {
    const uint64_t flow = flows[j % kHeadAhead] = FlowHash(events[j]);
    recent_.PrefetchHead(flow);
    seeded_.PrefetchHead(flow);
  };
  for (size_t j = 0; j < std::min(n, kHeadAhead); ++j) hash_ahead(j);
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t flow = flows[i % kHeadAhead];
    if (i + kHeadAhead < n) hash_ahead(i + kHeadAhead);
    if (i + kEntryAhead < n) {
      const uint64_t soon = flows[(i + kEntryAhead) % kHeadAhead];
      recent_.PrefetchEntry(soon);
      seeded_.PrefetchEntry(soon);
    }
    if (Admit(&events[i], flow)) {
      if (kept != i) events[kept] = events[i];
      ++kept;
    }
  }
  return kept;
}

bool PacketDedup::Admit(Event* e, uint64_t flow) {
  e->marks &= static_cast<uint8_t>(~mark::kRetransmission);
  const bool can_merge = options_.merge && e->count <= 1;
  const bool syn = e->proto == kProtoTcp && IsSyn(e->tcp_flags);
  Entry* best = nullptr;
  Ring* best_ring = nullptr;
  uint32_t best_slot = 0;
  TimeUs best_gap = options_.tolerance + 1;
  bool retry = false;
  Ring* ring = &recent_;  // the ring being walked
  auto consider = [&](Entry& s, uint32_t slot) {
    if (can_merge && s.origin != e->origin) {
      TimeUs gap = std::llabs(s.time - e->time);
      bool taken = s.claimed >= 2;
      if (s.claimed == 1) taken = ring->Claims(slot)[0] == e->origin;
      if (gap < best_gap && !taken &&
          Compatible(s.ip_id, e->ip_id, s.seq, e->seq, s.tcp_flags, e->tcp_flags)) {
        best = &s;
        best_ring = ring;
        best_slot = slot;
        best_gap = gap;
      }
    }
    if (syn && !retry && IsSyn(s.tcp_flags) && s.time <= e->time &&
        e->time - s.time <= options_.retry_window &&
        (s.seq == 0 || e->seq == 0 || s.seq == e->seq)) {
      retry = true;
    }
    return true;
  };
  if (can_merge || syn) {
    // Almost always both are 0: no earlier record of this flow to compare with.
    const uint32_t in_recent = recent_.Find(flow), in_seeded = seeded_.Find(flow);
    if (in_recent != 0) recent_.ForEach(in_recent, flow, options_.max_chain, consider);
    ring = &seeded_;
    if (in_seeded != 0) seeded_.ForEach(in_seeded, flow, options_.max_chain, consider);
  }
  if (best != nullptr) {
    best_ring->Claims(best_slot)[best->claimed++] = e->origin;
    // Fill in what the first log did not know, so a third log still matches.
    if (best->ip_id == 0) best->ip_id = e->ip_id;
    if (best->seq == 0) best->seq = e->seq;
    if (best->tcp_flags == 0) best->tcp_flags = e->tcp_flags;
    ++merged_;
    return false;
  }
  if (retry) {
    e->marks |= mark::kRetransmission;
    ++retransmissions_;
  }
  recent_.Add(flow, *e);
  return true;
}

}  // namespace portstorm::ingest
