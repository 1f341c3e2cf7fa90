#pragma once
// A small ordered JSON tree for what the controller writes: the containers, volumes and patch
// operations it injects. Keys keep insertion order so patches and goldens are stable byte for byte.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace waf::controller {

class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Member = std::pair<std::string, JsonValue>;
  using Object = std::vector<Member>;

  JsonValue() = default;  // null
  JsonValue(bool b) : v_(b) {}                                    // NOLINT: implicit by design
  JsonValue(int n) : v_(static_cast<std::int64_t>(n)) {}          // NOLINT
  JsonValue(std::int64_t n) : v_(n) {}                            // NOLINT
  JsonValue(std::string s) : v_(std::move(s)) {}                  // NOLINT
  JsonValue(std::string_view s) : v_(std::string(s)) {}           // NOLINT
  JsonValue(const char* s) : v_(std::string(s)) {}                // NOLINT
  JsonValue(Array a) : v_(std::move(a)) {}                        // NOLINT
  JsonValue(Object o) : v_(std::move(o)) {}                       // NOLINT

  static JsonValue object() { return JsonValue(Object{}); }
  static JsonValue array() { return JsonValue(Array{}); }

  // Object building: appends a member (callers never repeat a key).
  JsonValue& set(std::string key, JsonValue value);
  // Array building.
  JsonValue& push(JsonValue value);

  bool is_null() const { return v_.index() == 0; }
  const Object* as_object() const { return std::get_if<Object>(&v_); }
  const Array* as_array() const { return std::get_if<Array>(&v_); }

  // Compact JSON text.
  std::string dump() const;
  void dump_to(std::string& out) const;
  // Indented JSON text (two spaces a level, starting at `depth`), for golden files people review.
  void dump_pretty_to(std::string& out, int depth) const;

 private:
  std::variant<std::monostate, bool, std::int64_t, std::string, Array, Object> v_;
};

}  // namespace waf::controller
