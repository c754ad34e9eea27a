// Log writers of the simulator: turn an Event into the line(s) a sensor of a
// given log format would have written for it, so that simulated data goes
// through the same parsers as real logs (round trip: every line written here
// parses back with portstorm's own parser into the same fields).
//
// One format = one writer file (log_writer_<format>.cc) plus one line in
// log_writer.cc. A writer formats with hand-written digit code into a
// caller-owned buffer: the generator must produce >= 2M records/s on one core.
// Writers keep nothing but the style they were made with and a cache of the
// last rendered date (output never depends on earlier calls); one writer per
// output file, not thread-safe (the caller owns it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/event.h"

namespace portstorm::sim {

// The formats the simulator writes (every format that has a parser; later
// parsers join here).
enum class LogFormat : uint8_t {
  kNetfilter, kDshield, kIpchains, kIms, kSnortFull, kP0f,
  kSnortFast, kFilterlog, kPf, kWindowsFirewall, kMikrotik, kCiscoAsa, kFortigate,
  kPanos, kJuniperSrx, kCheckpoint, kSuricataEve, kZeekConn, kCsv,
};
inline constexpr LogFormat kAllLogFormats[] = {
    LogFormat::kNetfilter,   LogFormat::kDshield,    LogFormat::kIpchains,  LogFormat::kIms,
    LogFormat::kSnortFull,   LogFormat::kP0f,        LogFormat::kSnortFast, LogFormat::kFilterlog,
    LogFormat::kPf,          LogFormat::kWindowsFirewall, LogFormat::kMikrotik,
    LogFormat::kCiscoAsa,    LogFormat::kFortigate,  LogFormat::kPanos,     LogFormat::kJuniperSrx,
    LogFormat::kCheckpoint,  LogFormat::kSuricataEve, LogFormat::kZeekConn, LogFormat::kCsv};
// "netfilter", "dshield", "ipchains", "ims", "snort_full", "p0f": the same
// names as `portstorm formats`. (p0f writes TCP SYNs only: Write appends
// nothing for other events and Fields() is 0 for other protocols.)
std::string_view LogFormatName(LogFormat f);
std::optional<LogFormat> ParseLogFormat(std::string_view name);
// File-name extension of a log of that format ("log", "tsv").
std::string_view LogFormatExtension(LogFormat f);

// Flavours of one format, chosen per sensor so the data exercises what the
// parsers accept in the field.
enum class SyslogHeader : uint8_t {
  kRfc3164,  // "Jan 11 01:42:22 host kernel: [ 1234.567890] " (whole seconds, no year)
  kIso8601,  // "2005-01-11T01:42:22.123456+00:00 host kernel: " (rsyslog high precision)
};
enum class NetfilterDialect : uint8_t {
  kIptables,  // "DROP IN=eth0 OUT= MAC=... SRC=..."
  kUfw,       // "[UFW BLOCK] IN=eth0 OUT= MAC=... SRC=..."
  kNftables,  // "nft drop in: IN=eth0 OUT= MAC=... SRC=..." (nftables log prefix)
};

// How one sensor writes its log. Times are written in UTC (RFC 3164 lines
// are read back with --tz UTC, the default) and with the year the reader gets
// from --year or the file time.
struct LogStyle {
  LogFormat format = LogFormat::kNetfilter;
  std::string host = "gw";        // syslog host name; DShield userid column
  std::string iface = "eth0";     // netfilter IN=, ipchains interface (ppp*, tun*, wg*: no MAC=)
  SyslogHeader header = SyslogHeader::kRfc3164;  // netfilter and ipchains
  NetfilterDialect dialect = NetfilterDialect::kIptables;
  // Kernel uptime stamp "[%5lu.%06lu] " after "kernel: " in RFC 3164 netfilter
  // lines = time - boot_time (clamped at 0); 0 = no stamp (kernel without
  // CONFIG_PRINTK_TIME, or a syslog daemon that strips it).
  TimeUs boot_time = 0;
  // netfilter: the LOG rule's --log-tcp-options (OPT (hex): mss, wscale,
  // tcp_opts) and --log-tcp-sequence (SEQ= ACK=: seq). Stock ufw rules set
  // neither; SuSEfirewall2 logs options.
  bool tcp_options = true;
  bool tcp_sequence = false;
  // ims: publish IPv4 targets anonymised as "A.B.C.<last octet>" (seed 002);
  // they read back as IpAddr::ParseAnonymisedV4 of that text.
  bool anonymise_dst = false;
};

// Which Event fields a format carries (the rest are zero after parsing);
// the round-trip test compares exactly these.
namespace field {
inline constexpr uint32_t kTime = 1u << 0, kSrc = 1u << 1, kDst = 1u << 2, kSport = 1u << 3,
                          kDport = 1u << 4, kProto = 1u << 5, kFlags = 1u << 6,
                          kCount = 1u << 7, kTtl = 1u << 8, kIpLen = 1u << 9,
                          kIpId = 1u << 10, kIpFlags = 1u << 11, kSeq = 1u << 12,
                          kWindow = 1u << 13, kMss = 1u << 14, kWscale = 1u << 15,
                          kTcpOpts = 1u << 16, kPayloadLen = 1u << 17, kAction = 1u << 18;
}  // namespace field

class LogWriter {
 public:
  virtual ~LogWriter() = default;
  // Appends what a file of this format starts with before its first record
  // (the W3C "#Fields:" lines of pfirewall.log, Zeek's "#separator" ...
  // "#types" block, a CSV header row); nothing for most formats. Called once
  // per output file, before any Write.
  virtual void Begin(std::string* out) { (void)out; }
  // Appends the line of one event, '\n'-terminated, to *out. Fields the
  // format cannot carry are dropped; time is truncated to the format's
  // resolution (TimeResolution()). An event the format cannot express at
  // all appends nothing: IPv6 in ipchains (Linux 2.2 had no IPv6 filter).
  // snort_full appends a block of lines and p0f two lines per record; p0f
  // appends nothing for anything but an IPv4 TCP SYN (no ACK, RST, FIN).
  virtual void Write(const Event& e, std::string* out) = 0;
  // field:: bits this writer's lines carry for an event of protocol `proto`.
  // Beyond the protocol, what a packet header has decides (as on a real
  // sensor): IPv6 has no IP ID or DF/MF (write such events with ip_id = 0,
  // ip_flags = 0); in the kernel formats (netfilter, ipchains) a non-first
  // fragment (ipf::kFragment) has no transport header, so its ports, flags,
  // window, seq and options are not carried; an Action without a verdict
  // word (kUnknown, kAlert) reads back as kUnknown.
  virtual uint32_t Fields(uint8_t proto) const = 0;
  // Microseconds per tick of the written time (1 or 1'000'000).
  virtual TimeUs TimeResolution() const = 0;
};

std::unique_ptr<LogWriter> MakeLogWriter(const LogStyle& style);

}  // namespace portstorm::sim
