#pragma once
// Shell-style patterns, the one matcher behind policy paths and locations, the API's path filter
// and the login paths of behaviour detection: '*' matches any run of characters (slashes and dots
// included), '?' one character, everything else itself.
#include <string_view>

namespace waf {

enum class GlobCase { exact, ascii_insensitive };

bool glob_match(std::string_view pattern, std::string_view text, GlobCase mode = GlobCase::exact) noexcept;

}  // namespace waf
