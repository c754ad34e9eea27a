// cisco_asa: Cisco ASA / PIX / FWSM / FTD syslog messages that record a
// traffic verdict, behind whatever header the relay put in front:
//
//   Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src outside:192.0.2.1/4117
//     dst inside:198.51.100.2/5000 by access-group "outside_in" [0x0, 0x0]
//   Jan 11 01:42:22 fw %PIX-2-106001: Inbound TCP connection denied from
//     192.0.2.1/4117 to 198.51.100.2/5000 flags SYN  on interface outside
//
// The parser finds the "%ASA-[class-]L-NNNNNN" tag, takes the time from the
// text before it (the device's own "Mmm dd yyyy hh:mm:ss[ ZONE]" stamp when
// present, else the syslog/ISO header; a line with no time at all gets
// ParseOptions::reference_time), and reads addresses, ports, protocol and
// TCP flags from the message body by message id. Deny/drop messages
// (106001, 106006, 106007, 106014, 106015, 106023, 710003, 313001, ...) become
// drop records, access-list 106100 lines allow or drop records; "message
// repeated N times: [ ... ]" is one record with count N. Other message ids
// (connection build/teardown, NAT, VPN, system) are not records. Field
// mapping, message list and rejections: docs/formats/cisco_asa.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectCiscoAsa(std::string_view line);
std::unique_ptr<Parser> MakeCiscoAsaParser(const ParseOptions& options);

}  // namespace portstorm::parse
