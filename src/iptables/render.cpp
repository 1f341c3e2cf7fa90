#include "iptables/render.hpp"


namespace waf::iptables {
namespace {

std::string rule_line(char op, const std::string& chain, const std::string& spec) {
  return std::string("-") + op + " " + chain + " " + spec + "\n";
}

std::string transaction(const RulePlan& plan, const std::string& body) {
  return "*" + plan.table + "\n" + body + "COMMIT\n";
}

std::string for_each_family(const RulePlan& plan, const std::string& text) {
  std::string out;
  for (const Family family : plan.families) {
    out += family == Family::ipv4 ? "# ipv4: iptables-restore --noflush\n" : "# ipv6: ip6tables-restore --noflush\n";
    out += text;
  }
  return out;
}

}  // namespace

std::string render_apply(const RulePlan& plan, const RulesetState& current) {
  if (is_applied(current, plan)) return {};
  std::string body = ":" + plan.chain + " - [0:0]\n";
  for (const auto& rule : plan.rules) body += rule_line('A', rule.chain, rule.spec);
  bool hook_kept = false;
  for (const auto& spec : current.hook_specs) {
    if (spec == plan.hook.spec && !hook_kept) {
      hook_kept = true;  // keep one, drop duplicates
    } else {
      body += rule_line('D', plan.hook.chain, spec);
    }
  }
  if (!hook_kept) body += rule_line('A', plan.hook.chain, plan.hook.spec);
  return transaction(plan, body);
}

std::string render_remove(const RulePlan& plan, const RulesetState& current) {
  if (current.hook_specs.empty() && !current.chain_present) return {};
  std::string body;
  for (const auto& spec : current.hook_specs) body += rule_line('D', plan.hook.chain, spec);
  if (current.chain_present) body += "-F " + plan.chain + "\n-X " + plan.chain + "\n";
  return transaction(plan, body);
}

std::string render(const RulePlan& plan) { return for_each_family(plan, render_apply(plan, RulesetState{})); }

std::string render_cleanup(const RulePlan& plan) {
  return for_each_family(plan, render_remove(plan, applied_state(plan)));
}

}  // namespace waf::iptables
