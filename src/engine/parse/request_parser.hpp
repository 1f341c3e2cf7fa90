#pragma once
// Turns a whole request into located values: method, path and segments, query, headers,
// cookies, and the body by its content type. Each part has its own parser file; this one only
// dispatches.
#include <cstddef>

#include "engine/parse/value_collector.hpp"
#include "engine/request.hpp"

namespace waf::engine {

// Collects the values of `request` into `out`. At most `body_limit` bytes of the body are read;
// a longer or truncated body marks the inspection partial.
void collect_request_values(const Request& request, std::size_t body_limit, ValueCollector& out);

}  // namespace waf::engine
