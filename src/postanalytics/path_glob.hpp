#pragma once
// The `path` filter of the API: '*' matches any run of characters ('/' included), '?' exactly
// one; everything else matches itself, case-sensitively as URL paths are.
#include <string_view>

namespace waf::postanalytics {

bool path_glob_match(std::string_view glob, std::string_view path) noexcept;

}  // namespace waf::postanalytics
