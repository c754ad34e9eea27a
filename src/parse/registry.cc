// The format registry: one line per format. Adding a format = one file pair
// in formats/ plus one line in kFormats.
#include <array>
#include <string>

#include "parse/formats/dshield.h"
#include "parse/formats/ipchains.h"
#include "parse/formats/netfilter.h"
#include "parse/parser.h"

namespace portstorm::parse {
namespace {

const std::array<FormatInfo, 3> kFormats = {{
    {"netfilter", "Linux netfilter LOG lines (iptables, ip6tables, nftables, ufw, Shorewall, ...)",
     "Mar  2 15:32:54 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC= SRC=203.0.113.7 DST=198.51.100.2 "
     "LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4711 DF PROTO=TCP SPT=40112 DPT=22 WINDOW=64240 "
     "RES=0x00 SYN URGP=0",
     &DetectNetfilter, &MakeNetfilterParser},
    {"dshield", "DShield tab-separated submission format",
     "2005-01-11 01:42:22 -05:00\t1234\t1\t192.0.2.9\t4177\t198.51.100.50\t1026\t17\t",
     &DetectDshield, &MakeDshieldParser},
    {"ipchains", "Linux 2.2 ipchains packet log lines",
     "Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6 192.0.2.1:3504 "
     "198.51.100.20:6346 L=48 S=0x00 I=31988 F=0x4000 T=117 SYN (#64)",
     &DetectIpchains, &MakeIpchainsParser},
}};

constexpr std::string_view kReasonNames[kReasonCount] = {
    "not a record", "unparsable address", "bad port",      "unknown protocol", "bad timestamp",
    "truncated",    "line too long",      "bad field",     "binary",           "unknown format"};
constexpr std::string_view kReasonKeys[kReasonCount] = {
    "not_a_record", "unparsable_address", "bad_port",  "unknown_protocol", "bad_timestamp",
    "truncated",    "line_too_long",      "bad_field", "binary",           "unknown_format"};

}  // namespace

std::string_view ReasonName(Reason r) {
  auto i = static_cast<size_t>(r);
  return i < kReasonCount ? kReasonNames[i] : "unknown reason";
}

std::string_view ReasonKey(Reason r) {
  auto i = static_cast<size_t>(r);
  return i < kReasonCount ? kReasonKeys[i] : "unknown_reason";
}

std::span<const FormatInfo> Formats() { return kFormats; }

const FormatInfo* FindFormat(std::string_view name) {
  for (const FormatInfo& f : kFormats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<const FormatInfo*> DetectFormat(std::span<const std::string_view> first_lines) {
  // Sum of scores over the sample: a syslog file where one line in ten is a
  // firewall record still detects, and one stray line does not outvote many.
  std::array<long, kFormats.size()> score{};
  size_t nonblank = 0;
  for (std::string_view line : first_lines) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++nonblank;
    for (size_t i = 0; i < kFormats.size(); ++i) score[i] += kFormats[i].detect(line);
  }
  size_t best = 0;
  for (size_t i = 1; i < kFormats.size(); ++i) {
    if (score[i] > score[best]) best = i;
  }
  if (score[best] > 0) return &kFormats[best];
  std::string names;
  for (const FormatInfo& f : kFormats) {
    if (!names.empty()) names += ", ";
    names += f.name;
  }
  return Status::NotFound("no known log format in the first " + std::to_string(nonblank) +
                          " non-blank lines (known: " + names + "); name one with --format");
}

}  // namespace portstorm::parse
