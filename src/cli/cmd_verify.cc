// portstorm verify: reads every file of a store and checks every checksum.
#include <fmt/format.h>

#include "cli/common.h"

namespace portstorm::cli {

void RegisterVerify(CLI::App& app, Globals& g) {
  auto* cmd = app.add_subcommand("verify", "check every file and checksum of the store");
  cmd->callback([&g] {
    auto st = OpenStore(g, /*read_only=*/true);
    if (!st.ok()) {
      g.exit_code = Fail(st.status());
      return;
    }
    auto report = (*st)->Verify();
    if (!report.ok()) {
      g.exit_code = Fail(report.status());
      return;
    }
    fmt::print("store {}: {} segments, {} blocks, {} day indexes, {} records\n", g.store_dir,
               report->segments, report->blocks, report->indexes, report->records);
    for (const std::string& p : report->problems) fmt::print(stderr, "problem: {}\n", p);
    if (!report->problems.empty()) {
      fmt::print(stderr, "portstorm: store {} has {} problem(s)\n", g.store_dir, report->problems.size());
      g.exit_code = Status::Corruption("").ExitCode();
      return;
    }
    fmt::print("ok\n");
  });
}

}  // namespace portstorm::cli
