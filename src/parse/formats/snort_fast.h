// snort_fast: one-line snort and Suricata alerts, in two shapes.
//
// fast.log ("alert_fast", snort 1.x-3 and Suricata):
//
//   03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] [Priority: 0] {TCP}
//       192.0.2.112:3504 -> 198.51.100.120:6346
//
// (one line; wrapped here). Suricata writes "MM/DD/YYYY-", snort -y
// "MM/DD/YY-", Suricata in IPS mode "[Drop] " before the first "[**]".
//
// syslog ("alert_syslog"): a syslog header (src/parse/syslog_header.h), the
// program tag "snort" or "suricata", then the alert:
//
//   Mar  2 15:32:54 gw snort[212]: [1:0:0] TCP to 6346 gnutella [Classification: ...]
//       [Priority: 0]: {TCP} 192.0.2.112:3504 -> 198.51.100.120:6346
//
// followed, when syslogd folded repeats, by "gw last message repeated 2 times"
// (a record of its own standing for 2 more alerts) or rsyslog's
// "snort[212]: message repeated 2 times: [ <alert> ]".
//
// Either shape may arrive wrapped over continuation lines (lines that start
// with white space), as seed 004 quotes it: a line without its
// "{PROTO} src -> dst" tail is held until a continuation completes it; it is
// rejected as truncated when a non-continuation line or the end of input
// comes first. Field mapping, actions and rejections: docs/formats/snort_fast.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectSnortFast(std::string_view line);
std::unique_ptr<Parser> MakeSnortFastParser(const ParseOptions& options);

}  // namespace portstorm::parse
