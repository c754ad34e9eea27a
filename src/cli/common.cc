#include "cli/common.h"

#include "parse/formats/csv.h"

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include <iostream>

#include "query/executor.h"
#include "report/table_writer.h"

namespace portstorm::cli {

Result<std::unique_ptr<store::Store>> OpenStore(const Globals& g, bool read_only) {
  std::error_code ec;
  if (read_only && !std::filesystem::exists(g.store_dir, ec)) {
    return Status::NotFound("no store at '" + g.store_dir +
                            "' (ingest something first, or pass --store DIR / set PORTSTORM_STORE)");
  }
  store::StoreOptions o;
  o.read_only = read_only;
  o.create_if_missing = !read_only;
  return store::Store::Open(g.store_dir, o);
}

int Fail(const Status& s) {
  std::cerr << "portstorm: " << s.ToString() << "\n";
  return s.ExitCode();
}

namespace {

// "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS" (UTC).
Result<TimeUs> ParseDateTime(const std::string& s) {
  CivilTime c;
  char sep = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &c.year, &c.month, &c.day, &sep, &c.hour,
                  &c.minute, &c.second) != 7 ||
      (sep != ' ' && sep != 'T') || !IsValidDate(c.year, c.month, c.day) || c.hour > 23 ||
      c.minute > 59 || c.second > 60) {
    return Status::InvalidArgument("'" + s + "' is not a time (expected YYYY-MM-DD HH:MM:SS, UTC)");
  }
  return FromCivilUtc(c);
}

}  // namespace

void AddLogOptions(CLI::App* cmd, LogArgs* args) {
  cmd->add_option("--format", args->format, "log format, or auto to detect it per file (see `portstorm formats`)")
      ->capture_default_str();
  cmd->add_option("--year", args->year, "year of RFC 3164 timestamps (default: inferred from the file's time)");
  cmd->add_option("--tz", args->tz, "time zone of timestamps without an offset: UTC, +HH:MM or a name like Europe/Berlin")
      ->capture_default_str();
  cmd->add_option("--boot-time", args->boot_time, "boot time (UTC, YYYY-MM-DD HH:MM:SS) for bare dmesg lines");
  cmd->add_option("--action", args->action,
                  "action of records whose line names no verdict (a bare LOG rule): drop, reject, alert or allow")
      ->check(CLI::IsMember({"drop", "reject", "alert", "allow"}));
  cmd->add_option("--csv-map", args->csv_map,
                  "generic csv: which header column holds which field, e.g. "
                  "'src=source_ip,dst=dest_ip,dport=dest_port,time=ts' (docs/formats/csv.md)");
}

Result<parse::ParseOptions> ResolveLogOptions(const LogArgs& args) {
  if (!args.csv_map.empty() && args.format != "csv" && args.format != "auto") {
    return Status::InvalidArgument("--csv-map applies to --format csv, not " + args.format);
  }
  parse::ParseOptions o;
  o.year = args.year;
  PS_ASSIGN_OR_RETURN(o.tz, TimeZone::Load(args.tz));
  if (!args.boot_time.empty()) {
    PS_ASSIGN_OR_RETURN(o.boot_time, ParseDateTime(args.boot_time));
  }
  if (args.action == "drop") o.default_action = Action::kDrop;
  if (args.action == "reject") o.default_action = Action::kReject;
  if (args.action == "alert") o.default_action = Action::kAlert;
  if (args.action == "allow") o.default_action = Action::kAllow;
  o.csv_map = args.csv_map;
  if (!o.csv_map.empty()) PS_RETURN_IF_ERROR(parse::CheckCsvMap(o.csv_map));
  return o;
}

void AddOutputOption(CLI::App* cmd, std::string* output) {
  cmd->add_option("-o,--output", *output, "table, tsv, csv or json (default: table on a terminal, tsv when piped)");
}

int PrintTable(const report::Table& table, const std::string& output) {
  report::OutputFormat f = report::DefaultOutputFormatForFd(STDOUT_FILENO);
  if (!output.empty()) {
    auto parsed = report::ParseOutputFormat(output);
    if (!parsed.ok()) return Fail(parsed.status());
    f = *parsed;
  }
  Status s = report::WriteTable(table, f, stdout);
  return s.ok() ? 0 : Fail(s);
}

int RunTable(const Globals& g, const std::string& output,
             const std::function<Result<report::Table>(const query::Backend&)>& make) {
  auto st = OpenStore(g, /*read_only=*/true);
  if (!st.ok()) return Fail(st.status());
  query::EmbeddedBackend backend(**st);
  Result<report::Table> table = make(backend);
  if (!table.ok()) return Fail(table.status());
  return PrintTable(*table, output);
}

}  // namespace portstorm::cli
