#pragma once
// A compiled PCRE2 pattern for custom rules. Matching is bounded (match and depth limits), so a
// catastrophic pattern written by an operator costs a capped amount of work per request.
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace waf::engine {

class Regex {
 public:
  static Result<Regex> compile(std::string_view pattern);
  // False on no match and on a match that hits the limits.
  bool matches(std::string_view subject) const noexcept;
  const std::string& pattern() const noexcept { return pattern_; }

 private:
  struct Compiled;
  explicit Regex(std::shared_ptr<const Compiled> compiled, std::string pattern)
      : compiled_(std::move(compiled)), pattern_(std::move(pattern)) {}
  std::shared_ptr<const Compiled> compiled_;
  std::string pattern_;
};

}  // namespace waf::engine
