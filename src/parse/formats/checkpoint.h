// checkpoint: Check Point firewall logs as Log Exporter (and SmartLog
// syslog) sends them: key:"value" pairs, usually as RFC 5424 structured data:
//
//   <134>1 2005-01-11T01:42:22Z mgmt1 CheckPoint 16953 - [action:"Drop";
//     ifdir:"inbound"; origin:"203.0.113.1"; time:"1105407742"; src:"192.0.2.1";
//     s_port:"4117"; dst:"198.51.100.2"; service:"5000"; proto:"6"; ...]
//
// Drop, Reject, Block and Prevent lines are drop/reject records, Detect lines
// alert records; Accept, Encrypt, Key Install and the other actions are not
// records. A packet-drop line that lists its packets
// (packets:"<src,sport,dst,dport,proto;if> ...") gives one record per listed
// packet, in order. The time is the time:"epoch" field when present, else the
// header's; the host is origin (the gateway that logged), else the header
// host. Field mapping and rejections: docs/formats/checkpoint.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectCheckpoint(std::string_view line);
std::unique_ptr<Parser> MakeCheckpointParser(const ParseOptions& options);

}  // namespace portstorm::parse
