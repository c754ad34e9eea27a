// zeek_conn: Zeek's connection log (conn.log), in either of Zeek's writers:
//
//   TSV (LogAscii default): a header of '#' lines, then one tab-separated row
//   per connection, columns named by the #fields line:
//     #separator \x09
//     #fields  ts  uid  id.orig_h  id.orig_p  id.resp_h  id.resp_p  proto  ...  conn_state ...
//     1709393574.123456  CAbc1  192.0.2.7  40312  198.51.100.20  23  tcp  -  ...  S0 ...
//   JSON (LogAscii::use_json): one object per line with the same names as keys,
//     {"ts":1709393574.123456,"uid":"CAbc1","id.orig_h":"192.0.2.7",...}
//     ("ts" may also be an ISO 8601 string).
//
// Every connection is a record; its action comes from conn_state (REJ ->
// reject, established states -> allow, unanswered attempts -> the configured
// default action). ICMP connections carry type/code in id.orig_p/id.resp_p.
// The parser keeps the header (separator, unset markers, column map) per
// stream; rows before any #fields line use Zeek's default conn.log columns.
// Field mapping and rejections: docs/formats/zeek_conn.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectZeekConn(std::string_view line);
std::unique_ptr<Parser> MakeZeekConnParser(const ParseOptions& options);

}  // namespace portstorm::parse
