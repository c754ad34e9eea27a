// report::Table: the table every report returns and every writer prints.
//
// It is the query layer's typed table (query/table.h), so a report that is
// a plain query result needs no conversion; see there for the column model
// (stable snake_case names, cell types, privacy roles for anonymisation).
#pragma once

#include "query/table.h"

namespace portstorm::report {

using query::Cell;
using query::CellType;
using query::Column;
using query::IsNull;
using query::Privacy;
using query::Table;

}  // namespace portstorm::report
