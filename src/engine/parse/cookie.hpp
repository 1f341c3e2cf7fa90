#pragma once
// Cookie request header (RFC 6265 section 4.2): "a=1; b=2" -> cookie.a, cookie.b.
#include <string_view>

#include "engine/parse/value_collector.hpp"

namespace waf::engine {

void parse_cookie_header(std::string_view header_value, ValueCollector& out);

}  // namespace waf::engine
