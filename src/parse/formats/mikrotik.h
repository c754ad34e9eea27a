// mikrotik: MikroTik RouterOS firewall log lines (rules with action=log or
// log=yes), behind a syslog header or RouterOS's own "/log print" date:
//
//   Jan 11 01:42:22 192.0.2.254 firewall,info drop-wan input: in:ether1 out:(unknown 0),
//     connection-state:new src-mac 00:00:5e:00:53:01, proto TCP (SYN),
//     192.0.2.1:4117->198.51.100.2:5000, len 60          (one line; wrapped here)
//
// Header: RFC 3164, RFC 5424, ISO 8601 (RouterOS remote logging, with or
// without a host), or "jan/11/2005 01:42:22" / "jan/11 01:42:22" /
// "2005-01-11 01:42:22" at the start (the router's own log). Then the topics
// ("firewall,info"), the rule's optional log prefix, "<chain>: in:<if>
// out:<if>", optional connection-state/src-mac, "proto <P>[ (flags | type
// t, code c)]", "src[:port]->dst[:port]" (IPv6 as "[addr]:port" or bare
// "addr->addr"), an optional "NAT (...)->(...)" clause, and "len N".
//
// Action: a verdict word in the log prefix (drop, reject, accept, ...), else
// in the chain name, else ParseOptions::default_action (RouterOS does not
// log the rule's action). Field mapping and rejections: docs/formats/mikrotik.md.
//
// One line = one record; no continuation lines. Single-stream objects (the
// syslog header parser keeps the RFC 3164 year).
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectMikrotik(std::string_view line);
std::unique_ptr<Parser> MakeMikrotikParser(const ParseOptions& options);

}  // namespace portstorm::parse
