// Service names for well-known and commonly scanned ports.
//
// A built-in table (no /etc/services: reports must print the same on every
// host). Where the registered (IANA) name and what scanners are after
// differ, the table uses what an analyst needs to recognise the traffic:
// udp/1026-1031 is "win-messenger" (Windows Messenger popup spam, seed 001),
// tcp/1025-1031 "win-rpc" (dynamic DCE-RPC ports), tcp/4444 "blaster".
// The full list is in docs/reports.md. Thread-safe (constant data).
#pragma once

#include <cstdint>
#include <string_view>

namespace portstorm::report {

// Name of the service on `proto`/`port` (kProtoTcp, kProtoUdp), or "" when
// the table has none. Other protocols have no service names.
std::string_view ServiceName(uint8_t proto, uint16_t port);

}  // namespace portstorm::report
