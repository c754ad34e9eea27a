// portstorm feed: one line per source and day matching a filter — ip, first
// seen, last seen, packets, date — sorted by IP (seed 001's port1026.dat).
#include "cli/common.h"
#include "report/reports.h"

namespace portstorm::cli {

namespace {
struct FeedArgs {
  std::string filter, output;
};
}  // namespace

void RegisterFeed(CLI::App& app, Globals& g) {
  auto a = std::make_shared<FeedArgs>();
  auto since = std::make_shared<std::string>();
  auto until = std::make_shared<std::string>();
  auto* feed = app.add_subcommand("feed", "one line per source and day matching a filter: ip, first/last seen, packets, date (like port1026.dat)");
  feed->add_option("--filter", a->filter, "filter expression, e.g. 'dst port 1026-1031 and not src port in [666 4177]'");
  feed->add_option("--since", *since, "start: YYYY-MM-DD, today, yesterday, 'YYYY-MM-DD HH:MM:SS' or Nh/Nd (default: yesterday)");
  feed->add_option("--until", *until, "end: a day (inclusive), an instant or Nh/Nd (default: no end)");
  AddOutputOption(feed, &a->output);
  feed->callback([&g, a, since, until] {
    g.exit_code = RunTable(g, a->output, [&](const query::Backend& b) -> Result<report::Table> {
      report::FeedOptions o;
      PS_ASSIGN_OR_RETURN(o.filter, query::ParseFilter(a->filter));
      PS_ASSIGN_OR_RETURN(o.time, report::ParseTimeWindow(*since, *until, NowUs()));
      return report::Feed(b, o);
    });
  });
}

}  // namespace portstorm::cli
