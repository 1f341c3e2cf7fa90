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

 private:
  struct Compiled;
  explicit Regex(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
  std::shared_ptr<const Compiled> compiled_;  // shared: copies of a rule match with one compiled pattern
};

}  // namespace waf::engine
