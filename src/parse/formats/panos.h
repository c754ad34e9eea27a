// panos: Palo Alto Networks PAN-OS syslog CSV (TRAFFIC and THREAT logs),
// bare or behind a syslog header:
//
//   Jan 11 01:42:23 pa-fw 1,2005/01/11 01:42:23,001801000001,TRAFFIC,drop,2561,
//     2005/01/11 01:42:22,192.0.2.1,198.51.100.2,0.0.0.0,0.0.0.0,deny-all,,,
//     not-applicable,vsys1,untrust,trust,ethernet1/1,,fwd,2005/01/11 01:42:22,0,1,
//     4117,5000,0,0,0x0,tcp,deny,60,60,0,1,...
//
// Columns (PAN-OS 8 to 11, "Syslog Field Descriptions"): 1 receive time,
// 3 type, 4 subtype, 6 generated time, 7/8 source/destination address,
// 24/25 source/destination port, 29 protocol, 30 action. TRAFFIC lines are
// records when the session was blocked (action deny, drop, drop-icmp,
// reset-*, or subtype drop/deny); allowed sessions are not records. THREAT
// lines are records (alert/allow -> alert, drop/deny/block-* -> drop, reset-*
// -> reject), except URL/file/data/WildFire logs that only report what was
// allowed. Other log types (SYSTEM, CONFIG, ...) are not records. The
// generated time is device local time: the syslog header's UTC offset when it
// has one, else ParseOptions::tz. Field mapping: docs/formats/panos.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectPanos(std::string_view line);
std::unique_ptr<Parser> MakePanosParser(const ParseOptions& options);

}  // namespace portstorm::parse
