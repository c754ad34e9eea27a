// Packet shaping: the fields a source's OS or tool stack puts in the packets
// it sends (TTL after its hops, window, MSS and options, IP ID, source port,
// sequence number) and the SYN retransmissions it makes when no answer comes.
// Functions of (source, stack, time, target) and a caller's Rng, so that any
// (sensor, day) can be generated on its own thread in any order.
#pragma once

#include <cstdint>
#include <vector>

#include "core/event.h"
#include "sim/catalog.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace portstorm::sim {

// A source port for a new connection at time t (sequential stacks move with
// time, so later connections get later ports; `conn` counts connections
// inside one session).
uint16_t SourcePort(const Source& s, const Stack& st, TimeUs t, uint32_t conn, Rng& rng);
// The initial sequence number of a new connection to dst.
uint32_t InitialSeq(const Stack& st, uint32_t dst, Rng& rng);

// A TCP SYN and its retransmissions: `tries` packets (at most the stack's
// syn_tries) at the stack's offsets after t, same ports and sequence number,
// IP ID per the stack. Appends to *out.
void SynAttempt(const Source& s, const Stack& st, uint32_t dst, uint16_t dport, uint16_t sport,
                uint32_t seq, TimeUs t, int tries, Rng& rng, std::vector<Event>* out);
// One TCP segment with the given flags and no options (backscatter SYN-ACK,
// RST; probes of stateless tools use SynAttempt with tries = 1).
void TcpSegment(const Source& s, const Stack& st, uint32_t dst, uint16_t sport, uint16_t dport,
                uint8_t flags, uint32_t seq, TimeUs t, Rng& rng, std::vector<Event>* out);
// One UDP datagram with `payload_len` bytes; the first bytes, if given, go to Event::payload.
void UdpDatagram(const Source& s, const Stack& st, uint32_t dst, uint16_t sport, uint16_t dport,
                 uint16_t payload_len, TimeUs t, Rng& rng, std::vector<Event>* out);
// One ICMP message (echo request: type 8 code 0; unreachable: type 3).
void IcmpMessage(const Source& s, const Stack& st, uint32_t dst, uint8_t type, uint8_t code,
                 uint16_t ip_len, TimeUs t, Rng& rng, std::vector<Event>* out);

}  // namespace portstorm::sim
