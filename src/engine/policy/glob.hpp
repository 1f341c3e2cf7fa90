#pragma once
// Shell-style patterns for policy paths and locations: '*' matches any run of characters
// (slashes and dots included), '?' one character, everything else itself.
#include <string_view>

namespace waf::engine {

bool glob_match(std::string_view pattern, std::string_view text) noexcept;

// A policy path pattern: with a wildcard it must match the whole path; without one it is a
// prefix ("/api" covers "/api/users"), which is what a path override usually means.
bool path_pattern_match(std::string_view pattern, std::string_view path) noexcept;

}  // namespace waf::engine
