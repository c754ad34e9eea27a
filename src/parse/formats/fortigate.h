// fortigate: FortiGate / FortiOS key=value logs, bare or behind a syslog
// header:
//
//   <188>date=2005-01-11 time=01:42:22 devname="fg1" devid="FG100E0000000001"
//     logid="0000000013" type="traffic" subtype="forward" level="notice"
//     vd="root" eventtime=1105407742123456789 tz="+0100" srcip=192.0.2.1
//     srcport=4117 srcintf="wan1" dstip=198.51.100.2 dstport=5000
//     dstintf="internal" proto=6 action="deny" policyid=0 service="tcp/5000"
//
// Traffic logs (type="traffic") whose action is "deny" (blocked by policy)
// become drop records; sessions the firewall allowed (accept, close,
// timeout, client-rst, server-rst, start, dns, ip-conn) and every other log
// type (event, utm, anomaly, ...) are not records. Values may be quoted or
// bare; the time is eventtime (ns, µs, ms or s since the epoch) when present,
// else date/time in the zone of tz (or ParseOptions::tz). The device name is
// the record's host. Field mapping and rejections: docs/formats/fortigate.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectFortigate(std::string_view line);
std::unique_ptr<Parser> MakeFortigateParser(const ParseOptions& options);

}  // namespace portstorm::parse
