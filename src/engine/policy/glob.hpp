#pragma once
// Policy path patterns; locations match with the plain glob_match (common/glob.hpp).
#include <string_view>

#include "common/glob.hpp"

namespace waf::engine {

// A policy path pattern: with a wildcard it must match the whole path; without one it is a
// prefix ("/api" covers "/api/users"), which is what a path override usually means.
bool path_pattern_match(std::string_view pattern, std::string_view path) noexcept;

}  // namespace waf::engine
