// Packet shaping; see packet.h.
#include "sim/packet.h"

namespace portstorm::sim {
namespace {

// IP ID of a packet sent at time t. Counter stacks share one counter among
// all the host's traffic, so it advances with time at the host's own rate
// (seed 004: 31988, 32007, 32053 over 0, 3, 9 s) plus one per packet.
uint16_t IpId(const Source& s, const Stack& st, TimeUs t, uint32_t dst, uint16_t dport,
              uint32_t seq, Rng& rng) {
  switch (st.ip_id) {
    case IpIdMode::kCounter: {
      uint64_t rate = 1 + (s.key >> 20) % (st.ip_id_value > 0 ? st.ip_id_value : 8);
      uint64_t ticks = static_cast<uint64_t>(t) / 1000 * rate / 1000;
      return static_cast<uint16_t>((s.key & 0xffff) + ticks + rng.Below(2));
    }
    case IpIdMode::kRandom:
      return static_cast<uint16_t>(rng.Next());
    case IpIdMode::kZero:
      return 0;
    case IpIdMode::kConstant:
      return st.ip_id_value;
    case IpIdMode::kMasscan:
      return static_cast<uint16_t>(dst ^ dport ^ seq);
  }
  return 0;
}

Event Base(const Source& s, const Stack& st, uint32_t dst, TimeUs t, uint8_t proto) {
  Event e;
  e.time = t;
  e.src = IpAddr::V4(s.addr);
  e.dst = IpAddr::V4(dst);
  e.proto = proto;
  e.ttl = static_cast<uint8_t>(st.initial_ttl > s.hops ? st.initial_ttl - s.hops : 1);
  if (st.ttl_spread > 0) {
    // Tools that pick a TTL per packet (nmap: 37..59 at the sender).
    uint32_t spread = static_cast<uint32_t>(s.key >> 32 ^ static_cast<uint64_t>(t)) % (st.ttl_spread + 1u);
    e.ttl = static_cast<uint8_t>(e.ttl > spread ? e.ttl - spread : 1);
  }
  e.ip_flags = st.df ? ipf::kDf : 0;
  e.action = Action::kDrop;
  return e;
}

}  // namespace

uint16_t SourcePort(const Source& s, const Stack& st, TimeUs t, uint32_t conn, Rng& rng) {
  const uint32_t lo = st.sport_lo, span = static_cast<uint32_t>(st.sport_hi) - lo + 1;
  switch (st.sport) {
    case SportMode::kSequential: {
      // About one connection of the host's own every few seconds moves the counter.
      uint64_t moved = static_cast<uint64_t>(t) / (4 * kUsPerSecond);
      return static_cast<uint16_t>(lo + ((s.key >> 16) + moved + conn) % span);
    }
    case SportMode::kRandom:
      return static_cast<uint16_t>(lo + rng.Below(span));
    case SportMode::kFixed:
      return static_cast<uint16_t>(lo + (s.key >> 24) % span);
  }
  return static_cast<uint16_t>(lo);
}

uint32_t InitialSeq(const Stack& st, uint32_t dst, Rng& rng) {
  return st.seq == SeqMode::kDstIp ? dst : static_cast<uint32_t>(rng.Next());
}

void SynAttempt(const Source& s, const Stack& st, uint32_t dst, uint16_t dport, uint16_t sport,
                uint32_t seq, TimeUs t, int tries, Rng& rng, std::vector<Event>* out) {
  if (tries > st.syn_tries) tries = st.syn_tries;
  if (tries < 1) tries = 1;
  for (int i = 0; i < tries; ++i) {
    // Real retransmission timers wobble by a few milliseconds.
    TimeUs at = t + static_cast<TimeUs>(st.syn_ms[static_cast<size_t>(i)]) * 1000 +
                (i > 0 ? static_cast<TimeUs>(rng.Below(20000)) : 0);
    Event e = Base(s, st, dst, at, kProtoTcp);
    e.sport = sport;
    e.dport = dport;
    e.seq = seq;
    e.tcp_flags = tcp::kSyn;
    e.ip_len = st.syn_ip_len;
    e.ip_id = IpId(s, st, at, dst, dport, seq, rng);
    // Mirai draws its window once per bot.
    e.window = st.window_random ? static_cast<uint16_t>(s.key >> 48) : st.window;
    e.mss = st.mss;
    e.wscale = st.wscale;
    e.tcp_opts = st.tcp_opts;
    out->push_back(e);
  }
}

void TcpSegment(const Source& s, const Stack& st, uint32_t dst, uint16_t sport, uint16_t dport,
                uint8_t flags, uint32_t seq, TimeUs t, Rng& rng, std::vector<Event>* out) {
  Event e = Base(s, st, dst, t, kProtoTcp);
  e.sport = sport;
  e.dport = dport;
  e.seq = seq;
  e.tcp_flags = flags;
  e.ip_len = 40;
  e.ip_id = IpId(s, st, t, dst, dport, seq, rng);
  e.window = (flags & tcp::kRst) != 0 ? 0 : st.window;
  out->push_back(e);
}

void UdpDatagram(const Source& s, const Stack& st, uint32_t dst, uint16_t sport, uint16_t dport,
                 uint16_t payload_len, TimeUs t, Rng& rng, std::vector<Event>* out) {
  Event e = Base(s, st, dst, t, kProtoUdp);
  e.sport = sport;
  e.dport = dport;
  e.ip_len = static_cast<uint16_t>(28 + payload_len);
  e.payload_len = payload_len;
  e.ip_id = IpId(s, st, t, dst, dport, 0, rng);
  out->push_back(e);
}

void IcmpMessage(const Source& s, const Stack& st, uint32_t dst, uint8_t type, uint8_t code,
                 uint16_t ip_len, TimeUs t, Rng& rng, std::vector<Event>* out) {
  Event e = Base(s, st, dst, t, kProtoIcmp);
  e.sport = type;
  e.dport = code;
  e.ip_len = ip_len;
  e.ip_id = IpId(s, st, t, dst, 0, 0, rng);
  out->push_back(e);
}

}  // namespace portstorm::sim
