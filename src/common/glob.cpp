#include "common/glob.hpp"

namespace waf {
namespace {

char fold(char c, GlobCase mode) noexcept {
  return mode == GlobCase::ascii_insensitive && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, GlobCase mode) noexcept {
  // Iterative matcher with one backtrack point (the last '*'): linear in practice, never
  // exponential, whatever the client sends as `text`.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || fold(pattern[p], mode) == fold(text[t], mode))) {
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

}  // namespace waf
