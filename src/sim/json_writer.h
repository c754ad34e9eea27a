// A small streaming JSON writer for truth.json: objects, arrays, strings,
// numbers, booleans; keys in the order written, two-space indentation up to
// `flat_depth`, one line per element below it (per-source label lists stay
// one line each). Doubles are written with up to 6 significant digits.
// Not thread-safe; the string it writes to must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portstorm::sim {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out, int flat_depth = 3) : out_(out), flat_depth_(flat_depth) {}
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Key(k) then the value.
  template <typename T>
  JsonWriter& Field(std::string_view k, const T& v) {
    Key(k);
    return Value(v);
  }

 private:
  JsonWriter& Value(std::string_view v) { return String(v); }
  JsonWriter& Value(const std::string& v) { return String(v); }
  JsonWriter& Value(const char* v) { return String(v); }
  JsonWriter& Value(bool v) { return Bool(v); }
  JsonWriter& Value(double v) { return Double(v); }
  template <typename T>
  JsonWriter& Value(T v) requires std::is_integral_v<T> { return Int(static_cast<int64_t>(v)); }
  void BeforeValue();
  void Quote(std::string_view s);
  void Newline();
  std::string* out_;
  int flat_depth_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

}  // namespace portstorm::sim
