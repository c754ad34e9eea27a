// juniper_srx: Juniper SRX / Junos flow and screen logs, in the plain form
//
//   Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied
//     192.0.2.1/4117->198.51.100.2/5000 0x0 junos-tcp-any 6(0) default-deny(global)
//     untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny
//
// and the structured-data (RFC 5424, "structured-data" log format) form
//
//   <14>1 2005-01-11T01:42:22.123+01:00 srx1 RT_FLOW - RT_FLOW_SESSION_DENY
//     [junos@2636.1.1.1.2.40 source-address="192.0.2.1" source-port="4117"
//     destination-address="198.51.100.2" destination-port="5000" protocol-id="6" ...]
//
// RT_FLOW_SESSION_DENY (and _DENY_LS) are drop records; SESSION_CREATE and
// SESSION_CLOSE (and their _LS variants) are allow records of sessions the
// policy let through; RT_SCREEN_* screen alarms are drop or alert records as
// their action says. APPTRACK_*, other RT_FLOW and Junos messages are not
// records. Ports are taken as SRX gives them, also for ICMP sessions (SRX
// writes its own ICMP identifiers there). Field mapping and rejections:
// docs/formats/juniper_srx.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectJuniperSrx(std::string_view line);
std::unique_ptr<Parser> MakeJuniperSrxParser(const ParseOptions& options);

}  // namespace portstorm::parse
