// Shared pieces of the portstorm subcommands: the global options, store
// opening, and the error-to-exit-code edge. Each subcommand lives in its own
// cmd_<name>.cc and registers itself through one Register* function.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "parse/parser.h"
#include "query/backend.h"
#include "report/table.h"
#include "store/store.h"

namespace portstorm::cli {

struct Globals {
  std::string store_dir;  // --store, else $PORTSTORM_STORE, else ./portstorm-data
  int exit_code = 0;
};

// Opens the store of --store. Read-only opens fail with NotFound when the
// store does not exist, naming the directory.
Result<std::unique_ptr<store::Store>> OpenStore(const Globals& g, bool read_only);

// Prints "portstorm: <status>" on stderr and returns the status' exit code.
int Fail(const Status& s);

// The options that say how to read a log: --format, --year, --tz, --boot-time.
struct LogArgs {
  std::string format = "auto";
  int year = 0;
  std::string tz = "UTC";
  std::string boot_time;
  std::string action;  // action of records whose line names no verdict
  std::string csv_map;  // --csv-map for the generic csv format
};
void AddLogOptions(CLI::App* cmd, LogArgs* args);
Result<parse::ParseOptions> ResolveLogOptions(const LogArgs& args);

// Adds --output to a command; "" = table on a terminal, tsv when piped.
void AddOutputOption(CLI::App* cmd, std::string* output);
// Prints a table to stdout in the format --output asked for; returns the exit code.
int PrintTable(const report::Table& table, const std::string& output);

// Opens the store read-only, runs `make` on an embedded backend over it and
// prints the table; returns the exit code.
int RunTable(const Globals& g, const std::string& output,
             const std::function<Result<report::Table>(const query::Backend&)>& make);

void RegisterIngest(CLI::App& app, Globals& g);
void RegisterParse(CLI::App& app, Globals& g);
void RegisterVerify(CLI::App& app, Globals& g);
void RegisterReport(CLI::App& app, Globals& g);
void RegisterFeed(CLI::App& app, Globals& g);
void RegisterFormats(CLI::App& app, Globals& g);
void RegisterSimulate(CLI::App& app, Globals& g);

}  // namespace portstorm::cli
