// portstorm: one binary, one subcommand per file in src/cli/.
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace portstorm::cli;
  CLI::App app{"portstorm — an Internet storm center: ingest blocked traffic, report what rises above the noise"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "portstorm 0.1.0");
  Globals g;
  const char* env = std::getenv("PORTSTORM_STORE");
  g.store_dir = env != nullptr && *env != '\0' ? env : "./portstorm-data";
  app.add_option("--store", g.store_dir, "store directory (default: $PORTSTORM_STORE or ./portstorm-data)")
      ->capture_default_str();

  RegisterIngest(app, g);
  RegisterParse(app, g);
  RegisterReport(app, g);
  RegisterFeed(app, g);
  RegisterVerify(app, g);
  RegisterFormats(app, g);
  RegisterSimulate(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Library exceptions (allocation failure, CLI11 internals) stop here.
    std::cerr << "portstorm: internal error: " << e.what() << "\n";
    return 1;
  }
  return g.exit_code;
}
