// Rejections shared by every text format's parser.
#pragma once

#include <cstdio>
#include <string_view>

#include "parse/detail/text.h"
#include "parse/parser.h"

namespace portstorm::parse::detail {

// Rejects a line holding control bytes (NUL, other C0 controls but TAB, DEL)
// as kBinary, naming the first one and its column; returns true if it did.
inline bool RejectIfBinary(std::string_view line, uint64_t lineno, RecordSink& sink) {
  size_t bad = FindControlByte(line);
  if (bad == std::string_view::npos) return false;
  char buf[64];
  std::snprintf(buf, sizeof buf, "control byte 0x%02x at column %zu",
                static_cast<unsigned char>(line[bad]), bad + 1);
  sink.OnReject(lineno, Reason::kBinary, buf);
  return true;
}

}  // namespace portstorm::parse::detail
