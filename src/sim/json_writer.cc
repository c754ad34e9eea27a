// JsonWriter; see json_writer.h.
#include "sim/json_writer.h"

#include <cmath>

#include <fmt/format.h>

namespace portstorm::sim {

void JsonWriter::Newline() {
  if (static_cast<int>(first_.size()) > flat_depth_) return;
  out_->push_back('\n');
  out_->append(2 * first_.size(), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;
  if (!first_.back()) {
    out_->push_back(',');
    if (static_cast<int>(first_.size()) > flat_depth_) out_->push_back(' ');
  }
  first_.back() = false;
  Newline();
}

void JsonWriter::Quote(std::string_view s) {
  out_->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out_->append("\\\""); break;
      case '\\': out_->append("\\\\"); break;
      case '\n': out_->append("\\n"); break;
      case '\t': out_->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out_->append(fmt::format("\\u{:04x}", static_cast<unsigned>(c)));
        } else {
          out_->push_back(c);
        }
    }
  }
  out_->push_back('"');
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  bool empty = first_.back();
  first_.pop_back();
  if (!empty) Newline();
  out_->push_back('}');
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  bool empty = first_.back();
  first_.pop_back();
  if (!empty) Newline();
  out_->push_back(']');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view k) {
  BeforeValue();
  Quote(k);
  out_->append(static_cast<int>(first_.size()) > flat_depth_ ? ":" : ": ");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  Quote(s);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  out_->append(fmt::format("{}", v));
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_->append("null");
  } else {
    out_->append(fmt::format("{:.6g}", v));
  }
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_->append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
  return *this;
}

}  // namespace portstorm::sim
