#pragma once
// JSON bodies (simdjson, error-code API): every string value at any depth becomes
// "<prefix>.user.tags[2]" (LocationKind::json_value) and every key a json_key at its member's
// path. Numbers, booleans and null carry no payload and are skipped.
#include <string_view>

#include "engine/parse/value_collector.hpp"

namespace waf::engine {

// Returns false when `text` is not JSON (the caller falls back to plain text). A `truncated` body
// (cut at the inspection limit) is repaired first: values up to the cut are inspected as JSON.
bool parse_json(std::string_view text, std::string_view prefix, ValueCollector& out, bool truncated = false);

// The longest prefix of a truncated JSON text that ends between values, with the brackets it
// leaves open closed ("{\"a\":[\"x\",\"y" -> "{\"a\":[\"x\"]}"); empty if there is none.
std::string close_truncated_json(std::string_view text);

}  // namespace waf::engine
