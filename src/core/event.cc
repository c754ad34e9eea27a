#include "core/event.h"

#include <charconv>

namespace portstorm {

uint32_t AppendTcpOpt(uint32_t layout, TcpOpt o) {
  for (int i = 0; i < 8; ++i) {
    if (((layout >> (4 * i)) & 0xf) == 0) return layout | (uint32_t{static_cast<uint8_t>(o)} << (4 * i));
  }
  return layout;
}

std::string TcpOptsString(const Event& e) {
  std::string s;
  for (int i = 0; i < 8; ++i) {
    auto o = static_cast<TcpOpt>((e.tcp_opts >> (4 * i)) & 0xf);
    if (o == TcpOpt::kEnd) break;
    if (!s.empty()) s += ',';
    switch (o) {
      case TcpOpt::kNop: s += 'N'; break;
      case TcpOpt::kMss: s += 'M'; s += std::to_string(e.mss); break;
      case TcpOpt::kWscale:
        s += 'W';
        if (e.wscale > 0) s += std::to_string(e.wscale - 1);
        break;
      case TcpOpt::kSackOk: s += 'S'; break;
      case TcpOpt::kSack: s += "K"; break;
      case TcpOpt::kTimestamp: s += 'T'; break;
      default: s += '?'; break;
    }
  }
  return s;
}

std::string ProtoName(uint8_t p) {
  switch (p) {
    case kProtoIcmp: return "icmp";
    case kProtoIgmp: return "igmp";
    case kProtoTcp: return "tcp";
    case kProtoUdp: return "udp";
    case 41: return "ipv6";
    case 47: return "gre";
    case 50: return "esp";
    case 51: return "ah";
    case kProtoIpv6Icmp: return "ipv6-icmp";
    case 103: return "pim";
    case 132: return "sctp";
    default: return std::to_string(p);
  }
}

std::optional<uint8_t> ParseProto(std::string_view t) {
  std::string l;
  for (char c : t) l += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (l == "tcp") return kProtoTcp;
  if (l == "udp") return kProtoUdp;
  if (l == "icmp") return kProtoIcmp;
  if (l == "icmpv6" || l == "ipv6-icmp" || l == "icmp6") return kProtoIpv6Icmp;
  if (l == "igmp") return kProtoIgmp;
  if (l == "gre") return 47;
  if (l == "esp") return 50;
  if (l == "ah") return 51;
  if (l == "ipv6") return 41;
  if (l == "pim") return 103;
  if (l == "sctp") return 132;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), v);
  if (ec != std::errc() || p != l.data() + l.size() || l.empty() || v > 255) return std::nullopt;
  return static_cast<uint8_t>(v);
}

std::string FlagsString(uint8_t f) {
  std::string s;
  if (f & tcp::kSyn) s += 'S';
  if (f & tcp::kFin) s += 'F';
  if (f & tcp::kAck) s += 'A';
  if (f & tcp::kPsh) s += 'P';
  if (f & tcp::kRst) s += 'R';
  if (f & tcp::kUrg) s += 'U';
  if (f & tcp::kCwr) s += '1';
  if (f & tcp::kEce) s += '2';
  return s;
}

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kDrop: return "drop";
    case Action::kReject: return "reject";
    case Action::kAlert: return "alert";
    case Action::kAllow: return "allow";
    default: return "unknown";
  }
}

}  // namespace portstorm
