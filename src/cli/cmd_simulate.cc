// portstorm simulate: labelled Internet background radiation with the seed
// events, one log per sensor and day plus truth.json (docs/simulator.md).
#include <fmt/format.h>

#include "cli/common.h"
#include "sim/generator.h"

namespace portstorm::cli {
namespace {

struct SimulateArgs {
  std::string start = "2005-01-01";
  int days = 21;
  int sensors = 40;
  std::string scenario = "seeds";
  uint64_t seed = 7;
  std::string out;
  std::string format = "mixed";
  double scale = 1.0;
  int threads = 0;
  bool quiet = false;
};

Status Run(const SimulateArgs& a) {
  sim::SimConfig c;
  PS_ASSIGN_OR_RETURN(c.start_day, ParseDay(a.start));
  c.days = a.days;
  c.sensors = a.sensors;
  c.seed = a.seed;
  c.scale = a.scale;
  c.threads = a.threads;
  if (a.format != "mixed") {
    c.format = sim::ParseLogFormat(a.format);
    if (!c.format) {
      return Status::InvalidArgument(
          fmt::format("--format {}: not a format the simulator writes (`portstorm simulate --help` lists them)", a.format));
    }
  }
  Result<sim::Scenario> sc = a.scenario.ends_with(".toml") ? sim::LoadScenarioFile(a.scenario, a.days)
                                                         : sim::BuiltinScenario(a.scenario, a.days);
  if (!sc.ok()) return sc.status();
  PS_ASSIGN_OR_RETURN(auto simulation, sim::Simulation::Create(c, std::move(*sc)));
  PS_ASSIGN_OR_RETURN(sim::SimStats stats, simulation->Write(a.out));
  if (!a.quiet) {
    fmt::print(stderr, "simulated {} days x {} sensors ({}): {} records, {:.1f} MB in {} files, {:.2f} s ({:.0f} records/s)\n",
               c.days, c.sensors, simulation->scenario().name, stats.records, static_cast<double>(stats.bytes) / 1e6,
               stats.files, stats.seconds, static_cast<double>(stats.records) / std::max(stats.seconds, 1e-9));
    fmt::print(stderr, "truth: {}/truth.json\n", a.out);
  }
  return Status::Ok();
}

}  // namespace

void RegisterSimulate(CLI::App& app, Globals& g) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = app.add_subcommand(
      "simulate", "generate labelled background radiation with the seed events: logs + truth.json");
  cmd->add_option("--start", args->start, "first day, YYYY-MM-DD")->capture_default_str();
  cmd->add_option("--days", args->days, "number of days")->capture_default_str();
  cmd->add_option("--sensors", args->sensors, "number of sensors")->capture_default_str();
  cmd->add_option("--scenario", args->scenario, "seeds, background, or a scenario FILE.toml")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed (same seed, same bytes)")->capture_default_str();
  cmd->add_option("--out", args->out, "output directory")->required();
  static const std::string format_help = [] {
    std::string h = "mixed (each sensor its own)";
    for (sim::LogFormat f : sim::kAllLogFormats) h += ", " + std::string(sim::LogFormatName(f));
    return h;
  }();
  cmd->add_option("--format", args->format, format_help)->capture_default_str();
  cmd->add_option("--scale", args->scale, "volume factor (packets, not sources or findings)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "worker threads (0 = all cores; output is the same)")
      ->capture_default_str();
  cmd->add_flag("--quiet", args->quiet, "no summary on stderr");
  cmd->callback([&g, args] {
    Status st = Run(*args);
    if (!st.ok()) g.exit_code = Fail(st);
  });
}

}  // namespace portstorm::cli
