// p0f: passive OS fingerprints of TCP SYNs, in the text forms three p0f
// generations wrote.
//
//   p0f 3 log file (-o), one line per observation; only mod=syn and
//   mod=syn+ack describe a packet:
//     [2012/01/01 10:00:00] mod=syn|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=cli|
//         os=Linux 3.x|dist=10|params=none|
//         raw_sig=4:54+10:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0
//   p0f 2 (-t timestamps; -l puts the "->" part on the first line):
//     <Sat Mar  2 15:32:54 2002> 192.0.2.1:3504 - Windows 2000 SP4, XP SP1+
//       -> 198.51.100.2:6346 (distance 12, link: ethernet/modem)
//   p0f 1 (seed 004; -v adds the second line, sometimes with "+ "):
//     Sat Mar  2 15:32:54 2002 192.0.2.1 [12 hops]: Windows 95 or early NT4
//      192.0.2.1:3504 -> 198.51.100.2:6346
//
// (the p0f 3 line is one line, wrapped here). A p0f 1/2 record is held until
// its "->" line; continuation lines (leading white space: "->", Signature,
// Payload and packet dump lines) belong to the record before them and get
// no callback. Field mapping (TTL, DF, window, MSS, options from raw_sig or
// the p0f 2 signature) and rejections: docs/formats/p0f.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectP0f(std::string_view line);
std::unique_ptr<Parser> MakeP0fParser(const ParseOptions& options);

}  // namespace portstorm::parse
