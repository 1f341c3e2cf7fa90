#pragma once
// What inspect() decides about one request.
#include <string_view>
#include <vector>

#include "engine/finding.hpp"
#include "engine/policy/mode.hpp"

namespace waf::engine {

enum class Action {
  allow,    // nothing found (or mode off): forward
  monitor,  // attack found, forward and report
  block,    // attack found, answer `status` with the block page
  deny_ip,  // client IP deny-listed: refused without inspection
};

std::string_view name(Action action) noexcept;

// Evidence and location lists in events and logs are capped; the first findings are the ones
// that decided the verdict.
inline constexpr std::size_t kMaxFindings = 32;

struct Verdict {
  Action action = Action::allow;
  Mode mode = Mode::monitoring;      // the effective mode for this request's path
  int status = 0;                    // the status to answer with when action is block or deny_ip
  bool partial_inspection = false;   // a budget or the body limit cut the inspection short
  std::vector<AttackClass> classes;  // distinct classes of `findings`, in order of appearance
  Findings findings;
};

}  // namespace waf::engine
