#pragma once
// Minimal JSON text building for logs, metrics status and API answers: escaping done once, here.
#include <cstdint>
#include <string>
#include <string_view>

namespace waf::json {

// Appends s as a JSON string literal (with quotes), escaping control characters and invalid UTF-8
// bytes so that any client-controlled text stays valid JSON.
void append_string(std::string& out, std::string_view s);
std::string quote(std::string_view s);

// Builds one JSON object incrementally: Object o; o.field("a", 1); o.close();
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  ObjectWriter& field(std::string_view key, std::string_view value);
  ObjectWriter& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  ObjectWriter& field(std::string_view key, std::int64_t value);
  ObjectWriter& field(std::string_view key, std::uint64_t value);
  ObjectWriter& field(std::string_view key, int value) { return field(key, static_cast<std::int64_t>(value)); }
  ObjectWriter& field(std::string_view key, unsigned value) { return field(key, static_cast<std::uint64_t>(value)); }
  ObjectWriter& field(std::string_view key, double value);
  ObjectWriter& field(std::string_view key, bool value);
  // Inserts pre-rendered JSON (an object or array) as the value.
  ObjectWriter& raw(std::string_view key, std::string_view json);
  void close() { out_.push_back('}'); }

 private:
  void key(std::string_view k);
  std::string& out_;
  bool first_ = true;
};

}  // namespace waf::json
