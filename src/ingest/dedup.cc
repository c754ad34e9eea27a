// PacketDedup; see dedup.h.
#include "ingest/dedup.h"

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

PacketDedup::PacketDedup(DedupOptions options)
    : options_(options), recent_(PowerOfTwo(options.recent)), seeded_(PowerOfTwo(options.seeded)) {}

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

void PacketDedup::Ring::Add(uint64_t flow, const Event& e) {
  if (entries_.empty()) {
    // Allocated on first use: a ring nobody fills costs nothing.
    entries_.resize(capacity_);
    // Four buckets per entry: a lookup rarely walks past another flow's entry.
    heads_.assign(size_t{capacity_} * 4, 0);
  }
  uint64_t& head = heads_[flow & (heads_.size() - 1)];
  Entry& slot = entries_[next_ & (capacity_ - 1)];
  slot = Entry{};
  slot.flow = flow;
  slot.time = e.time;
  slot.prev = head;
  slot.origin = e.origin;
  slot.seq = e.seq;
  slot.ip_id = e.ip_id;
  slot.tcp_flags = e.tcp_flags;
  head = ++next_;
}

template <typename Fn>
void PacketDedup::Ring::ForEach(uint64_t flow, uint32_t max, Fn fn) {
  if (entries_.empty()) return;
  uint32_t steps = 0;
  for (uint64_t link = heads_[flow & (heads_.size() - 1)]; link != 0 && steps < max;) {
    const uint64_t n = link - 1;
    if (next_ - n > capacity_) return;  // overwritten: everything older is gone too
    Entry& s = entries_[n & (capacity_ - 1)];
    link = s.prev;
    if (s.flow != flow) continue;  // another flow in this bucket
    ++steps;
    if (!fn(s)) return;
  }
}

void PacketDedup::Seed(const Event& stored) { seeded_.Add(FlowHash(stored), stored); }

bool PacketDedup::Admit(Event* e) {
  e->marks &= static_cast<uint8_t>(~mark::kRetransmission);
  const uint64_t flow = FlowHash(*e);
  const bool can_merge = options_.merge && e->count <= 1;
  const bool syn = e->proto == kProtoTcp && IsSyn(e->tcp_flags);
  Entry* best = nullptr;
  TimeUs best_gap = options_.tolerance + 1;
  bool retry = false;
  auto consider = [&](Entry& s) {
    if (can_merge && s.origin != e->origin) {
      TimeUs gap = std::llabs(s.time - e->time);
      bool taken = s.claimed >= 2;
      for (uint8_t i = 0; i < s.claimed && i < 2; ++i) taken |= s.claimed_by[i] == e->origin;
      if (gap < best_gap && !taken &&
          Compatible(s.ip_id, e->ip_id, s.seq, e->seq, s.tcp_flags, e->tcp_flags)) {
        best = &s;
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
    recent_.ForEach(flow, options_.max_chain, consider);
    seeded_.ForEach(flow, options_.max_chain, consider);
  }
  if (best != nullptr) {
    best->claimed_by[best->claimed++] = e->origin;
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
