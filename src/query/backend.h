// Backend: something that runs the query IR (query/ir.h) and returns a Table.
//
// Two implementations are planned: EmbeddedBackend (query/executor.h) over
// the embedded store, and a ClickHouse backend that translates the IR to
// SQL. Reports and analyses are written against this interface only, so
// they run unchanged on either. Every backend must give the answers the IR
// semantics define (checked by tests/query/backend_conformance.h).
//
// Thread-safety: implementations must allow concurrent const calls.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "query/ir.h"
#include "query/table.h"

namespace portstorm::query {

class Backend {
 public:
  virtual ~Backend() = default;
  // "embedded", "clickhouse", ...
  virtual std::string_view name() const = 0;
  [[nodiscard]] virtual Result<Table> Execute(const Query& query) const = 0;
  // UTC days (since epoch) that hold at least one record, ascending.
  [[nodiscard]] virtual Result<std::vector<int64_t>> Days() const = 0;
};

}  // namespace portstorm::query
