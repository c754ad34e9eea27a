// csv: a generic CSV export with a header line, its columns mapped to Event
// fields by name:
//
//   timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action
//   2024-03-02T15:32:54Z,192.0.2.7,40312,198.51.100.20,23,tcp,deny
//
// ParseOptions::csv_map ("field=column,...", from `--csv-map`) says which
// column holds which field; a column is a header name or a 1-based index
// "#3". Fields the map leaves out are found by common header names
// (src_ip/source/srcip, dst_ip/dest/destination, ...). Quoted cells with ""
// escapes; the delimiter (',' ';' or TAB) is the one the header uses. The
// parser keeps the header and the resolved column map per stream.
// Field list, name aliases and rejections: docs/formats/csv.md.
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"
#include "parse/parser.h"

namespace portstorm::parse {

int DetectCsv(std::string_view line);
std::unique_ptr<Parser> MakeCsvParser(const ParseOptions& options);

// Checks a --csv-map value without any input: InvalidArgument naming the
// first problem ("csv map: unknown field 'srcip' (fields: time, date, src,
// ...)"), Ok for a well-formed map (including the empty one). Whether the
// named columns exist is only known at the header.
Status CheckCsvMap(std::string_view map);

}  // namespace portstorm::parse
