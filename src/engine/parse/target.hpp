#pragma once
// The request-target (RFC 9112 section 3.2): origin form "/a/b?x=1" or absolute form
// "http://host/a/b?x=1". Produces "path" (the whole path), "path[i]" (each segment) and the query.
#include <string_view>

#include "engine/parse/value_collector.hpp"

namespace waf::engine {

struct SplitTarget {
  std::string_view path;   // raw, still percent-encoded; "/" when the target has none
  std::string_view query;  // without the '?'
};

SplitTarget split_target(std::string_view target) noexcept;

void parse_target(std::string_view target, ValueCollector& out);

}  // namespace waf::engine
