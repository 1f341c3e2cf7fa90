#include "iptables/rule_plan.hpp"

#include <algorithm>

namespace waf::iptables {
namespace {

std::string dport(Port port) { return "-p tcp -m tcp --dport " + std::to_string(port); }

}  // namespace

const char* family_name(Family family) { return family == Family::ipv4 ? "ipv4" : "ipv6"; }

RulePlan plan_rules(const CaptureOptions& options) {
  RulePlan plan;
  plan.table = "nat";
  plan.chain = kInboundChain;
  plan.hook = {"PREROUTING", "-p tcp -j " + plan.chain};
  plan.families.push_back(Family::ipv4);
  if (options.ipv6) plan.families.push_back(Family::ipv6);

  auto add = [&](std::string spec) { plan.rules.push_back({plan.chain, std::move(spec)}); };
  // First the exceptions, each a RETURN (back to PREROUTING, which accepts): the order matters
  // because the first matching rule wins.
  add("-i lo -j RETURN");
  // The proxy's own port: a client may talk to the proxy directly (the documented no-iptables
  // mode), and with "*" it would otherwise be redirected onto itself.
  add(dport(options.proxy_port) + " -j RETURN");
  if (options.admin_port) add(dport(*options.admin_port) + " -j RETURN");
  for (const Port port : options.exclude_ports) {
    if (port != options.proxy_port && port != options.admin_port) add(dport(port) + " -j RETURN");
  }

  const std::string redirect = " -j REDIRECT --to-ports " + std::to_string(options.proxy_port);
  if (options.all_application_ports) {
    add("-p tcp" + redirect);
    return plan;
  }
  for (const Port port : options.application_ports) {
    const bool excluded = std::find(options.exclude_ports.begin(), options.exclude_ports.end(), port) !=
                          options.exclude_ports.end();
    // An excluded application port already returned above; a redirect after it would be dead.
    if (!excluded) add(dport(port) + redirect);
  }
  return plan;
}

}  // namespace waf::iptables
