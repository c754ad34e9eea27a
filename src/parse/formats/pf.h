// pf: OpenBSD / FreeBSD pf packet logs as tcpdump prints them from pflogd's
// file (`tcpdump -n -e -ttt -r /var/log/pflog`) or live from pflog0:
//
//   Jan 11 01:42:22.123456 rule 2/(match) block in on em0: 192.0.2.1.4117 >
//     198.51.100.2.5000: S 1296947564:1296947564(0) win 65535 <mss 1460,nop,nop,sackOK> (DF)
//   (one line; wrapped here)
//
// Timestamps: OpenBSD's -ttt "Jan 11 01:42:22.123456" (no year:
// ParseOptions::year / reference_time, as RFC 3164), tcpdump.org's -tttt
// "2005-01-11 01:42:22.123456" (ParseOptions::tz), -tt epoch seconds, or the
// time of a syslog header when the output was piped through logger(1)
// ("Jan 11 01:42:23 fw pf: ..."). Relative -ttt/-tttt deltas ("00:00:01.000000",
// "000001") carry no date: without a syslog header around them such lines are
// rejected as kBadTimestamp.
//
// pflog header: "rule N[.anchor.M]/(reason)" (OpenBSD) or "rule N/M(reason):"
// (tcpdump.org and old OpenBSD), optional "[uid ...]" groups, then "<action>
// <direction> on <interface>:". Packet: IPv4 or IPv6 "addr[.port] > addr[.port]:"
// followed by TCP (old "S seq:end(len) ack win <opts>" or new "Flags [S.], seq,
// ack, win, options [...], length"), UDP ("udp N", "UDP, length N", or an
// application decode), ICMP/ICMPv6 text, ESP, AH, GRE, IGMP, CARP, fragments;
// "(DF)", "(frag id:len@off+)", OpenBSD -v "(ttl 64, id 1234, len 48)" and
// tcpdump 3.9's one-line -v "(tos 0x0, ttl 64, id 1234, offset 0, flags [DF],
// proto: TCP (6), length: 48)". Field mapping and rejections: docs/formats/pf.md.
//
// One line = one record: no continuation lines (tcpdump.org's two-line -v
// form is not joined; its first half is rejected as truncated).
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectPf(std::string_view line);
std::unique_ptr<Parser> MakePfParser(const ParseOptions& options);

}  // namespace portstorm::parse
