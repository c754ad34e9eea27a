// portstorm report ports | report sources: the daily port report with rank
// changes (seed 000) and the top sources of one port with percentages.
#include "cli/common.h"
#include "report/reports.h"

namespace portstorm::cli {

namespace {

struct ReportArgs {
  std::string day, output, filter, proto, count = "records";
  uint64_t top = 10;
  int port = -1;
};

Result<std::optional<int64_t>> DayOption(const std::string& day) {
  if (day.empty()) return std::optional<int64_t>();
  PS_ASSIGN_OR_RETURN(int64_t d, ParseDayArg(day, NowUs()));
  return std::optional<int64_t>(d);
}

}  // namespace

void RegisterReport(CLI::App& app, Globals& g) {
  auto* report = app.add_subcommand("report", "reports over the store");
  report->require_subcommand(1);

  auto pa = std::make_shared<ReportArgs>();
  auto* ports = report->add_subcommand("ports", "the day's top target ports, with rank changes against the day before");
  ports->add_option("--day", pa->day, "UTC day: YYYY-MM-DD, today or yesterday (default: the latest day with data)");
  ports->add_option("--top", pa->top, "number of ports (0 = all)")->capture_default_str();
  ports->add_option("--count", pa->count, "count records (every packet) or attempts (a SYN and its retries once)")
      ->check(CLI::IsMember({"records", "attempts"}))->capture_default_str();
  ports->add_option("--filter", pa->filter, "restrict to records matching a filter on proto and dst port, e.g. 'proto udp'");
  AddOutputOption(ports, &pa->output);
  ports->callback([&g, pa] {
    g.exit_code = RunTable(g, pa->output, [&](const query::Backend& b) -> Result<report::Table> {
      report::PortsOptions o;
      PS_ASSIGN_OR_RETURN(o.day, DayOption(pa->day));
      o.top = pa->top;
      o.count = pa->count == "attempts" ? report::CountUnit::kAttempts : report::CountUnit::kRecords;
      PS_ASSIGN_OR_RETURN(o.filter, query::ParseFilter(pa->filter));
      return report::PortsReport(b, o);
    });
  });

  auto sa = std::make_shared<ReportArgs>();
  sa->top = 20;
  auto* sources = report->add_subcommand("sources", "the top sources of one target port on one day, with count and percent");
  sources->add_option("--port", sa->port, "target port (ICMP: type)")->required()->check(CLI::Range(0, 65535));
  sources->add_option("--proto", sa->proto, "tcp, udp, icmp or a number (default: tcp and udp)");
  sources->add_option("--day", sa->day, "UTC day: YYYY-MM-DD, today or yesterday (default: the latest day with data)");
  sources->add_option("--top", sa->top, "number of sources (0 = all)")->capture_default_str();
  sources->add_option("--count", sa->count, "count records (every packet) or attempts (a SYN and its retries once)")
      ->check(CLI::IsMember({"records", "attempts"}))->capture_default_str();
  sources->add_option("--filter", sa->filter, "restrict to records matching a filter, e.g. 'sensor s00-border'");
  AddOutputOption(sources, &sa->output);
  sources->callback([&g, sa] {
    g.exit_code = RunTable(g, sa->output, [&](const query::Backend& b) -> Result<report::Table> {
      report::SourcesOptions o;
      o.port = static_cast<uint16_t>(sa->port);
      if (!sa->proto.empty()) {
        auto p = ParseProto(sa->proto);
        if (!p) return Status::InvalidArgument("--proto '" + sa->proto + "': not a protocol name or number");
        o.proto = *p;
      }
      PS_ASSIGN_OR_RETURN(o.day, DayOption(sa->day));
      o.top = sa->top;
      o.count = sa->count == "attempts" ? report::CountUnit::kAttempts : report::CountUnit::kRecords;
      PS_ASSIGN_OR_RETURN(o.filter, query::ParseFilter(sa->filter));
      return report::SourcesReport(b, o);
    });
  });
}

}  // namespace portstorm::cli
