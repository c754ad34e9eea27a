// AddrSet: an exact set of IP addresses (IPv4 and IPv6).
//
// IPv4 addresses live in a 32-bit Roaring bitmap (CRoaring); IPv6 addresses,
// which a 32-bit bitmap cannot hold exactly, in a sorted vector of 128-bit
// values. Set operations therefore stay exact for both families. Debian 12's
// CRoaring (0.2.66) has no 128-bit or 64-bit C API; see docs/adr/0002.
// Not thread-safe for mutation; const methods may be called concurrently.
#pragma once

#include <roaring/roaring.hh>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_addr.h"
#include "core/status.h"

namespace portstorm::store {

class AddrSet {
 public:
  void Add(const IpAddr& a);
  // Adds many addresses at once: IPv4 ones are sorted and bulk-inserted,
  // which is several times faster than Add in a loop.
  void AddMany(std::span<const IpAddr> addrs);
  // After Adds of IPv6 addresses, call Optimize() (or any query) before
  // serialising; Add keeps IPv6 appends cheap and sorts lazily.
  void Optimize();
  bool Contains(const IpAddr& a) const;
  uint64_t size() const;
  bool empty() const { return size() == 0; }

  void UnionWith(const AddrSet& other);
  void IntersectWith(const AddrSet& other);
  uint64_t IntersectionSize(const AddrSet& other) const;

  // Ascending numeric order: all IPv4 (as ::ffff:a.b.c.d) sort before most IPv6.
  void ForEach(const std::function<void(const IpAddr&)>& fn) const;

  const Roaring& v4() const { return v4_; }
  const std::vector<IpAddr>& v6() const;

  // Serialisation (docs/formats/store.md, "address set"):
  //   u32 v4_bytes | roaring portable serialisation | u32 v6_count | v6_count * 16 bytes
  void AppendTo(std::string* out) const;
  // Parses what AppendTo wrote from the front of `in` and advances it.
  static Result<AddrSet> ReadFrom(std::string_view* in);
  // Advances `in` past one serialised set without decoding it. Checks only
  // the framing (lengths), not the bitmap bytes.
  [[nodiscard]] static Status Skip(std::string_view* in);

  friend bool operator==(const AddrSet& a, const AddrSet& b);

 private:
  void SortV6() const;
  Roaring v4_;
  mutable std::vector<IpAddr> v6_;
  mutable bool v6_sorted_ = true;
};

}  // namespace portstorm::store
