// PacketDedup; see dedup.h.
#include "ingest/dedup.h"

#include <algorithm>
#include <cstdlib>

namespace portstorm::ingest {
namespace {

constexpr uint64_t kEvictEvery = 1 << 16;

bool IsSyn(uint8_t flags) { return (flags & tcp::kSyn) != 0 && (flags & tcp::kAck) == 0; }

// Fields both logs know must agree; a zero means "this log does not say".
bool Compatible(uint16_t id_a, uint16_t id_b, uint32_t seq_a, uint32_t seq_b, uint8_t fl_a, uint8_t fl_b) {
  if (id_a != 0 && id_b != 0 && id_a != id_b) return false;
  if (seq_a != 0 && seq_b != 0 && seq_a != seq_b) return false;
  if (fl_a != 0 && fl_b != 0 && fl_a != fl_b) return false;
  return true;
}

}  // namespace

PacketDedup::PacketDedup(DedupOptions options) : options_(options) {}

void PacketDedup::Remember(const FlowKey& k, const Event& e) {
  flows_[k].push_back(Seen{e.time, e.origin, e.seq, e.ip_id, e.tcp_flags});
  newest_ = std::max(newest_, e.time);
  if (++since_evict_ >= kEvictEvery) Evict();
}

void PacketDedup::Evict() {
  since_evict_ = 0;
  const TimeUs horizon = newest_ - std::max(options_.tolerance, options_.retry_window);
  for (auto it = flows_.begin(); it != flows_.end();) {
    auto& v = it->second;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const Seen& s) { return s.time < horizon; }), v.end());
    if (v.empty()) {
      flows_.erase(it++);
    } else {
      ++it;
    }
  }
}

void PacketDedup::Seed(const Event& stored) {
  FlowKey k{stored.src, stored.dst, stored.sensor, stored.sport, stored.dport, stored.proto};
  Remember(k, stored);
}

bool PacketDedup::Admit(Event* e) {
  FlowKey k{e->src, e->dst, e->sensor, e->sport, e->dport, e->proto};
  e->marks &= static_cast<uint8_t>(~mark::kRetransmission);
  auto it = flows_.find(k);
  if (it != flows_.end()) {
    std::vector<Seen>& seen = it->second;
    if (options_.merge && e->count <= 1) {
      // The nearest earlier record of another log not yet claimed by this log.
      Seen* best = nullptr;
      TimeUs best_gap = options_.tolerance + 1;
      for (Seen& s : seen) {
        if (s.origin == e->origin) continue;
        TimeUs gap = std::llabs(s.time - e->time);
        if (gap >= best_gap) continue;
        if (!Compatible(s.ip_id, e->ip_id, s.seq, e->seq, s.tcp_flags, e->tcp_flags)) continue;
        bool taken = false;
        for (uint8_t i = 0; i < s.claimed && i < 3; ++i) taken |= s.claimed_by[i] == e->origin;
        if (taken || s.claimed >= 3) continue;
        best = &s;
        best_gap = gap;
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
    }
    if (e->proto == kProtoTcp && IsSyn(e->tcp_flags)) {
      for (const Seen& s : seen) {
        if (!IsSyn(s.tcp_flags) || s.time > e->time || e->time - s.time > options_.retry_window) continue;
        if (s.seq != 0 && e->seq != 0 && s.seq != e->seq) continue;
        e->marks |= mark::kRetransmission;
        ++retransmissions_;
        break;
      }
    }
  }
  Remember(k, *e);
  return true;
}

}  // namespace portstorm::ingest
