// Event: one blocked packet (or one DShield line standing for `count` of
// them), normalised to a fixed-width record whatever log it came from.
//
// Layout is part of the WAL format (docs/formats/store.md): fields are
// naturally aligned, no implicit padding, 96 bytes. Zero means "not known"
// for every optional field (ttl, ip_id, seq, window, mss, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ip_addr.h"
#include "core/time.h"

namespace portstorm {

// IANA protocol numbers used by name in the code.
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoIgmp = 2;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIpv6Icmp = 58;

// TCP flag bits as on the wire.
namespace tcp {
inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                         kUrg = 0x20, kEce = 0x40, kCwr = 0x80;
}  // namespace tcp

// IP-level flags.
namespace ipf {
inline constexpr uint8_t kDf = 0x01, kMf = 0x02, kFragment = 0x04;  // kFragment: offset != 0
}  // namespace ipf

enum class Action : uint8_t { kUnknown = 0, kDrop = 1, kReject = 2, kAlert = 3, kAllow = 4 };

struct Event {
  TimeUs time = 0;        // UTC microseconds
  IpAddr src;             // source address
  IpAddr dst;             // target address
  uint32_t seq = 0;       // TCP sequence number
  uint32_t count = 1;     // packets this record stands for (DShield count column)
  uint32_t sensor = 0;    // sensor id (store dictionary; 0 = unassigned)
  uint32_t origin = 0;    // id of the file/submission the record came from
  uint32_t line = 0;      // 1-based line number in that origin
  uint32_t tcp_opts = 0;  // TCP option layout: one nibble per option, first option lowest (TcpOpt)
  uint16_t sport = 0;     // source port; ICMP: type
  uint16_t dport = 0;     // target port; ICMP: code
  uint16_t ip_len = 0;    // IP total length
  uint16_t ip_id = 0;     // IP identification (low 16 bits; IPv6 flow label not kept)
  uint16_t window = 0;    // TCP window
  uint16_t mss = 0;       // TCP MSS option value
  uint16_t payload_len = 0;
  uint8_t proto = 0;      // IANA protocol number
  uint8_t tcp_flags = 0;  // tcp::k*
  uint8_t ttl = 0;        // TTL / hop limit
  Action action = Action::kUnknown;
  uint8_t ip_flags = 0;   // ipf::k*
  uint8_t wscale = 0;     // TCP window-scale option value + 1 (0 = absent)
  uint8_t payload[8] = {};  // first bytes of the payload, where the log has them
  uint8_t marks = 0;        // mark:: bits that ingest sets (retransmission, ...)
  uint8_t reserved[3] = {};

  friend bool operator==(const Event&, const Event&) = default;
};
static_assert(sizeof(Event) == 96, "Event layout is part of the WAL format");

// Event::marks bits.
namespace mark {
// A TCP SYN that repeats an earlier one of the same sensor (same addresses,
// ports and sequence number, within the retransmission window): the attempt
// was counted at its first SYN. Reports count records or attempts.
inline constexpr uint8_t kRetransmission = 0x01;
}  // namespace mark

// TCP option kinds in Event::tcp_opts nibbles.
enum class TcpOpt : uint8_t { kEnd = 0, kNop = 1, kMss = 2, kWscale = 3, kSackOk = 4, kSack = 5,
                              kTimestamp = 6, kOther = 7 };
// Appends option `o` to a layout (up to 8 options are kept).
uint32_t AppendTcpOpt(uint32_t layout, TcpOpt o);
// "M1460,N,N,S" style signature (p0f-like) of an event's options; "" if none.
std::string TcpOptsString(const Event& e);

// "tcp", "udp", "icmp", "ipv6-icmp", ... or the number as text.
std::string ProtoName(uint8_t proto);
// Accepts names (case-insensitive: tcp, udp, icmp, icmpv6, ipv6-icmp, gre, esp, ah, igmp, sctp)
// and decimal numbers 0..255.
std::optional<uint8_t> ParseProto(std::string_view text);
// DShield flag letters in the order "SFAPRU12" for set flags, e.g. "S", "SA", "FA".
std::string FlagsString(uint8_t flags);
std::string_view ActionName(Action a);

}  // namespace portstorm
