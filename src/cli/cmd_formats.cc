// portstorm formats: every log format portstorm reads, with a sample record and
// what its detector makes of it (the score --format auto compares per file, and
// per line in a mixed syslog stream).
#include <fmt/format.h>

#include <string_view>

#include "cli/common.h"
#include "parse/parser.h"

namespace portstorm::cli {

void RegisterFormats(CLI::App& app, Globals& g) {
  (void)g;
  auto* cmd = app.add_subcommand("formats", "list the log formats portstorm reads, with a sample each");
  cmd->callback([] {
    bool first = true;
    for (const parse::FormatInfo& f : parse::Formats()) {
      if (!first) fmt::print("\n");
      first = false;
      fmt::print("{}  {}\n", f.name, f.description);
      std::string_view s = f.sample, head = s.substr(0, s.find('\n'));
      // Scores of every detector on the sample's first line: its own should win.
      int own = f.detect(head), best_other = 0;
      std::string_view other_name;
      for (const parse::FormatInfo& o : parse::Formats()) {
        if (&o == &f) continue;
        int sc = o.detect(head);
        if (sc > best_other) best_other = sc, other_name = o.name;
      }
      for (size_t nl; (nl = s.find('\n')) != std::string_view::npos; s.remove_prefix(nl + 1)) {
        fmt::print("  sample: {}\n", s.substr(0, nl));
      }
      fmt::print("  sample: {}\n", s);
      if (f.name == "mixed_syslog") {
        fmt::print("  detector: chosen per file when its first lines show two or more of the syslog formats\n");
      } else if (best_other > 0) {
        fmt::print("  detector: {}/100 on this sample (next best: {} {}/100)\n", own, other_name, best_other);
      } else {
        fmt::print("  detector: {}/100 on this sample (every other format: 0)\n", own);
      }
    }
  });
}

}  // namespace portstorm::cli
