#include "postanalytics/path_glob.hpp"

namespace waf::postanalytics {

// Greedy match with one backtrack point (the last '*'): linear in practice and never exponential,
// since a later '*' makes the earlier ones irrelevant.
bool path_glob_match(std::string_view glob, std::string_view path) noexcept {
  std::size_t g = 0, p = 0;
  std::size_t star = std::string_view::npos, star_p = 0;
  while (p < path.size()) {
    if (g < glob.size() && (glob[g] == '?' || (glob[g] != '*' && glob[g] == path[p]))) {
      ++g;
      ++p;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      star_p = p;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      p = ++star_p;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

}  // namespace waf::postanalytics
