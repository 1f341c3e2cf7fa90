#pragma once
// Turns a plan into iptables-restore input. Every text is meant for `iptables-restore --noflush`
// (and the same for ip6tables-restore): only what we name changes, the rest of the table stays.
#include <string>

#include "iptables/rule_plan.hpp"
#include "iptables/ruleset_state.hpp"

namespace waf::iptables {

// Moves the ruleset from `current` to the plan in one transaction: declaring our chain creates it,
// or flushes it when it exists, and then it is refilled; hooks that differ from the plan's are
// deleted and the plan's hook is appended unless it is already there. Empty when `current`
// already is the plan.
std::string render_apply(const RulePlan& plan, const RulesetState& current);

// Removes what `current` holds of ours (hooks first, so the chain is unreferenced, then the
// chain), nothing else. Empty when nothing of ours is there.
std::string render_remove(const RulePlan& plan, const RulesetState& current);

// What --dry-run prints: for each family, the text applied to an empty table, headed by a comment
// naming the program that reads it.
std::string render(const RulePlan& plan);
// Same for --dry-run --cleanup, assuming the plan is in place.
std::string render_cleanup(const RulePlan& plan);

}  // namespace waf::iptables
