// pfsense_filterlog: the pfSense / OPNsense `filterlog` packet log, one
// comma-separated record behind a syslog header:
//
//   Jan 11 01:42:22 fw filterlog[4711]: 5,,,1000000103,em0,match,block,in,4,0x0,,64,
//     54321,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,S,1296947564,,65535,,mss
//   (one line; wrapped here)
//
// Header forms: RFC 3164 with or without a host ("filterlog:" and
// "filterlog[pid]:" tags, as pfSense 2.x writes and forwards them), RFC 5424
// with app-name "filterlog" ("<134>1 2022-09-06T18:37:34+02:00 fw filterlog
// 4711 - - 5,..." and OPNsense's "[meta sequenceId=...]" structured data), ISO
// 8601. Common CSV fields (rule, sub rule, anchor, tracker, interface, reason,
// action, direction, IP version), then the IPv4 fields (TOS, ECN, TTL, ID,
// offset, flags, protocol id, protocol text) or IPv6 fields (class, flow
// label, hop limit, protocol text, protocol id), length, source, destination,
// and the protocol data: TCP ports, data length, flags, sequence, ack,
// window, urg, options; UDP ports and length; ICMP type and its subfields;
// CARP and others as given. Field mapping and rejections:
// docs/formats/pfsense_filterlog.md.
//
// One line = one record: no continuation lines. Parsers are single-stream
// objects (the syslog header parser keeps the RFC 3164 year).
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectFilterlog(std::string_view line);
std::unique_ptr<Parser> MakeFilterlogParser(const ParseOptions& options);

}  // namespace portstorm::parse
