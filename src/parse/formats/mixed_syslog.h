// mixed_syslog: a syslog stream in which each line may be of another format,
// as a collector's file is (/var/log/remote/all.log: a Linux firewall's
// netfilter lines, a pfSense box's filterlog, an ASA, a FortiGate, snort
// alerts, and sshd and cron lines between them):
//
//   Jan 11 01:42:22 gw kernel: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2 ... DPT=5000 ...
//   Jan 11 01:42:23 fw1 filterlog[4711]: 5,,,1000000103,em0,match,block,in,4,0x0,,52,...
//   Jan 11 01:42:24 asa1 %ASA-4-106023: Deny tcp src outside:192.0.2.7/4117 dst inside:...
//
// Each line goes to the parser of the syslog-carried format whose detector
// claims it best (netfilter, ipchains, snort_fast, pfsense_filterlog,
// mikrotik, cisco_asa, fortigate, panos, juniper_srx, checkpoint), one parser
// per format for the whole stream, so each keeps its own state (the RFC 3164
// year). The last line's format is asked first and kept when it is sure of
// the line (score >= 85), so a run of one format costs one detector call a
// line. A line no detector claims is rejected as "not a record".
//
// --format auto picks this parser when lines of two or more of those formats
// are among the first lines of an input (DetectFormat); a collector file
// whose first lines happen to show one format only is read with
// --format mixed_syslog.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

// The formats a syslog stream can carry, by registry name.
std::span<const std::string_view> SyslogCarriedFormats();
// The syslog-carried format whose detector scores `line` best, or nullptr
// when none claims it; *score gets that score.
const FormatInfo* BestSyslogFormat(std::string_view line, int* score);

// Never chosen from one line: DetectFormat picks the format when a sample mixes.
int DetectMixedSyslog(std::string_view line);
std::unique_ptr<Parser> MakeMixedSyslogParser(const ParseOptions& options);

}  // namespace portstorm::parse
