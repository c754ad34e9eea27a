// The event kinds of scenarios; see events.h and docs/simulator.md
// ("Seed scenarios"). Each kind reproduces what one mailing-list report saw.
#include "sim/events.h"

#include <algorithm>
#include <cmath>

#include <absl/container/flat_hash_map.h>

#include "core/time.h"
#include "sim/background.h"
#include "sim/packet.h"

namespace portstorm::sim {
namespace {

std::string Ip(uint32_t a) { return IpAddr::V4(a).ToString(); }

// n sources of one behaviour and stack; `pools` > 0 clusters them in that many ISP /16s.
std::vector<Source> MakeSources(World& w, uint64_t key, uint32_t n, Behaviour b,
                                uint16_t stack, int pools, uint8_t proto, uint16_t port) {
  Rng rng(key);
  std::vector<uint32_t> bases(static_cast<size_t>(std::max(pools, 1)));
  for (uint32_t& p : bases) p = RandomPublicAddress(rng);
  std::vector<Source> out(n);
  for (Source& s : out) {
    s.key = rng.Next();
    s.addr = w.NewSourceAddress(rng, pools > 0 ? bases[rng.Below(bases.size())] : 0);
    s.behaviour = b;
    s.stack = stack;
    s.hops = static_cast<uint8_t>(6 + rng.Below(10) + rng.Below(10));
    s.proto = proto;
    s.port = port;
    s.first_day = 0;
    s.last_day = static_cast<int16_t>(w.days);
  }
  return out;
}

// Records of port `port`/`proto` ranked among a sensor-day's background.
std::vector<uint64_t> PortCountsDescending(const std::vector<Event>& events) {
  absl::flat_hash_map<uint32_t, uint64_t> counts;
  for (const Event& e : events) ++counts[(uint32_t{e.proto} << 16) | e.dport];
  std::vector<uint64_t> v;
  v.reserve(counts.size());
  for (const auto& [k, c] : counts) v.push_back(c);
  std::sort(v.rbegin(), v.rend());
  return v;
}

// `records` SYN packets from s to dst:port as a P2P client sends them:
// attempts of up to the stack's tries, minutes apart, starting at t.
void SynRecords(const World& w, const Source& s, uint32_t dst, uint16_t port, uint64_t records,
                TimeUs t, Rng& rng, std::vector<Event>* out) {
  const Stack& st = w.StackOf(s);
  uint32_t conn = 0;
  while (records > 0) {
    int tries = static_cast<int>(std::min<uint64_t>(records, static_cast<uint64_t>(st.syn_tries)));
    SynAttempt(s, st, dst, port, SourcePort(s, st, t, conn++, rng), InitialSeq(st, dst, rng), t,
               tries, rng, out);
    records -= static_cast<uint64_t>(tries);
    t += static_cast<TimeUs>(20 + rng.Below(600)) * kUsPerSecond;
  }
}

// ---------------------------------------------------------------------------
// Seed 000: a rare port that trickles for weeks, then jumps to #3 at one
// sensor with ~80% of its records from one source to one unused address;
// the next day many more sources.
class RarePortJump : public ScenarioEvent {
 public:
  RarePortJump(EventSpec spec, World& w) : ScenarioEvent(std::move(spec)) {
    uint16_t stack = w.StackIndex("windows-xp");
    sources_ = MakeSources(w, EventKey(w, 0x3771), std::max<uint32_t>(spec_.sources, 30),
                           Behaviour::kP2pClient, stack, 4, kProtoTcp, port());
    const Sensor& s0 = w.sensors[0];
    Rng rng(EventKey(w, 0x3772));
    target_ = s0.nets.empty() ? s0.AddressOn(spec_.surge_day)
                              : s0.nets[0] | static_cast<uint32_t>(2 + rng.Below(250));
  }
  void Emit(const World& w, const Sensor& s, int day, Rng& rng, std::vector<Event>* out) const override {
    if (!Active(day)) return;
    const uint32_t n = static_cast<uint32_t>(sources_.size());
    if (s.index != 0) {
      // Elsewhere a trickle, a little louder once the port is in play.
      if (s.index % 4 != 0) return;
      uint64_t recs = rng.Poisson(w.scale * (day < spec_.surge_day ? 1.0 : 6.0));
      for (uint64_t k = 0; k < recs; ++k) {
        const Source& src = sources_[1 + rng.Below(n - 1)];
        SynRecords(w, src, s.PickTarget(rng, day), port(), 1, DiurnalTime(w, day, 0.3, rng), rng, out);
      }
      return;
    }
    if (day < spec_.surge_day) {
      // Below the top ten: a few records a day, growing over the weeks.
      double frac = static_cast<double>(day - spec_.start + 1) /
                    static_cast<double>(std::max(1, spec_.surge_day - spec_.start));
      uint64_t recs = 1 + rng.Poisson(w.scale * 10 * frac);
      for (uint64_t k = 0; k < recs; k += 3) {
        const Source& src = sources_[1 + rng.Below(n - 1)];
        SynRecords(w, src, s.PickTarget(rng, day), port(), std::min<uint64_t>(3, recs - k),
                   DiurnalTime(w, day, 0.3, rng), rng, out);
      }
      return;
    }
    // Loud days: between the background's #2 and #3 port at this sensor.
    std::vector<uint64_t> ranked = PortCountsDescending(*out);
    uint64_t c2 = ranked.size() > 1 ? ranked[1] : 200, c3 = ranked.size() > 2 ? ranked[2] : 100;
    if (day == spec_.surge_day) {
      uint64_t total = std::max<uint64_t>(kSurgeSources * 5, (c2 + 2 * c3) / 3 + 1);
      uint64_t top = total * 79 / 100;
      SynRecords(w, sources_[0], target_, port(), top, DiurnalTime(w, day, 0.3, rng), rng, out);
      Spread(w, day, total - top, kSurgeSources - 1, 0.9, rng, out);
    } else {
      // The next days: probes from a wider variety of sources, the first one gone quiet.
      uint64_t total = std::max<uint64_t>(2 * (n - 1), (c2 + 2 * c3) / 3 + 1);
      Spread(w, day, total, n - 1, 0.5, rng, out);
    }
  }

 protected:
  void Findings(const World& w, JsonWriter& j) const override {
    j.Field("surge_day", FormatDay(w.start_day + spec_.surge_day));
    j.Field("surge_sensor", w.sensors[0].name);
    j.Field("rank_at_surge_sensor", 3);
    j.Field("top_source", Ip(sources_[0].addr));
    j.Field("top_source_share", 0.79);
    j.Field("target", Ip(target_));
    j.Field("sources_on_surge_day", kSurgeSources);
    j.Field("sources_after_surge_day", static_cast<uint64_t>(sources_.size() - 1));
    j.Key("payload_lengths").BeginArray().Int(0).Int(90).Int(91).Int(92).Int(93).Int(94).EndArray();
  }

 private:
  static constexpr uint32_t kSurgeSources = 26;  // seed 000's table has 26 rows
  uint16_t port() const { return spec_.ports.empty() ? 3771 : spec_.ports[0]; }
  // `records` over sources 1..k with a Zipf-like split (each at least one);
  // `to_target` of them hit the one address.
  void Spread(const World& w, int day, uint64_t records, uint32_t k, double to_target, Rng& rng,
              std::vector<Event>* out) const {
    double sum = 0;
    for (uint32_t i = 1; i <= k; ++i) sum += 1.0 / i;
    uint64_t left = records;
    for (uint32_t i = 1; i <= k && left > 0; ++i) {
      uint64_t share = std::max<uint64_t>(1, static_cast<uint64_t>(static_cast<double>(records) / (i * sum)));
      share = std::min<uint64_t>(share, left - std::min<uint64_t>(left, k - i));
      if (share == 0) share = 1;
      left -= std::min(left, share);
      uint32_t dst = rng.Chance(to_target) ? target_ : w.sensors[0].PickTarget(rng, day);
      SynRecords(w, sources_[i], dst, port(), share, DiurnalTime(w, day, 0.3, rng), rng, out);
    }
  }
  uint32_t target_ = 0;
};

// ---------------------------------------------------------------------------
// Seeds 001 and 003: ~5,000 sources probing udp/1026-1031 with 2-byte 00 00
// payloads (some tcp), also udp/135 and a NetBIOS query to udp/137; a few
// crafted with fixed source ports 666/4177; from the shift day on the ports
// favour 1026 and 1030 and more hosts per network are hit; two hosts inside
// one sensor's network send it outbound.
class WormScouting : public ScenarioEvent {
 public:
  WormScouting(EventSpec spec, World& w) : ScenarioEvent(std::move(spec)) {
    const uint32_t n = std::max<uint32_t>(spec_.sources, 10);
    sources_ = MakeSources(w, EventKey(w, 0x1026), n, Behaviour::kWormScout,
                           w.StackIndex("windows-xp"), 300, kProtoUdp, 1026);
    Rng rng(EventKey(w, 0x1027));
    const uint16_t w2k = w.StackIndex("windows-2000");
    for (Source& s : sources_) {
      if (rng.Chance(0.1)) {
        s.behaviour = Behaviour::kPopupSpam;
        s.port = rng.Chance(0.5) ? 666 : 4177;  // the crafted source port
      }
      if (rng.Chance(0.3)) s.stack = w2k;
      // Adoption: sources join over the first days of the event.
      s.first_day = static_cast<int16_t>(spec_.start + rng.Below(static_cast<uint64_t>(
                                              std::max(1, spec_.surge_day - spec_.start + 1))));
    }
    std::sort(sources_.begin(), sources_.end(),
              [](const Source& a, const Source& b) { return a.first_day < b.first_day; });
    // The outbound pair: hosts inside a border sensor's own network.
    outbound_sensor_ = 0;
    for (const Sensor& s : w.sensors) {
      if (s.index >= 3 && s.shape == SensorShape::kBorder) {
        outbound_sensor_ = s.index;
        break;
      }
    }
    const Sensor& os = w.sensors[outbound_sensor_];
    for (int i = 0; i < 2; ++i) {
      Source s = sources_[static_cast<size_t>(i)];
      s.addr = os.nets.empty() ? os.AddressOn(0) ^ 1u : os.nets.back() | static_cast<uint32_t>(10 + 7 * i);
      s.behaviour = Behaviour::kWormScout;
      s.port = 1026;
      s.first_day = static_cast<int16_t>(std::max(spec_.start, spec_.surge_day - 1));
      w.taken.insert(s.addr);
      outbound_.push_back(s);
      extra_labels_.emplace_back(s, "outbound: inside " + os.name + "'s network");
    }
  }

  void Emit(const World& w, const Sensor& s, int day, Rng& rng, std::vector<Event>* out) const override {
    if (!Active(day)) return;
    const bool shifted = day >= spec_.surge_day;
    // Several hundred sources a day on a /24 at the peak (seed 003), fewer at a single address.
    double ramp = shifted ? 1.3 : 0.15 + 0.85 * static_cast<double>(day - spec_.start) /
                                           std::max(1, spec_.surge_day - spec_.start);
    double reach = s.nets.empty() ? 12.0 : 150.0 * static_cast<double>(s.nets.size());
    size_t joined = static_cast<size_t>(
        std::upper_bound(sources_.begin(), sources_.end(), day,
                         [](int d, const Source& x) { return d < x.first_day; }) - sources_.begin());
    if (joined == 0) return;
    uint64_t visits = rng.Poisson(w.scale * reach * ramp);
    // Before the shift every source of a network probes the same one host (the honeypot of seed 003).
    const uint32_t one_host = s.nets.empty() ? s.AddressOn(day)
                                             : s.nets[0] | static_cast<uint32_t>(1 + Key(w.seed, s.index) % 254);
    for (uint64_t v = 0; v < visits; ++v) {
      const Source& src = sources_[rng.Below(joined)];
      uint32_t targets = shifted ? 1 + static_cast<uint32_t>(rng.Poisson(2)) : 1;
      TimeUs t = DiurnalTime(w, day, 0.3, rng);
      for (uint32_t k = 0; k < targets; ++k) {
        uint32_t dst = k == 0 && !shifted ? one_host : s.PickTarget(rng, day);
        Visit(w, src, dst, shifted, t, rng, out);
        t += static_cast<TimeUs>(1 + rng.Below(30)) * kUsPerSecond;
      }
    }
    if (s.index == outbound_sensor_) {
      for (const Source& src : outbound_) {
        if (day < src.first_day) continue;
        uint64_t n = 1 + rng.Poisson(w.scale * 20);
        for (uint64_t k = 0; k < n; ++k) {
          Visit(w, src, RandomPublicAddress(rng), shifted, DiurnalTime(w, day, 0.3, rng), rng, out);
        }
      }
    }
  }

 protected:
  void Findings(const World& w, JsonWriter& j) const override {
    uint64_t crafted = 0;
    for (const Source& s : sources_) crafted += s.behaviour == Behaviour::kPopupSpam;
    j.Field("sources", static_cast<uint64_t>(sources_.size()));
    j.Field("crafted_sources", crafted);
    j.Key("crafted_source_ports").BeginArray().Int(666).Int(4177).EndArray();
    j.Field("payload_hex", "0000");
    j.Key("linked_ports").BeginArray().String("udp/135").String("udp/137").EndArray();
    j.Field("netbios_probe_bytes", 50);
    j.Field("shift_day", FormatDay(w.start_day + spec_.surge_day));
    j.Key("ports_after_shift").BeginArray().Int(1026).Int(1030).EndArray();
    j.Key("outbound").BeginObject();
    j.Field("sensor", w.sensors[outbound_sensor_].name);
    j.Key("sources").BeginArray();
    for (const Source& s : outbound_) j.String(Ip(s.addr));
    j.EndArray().EndObject();
  }

 private:
  // One source's probes to one host.
  void Visit(const World& w, const Source& src, uint32_t dst, bool shifted, TimeUs t, Rng& rng,
             std::vector<Event>* out) const {
    const Stack& st = w.StackOf(src);
    auto sport = [&](uint32_t conn) {
      return src.behaviour == Behaviour::kPopupSpam ? src.port : SourcePort(src, st, t, conn, rng);
    };
    static constexpr uint16_t kAll[] = {1026, 1027, 1028, 1029, 1030, 1031};
    static constexpr uint16_t kLater[] = {1026, 1030};
    std::span<const uint16_t> ports = shifted && !rng.Chance(0.2) ? std::span<const uint16_t>(kLater)
                                                                  : std::span<const uint16_t>(kAll);
    uint32_t conn = 0;
    if (src.behaviour != Behaviour::kPopupSpam && rng.Chance(0.06)) {  // the tcp side of the range
      uint16_t p = ports[rng.Below(ports.size())];
      SynAttempt(src, st, dst, p, SourcePort(src, st, t, conn++, rng), InitialSeq(st, dst, rng), t,
                 st.syn_tries, rng, out);
      return;
    }
    for (uint16_t p : ports) {
      UdpDatagram(src, st, dst, sport(conn++), p, 2, t, rng, out);
      t += static_cast<TimeUs>(100000 + rng.Below(900000));
    }
    if (rng.Chance(0.5)) UdpDatagram(src, st, dst, sport(conn++), 135, 2, t, rng, out);
    if (rng.Chance(0.4)) UdpDatagram(src, st, dst, 137, 137, 50, t + 500000, rng, out);
  }
  uint32_t outbound_sensor_ = 0;
  std::vector<Source> outbound_;
};

// ---------------------------------------------------------------------------
// Seed 002: a Windows-tool SYN scan of tcp/5000 from thousands of sources on
// all sensors, retransmitting, each source hitting one address per /24.
class SynScan : public ScenarioEvent {
 public:
  SynScan(EventSpec spec, World& w) : ScenarioEvent(std::move(spec)) {
    sources_ = MakeSources(w, EventKey(w, 0x5000), std::max<uint32_t>(spec_.sources, 10),
                           Behaviour::kSynScanner, w.StackIndex("windows-xp"), 200, kProtoTcp, port());
    Rng rng(EventKey(w, 0x5001));
    by_octet_.resize(256);
    // Exactly kRandomShare of the sources spray random hosts, the rest keep to one per /24.
    const size_t n = sources_.size();
    const size_t sprayers = static_cast<size_t>(std::lround(kRandomShare * static_cast<double>(n)));
    follows_.assign(n, true);
    for (size_t k = 0; k < sprayers; ++k) {
      size_t i;
      do i = rng.Below(n); while (!follows_[i]);
      follows_[i] = false;
    }
    for (uint32_t i = 0; i < n; ++i) {
      Source& s = sources_[i];
      s.first_day = static_cast<int16_t>(spec_.start + rng.Below(static_cast<uint64_t>(std::max(1, spec_.days / 2))));
      by_octet_[Octet(s)].push_back(i);
    }
  }

  void Emit(const World& w, const Sensor& s, int day, Rng& rng, std::vector<Event>* out) const override {
    if (!Active(day)) return;
    double ramp = std::min(1.0, 0.3 + 0.7 * static_cast<double>(day - spec_.start) / std::max(1, spec_.days / 2));
    if (s.nets.empty()) {
      // A single address sees the sources whose chosen host number is its own.
      uint32_t addr = s.AddressOn(day);
      for (uint32_t i : by_octet_[addr & 255]) {
        const Source& src = sources_[i];
        if (day >= src.first_day && follows_[i] && rng.Chance(ramp * std::min(1.0, w.scale))) {
          Hit(w, src, addr, DiurnalTime(w, day, 0.3, rng), rng, out);
        }
      }
      return;
    }
    uint64_t visits = rng.Poisson(w.scale * 150.0 * ramp);
    for (uint64_t v = 0; v < visits; ++v) {
      uint32_t i = static_cast<uint32_t>(rng.Below(sources_.size()));
      const Source& src = sources_[i];
      if (day < src.first_day) continue;
      TimeUs t = DiurnalTime(w, day, 0.3, rng);
      for (uint32_t net : s.nets) {
        uint32_t dst = follows_[i] ? (net | Octet(src)) : net | static_cast<uint32_t>(1 + rng.Below(254));
        Hit(w, src, dst, t, rng, out);
        if (!follows_[i]) Hit(w, src, net | static_cast<uint32_t>(1 + rng.Below(254)), t + 700000, rng, out);
        t += static_cast<TimeUs>(200000 + rng.Below(2000000));
      }
    }
  }

 protected:
  void Findings(const World& w, JsonWriter& j) const override {
    uint64_t follow = 0;
    for (bool f : follows_) follow += f;
    j.Field("sources", static_cast<uint64_t>(sources_.size()));
    j.Field("one_address_per_24_share", static_cast<double>(follow) / static_cast<double>(follows_.size()));
    j.Key("source_port_range").BeginArray().Int(1025).Int(5000).EndArray();
    const Stack& st = Stacks()[w.StackIndex("windows-xp")];
    j.Key("retransmission_ms").BeginArray();
    for (int i = 0; i < st.syn_tries; ++i) j.Int(st.syn_ms[static_cast<size_t>(i)]);
    j.EndArray();
    // Seed 002's IMS sensor publishes its targets as A.B.C.50 ("" when no
    // sensor does, as with a forced --format).
    std::string_view anonymising;
    for (const Sensor& s : w.sensors) {
      if (s.style.anonymise_dst) {
        anonymising = s.name;
        break;
      }
    }
    j.Field("anonymised_targets_sensor", anonymising);
  }

 private:
  static constexpr double kRandomShare = 0.03;
  uint16_t port() const { return spec_.ports.empty() ? 5000 : spec_.ports[0]; }
  static uint32_t Octet(const Source& s) { return 1 + static_cast<uint32_t>(s.key % 254); }
  void Hit(const World& w, const Source& src, uint32_t dst, TimeUs t, Rng& rng, std::vector<Event>* out) const {
    const Stack& st = w.StackOf(src);
    SynAttempt(src, st, dst, port(), SourcePort(src, st, t, 0, rng), InitialSeq(st, dst, rng), t,
               st.syn_tries, rng, out);
  }
  std::vector<bool> follows_;
  std::vector<std::vector<uint32_t>> by_octet_;
};

// ---------------------------------------------------------------------------
// Seed 004: Gnutella clients retrying a peer whose dial-up address now belongs
// to the sensor: SYN at 0, 3, 9 s with one sequence number, Windows 95/NT4 shape.
class StalePeer : public ScenarioEvent {
 public:
  StalePeer(EventSpec spec, World& w) : ScenarioEvent(std::move(spec)) {
    const uint16_t stack = w.StackIndex("windows-95-nt4");
    // Half from the peer's own ISP (the same user again, on other dial-up
    // addresses), half unrelated.
    sources_ = MakeSources(w, EventKey(w, 0x6346), std::max<uint32_t>(spec_.sources, 4),
                           Behaviour::kP2pStale, stack, 1, kProtoTcp, port());
    auto others = MakeSources(w, EventKey(w, 0x6347), static_cast<uint32_t>(sources_.size() / 2),
                              Behaviour::kP2pStale, stack, 0, kProtoTcp, port());
    std::copy(others.begin(), others.end(), sources_.begin() + static_cast<long>(sources_.size() - others.size()));
    for (Source& s : sources_) s.hops = 11;  // TTL 117 as in the seed
    target_ = w.sensors.size() > 1 ? w.sensors[1].AddressOn(spec_.start) : 0;
  }
  std::vector<uint32_t> SensorsSeeing(const World& w) const override {
    return w.sensors.size() > 1 ? std::vector<uint32_t>{1} : std::vector<uint32_t>{};
  }
  void Emit(const World& w, const Sensor& s, int day, Rng& rng, std::vector<Event>* out) const override {
    if (!Active(day) || s.index != 1 || s.AddressOn(day) != target_) return;
    // Stale peers give up slowly.
    double p = 0.8 * std::pow(0.85, day - spec_.start);
    for (const Source& src : sources_) {
      if (!rng.Chance(p)) continue;
      uint64_t attempts = 1 + rng.Poisson(w.scale);
      TimeUs t = DiurnalTime(w, day, 0.3, rng);
      const Stack& st = w.StackOf(src);
      for (uint64_t a = 0; a < attempts; ++a) {
        SynAttempt(src, st, target_, port(), SourcePort(src, st, t, static_cast<uint32_t>(a), rng),
                   InitialSeq(st, target_, rng), t, st.syn_tries, rng, out);
        t += static_cast<TimeUs>(60 + rng.Below(3600)) * kUsPerSecond;
      }
    }
  }

 protected:
  void Findings(const World& w, JsonWriter& j) const override {
    const Stack& st = Stacks()[w.StackIndex("windows-95-nt4")];
    Event probe;
    probe.tcp_opts = st.tcp_opts;
    probe.mss = st.mss;
    probe.wscale = st.wscale;
    j.Field("target", Ip(target_));
    j.Field("sensor", w.sensors.size() > 1 ? w.sensors[1].name : "");
    j.Key("retransmission_ms").BeginArray();
    for (int i = 0; i < st.syn_tries; ++i) j.Int(st.syn_ms[static_cast<size_t>(i)]);
    j.EndArray();
    j.Field("same_sequence_number", true);
    j.Field("ttl", st.initial_ttl - 11);
    j.Field("hops", 11);
    j.Field("window", st.window);
    j.Field("tcp_options", TcpOptsString(probe));
    // Seed 004's sensor logged each packet three times (ipchains, snort, p0f;
    // p0f only the SYNs, which all of these packets are); ingest stores each once.
    j.Field("logged_times", w.sensors.size() > 1 ? w.sensors[1].LogCount() : 1);
  }

 private:
  uint16_t port() const { return spec_.ports.empty() ? 6346 : spec_.ports[0]; }
  uint32_t target_ = 0;
};

// ---------------------------------------------------------------------------
// A dishonest submitter: one sensor reports a surge on a quiet port from many
// made-up sources. No other sensor sees anything: not a global surge.
class Fabricated : public ScenarioEvent {
 public:
  Fabricated(EventSpec spec, World& w) : ScenarioEvent(std::move(spec)) {
    sources_ = MakeSources(w, EventKey(w, 0xfab), std::max<uint32_t>(spec_.sources, 1),
                           Behaviour::kFabricated, w.StackIndex("windows-xp"), 0, spec_.proto, port());
    sensor_ = static_cast<uint32_t>(w.sensors.size() - 1);
    for (const Sensor& s : w.sensors) {
      if (s.index >= 3 && s.style.format == LogFormat::kDshield) {
        sensor_ = s.index;
        break;
      }
    }
  }
  std::vector<uint32_t> SensorsSeeing(const World&) const override { return {sensor_}; }
  void Emit(const World& w, const Sensor& s, int day, Rng& rng, std::vector<Event>* out) const override {
    if (!Active(day) || s.index != sensor_) return;
    for (const Source& src : sources_) {
      uint64_t n = 1 + rng.Below(3);
      SynRecords(w, src, s.PickTarget(rng, day), port(), n, w.DayStart(day) + static_cast<TimeUs>(rng.Below(kUsPerDay)), rng, out);
    }
  }

 protected:
  void Findings(const World& w, JsonWriter& j) const override {
    j.Field("sensor", w.sensors[sensor_].name);
    j.Field("global_surge", false);
    j.Field("reason", "one sensor only; no other sensor sees these sources or this port rise");
  }

 private:
  uint16_t port() const { return spec_.ports.empty() ? 2100 : spec_.ports[0]; }
  uint32_t sensor_ = 0;
};

// Background only: the stretch where a detector should find nothing.
class Quiet : public ScenarioEvent {
 public:
  using ScenarioEvent::ScenarioEvent;
  void Emit(const World&, const Sensor&, int, Rng&, std::vector<Event>*) const override {}

 protected:
  void Findings(const World&, JsonWriter& j) const override { j.Field("expected", "none"); }
};

// A generic surge for scenario files: `sources` sources of one stack start
// hitting the event's ports at `sensors` sensors, growing by `growth` a day.
class Surge : public ScenarioEvent {
 public:
  Surge(EventSpec spec, World& w) : ScenarioEvent(std::move(spec)) {
    uint16_t stack = spec_.stack.empty() ? static_cast<uint16_t>(0) : w.StackIndex(spec_.stack);
    sources_ = MakeSources(w, EventKey(w, 0x5u),
                           std::max<uint32_t>(spec_.sources, 1), Behaviour::kHorizontal, stack, 20,
                           spec_.proto, spec_.ports.empty() ? 0 : spec_.ports[0]);
    if (spec_.stack.empty()) {
      Rng rng(EventKey(w, 0x6u));
      for (Source& s : sources_) s.stack = static_cast<uint16_t>(w.stack_pick.Sample(rng));
    }
  }
  std::vector<uint32_t> SensorsSeeing(const World& w) const override {
    std::vector<uint32_t> all;
    for (const Sensor& s : w.sensors) all.push_back(s.index);
    if (spec_.sensors > 0 && static_cast<size_t>(spec_.sensors) < all.size()) all.resize(static_cast<size_t>(spec_.sensors));
    return all;
  }
  void Emit(const World& w, const Sensor& s, int day, Rng& rng, std::vector<Event>* out) const override {
    if (!Active(day) || spec_.ports.empty()) return;
    if (spec_.sensors > 0 && s.index >= static_cast<uint32_t>(spec_.sensors)) return;
    double level = std::pow(spec_.growth, day - spec_.start);
    double reach = s.nets.empty() && spec_.targeting != "single-address" ? 1.0 / 254 : 1.0;
    for (const Source& src : sources_) {
      if (!rng.Chance(std::min(1.0, reach * level))) continue;
      uint64_t packets = rng.Poisson(spec_.packets_per_source * w.scale);
      TimeUs t = DiurnalTime(w, day, 0.3, rng);
      const Stack& st = w.StackOf(src);
      for (uint64_t k = 0; k < packets; ++k) {
        uint16_t port = spec_.ports[rng.Below(spec_.ports.size())];
        uint32_t dst = spec_.targeting == "single-address" ? (s.nets.empty() ? s.AddressOn(day) : s.nets[0] | 1)
                       : spec_.targeting == "one-per-24" && !s.nets.empty()
                           ? s.nets[k % s.nets.size()] | static_cast<uint32_t>(1 + src.key % 254)
                           : s.PickTarget(rng, day);
        if (spec_.proto == kProtoUdp) {
          UdpDatagram(src, st, dst, SourcePort(src, st, t, static_cast<uint32_t>(k), rng), port, 8, t, rng, out);
        } else {
          SynAttempt(src, st, dst, port, SourcePort(src, st, t, static_cast<uint32_t>(k), rng),
                     InitialSeq(st, dst, rng), t, 1, rng, out);
        }
        t += Gap(st, rng);
      }
    }
  }

 protected:
  void Findings(const World&, JsonWriter& j) const override {
    j.Field("targeting", spec_.targeting);
    j.Field("growth", spec_.growth);
    j.Field("stack", spec_.stack);
  }

 private:
  static TimeUs Gap(const Stack& st, Rng& rng) {
    return st.syn_tries <= 1 ? static_cast<TimeUs>(1000 + rng.Below(200000))
                             : static_cast<TimeUs>(1 + rng.Below(30)) * kUsPerSecond;
  }
};

}  // namespace

uint64_t ScenarioEvent::EventKey(const World& w, uint64_t tag) const {
  // FNV-1a: the same on every platform (std::hash is not).
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : spec_.id) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  return Key(w.seed, tag, h);
}

std::vector<uint32_t> ScenarioEvent::SensorsSeeing(const World& w) const {
  std::vector<uint32_t> all;
  for (const Sensor& s : w.sensors) all.push_back(s.index);
  return all;
}

void ScenarioEvent::Truth(const World& w, JsonWriter& j) const {
  j.BeginObject();
  j.Field("id", spec_.id);
  j.Field("kind", EventKindName(spec_.kind));
  if (!spec_.seed.empty()) j.Field("seed_report", spec_.seed);
  j.Field("proto", ProtoName(spec_.proto));
  j.Key("ports").BeginArray();
  for (uint16_t p : spec_.ports) j.Int(p);
  j.EndArray();
  j.Field("start", FormatDay(w.start_day + spec_.start));
  j.Field("end", FormatDay(w.start_day + spec_.start + spec_.days - 1));
  j.Key("sensors").BeginArray();
  for (uint32_t i : SensorsSeeing(w)) j.String(w.sensors[i].name);
  j.EndArray();
  j.Field("sources", static_cast<uint64_t>(sources_.size()));
  j.Key("findings").BeginObject();
  Findings(w, j);
  j.EndObject();
  j.Key("source_labels").BeginArray();
  for (const Source& s : sources_) {
    j.BeginObject();
    j.Field("ip", Ip(s.addr));
    j.Field("behaviour", BehaviourName(s.behaviour));
    j.Field("stack", Stacks()[s.stack].name);
    j.EndObject();
  }
  for (const auto& [s, note] : extra_labels_) {
    j.BeginObject();
    j.Field("ip", Ip(s.addr));
    j.Field("behaviour", BehaviourName(s.behaviour));
    j.Field("stack", Stacks()[s.stack].name);
    j.Field("note", note);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
}

std::unique_ptr<ScenarioEvent> MakeEvent(const EventSpec& spec, World& w) {
  switch (spec.kind) {
    case EventKind::kRarePortJump: return std::make_unique<RarePortJump>(spec, w);
    case EventKind::kWormScouting: return std::make_unique<WormScouting>(spec, w);
    case EventKind::kSynScan: return std::make_unique<SynScan>(spec, w);
    case EventKind::kStalePeer: return std::make_unique<StalePeer>(spec, w);
    case EventKind::kFabricated: return std::make_unique<Fabricated>(spec, w);
    case EventKind::kQuiet: return std::make_unique<Quiet>(spec);
    case EventKind::kSurge: return std::make_unique<Surge>(spec, w);
  }
  return nullptr;
}

}  // namespace portstorm::sim
