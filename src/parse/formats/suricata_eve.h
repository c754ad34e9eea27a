// suricata_eve: Suricata's EVE JSON log (eve.json), one JSON object per line,
// possibly behind a syslog header (the object then starts at the first '{'):
//
//   {"timestamp":"2024-03-02T15:32:54.123456+0000","flow_id":1,"event_type":"alert",
//    "src_ip":"192.0.2.7","src_port":40312,"dest_ip":"198.51.100.20","dest_port":23,
//    "proto":"TCP","alert":{"action":"allowed","signature_id":2001219,...}}
//
// Records: event_type "alert" (alert.action "blocked" -> drop, else alert),
// "drop" (drop) and "flow" with flow.state "new" (flow.action, else
// ParseOptions::default_action). Every other event type (dns, http, tls,
// stats, fileinfo, anomaly, closed flows, ...) is a protocol log, not a
// traffic record: kNotARecord. JSON is parsed with simdjson On Demand; one
// parser and one padded copy buffer are reused per stream. Field mapping and
// rejections: docs/formats/suricata_eve.md.
#pragma once

#include <memory>
#include <string_view>

#include "parse/parser.h"

namespace portstorm::parse {

int DetectSuricataEve(std::string_view line);
std::unique_ptr<Parser> MakeSuricataEveParser(const ParseOptions& options);

}  // namespace portstorm::parse
