// portstorm ingest FILE…|-: parse logs and store their records durably.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "cli/common.h"
#include "ingest/ingest.h"

namespace portstorm::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> inputs;
  LogArgs log;
  std::string sensor;
  bool sensor_from_dir = false;
  bool print_acks = false;
  bool quiet = false;
};

std::string Thousands(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

void PrintSummary(const ingest::IngestStats& st) {
  fmt::print("ingested {} input(s): {} lines read, {} records stored, {} duplicate lines skipped, {} rejected\n",
             st.inputs, Thousands(st.lines), Thousands(st.records),
             Thousands(st.duplicate_lines), Thousands(st.rejected_total()));
  if (st.merged > 0 || st.retransmissions > 0) {
    fmt::print("one packet, one record: {} records merged (the same packet in another log of its sensor), "
               "{} SYN retransmissions marked (--count attempts counts them once)\n",
               Thousands(st.merged), Thousands(st.retransmissions));
  }
  if (st.rejected_total() == 0) return;
  fmt::print("rejected by reason:\n");
  for (int r = 0; r < parse::kReasonCount; ++r) {
    if (st.rejected[r] == 0) continue;
    fmt::print("  {:<20} {}\n", parse::ReasonName(static_cast<parse::Reason>(r)), Thousands(st.rejected[r]));
  }
  fmt::print("first rejected lines:\n");
  for (const std::string& e : st.examples) fmt::print("  {}\n", e);
}

}  // namespace

void RegisterIngest(CLI::App& app, Globals& g) {
  auto args = std::make_shared<IngestArgs>();
  auto* cmd = app.add_subcommand("ingest", "parse log files (plain, .gz, .zst) or stdin and store their records");
  cmd->add_option("inputs", args->inputs, "log files, or - for stdin")->required();
  AddLogOptions(cmd, &args->log);
  cmd->add_option("--sensor", args->sensor,
                  "sensor name for every record (default: the host the log line names, else 'local')");
  cmd->add_flag("--sensor-from-dir", args->sensor_from_dir,
                "lines that name no host (IMS, p0f, Zeek, EVE, ...) take their file's directory as sensor name, "
                "for logs kept as DIR/<sensor>/* (default: 'local')");
  cmd->add_flag("--print-acks", args->print_acks, "print a line on stdout after each batch is durably stored");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress and no summary");

  cmd->callback([&g, args] {
    ingest::IngestOptions o;
    o.format = args->log.format;
    o.sensor = args->sensor;
    o.sensor_from_dir = args->sensor_from_dir;
    auto popts = ResolveLogOptions(args->log);
    if (!popts.ok()) {
      g.exit_code = Fail(popts.status());
      return;
    }
    o.parse = *popts;
    auto st = OpenStore(g, /*read_only=*/false);
    if (!st.ok()) {
      g.exit_code = Fail(st.status());
      return;
    }
    ingest::Ingester ingester(st->get(), o);
    if (args->print_acks) {
      ingester.on_batch_stored = [](const std::string& input, uint64_t records, uint64_t lines) {
        fmt::print("stored {} records of {} through line {}\n", records, input, lines);
        std::fflush(stdout);
      };
    }
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    if (!args->quiet && isatty(STDERR_FILENO)) {
      ingester.on_progress = [&](const ingest::Progress& p) {
        double s = elapsed();
        double rate = s > 0 ? static_cast<double>(ingester.stats().lines) / s : 0;
        std::string eta = "?";
        if (p.raw_size > 0 && p.raw_bytes > 0 && s > 0) {
          double left = s * static_cast<double>(p.raw_size - std::min(p.raw_size, p.raw_bytes)) /
                        static_cast<double>(p.raw_bytes);
          eta = fmt::format("{:.0f}s", left);
        }
        fmt::print(stderr, "\r{}: {:.1f} MB, {:.0f} lines/s, ETA {}   ", p.input,
                   static_cast<double>(p.raw_bytes) / 1e6, rate, eta);
      };
    }
    Status first_error;
    for (const std::string& in : args->inputs) {
      Status s = ingester.IngestInput(in);
      if (!s.ok()) {
        fmt::print(stderr, "{}portstorm: {}\n", ingester.on_progress ? "\n" : "", s.ToString());
        if (first_error.ok()) first_error = s;
        if (s.code() == Code::kIOError || s.code() == Code::kCorruption) break;  // the store is in trouble
      }
    }
    Status closed = (*st)->Close();
    if (ingester.on_progress) fmt::print(stderr, "\n");
    if (!closed.ok()) {
      g.exit_code = Fail(closed);
      return;
    }
    if (!args->quiet) PrintSummary(ingester.stats());
    if (!first_error.ok()) g.exit_code = first_error.ExitCode();
  });
}

}  // namespace portstorm::cli
