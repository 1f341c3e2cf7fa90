#include "engine/policy/glob.hpp"

namespace waf::engine {

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
  // Iterative matcher with one backtrack point (the last '*'): linear in practice, never
  // exponential, whatever the client sends as `text`.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool path_pattern_match(std::string_view pattern, std::string_view path) noexcept {
  if (pattern.find_first_of("*?") == std::string_view::npos) return path.starts_with(pattern);
  return glob_match(pattern, path);
}

}  // namespace waf::engine
