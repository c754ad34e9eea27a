#include "store/addr_set.h"

#include <algorithm>
#include <cstring>

namespace portstorm::store {

void AddrSet::Add(const IpAddr& a) {
  if (a.is_v4()) {
    v4_.add(a.v4());
    return;
  }
  if (!v6_.empty() && !(v6_.back() < a)) v6_sorted_ = false;
  v6_.push_back(a);
}

namespace {
// LSD radix sort, 3 passes of 11 bits: several times faster than std::sort on
// the millions of addresses of a flush.
void SortV4(std::vector<uint32_t>* v) {
  if (v->size() < 1024) {
    std::sort(v->begin(), v->end());
    return;
  }
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  std::vector<size_t> count(3 * kBuckets, 0);
  for (uint32_t x : *v) {
    ++count[x & (kBuckets - 1)];
    ++count[kBuckets + ((x >> kBits) & (kBuckets - 1))];
    ++count[2 * kBuckets + (x >> (2 * kBits))];
  }
  std::vector<uint32_t> tmp(v->size());
  std::vector<uint32_t>* from = v;
  std::vector<uint32_t>* to = &tmp;
  for (int pass = 0; pass < 3; ++pass) {
    size_t* c = count.data() + pass * kBuckets;
    size_t sum = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      size_t n = c[b];
      c[b] = sum;
      sum += n;
    }
    const int shift = pass * kBits;
    for (uint32_t x : *from) (*to)[c[(x >> shift) & (kBuckets - 1)]++] = x;
    std::swap(from, to);
  }
  if (from != v) v->swap(*from);  // odd number of passes: result is in tmp
}
}  // namespace

void AddrSet::AddMany(std::span<const IpAddr> addrs) {
  std::vector<uint32_t> v4;
  v4.reserve(addrs.size());
  for (const IpAddr& a : addrs) {
    if (a.is_v4()) {
      v4.push_back(a.v4());
    } else {
      if (!v6_.empty() && !(v6_.back() < a)) v6_sorted_ = false;
      v6_.push_back(a);
    }
  }
  SortV4(&v4);
  v4.erase(std::unique(v4.begin(), v4.end()), v4.end());
  v4_.addMany(v4.size(), v4.data());
}

void AddrSet::SortV6() const {
  if (v6_sorted_) return;
  std::sort(v6_.begin(), v6_.end());
  v6_.erase(std::unique(v6_.begin(), v6_.end()), v6_.end());
  v6_sorted_ = true;
}

void AddrSet::Optimize() {
  SortV6();
  v4_.runOptimize();
}

const std::vector<IpAddr>& AddrSet::v6() const {
  SortV6();
  return v6_;
}

bool AddrSet::Contains(const IpAddr& a) const {
  if (a.is_v4()) return v4_.contains(a.v4());
  SortV6();
  return std::binary_search(v6_.begin(), v6_.end(), a);
}

uint64_t AddrSet::size() const {
  SortV6();
  return v4_.cardinality() + v6_.size();
}

void AddrSet::UnionWith(const AddrSet& other) {
  v4_ |= other.v4_;
  SortV6();
  other.SortV6();
  std::vector<IpAddr> out;
  out.reserve(v6_.size() + other.v6_.size());
  std::set_union(v6_.begin(), v6_.end(), other.v6_.begin(), other.v6_.end(),
                 std::back_inserter(out));
  v6_.swap(out);
}

void AddrSet::IntersectWith(const AddrSet& other) {
  v4_ &= other.v4_;
  SortV6();
  other.SortV6();
  std::vector<IpAddr> out;
  std::set_intersection(v6_.begin(), v6_.end(), other.v6_.begin(), other.v6_.end(),
                        std::back_inserter(out));
  v6_.swap(out);
}

uint64_t AddrSet::IntersectionSize(const AddrSet& other) const {
  SortV6();
  other.SortV6();
  uint64_t n = v4_.and_cardinality(other.v4_);
  auto a = v6_.begin(), b = other.v6_.begin();
  while (a != v6_.end() && b != other.v6_.end()) {
    if (*a < *b) {
      ++a;
    } else if (*b < *a) {
      ++b;
    } else {
      ++n, ++a, ++b;
    }
  }
  return n;
}

void AddrSet::ForEach(const std::function<void(const IpAddr&)>& fn) const {
  SortV6();
  // Merge the two ordered families: IPv6 below ::ffff:0:0/96 first, then IPv4, then the rest.
  const IpAddr v4_low = IpAddr::V4(0);
  auto it = v6_.begin();
  while (it != v6_.end() && *it < v4_low) fn(*it++);
  for (uint32_t v : v4_) fn(IpAddr::V4(v));
  while (it != v6_.end()) fn(*it++);
}

void AddrSet::AppendTo(std::string* out) const {
  SortV6();
  Roaring copy = v4_;
  copy.runOptimize();
  uint32_t n = static_cast<uint32_t>(copy.getSizeInBytes(/*portable=*/true));
  size_t at = out->size();
  out->resize(at + 4 + n);
  std::memcpy(out->data() + at, &n, 4);
  copy.write(out->data() + at + 4, /*portable=*/true);
  uint32_t c = static_cast<uint32_t>(v6_.size());
  out->append(reinterpret_cast<const char*>(&c), 4);
  for (const IpAddr& a : v6_) out->append(reinterpret_cast<const char*>(a.bytes().data()), 16);
}

Result<AddrSet> AddrSet::ReadFrom(std::string_view* in) {
  AddrSet s;
  uint32_t n;
  if (in->size() < 4) return Status::Corruption("address set: truncated header");
  std::memcpy(&n, in->data(), 4);
  in->remove_prefix(4);
  if (in->size() < n) return Status::Corruption("address set: truncated bitmap");
  if (n > 0) {
    // readSafe checks bounds, so corrupt bytes give an error, not a crash.
    roaring_bitmap_t* r = roaring_bitmap_portable_deserialize_safe(in->data(), n);
    if (r == nullptr) return Status::Corruption("address set: bad bitmap");
    s.v4_ = Roaring(r);
  }
  in->remove_prefix(n);
  uint32_t c;
  if (in->size() < 4) return Status::Corruption("address set: truncated v6 count");
  std::memcpy(&c, in->data(), 4);
  in->remove_prefix(4);
  if (in->size() / 16 < c) return Status::Corruption("address set: truncated v6 list");
  s.v6_.resize(c);
  for (uint32_t i = 0; i < c; ++i) {
    s.v6_[i] = IpAddr::V6(reinterpret_cast<const uint8_t*>(in->data()) + 16 * i);
    if (i > 0 && !(s.v6_[i - 1] < s.v6_[i])) return Status::Corruption("address set: v6 not sorted");
  }
  in->remove_prefix(size_t{c} * 16);
  return s;
}

Status AddrSet::Skip(std::string_view* in) {
  uint32_t n, c;
  if (in->size() < 4) return Status::Corruption("address set: truncated header");
  std::memcpy(&n, in->data(), 4);
  if (in->size() - 4 < n) return Status::Corruption("address set: truncated bitmap");
  in->remove_prefix(size_t{4} + n);
  if (in->size() < 4) return Status::Corruption("address set: truncated v6 count");
  std::memcpy(&c, in->data(), 4);
  in->remove_prefix(4);
  if (in->size() / 16 < c) return Status::Corruption("address set: truncated v6 list");
  in->remove_prefix(size_t{c} * 16);
  return Status::Ok();
}

bool operator==(const AddrSet& a, const AddrSet& b) {
  return a.v4_ == b.v4_ && a.v6() == b.v6();
}

}  // namespace portstorm::store
