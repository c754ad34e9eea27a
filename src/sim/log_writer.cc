// The writer registry: one line per format, as parse/registry.cc has for
// parsers. Adding a format = one log_writer_<format>.cc plus one line in
// kWriters (and its LogFormat value).
#include "sim/log_writer.h"

namespace portstorm::sim {

namespace detail {
std::unique_ptr<LogWriter> MakeNetfilterWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeDshieldWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeIpchainsWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeImsWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeSnortFullWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeP0fWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeSnortFastWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeFilterlogWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakePfWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeWindowsFirewallWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeMikrotikWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeCiscoAsaWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeFortigateWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakePanosWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeJuniperSrxWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeCheckpointWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeSuricataEveWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeZeekConnWriter(const LogStyle& style);
std::unique_ptr<LogWriter> MakeCsvWriter(const LogStyle& style);
}  // namespace detail

namespace {

struct WriterInfo {
  LogFormat format;
  std::string_view name;  // the parser's name in parse/registry.cc
  std::string_view extension;
  std::unique_ptr<LogWriter> (*make)(const LogStyle& style);
};

constexpr WriterInfo kWriters[] = {
    {LogFormat::kNetfilter, "netfilter", "log", &detail::MakeNetfilterWriter},
    {LogFormat::kDshield, "dshield", "tsv", &detail::MakeDshieldWriter},
    {LogFormat::kIpchains, "ipchains", "log", &detail::MakeIpchainsWriter},
    {LogFormat::kIms, "ims", "log", &detail::MakeImsWriter},
    {LogFormat::kSnortFull, "snort_full", "log", &detail::MakeSnortFullWriter},
    {LogFormat::kP0f, "p0f", "log", &detail::MakeP0fWriter},
    {LogFormat::kSnortFast, "snort_fast", "log", &detail::MakeSnortFastWriter},
    {LogFormat::kFilterlog, "pfsense_filterlog", "log", &detail::MakeFilterlogWriter},
    {LogFormat::kPf, "pf", "log", &detail::MakePfWriter},
    {LogFormat::kWindowsFirewall, "windows_firewall", "log", &detail::MakeWindowsFirewallWriter},
    {LogFormat::kMikrotik, "mikrotik", "log", &detail::MakeMikrotikWriter},
    {LogFormat::kCiscoAsa, "cisco_asa", "log", &detail::MakeCiscoAsaWriter},
    {LogFormat::kFortigate, "fortigate", "log", &detail::MakeFortigateWriter},
    {LogFormat::kPanos, "panos", "log", &detail::MakePanosWriter},
    {LogFormat::kJuniperSrx, "juniper_srx", "log", &detail::MakeJuniperSrxWriter},
    {LogFormat::kCheckpoint, "checkpoint", "log", &detail::MakeCheckpointWriter},
    {LogFormat::kSuricataEve, "suricata_eve", "json", &detail::MakeSuricataEveWriter},
    {LogFormat::kZeekConn, "zeek_conn", "log", &detail::MakeZeekConnWriter},
    {LogFormat::kCsv, "csv", "csv", &detail::MakeCsvWriter},
};

const WriterInfo* Find(LogFormat f) {
  for (const WriterInfo& w : kWriters) {
    if (w.format == f) return &w;
  }
  return nullptr;
}

}  // namespace

std::string_view LogFormatName(LogFormat f) {
  const WriterInfo* w = Find(f);
  return w ? w->name : "unknown";
}

std::optional<LogFormat> ParseLogFormat(std::string_view name) {
  for (const WriterInfo& w : kWriters) {
    if (w.name == name) return w.format;
  }
  return std::nullopt;
}

std::string_view LogFormatExtension(LogFormat f) {
  const WriterInfo* w = Find(f);
  return w ? w->extension : "log";
}

std::unique_ptr<LogWriter> MakeLogWriter(const LogStyle& style) {
  const WriterInfo* w = Find(style.format);
  return w ? w->make(style) : nullptr;
}

}  // namespace portstorm::sim
