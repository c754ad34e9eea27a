// The parser interface: one log format = one Parser implementation in
// src/parse/formats/<name>.{h,cc} plus one registration line in registry.cc.
//
// Contract (every format):
//  - A parser never throws and never crashes on any byte sequence; a line it
//    cannot use becomes exactly one OnReject with a named Reason and a short
//    detail ("DPT=70000: port > 65535").
//  - Lines are handed over without their terminator ("\n" and a trailing
//    "\r" are stripped by the reader). The string_view is valid only during
//    the call: parsers that join continuation lines copy what they keep.
//  - A record's Event::line is the 1-based number of its first line.
//  - Parsers are single-threaded objects; use one per input stream.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"

namespace portstorm::parse {

// Why a line yielded no record. Stable names (ReasonName) appear in ingest
// summaries, `parse` output and JSON; add new reasons at the end.
enum class Reason : uint8_t {
  kNotARecord = 0,     // a well-formed line that is not a traffic record (sshd, "-- MARK --")
  kUnparsableAddress,  // SRC=/DST=/address column not an IPv4/IPv6 address
  kBadPort,            // not a number, or > 65535
  kUnknownProtocol,    // protocol name/number not understood
  kBadTimestamp,       // timestamp missing or invalid
  kTruncated,          // the line ends before required fields
  kLineTooLong,        // longer than the reader's limit (1 MiB); the line is skipped whole
  kBadField,           // another field malformed or out of range (count, TTL, flags, ...)
  kBinary,             // NUL or other control bytes: not a text log line
  kUnknownFormat,      // no parser recognised the line (auto-detection)
  kCount_              // number of reasons; not a reason
};
inline constexpr int kReasonCount = static_cast<int>(Reason::kCount_);
// "not a record", "unparsable address", "bad port", "unknown protocol", "bad timestamp",
// "truncated", "line too long", "bad field", "binary", "unknown format"
std::string_view ReasonName(Reason r);
// Snake-case key for JSON/TSV ("unparsable_address").
std::string_view ReasonKey(Reason r);

// Receives a parser's output. Implemented by ingest, `parse`, tests, fuzzers.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // `host` is the sensor the line names, if any (syslog host name, DShield
  // userid); empty if the line has none. Valid only during the call.
  virtual void OnRecord(const Event& e, std::string_view host) = 0;
  virtual void OnReject(uint64_t line, Reason reason, std::string_view detail) = 0;
};

struct ParseOptions {
  // RFC 3164 timestamps carry no year: 0 = infer from reference_time (the
  // file's modification time, or now for stdin): the year that puts the first
  // timestamp not after reference_time + 1 day. A December -> January step inside
  // one stream advances the year.
  int year = 0;
  TimeUs reference_time = 0;
  // Zone of timestamps that carry no offset (RFC 3164, bare dmesg, DShield without ±HH:MM).
  TimeZone tz;
  // Bare dmesg lines ("[1234.5678] IN=...") carry seconds since boot: with a
  // boot time they are placed at boot_time + uptime, without one rejected
  // (kBadTimestamp).
  TimeUs boot_time = 0;
  // Action of a record whose log prefix names no verdict (netfilter lines
  // logged by a bare LOG rule). Many setups log only what they then drop;
  // they can say so here instead of getting kUnknown.
  Action default_action = Action::kUnknown;
  // Generic CSV (format "csv"): which header column holds which field,
  // "field=column,..." e.g. "src=source_ip,dst=dest_ip,dport=dest_port,time=ts"
  // (docs/formats/csv.md). Empty for every other format.
  std::string csv_map;
};

class Parser {
 public:
  virtual ~Parser() = default;
  virtual void Line(std::string_view line, uint64_t lineno, RecordSink& sink) = 0;
  // End of input: emit or reject anything held for continuation lines.
  virtual void Finish(RecordSink& sink) { (void)sink; }
  // True while a record begun on an earlier line is held for continuation
  // lines. Ingest records how far an input is consumed only when nothing is
  // held, so a resumed ingest never starts inside a wrapped record.
  virtual bool holding() const { return false; }
};

struct FormatInfo {
  std::string_view name;         // "netfilter", "dshield", "ipchains"
  std::string_view description;  // one line for `portstorm formats`
  std::string_view sample;       // one real-form sample record ('\n' between its lines if several)
  // Confidence 0..100 that `line` is of this format (cheap; called on the first lines).
  int (*detect)(std::string_view line);
  std::unique_ptr<Parser> (*make)(const ParseOptions& options);
};

// Every registered format, in registration order.
std::span<const FormatInfo> Formats();
const FormatInfo* FindFormat(std::string_view name);
// Picks the format whose detector scores best over the given first lines
// (blank lines ignored). NotFound with a readable message if none scores.
Result<const FormatInfo*> DetectFormat(std::span<const std::string_view> first_lines);

}  // namespace portstorm::parse
