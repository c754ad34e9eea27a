// netfilter: Linux kernel LOG / NFLOG lines as iptables, ip6tables,
// nftables `log`, ufw, Shorewall, SuSEfirewall2, OpenWrt, UniFi/EdgeOS and
// Proxmox write them:
//
//   Mar  2 15:32:54 gw kernel: [1234.5678] [UFW BLOCK] IN=eth0 OUT= MAC=...
//     SRC=203.0.113.7 DST=198.51.100.2 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4711 DF
//     PROTO=TCP SPT=40112 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 OPT (020405B4...)
//
// (one line). Any syslog header of syslog_header.h may precede it. The
// record starts at "IN=" (or a leading "OUT=" where the logger omits an
// empty IN=); what comes before it is the prefix, whose verdict word sets the
// action. Field mapping and rejections: docs/formats/netfilter.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/event.h"
#include "parse/parser.h"

namespace portstorm::parse {

// Confidence 0..100 that `line` is a netfilter LOG line.
int DetectNetfilter(std::string_view line);
std::unique_ptr<Parser> MakeNetfilterParser(const ParseOptions& options);

namespace detail {
// The first verdict word in a log prefix ("DROP", "[UFW BLOCK]", "-D-",
// "REJECT", "ACC-TCP", "[RULE-A-1]", ...), case-insensitive; kUnknown if none.
Action ActionFromPrefix(std::string_view prefix);
// Offset of the record start ("IN=" or a leading "OUT=") in a message, or npos.
size_t FindNetfilterStart(std::string_view message);
// The KEY=value part of a record, from its start (FindNetfilterStart) to the
// end of the line, into *e (whose other fields are kept): true, or false with
// the reason and detail of the rejection.
bool ParseNetfilterBody(std::string_view body, Event* e, Reason* reason, std::string* why);
// The parser's fast path for the same: reads only the kernel's own field
// order (IPv4 TCP/UDP/ICMP) and returns false for anything else, leaving *e
// partly written. When it returns true, *e is exactly what
// ParseNetfilterBody makes of the body.
bool ParseNetfilterBodyFast(std::string_view body, Event* e);
// Decodes the hex of a TCP "OPT (...)" field into e->tcp_opts, mss, wscale.
// Malformed trailing bytes end the decoding (the kernel dumps raw options).
void DecodeTcpOptions(std::string_view hex, Event* e);
}  // namespace detail

}  // namespace portstorm::parse
