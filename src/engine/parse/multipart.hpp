#pragma once
// multipart/form-data bodies (RFC 7578): each part's value becomes "multipart.<name>", its file
// name "multipart.<name>.filename"; parts that carry JSON or XML are parsed as such under the
// same prefix. Binary file contents are skipped: they are not text any detector could read.
#include <string_view>

#include "engine/parse/value_collector.hpp"

namespace waf::engine {

// Returns false when the body is not multipart with this boundary (the caller falls back to text).
bool parse_multipart(std::string_view body, std::string_view boundary, ValueCollector& out);

}  // namespace waf::engine
