// dshield: the DShield submission format, one tab-separated record per line:
//
//   date \t userid \t count \t src ip \t src port \t dst ip \t dst port \t proto [\t flags]
//   2005-01-11 01:42:22 -05:00  1234  3  192.0.2.9  4177  198.51.100.50  1026  17
//
// date "YYYY-MM-DD HH:MM:SS ±HH:MM" (zone optional: ParseOptions::tz),
// ports "???" when unknown, ICMP type/code in the port columns, protocol a
// number or name, flags letters of "SFAPRU12". The userid is the record's
// host. Field mapping and rejections: docs/formats/dshield.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectDshield(std::string_view line);
std::unique_ptr<Parser> MakeDshieldParser(const ParseOptions& options);

}  // namespace portstorm::parse
