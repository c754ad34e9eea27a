// Fuzz target: the filter language (src/query/filter.h).
//
// Parses the input as a filter. A rejected filter must come back as a
// ParseError (never a crash). An accepted one must print a canonical form
// that parses back to the same tree and prints identically, and its
// compiled form must evaluate several events (IPv4, IPv6, ICMP, flags,
// sensors) without trouble and agree with a tree-walking reference.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "query/filter.h"

namespace {

using portstorm::Event;
using portstorm::IpAddr;
using portstorm::query::Expr;
using portstorm::query::Side;

bool InPorts(const Expr& e, uint16_t p) {
  for (const auto& r : e.ports) {
    if (p >= r.lo && p <= r.hi) return true;
  }
  return false;
}

// Straightforward recursive reference semantics (sensors: unknown -> false).
bool Reference(const Expr& e, const Event& ev) {
  switch (e.kind) {
    case Expr::Kind::kTrue: return true;
    case Expr::Kind::kAnd:
      for (const Expr& c : e.children) {
        if (!Reference(c, ev)) return false;
      }
      return true;
    case Expr::Kind::kOr:
      for (const Expr& c : e.children) {
        if (Reference(c, ev)) return true;
      }
      return false;
    case Expr::Kind::kNot: return !Reference(e.children.at(0), ev);
    case Expr::Kind::kProto: return ev.proto == e.proto;
    case Expr::Kind::kFlags: return (ev.tcp_flags & e.flags) == e.flags;
    case Expr::Kind::kSensor: return false;
    case Expr::Kind::kNet:
      if (e.side == Side::kSrc) return e.net.Contains(ev.src);
      if (e.side == Side::kDst) return e.net.Contains(ev.dst);
      return e.net.Contains(ev.src) || e.net.Contains(ev.dst);
    case Expr::Kind::kPort:
      if (e.side == Side::kSrc) return InPorts(e, ev.sport);
      if (e.side == Side::kDst) return InPorts(e, ev.dport);
      return InPorts(e, ev.sport) || InPorts(e, ev.dport);
  }
  return false;
}

Event Make(uint8_t proto, const char* src, uint16_t sport, const char* dst, uint16_t dport,
           uint8_t flags) {
  Event e;
  e.proto = proto;
  e.src = *IpAddr::Parse(src);
  e.dst = *IpAddr::Parse(dst);
  e.sport = sport;
  e.dport = dport;
  e.tcp_flags = flags;
  e.sensor = 1;
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = portstorm::query::ParseFilter(text);
  if (!parsed.ok()) {
    if (parsed.status().code() != portstorm::Code::kParseError) __builtin_trap();
    return 0;
  }
  std::string canon = parsed->ToString();
  auto again = portstorm::query::ParseFilter(canon);
  if (!again.ok() || !(*again == *parsed) || again->ToString() != canon) __builtin_trap();

  auto filter = portstorm::query::Filter::Compile(*parsed, nullptr);
  if (!filter.ok()) return 0;
  static const Event kEvents[] = {
      Make(portstorm::kProtoTcp, "83.50.134.3", 4662, "192.0.2.50", 3771, 0x02),
      Make(portstorm::kProtoUdp, "9.9.9.9", 666, "10.0.0.1", 1026, 0),
      Make(portstorm::kProtoTcp, "2001:db8::7", 1031, "2001:db8:1::50", 135, 0x12),
      Make(portstorm::kProtoIcmp, "10.1.2.3", 8, "10.0.0.9", 0, 0),
      Make(17, "0.0.0.0", 0, "255.255.255.255", 65535, 0xff),
  };
  for (const Event& e : kEvents) {
    if (filter->Matches(e) != Reference(*parsed, e)) __builtin_trap();
  }
  return 0;
}
