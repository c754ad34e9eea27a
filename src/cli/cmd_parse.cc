// portstorm parse FILE…|-: shows what portstorm makes of a log without
// storing anything — one row per record with its line number, and every
// rejected line with its reason — so a new log source can be checked the way
// fail2ban-regex or `cscli explain` check theirs.
#include <fmt/format.h>

#include "cli/common.h"
#include "ingest/ingest.h"

namespace portstorm::cli {

namespace {

struct ParseArgs {
  std::vector<std::string> inputs;
  LogArgs log;
  std::string output;
  bool rejects_only = false;
};

using query::Cell;
using query::CellType;
using query::Column;

class TableSink : public parse::RecordSink {
 public:
  TableSink(report::Table* table, bool with_file, bool rejects_only)
      : table_(table), with_file_(with_file), rejects_only_(rejects_only) {}
  void set_input(const std::string& input) { input_ = input; }

  void OnRecord(const Event& e, std::string_view host) override {
    ++records;
    if (rejects_only_) return;
    std::vector<Cell> row;
    if (with_file_) row.emplace_back(input_);
    row.emplace_back(int64_t{e.line});
    row.emplace_back(int64_t{e.time});
    row.emplace_back(e.src);
    row.emplace_back(int64_t{e.sport});
    row.emplace_back(e.dst);
    row.emplace_back(int64_t{e.dport});
    row.emplace_back(ProtoName(e.proto));
    row.emplace_back(FlagsString(e.tcp_flags));
    row.emplace_back(e.ttl ? Cell(int64_t{e.ttl}) : Cell());
    row.emplace_back(std::string(ActionName(e.action)));
    row.emplace_back(int64_t{e.count});
    row.emplace_back(std::string(host));
    row.emplace_back(std::monostate());
    row.emplace_back(std::monostate());
    table_->rows.push_back(std::move(row));
  }

  void OnReject(uint64_t line, parse::Reason reason, std::string_view detail) override {
    ++rejected[static_cast<size_t>(reason) < rejected.size() ? static_cast<size_t>(reason) : 0];
    std::vector<Cell> row;
    if (with_file_) row.emplace_back(input_);
    row.emplace_back(static_cast<int64_t>(line));
    for (int i = 0; i < 11; ++i) row.emplace_back(std::monostate());
    row.emplace_back(std::string(parse::ReasonKey(reason)));
    row.emplace_back(std::string(detail));
    table_->rows.push_back(std::move(row));
  }

  uint64_t records = 0;
  std::array<uint64_t, parse::kReasonCount> rejected{};

 private:
  report::Table* table_;
  bool with_file_, rejects_only_;
  std::string input_;
};

report::Table MakeTable(bool with_file) {
  report::Table t;
  if (with_file) t.columns.push_back({"file", CellType::kString});
  t.columns.push_back({"line", CellType::kInt});
  t.columns.push_back({"time", CellType::kTime});
  t.columns.push_back({"src", CellType::kIp});
  t.columns.push_back({"sport", CellType::kInt});
  t.columns.push_back({"dst", CellType::kIp, query::Privacy::kTargetAddress});
  t.columns.push_back({"dport", CellType::kInt});
  t.columns.push_back({"proto", CellType::kString});
  t.columns.push_back({"flags", CellType::kString});
  t.columns.push_back({"ttl", CellType::kInt});
  t.columns.push_back({"action", CellType::kString});
  t.columns.push_back({"count", CellType::kInt});
  t.columns.push_back({"sensor", CellType::kString, query::Privacy::kSensor});
  t.columns.push_back({"reject", CellType::kString});
  t.columns.push_back({"detail", CellType::kString});
  return t;
}

}  // namespace

void RegisterParse(CLI::App& app, Globals& g) {
  auto args = std::make_shared<ParseArgs>();
  auto* cmd = app.add_subcommand("parse", "show the records and rejected lines a log yields, without storing anything");
  cmd->add_option("inputs", args->inputs, "log files, or - for stdin")->required();
  AddLogOptions(cmd, &args->log);
  cmd->add_flag("--rejects", args->rejects_only, "show only the rejected lines");
  AddOutputOption(cmd, &args->output);
  cmd->callback([&g, args] {
    auto popts = ResolveLogOptions(args->log);
    if (!popts.ok()) {
      g.exit_code = Fail(popts.status());
      return;
    }
    bool with_file = args->inputs.size() > 1;
    report::Table table = MakeTable(with_file);
    TableSink sink(&table, with_file, args->rejects_only);
    uint64_t lines = 0;
    for (const std::string& path : args->inputs) {
      auto in = ingest::OpenInput(path, args->log.format);
      if (!in.ok()) {
        g.exit_code = Fail(in.status());
        return;
      }
      if (in->format == nullptr) continue;  // empty input
      parse::ParseOptions o = *popts;
      o.reference_time = in->reader->mtime_us() != 0 ? in->reader->mtime_us() : NowUs();
      auto parser = in->format->make(o);
      sink.set_input(path);
      fmt::print(stderr, "{}: format {}\n", path, in->format->name);
      Status s = in->ForEachLine([&](std::string_view text, const parse::Line& meta) {
        ++lines;
        if (meta.too_long) {
          sink.OnReject(meta.number, parse::Reason::kLineTooLong,
                        fmt::format("longer than {} bytes", parse::kDefaultMaxLine));
        } else {
          parser->Line(text, meta.number, sink);
        }
        return Status::Ok();
      });
      parser->Finish(sink);
      if (!s.ok()) {
        g.exit_code = Fail(s);
        return;
      }
    }
    g.exit_code = PrintTable(table, args->output);
    uint64_t rejected = 0;
    for (uint64_t r : sink.rejected) rejected += r;
    fmt::print(stderr, "{} lines: {} records, {} rejected", lines, sink.records, rejected);
    for (int r = 0; r < parse::kReasonCount; ++r) {
      if (sink.rejected[r] > 0) {
        fmt::print(stderr, ", {} {}", sink.rejected[r], parse::ReasonName(static_cast<parse::Reason>(r)));
      }
    }
    fmt::print(stderr, "\n");
  });
}

}  // namespace portstorm::cli
