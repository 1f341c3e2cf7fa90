#pragma once
// The thin shell around the plan: reads the kernel's ruleset with *-save, computes the difference
// with render_apply/render_remove and hands it to *-restore --noflush, one transaction per
// family. Every program runs through the Executor, so tests script the kernel's answers.
#include <optional>
#include <vector>

#include "common/result.hpp"
#include "iptables/executor.hpp"
#include "iptables/rule_plan.hpp"

namespace waf::iptables {

// The two kernel interfaces iptables 1.8 speaks. Rules written through one are invisible to the
// other's tools, so we must use the one the node (and the CNI) uses.
enum class Backend { nft, legacy };
const char* backend_name(Backend backend);

struct Programs {
  std::string save;
  std::string restore;
};
Programs programs(Backend backend, Family family);

// Picks the back end holding more rules (ties go to nft, the default of current distributions),
// given each one's rule count or nullopt when its tools failed. Error when neither works.
Result<Backend> choose_backend(std::optional<std::size_t> legacy_rules, std::optional<std::size_t> nft_rules);

// Runs iptables-legacy-save and iptables-nft-save and chooses, as Kubernetes' iptables-wrapper
// and Istio do. A permission error from either is reported as such.
Result<Backend> detect_backend(Executor& executor);

struct FamilyChange {
  Family family;
  bool changed;  // false: the ruleset already was the target, nothing was written
};

// Makes the kernel's ruleset equal to the plan. Idempotent: a second run writes nothing.
Result<std::vector<FamilyChange>> apply(const RulePlan& plan, Backend backend, Executor& executor);

// Removes our hook(s) and chain, and nothing else. Idempotent too.
Result<std::vector<FamilyChange>> remove(const RulePlan& plan, Backend backend, Executor& executor);

}  // namespace waf::iptables
