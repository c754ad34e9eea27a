// Deterministic random numbers for the simulator.
//
// Output must be byte-identical for a seed on every machine and with any
// number of threads, so the simulator never uses std:: distributions (their
// algorithms are implementation-defined) and never shares a generator between
// work items: each (sensor, day) and each entity derives its own stream from
// the run's seed with Key(). xoshiro256** (Blackman & Vigna) for streams,
// splitmix64 for seeding and hashing. Not thread-safe; one Rng per thread.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace portstorm::sim {

inline uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A stream key from a seed and any number of integers (entity kind, index, day...).
template <typename... T>
uint64_t Key(uint64_t seed, T... parts) {
  uint64_t h = SplitMix(seed);
  ((h = SplitMix(h ^ static_cast<uint64_t>(parts))), ...);
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t key) {
    for (uint64_t& s : s_) s = key = SplitMix(key);
  }
  uint64_t Next() {
    const uint64_t r = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return r;
  }
  // Uniform in [0, n) (Lemire's multiply-shift; the bias is < n / 2^64).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  uint64_t Range(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  // Exponentially distributed with the given mean.
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
  // Poisson-distributed count (inversion for small means, normal approximation above 60).
  uint64_t Poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 60) {
      double u1 = Uniform(), u2 = Uniform();
      double z = std::sqrt(-2 * std::log1p(-u1)) * std::cos(6.283185307179586 * u2);
      double v = mean + z * std::sqrt(mean) + 0.5;
      return v < 0 ? 0 : static_cast<uint64_t>(v);
    }
    double l = std::exp(-mean), p = Uniform();
    uint64_t k = 0;
    double term = l, cdf = l;
    while (p > cdf && k < 1000) {
      ++k;
      term *= mean / static_cast<double>(k);
      cdf += term;
    }
    return k;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Walker's alias method: O(1) draws from a fixed discrete distribution.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights) {
    const size_t n = weights.size();
    prob_.assign(n, 0);
    alias_.assign(n, 0);
    double sum = 0;
    for (double w : weights) sum += w > 0 ? w : 0;
    if (n == 0 || sum <= 0) return;
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = (weights[i] > 0 ? weights[i] : 0) * static_cast<double>(n) / sum;
      (scaled[i] < 1 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (uint32_t i : large) prob_[i] = 1;
    for (uint32_t i : small) prob_[i] = 1;
  }
  size_t size() const { return prob_.size(); }
  uint32_t Sample(Rng& rng) const {
    uint64_t r = rng.Next();
    uint32_t i = static_cast<uint32_t>(((r >> 32) * prob_.size()) >> 32);  // n < 2^32
    double u = static_cast<double>(r & 0xffffffffu) * 0x1.0p-32;
    return u < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<uint32_t> alias_;
};

}  // namespace portstorm::sim
