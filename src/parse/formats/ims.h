// ims: records of an IMS-style darknet sensor (the Internet Motion Sensor
// report quoted in seed 002), one packet per record:
//
//   01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1296947564 0
//
// date (MM-DD-YYYY) and time (zone-less: ParseOptions::tz), a hexadecimal
// record id, source address and port, target address and port (the target
// is often anonymised, "A.B.C.50": stored as an anonymised address, never
// rejected), protocol, eight TCP flag positions "FSRPAUEC" ('-' = clear),
// sequence and acknowledgement numbers.
//
// Mail quoting ("> ") in front of a line is skipped, and a record wrapped over
// two lines (seed 002 breaks it after the protocol) is joined: a record line
// short of its eleven fields is held, and the next line continues it when
// its first field has the shape of the first missing one. Continuation lines
// get no callback. Field mapping and rejections: docs/formats/ims.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectIms(std::string_view line);
std::unique_ptr<Parser> MakeImsParser(const ParseOptions& options);

}  // namespace portstorm::parse
