// Table: the typed result of a query and of every report.
//
// A table is a list of columns (a stable snake_case name, a type and a
// privacy role) and rows of cells. Every backend returns one and every
// writer (report/table_writer.h) prints one, so typing lives here rather
// than in strings: writers choose how a time or an address looks per output
// format, and a later anonymiser rewrites the cells of columns whose role is
// kTargetAddress (public output: A.B.C.50) or drops kSensor columns without
// knowing which report made the table.
//
// Contracts: every row has columns.size() cells; a cell is either null or
// holds the alternative its column's type names (see CellType). Equality is
// exact (the backend conformance tests compare whole tables).
// Thread-safety: a value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/ip_addr.h"
#include "core/time.h"

namespace portstorm::query {

enum class CellType : uint8_t {
  kInt,     // int64_t
  kFloat,   // double, printed with Column::decimals digits after the point
  kString,  // std::string
  kIp,      // IpAddr
  kTime,    // int64_t TimeUs (UTC)
  kDay,     // int64_t days since 1970-01-01
};

// What a column reveals, for public (anonymised) output.
enum class Privacy : uint8_t {
  kPublic,         // fine to publish
  kTargetAddress,  // an address (or network) of a sensor's network: anonymise
  kSensor,         // which sensor submitted: never public
};

struct Column {
  std::string name;  // stable snake_case; part of the JSON/CSV interface (docs/reports.md)
  CellType type = CellType::kInt;
  Privacy privacy = Privacy::kPublic;
  int decimals = 0;  // kFloat only
  friend bool operator==(const Column&, const Column&) = default;
};

// std::monostate = null (printed empty; JSON null).
using Cell = std::variant<std::monostate, int64_t, double, std::string, IpAddr>;

inline bool IsNull(const Cell& c) { return std::holds_alternative<std::monostate>(c); }

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;

  // Index of the column named `name`, if any.
  std::optional<size_t> ColumnIndex(std::string_view name) const {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == name) return i;
    }
    return std::nullopt;
  }
  friend bool operator==(const Table&, const Table&) = default;
};

}  // namespace portstorm::query
