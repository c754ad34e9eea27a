// ipchains: Linux 2.2 ipchains packet log lines behind a syslog header:
//
//   Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6
//     207.95.12.112:3504 12.82.129.120:6346 L=48 S=0x00 I=31988 F=0x4000 T=117 SYN (#64)
//
// chain, target, interface, protocol number, source and destination
// address:port (ICMP: address:type and address:code), IP length, TOS, ID,
// fragment word and TTL, "SYN" for TCP SYNs, the rule number.
//
// The record may arrive wrapped over continuation lines (lines that start
// with white space, as mail and some relays fold it). The parser keeps the
// record until a line that is not a continuation arrives, then emits it, or
// rejects it as kTruncated if fields are missing; Finish() does the same for
// a record held at end of input. A record that ends with its rule number
// "(#n)" is complete and goes out at once. Field mapping and rejections:
// docs/formats/ipchains.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectIpchains(std::string_view line);
std::unique_ptr<Parser> MakeIpchainsParser(const ParseOptions& options);

}  // namespace portstorm::parse
