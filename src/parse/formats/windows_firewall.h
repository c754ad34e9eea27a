// windows_firewall: the Windows Firewall packet log (pfirewall.log), W3C
// extended log format with space-separated columns:
//
//   #Version: 1.5
//   #Software: Microsoft Windows Firewall
//   #Time Format: Local
//   #Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn
//     tcpack tcpwin icmptype icmpcode info path pid      (one line; wrapped here)
//   2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S 1296947564 0 65535 - - -
//   RECEIVE 4
//
// The "#Fields:" line defines the columns and their order (a file without
// one uses the order above, without pid); "-" is an absent value. Times are
// local (ParseOptions::tz) unless "#Time Format: UTC" says otherwise. DROP ->
// kDrop, ALLOW/OPEN/OPEN-INBOUND -> kAllow; CLOSE (end of a connection already
// logged by its OPEN), INFO-EVENTS-LOST and header lines are not records.
// Field mapping and rejections: docs/formats/windows_firewall.md.
//
// The parser keeps the column layout of the last "#Fields:" line (and the
// time format), so it belongs to one input stream. No continuation lines.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectWindowsFirewall(std::string_view line);
std::unique_ptr<Parser> MakeWindowsFirewallParser(const ParseOptions& options);

}  // namespace portstorm::parse
