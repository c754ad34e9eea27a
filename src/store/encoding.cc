#include "store/encoding.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "store/coding.h"

namespace portstorm::store::detail {
namespace {

enum Transform : uint8_t { kNone = 0, kDelta = 1, kKeyed = 2 };
enum Kind : uint8_t { kConst = 0, kDict = 1, kPlain = 2, kVarint = 3 };
constexpr size_t kMaxDict = 256;

// v - prev modulo 2^bits as a signed bits-bit number, zigzag-coded.
inline uint64_t WrappedDelta(uint64_t v, uint64_t prev, int shift) {
  return ZigZag(static_cast<int64_t>((v - prev) << shift) >> shift);
}

void ApplyTransform(std::span<const uint64_t> v, std::span<const uint32_t> keys,
                    uint32_t key_space, uint8_t t, int bits, std::vector<uint64_t>* out) {
  out->resize(v.size());
  const int shift = 64 - bits;
  if (t == kNone) {
    std::copy(v.begin(), v.end(), out->begin());
  } else if (t == kDelta) {
    uint64_t prev = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      (*out)[i] = WrappedDelta(v[i], prev, shift);
      prev = v[i];
    }
  } else {
    thread_local std::vector<uint64_t> prev;
    prev.assign(key_space, 0);
    for (size_t i = 0; i < v.size(); ++i) {
      uint64_t& p = prev[keys[i]];
      (*out)[i] = WrappedDelta(v[i], p, shift);
      p = v[i];
    }
  }
}

// Order-0 entropy (bits) of the values hashed into 4096 buckets: a cheap
// stand-in for "how well will zstd do on this", good enough to rank transforms.
// `at(i)` yields value i of `n`; it is called for i = 0, step, 2*step, ... in
// order, so a transform can be evaluated on the fly without materialising it.
template <typename At>
double EstimateBits(size_t n, At&& at) {
  // Small blocks get a small histogram: clearing and summing 4096 buckets
  // would cost more than the block.
  int shift = 52;
  while (shift < 60 && (size_t{1} << (64 - shift)) > 2 * n) ++shift;
  thread_local std::vector<uint32_t> hist;
  hist.assign(size_t{1} << (64 - shift), 0);
  // Every 4th value of a large block ranks transforms as well as all of them.
  const size_t step = n >= 16384 ? 4 : 1;
  for (size_t i = 0; i < n; i += step) ++hist[(at(i) * 0x9E3779B97F4A7C15ull) >> shift];
  double count = static_cast<double>((n + step - 1) / step), bits = 0;
  for (uint32_t c : hist) {
    if (c != 0) bits += c * std::log2(count / c);
  }
  return bits;
}

size_t VarintLen(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

int BitsFor(uint64_t max_index) {
  int w = 0;
  while (w < 64 && (max_index >> w) != 0) ++w;
  return w;
}

// The distinct values if there are at most kMaxDict of them, sorted, with
// each row's index into them in *index; else empty.
std::vector<uint64_t> SmallDistinct(const std::vector<uint64_t>& v, std::vector<uint8_t>* index) {
  std::array<uint64_t, 1024> slots;
  std::array<int16_t, 1024> id;
  id.fill(-1);
  std::vector<uint64_t> distinct;
  index->resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    uint64_t x = v[i];
    size_t h = (x * 0x9E3779B97F4A7C15ull) >> 54;
    while (id[h] >= 0 && slots[h] != x) h = (h + 1) & 1023;
    if (id[h] < 0) {
      if (distinct.size() == kMaxDict) return {};
      id[h] = static_cast<int16_t>(distinct.size());
      slots[h] = x;
      distinct.push_back(x);
    }
    (*index)[i] = static_cast<uint8_t>(id[h]);
  }
  // Renumber by value so the dictionary can be stored delta-coded.
  std::vector<uint8_t> order(distinct.size()), rank(distinct.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint8_t a, uint8_t b) { return distinct[a] < distinct[b]; });
  std::vector<uint64_t> sorted(distinct.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<uint8_t>(r), sorted[r] = distinct[order[r]];
  for (uint8_t& i : *index) i = rank[i];
  return sorted;
}

void EncodeBody(const std::vector<uint64_t>& t, std::string* out) {
  bool all_same = std::all_of(t.begin(), t.end(), [&](uint64_t x) { return x == t[0]; });
  if (t.empty() || all_same) {
    PutFixed8(out, kConst);
    PutVarint(out, t.empty() ? 0 : t[0]);
    return;
  }
  std::vector<uint8_t> index;
  std::vector<uint64_t> dict = SmallDistinct(t, &index);
  if (!dict.empty()) {
    PutFixed8(out, kDict);
    PutVarint(out, dict.size());
    uint64_t prev = 0;
    for (uint64_t d : dict) PutVarint(out, d - prev), prev = d;
    int w = BitsFor(dict.size() - 1);
    // Widths divide 8 so no index straddles a byte; above 4 bits, byte-aligned
    // indexes compress better under zstd than tightly packed ones.
    w = w <= 1 ? 1 : w <= 2 ? 2 : w <= 4 ? 4 : 8;
    PutFixed8(out, static_cast<uint8_t>(w));
    size_t at = out->size();
    out->resize(at + (t.size() * w + 7) / 8, '\0');
    uint8_t* p = reinterpret_cast<uint8_t*>(out->data() + at);
    for (size_t i = 0; i < t.size(); ++i) {
      uint64_t idx = index[i];
      size_t bit = i * w;
      p[bit / 8] |= static_cast<uint8_t>(idx << (bit % 8));  // w divides 8: never straddles
    }
    return;
  }
  uint64_t max = *std::max_element(t.begin(), t.end());
  int width = max < (1u << 8) ? 1 : max < (1u << 16) ? 2 : max < (1ull << 32) ? 4 : 8;
  size_t varint_bytes = 0;
  for (uint64_t x : t) varint_bytes += VarintLen(x);
  if (varint_bytes < t.size() * width) {
    PutFixed8(out, kVarint);
    for (uint64_t x : t) PutVarint(out, x);
    return;
  }
  PutFixed8(out, kPlain);
  PutFixed8(out, static_cast<uint8_t>(width));
  size_t at = out->size();
  out->resize(at + t.size() * width);
  char* p = out->data() + at;
  for (uint64_t x : t) {
    for (int b = 0; b < width; ++b) *p++ = static_cast<char>(x >> (8 * b));
  }
}

}  // namespace

void EncodeIntColumn(std::span<const uint64_t> values, std::span<const uint32_t> keys,
                     uint32_t key_space, IntColumnOptions options, std::string* out) {
  thread_local std::vector<uint64_t> best;  // reused: ~1 MB per column
  uint8_t best_t = kNone;
  const int bits = std::clamp(options.bits, 1, 64);
  const int shift = 64 - bits;
  bool constant = std::all_of(values.begin(), values.end(),
                              [&](uint64_t x) { return x == values[0]; });
  if (!constant && values.size() > 1) {
    // Rank the transforms by estimates computed on the fly; only the winner
    // is materialised.
    double best_bits = EstimateBits(values.size(), [&](size_t i) { return values[i]; });
    if (options.try_delta) {
      double b = EstimateBits(values.size(), [&](size_t i) {
        return WrappedDelta(values[i], i == 0 ? 0 : values[i - 1], shift);
      });
      if (b < best_bits * 0.97) best_bits = b, best_t = kDelta;
    }
    if (options.try_keyed && keys.size() == values.size()) {
      thread_local std::vector<uint64_t> prev;
      prev.assign(key_space, 0);
      size_t next = 0;  // rows before this have updated prev[]
      double b = EstimateBits(values.size(), [&](size_t i) {
        for (; next < i; ++next) prev[keys[next]] = values[next];
        uint64_t& p = prev[keys[i]];
        uint64_t d = WrappedDelta(values[i], p, shift);
        p = values[i];
        ++next;
        return d;
      });
      if (b < best_bits * 0.97) best_bits = b, best_t = kKeyed;
    }
  }
  ApplyTransform(values, keys, key_space, best_t, bits, &best);
  uint64_t scale = 0;
  for (uint64_t x : best) {
    scale = std::gcd(scale, x);
    if (scale == 1) break;
  }
  if (scale > 1) {
    for (uint64_t& x : best) x /= scale;
  } else {
    scale = 1;
  }
  PutFixed8(out, best_t);
  PutVarint(out, scale);
  EncodeBody(best, out);
}

Status DecodeIntColumn(std::string_view* in, size_t rows, std::span<const uint32_t> keys,
                       uint32_t key_space, std::vector<uint64_t>* out) {
  ByteReader r(*in);
  uint8_t t, kind;
  uint64_t scale;
  auto bad = [](const char* what) { return Status::Corruption(std::string("integer column: ") + what); };
  if (!r.U8(&t) || !r.Varint(&scale) || !r.U8(&kind)) return bad("truncated header");
  if (t > kKeyed) return bad("unknown transform");
  if (t == kKeyed && keys.size() != rows) return bad("keyed column without keys");
  out->resize(rows);
  switch (kind) {
    case kConst: {
      uint64_t v;
      if (!r.Varint(&v)) return bad("truncated constant");
      std::fill(out->begin(), out->end(), v);
      break;
    }
    case kDict: {
      uint64_t n, prev = 0;
      if (!r.Varint(&n) || n == 0 || n > kMaxDict) return bad("bad dictionary size");
      std::array<uint64_t, kMaxDict> dict;
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t d;
        if (!r.Varint(&d)) return bad("truncated dictionary");
        dict[i] = prev += d;
      }
      uint8_t w;
      std::string_view packed;
      if (!r.U8(&w) || w == 0 || 8 % w != 0) return bad("bad bit width");
      if (!r.Bytes((rows * w + 7) / 8, &packed)) return bad("truncated indexes");
      const uint8_t* p = reinterpret_cast<const uint8_t*>(packed.data());
      uint32_t mask = (1u << w) - 1;
      for (size_t i = 0; i < rows; ++i) {
        size_t bit = i * w;
        uint32_t idx = (p[bit / 8] >> (bit % 8)) & mask;
        if (idx >= n) return bad("dictionary index out of range");
        (*out)[i] = dict[idx];
      }
      break;
    }
    case kPlain: {
      uint8_t width;
      std::string_view data;
      if (!r.U8(&width) || (width != 1 && width != 2 && width != 4 && width != 8)) {
        return bad("bad plain width");
      }
      if (!r.Bytes(rows * width, &data)) return bad("truncated values");
      const uint8_t* p = reinterpret_cast<const uint8_t*>(data.data());
      for (size_t i = 0; i < rows; ++i) {
        uint64_t v = 0;
        for (int b = width - 1; b >= 0; --b) v = (v << 8) | p[b];
        (*out)[i] = v;
        p += width;
      }
      break;
    }
    case kVarint:
      for (size_t i = 0; i < rows; ++i) {
        if (!r.Varint(&(*out)[i])) return bad("truncated varints");
      }
      break;
    default:
      return bad("unknown kind");
  }
  if (scale != 1) {
    for (uint64_t& x : *out) x *= scale;  // unsigned: wraps on garbage, never UB
  }
  if (t == kDelta) {
    uint64_t prev = 0;
    for (uint64_t& x : *out) x = prev += static_cast<uint64_t>(UnZigZag(x));
  } else if (t == kKeyed) {
    std::vector<uint64_t> prev(key_space, 0);
    for (size_t i = 0; i < rows; ++i) {
      if (keys[i] >= key_space) return bad("key out of range");
      uint64_t& p = prev[keys[i]];
      (*out)[i] = p += static_cast<uint64_t>(UnZigZag((*out)[i]));
    }
  }
  *in = r.rest();
  return Status::Ok();
}

void EncodeAddrColumn(std::span<const IpAddr> values, std::span<const uint32_t> keys,
                      uint32_t key_space, std::string* out, std::vector<uint32_t>* indexes,
                      uint32_t* dict_size) {
  absl::flat_hash_map<IpAddr, uint32_t> ids;
  std::vector<uint32_t> first_seen(values.size());
  std::vector<IpAddr> distinct;
  for (size_t i = 0; i < values.size(); ++i) {
    auto [it, inserted] = ids.try_emplace(values[i], static_cast<uint32_t>(distinct.size()));
    if (inserted) distinct.push_back(values[i]);
    first_seen[i] = it->second;
  }
  // Dictionary order: IPv4 ascending, then IPv6 ascending.
  std::vector<uint32_t> order(distinct.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    bool a4 = distinct[a].is_v4(), b4 = distinct[b].is_v4();
    if (a4 != b4) return a4;
    return distinct[a] < distinct[b];
  });
  std::vector<uint32_t> rank(distinct.size());
  size_t n4 = 0;
  for (uint32_t i = 0; i < order.size(); ++i) {
    rank[order[i]] = i;
    if (distinct[order[i]].is_v4()) ++n4;
  }
  PutVarint(out, n4);
  uint32_t prev = 0;
  for (size_t i = 0; i < n4; ++i) {
    uint32_t v = distinct[order[i]].v4();
    PutVarint(out, v - prev);
    prev = v;
  }
  PutVarint(out, order.size() - n4);
  for (size_t i = n4; i < order.size(); ++i) {
    out->append(reinterpret_cast<const char*>(distinct[order[i]].bytes().data()), 16);
  }
  indexes->resize(values.size());
  std::vector<uint64_t> idx(values.size());
  for (size_t i = 0; i < values.size(); ++i) idx[i] = (*indexes)[i] = rank[first_seen[i]];
  *dict_size = static_cast<uint32_t>(distinct.size());
  EncodeIntColumn(idx, keys, key_space, {.try_delta = true, .try_keyed = !keys.empty()}, out);
}

Status DecodeAddrColumn(std::string_view* in, size_t rows, std::span<const uint32_t> keys,
                        uint32_t key_space, std::vector<IpAddr>* out,
                        std::vector<uint32_t>* indexes, uint32_t* dict_size) {
  ByteReader r(*in);
  auto bad = [](const char* what) { return Status::Corruption(std::string("address column: ") + what); };
  uint64_t n4, n6;
  if (!r.Varint(&n4) || n4 > rows) return bad("bad IPv4 dictionary size");
  std::vector<IpAddr> dict;
  dict.reserve(n4);
  uint32_t prev = 0;
  for (uint64_t i = 0; i < n4; ++i) {
    uint32_t d;
    if (!r.Varint32(&d)) return bad("truncated IPv4 dictionary");
    prev += d;
    dict.push_back(IpAddr::V4(prev));
  }
  std::string_view v6;
  if (!r.Varint(&n6) || n6 > rows - n4 || !r.Bytes(n6 * 16, &v6)) {
    return bad("bad IPv6 dictionary");
  }
  for (uint64_t i = 0; i < n6; ++i) {
    dict.push_back(IpAddr::V6(reinterpret_cast<const uint8_t*>(v6.data()) + 16 * i));
  }
  std::string_view rest = r.rest();
  std::vector<uint64_t> idx;
  PS_RETURN_IF_ERROR(DecodeIntColumn(&rest, rows, keys, key_space, &idx));
  out->resize(rows);
  indexes->resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    if (idx[i] >= dict.size()) return bad("index out of range");
    (*out)[i] = dict[idx[i]];
    (*indexes)[i] = static_cast<uint32_t>(idx[i]);
  }
  *dict_size = static_cast<uint32_t>(dict.size());
  *in = rest;
  return Status::Ok();
}

uint32_t DenseKeys(std::span<const uint64_t> values, std::vector<uint32_t>* keys) {
  keys->resize(values.size());
  // Sensor ids are small; a map only for the rare large ones.
  std::vector<uint32_t> small;
  absl::flat_hash_map<uint64_t, uint32_t> large;
  uint32_t next = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const uint64_t v = values[i];
    uint32_t* slot;
    if (v < 4096) {
      if (v >= small.size()) small.resize(v + 1, UINT32_MAX);
      slot = &small[v];
    } else {
      slot = &large.try_emplace(v, UINT32_MAX).first->second;
    }
    if (*slot == UINT32_MAX) *slot = next++;
    (*keys)[i] = *slot;
  }
  return next;
}

}  // namespace portstorm::store::detail
