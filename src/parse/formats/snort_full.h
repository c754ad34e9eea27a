// snort_full: snort's multi-line packet dumps, as `snort -v[d]` prints them
// and as alert_full / log files hold them (seed 004):
//
//   =+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   03/02-15:32:54.630347 192.0.2.112:3504 -> 198.51.100.120:6346
//   TCP TTL:117 TOS:0x0 ID:31988 IpLen:20 DgmLen:48 DF
//   ******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28
//   TCP Options (4) => MSS: 1460 NOP NOP SackOK
//
// An alert_full block opens with "[**] [gid:sid:rev] message [**]" and a
// "[Classification: ...] [Priority: n]" line before the packet. A block ends
// at a "=+=+" separator, a blank line, the next block's first line or the
// end of input; its lines give one record (Event::line = the "[**]" line of
// an alert, else the timestamp line). Separators and the blank lines around
// blocks are framing and get no callback; lines inside a block are
// continuation lines and get none either. Fields, actions and rejections:
// docs/formats/snort_full.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectSnortFull(std::string_view line);
std::unique_ptr<Parser> MakeSnortFullParser(const ParseOptions& options);

}  // namespace portstorm::parse
