// The filter language: nfdump/BPF-style expressions over events, e.g.
//   proto udp and dst port 1026-1031 and not src port in [666 4177]
// Spec (grammar, primitives, precedence, errors): docs/filter-language.md.
//
// Two layers:
//  * Expr, the abstract syntax tree. A plain tagged tree (kind + fields +
//    children) so that other backends translate it with one `switch` over
//    Expr::Kind (the ClickHouse backend turns it into SQL); ParseFilter()
//    builds it, ToString() prints its canonical form, which parses back to an
//    equal tree. Port lists are normalised on parse (sorted, overlaps and
//    neighbours merged), `ip` is a /128 (/32) `net`, and `and`/`or` are n-ary.
//  * Filter, the compiled form the embedded executor evaluates per Event: a
//    flat array of small instructions in pre-order, evaluated with one switch
//    per node and short-circuiting; no allocation, no virtual calls.
//
// Sensors are named in the text but events carry ids, so Filter::Compile
// resolves names through store::Reader::FindSensor. An unknown sensor
// matches nothing (as a SQL `sensor = 'name'` would) and is listed in
// Filter::unknown_sensors() so the CLI can warn about a typo.
//
// Thread-safety: Expr and Filter are values; const methods may be called
// concurrently. A Filter does not borrow the Reader it was compiled with.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/ip_addr.h"
#include "core/status.h"

namespace portstorm::store {
class Reader;
}

namespace portstorm::query {

// Which side of the packet a primitive tests. kEither: source or target.
enum class Side : uint8_t { kEither = 0, kSrc = 1, kDst = 2 };

// An inclusive port range; a single port is {p, p}.
struct PortRange {
  uint16_t lo = 0;
  uint16_t hi = 0;
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

struct Expr {
  enum class Kind : uint8_t {
    kTrue,    // `any` and the empty filter: every event
    kAnd,     // children.size() >= 2, all must match
    kOr,      // children.size() >= 2, one must match
    kNot,     // children.size() == 1
    kProto,   // proto == `proto`
    kNet,     // `side` address inside `net` (`ip A` is net A/32 or A/128)
    kPort,    // `side` port inside one of `ports` (sorted, disjoint, not adjacent)
    kFlags,   // all TCP flag bits of `flags` set (tcp::k*)
    kSensor,  // event's sensor is the sensor named `sensor`
  };

  Kind kind = Kind::kTrue;
  Side side = Side::kEither;
  uint8_t proto = 0;
  uint8_t flags = 0;
  IpNet net;
  std::vector<PortRange> ports;
  std::string sensor;
  std::vector<Expr> children;

  // Canonical text: keywords lower-case, `src`/`dst` spelled out, protocols
  // by name, ports as `N`, `N-M` or `in [a b-c]`, minimal parentheses.
  std::string ToString() const;

  friend bool operator==(const Expr& a, const Expr& b);

  static Expr True() { return Expr{}; }
  static Expr Proto(uint8_t p);
  static Expr Net(Side side, const IpNet& net);
  static Expr Ports(Side side, std::vector<PortRange> ranges);  // normalises `ranges`
  static Expr Flags(uint8_t flags);
  static Expr Sensor(std::string name);
  static Expr Not(Expr e);
  // n-ary; nested nodes of the same kind are flattened, kTrue dropped from And.
  static Expr And(std::vector<Expr> es);
  static Expr Or(std::vector<Expr> es);
};

// Parses filter text. Empty (or all-blank) text is kTrue. On a syntax error
// returns Status::ParseError with a message of the form
//   filter:1:10: expected a port number after 'port', found 'x'
//     dst port x
//              ^
// (line:column are 1-based, in bytes).
[[nodiscard]] Result<Expr> ParseFilter(std::string_view text);

// Sorts and merges ranges so that they are disjoint and not adjacent.
void NormalizePortRanges(std::vector<PortRange>* ranges);

// Bits of store::col the evaluation of `e` reads.
uint32_t FilterColumns(const Expr& e);

class Filter {
 public:
  Filter();  // matches everything

  // Compiles an AST. `reader` resolves `sensor NAME` primitives; with a null
  // reader every sensor is unknown (matches nothing).
  [[nodiscard]] static Result<Filter> Compile(const Expr& expr, const store::Reader* reader);
  // ParseFilter + Compile.
  [[nodiscard]] static Result<Filter> Compile(std::string_view text, const store::Reader* reader);

  bool Matches(const Event& e) const { return Eval(0, e); }
  bool matches_all() const { return code_.size() == 1 && code_[0].op == Op::kTrue; }

  const Expr& expr() const { return expr_; }
  std::string ToString() const { return expr_.ToString(); }
  uint32_t columns() const { return columns_; }
  const std::vector<std::string>& unknown_sensors() const { return unknown_sensors_; }

 private:
  enum class Op : uint8_t {
    kTrue, kFalse, kAnd, kOr, kNot, kProto, kFlags, kSensor,
    kNetSrc, kNetDst, kNetEither, kPortSrc, kPortDst, kPortEither,
  };
  // One node; its subtree occupies [self, end) of code_, children follow it.
  struct Instr {
    Op op = Op::kTrue;
    uint8_t u8 = 0;     // proto or flags
    uint32_t end = 0;   // index one past this node's subtree
    uint32_t arg = 0;   // sensor id, index into nets_, or first index into ranges_
    uint32_t count = 0; // number of ranges
  };
  struct Mask128 {
    uint64_t hi = 0, lo = 0, mask_hi = 0, mask_lo = 0;
    bool Contains(const IpAddr& a) const {
      // Inline big-endian loads: IpAddr::hi()/lo() are out of line.
      uint64_t h, l;
      std::memcpy(&h, a.bytes().data(), 8);
      std::memcpy(&l, a.bytes().data() + 8, 8);
      return (__builtin_bswap64(h) & mask_hi) == hi && (__builtin_bswap64(l) & mask_lo) == lo;
    }
  };

  void Emit(const Expr& e, const store::Reader* reader);
  bool InRanges(const Instr& in, uint16_t port) const {
    const PortRange* r = ranges_.data() + in.arg;
    for (uint32_t i = 0; i < in.count; ++i) {
      if (port >= r[i].lo && port <= r[i].hi) return true;
    }
    return false;
  }
  bool Eval(uint32_t i, const Event& e) const;

  Expr expr_;
  std::vector<Instr> code_;
  std::vector<Mask128> nets_;
  std::vector<PortRange> ranges_;
  std::vector<std::string> unknown_sensors_;
  uint32_t columns_ = 0;
};

}  // namespace portstorm::query
