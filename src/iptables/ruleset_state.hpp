#pragma once
// What the kernel holds now, read from `iptables-save -t nat` (or ip6tables-save) text: the part of
// it that concerns our plan. Pure parsing, so idempotence and cleanup decisions are unit-tested.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "iptables/rule_plan.hpp"

namespace waf::iptables {

struct RulesetState {
  // Rules of the hook's chain (PREROUTING) that jump to our chain, as saved: normally exactly
  // the plan's hook; others are ours too (an older version's hook) and get replaced.
  std::vector<std::string> hook_specs;
  bool chain_present = false;
  std::vector<std::string> chain_specs;  // our chain's rules, in order
};

// Reads the plan's table from save output; other tables and chains are ignored.
RulesetState observe(std::string_view save_text, const RulePlan& plan);

// The state right after the plan was applied (what --dry-run --cleanup assumes).
RulesetState applied_state(const RulePlan& plan);

// True when the ruleset already is exactly the plan: a re-run must then write nothing.
bool is_applied(const RulesetState& state, const RulePlan& plan);

// Number of rules ("-A ..." lines) in save output of every table: how Kubernetes'
// iptables-wrapper and Istio tell which back end (nft or legacy) the node actually uses.
std::size_t count_rules(std::string_view save_text);

}  // namespace waf::iptables
