// Shared pieces of the portstorm subcommands: the global options, store
// opening, and the error-to-exit-code edge. Each subcommand lives in its own
// cmd_<name>.cc and registers itself through one Register* function.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "core/status.h"
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

void RegisterIngest(CLI::App& app, Globals& g);
void RegisterParse(CLI::App& app, Globals& g);
void RegisterVerify(CLI::App& app, Globals& g);
void RegisterReport(CLI::App& app, Globals& g);
void RegisterFeed(CLI::App& app, Globals& g);
void RegisterFormats(CLI::App& app, Globals& g);

}  // namespace portstorm::cli
