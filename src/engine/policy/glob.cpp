#include "engine/policy/glob.hpp"

namespace waf::engine {

bool path_pattern_match(std::string_view pattern, std::string_view path) noexcept {
  if (pattern.find_first_of("*?") == std::string_view::npos) return path.starts_with(pattern);
  return glob_match(pattern, path);
}

}  // namespace waf::engine
