// portstorm formats: every log format portstorm reads, with a sample line.
#include <fmt/format.h>

#include "cli/common.h"
#include "parse/parser.h"

namespace portstorm::cli {

void RegisterFormats(CLI::App& app, Globals& g) {
  (void)g;
  auto* cmd = app.add_subcommand("formats", "list the log formats portstorm reads");
  cmd->callback([] {
    for (const parse::FormatInfo& f : parse::Formats()) {
      fmt::print("{:<10} {}\n           sample: {}\n", f.name, f.description, f.sample);
    }
  });
}

}  // namespace portstorm::cli
