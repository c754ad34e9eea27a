// Writers: print a report::Table as an aligned text table, TSV, CSV or JSON.
//
// Formats (docs/reports.md, "Output formats"):
//  * table: a header line and space-aligned columns for terminals; numbers
//    right-aligned, text left-aligned, two spaces between columns.
//  * tsv: a header line, then one line per row, fields separated by a tab;
//    tab, newline, carriage return and backslash inside a field are written
//    as \t \n \r \\ (ClickHouse TabSeparated / PostgreSQL text escaping).
//  * csv: RFC 4180 — a header line; a field with a comma, double quote, CR
//    or LF is enclosed in double quotes with inner quotes doubled. Lines end
//    with LF (not CRLF), which every CSV reader accepts.
//  * json: an array of objects keyed by the column names; numbers as JSON
//    numbers, null cells as null, times as ISO 8601 UTC strings, days as
//    "YYYY-MM-DD", addresses as strings. Invalid UTF-8 becomes U+FFFD.
// In table/tsv/csv times print as "YYYY-MM-DD HH:MM:SS" (UTC), days as
// "YYYY-MM-DD", floats with the column's decimals, null as an empty field.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/status.h"
#include "report/table.h"

namespace portstorm::report {

enum class OutputFormat : uint8_t { kTable, kTsv, kCsv, kJson };

// "table", "tsv", "csv", "json" (case-insensitive).
[[nodiscard]] Result<OutputFormat> ParseOutputFormat(std::string_view text);
std::string_view OutputFormatName(OutputFormat f);
// table for a terminal, tsv when piped or redirected.
OutputFormat DefaultOutputFormat(bool is_terminal);
// DefaultOutputFormat(isatty(fd)).
OutputFormat DefaultOutputFormatForFd(int fd);

// A cell as text for table/tsv/csv (before any quoting or escaping).
std::string CellText(const Cell& cell, const Column& column);

std::string FormatTable(const Table& table, OutputFormat format);
// Writes FormatTable(...) to `out`; an IOError if the write fails.
[[nodiscard]] Status WriteTable(const Table& table, OutputFormat format, std::FILE* out);

}  // namespace portstorm::report
