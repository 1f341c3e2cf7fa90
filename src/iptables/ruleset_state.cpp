#include "iptables/ruleset_state.hpp"

namespace waf::iptables {
namespace {

// Calls f(line) for each line of text, without the line break.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

bool jumps_to(std::string_view spec, std::string_view chain) {
  const std::string jump = "-j " + std::string(chain);
  return spec == jump || (spec.size() > jump.size() && spec.ends_with(jump) && spec[spec.size() - jump.size() - 1] == ' ');
}

}  // namespace

RulesetState observe(std::string_view save_text, const RulePlan& plan) {
  RulesetState state;
  bool in_table = false;
  const std::string hook_prefix = "-A " + plan.hook.chain + " ";
  const std::string chain_prefix = "-A " + plan.chain + " ";
  const std::string chain_decl = ":" + plan.chain + " ";
  for_each_line(save_text, [&](std::string_view line) {
    if (line.starts_with('*')) {
      in_table = line.substr(1) == plan.table;
    } else if (line == "COMMIT") {
      in_table = false;
    } else if (!in_table) {
      return;
    } else if (line.starts_with(chain_decl)) {
      state.chain_present = true;
    } else if (line.starts_with(chain_prefix)) {
      state.chain_specs.emplace_back(line.substr(chain_prefix.size()));
    } else if (line.starts_with(hook_prefix) && jumps_to(line.substr(hook_prefix.size()), plan.chain)) {
      state.hook_specs.emplace_back(line.substr(hook_prefix.size()));
    }
  });
  return state;
}

RulesetState applied_state(const RulePlan& plan) {
  RulesetState state;
  state.hook_specs.push_back(plan.hook.spec);
  state.chain_present = true;
  for (const auto& rule : plan.rules) state.chain_specs.push_back(rule.spec);
  return state;
}

bool is_applied(const RulesetState& state, const RulePlan& plan) {
  const auto want = applied_state(plan);
  return state.chain_present && state.hook_specs == want.hook_specs && state.chain_specs == want.chain_specs;
}

std::size_t count_rules(std::string_view save_text) {
  std::size_t n = 0;
  for_each_line(save_text, [&](std::string_view line) {
    if (line.starts_with("-A ")) ++n;
  });
  return n;
}

}  // namespace waf::iptables
