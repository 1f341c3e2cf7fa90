#pragma once
// name=value&name=value (query strings and application/x-www-form-urlencoded bodies). Each value
// becomes "<prefix>.<name>" of `value_kind`, each name a LocationKind::query_name at the same place.
#include <string_view>

#include "engine/parse/value_collector.hpp"

namespace waf::engine {

void parse_urlencoded(std::string_view text, std::string_view prefix, LocationKind value_kind, ValueCollector& out);

// The readable form of a parameter name for a location path: '+' and %XX decoded once.
std::string location_name(std::string_view raw_name);

}  // namespace waf::engine
