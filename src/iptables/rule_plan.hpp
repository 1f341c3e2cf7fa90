#pragma once
// The ordered rules `waf init-iptables` wants in the nat table, computed from its options alone
// (no I/O), so that goldens pin them and `--dry-run` prints exactly what would be applied.
//
// Shape (as Istio's ISTIO_INBOUND): one chain of our own, WAF_INBOUND, and one hook rule in nat
// PREROUTING that jumps to it. Re-applying flushes and refills only our chain; cleanup removes the
// hook and the chain and leaves every other rule alone.
//
// Why the proxy's own connections to the app on localhost do not loop: only nat PREROUTING is
// touched, never nat OUTPUT. The nat table is consulted once per connection, on its first packet.
// A connection the proxy opens gets its NAT decision in nat OUTPUT/POSTROUTING (where we have no
// rules); when its packets then come back in through `lo` and pass the PREROUTING hook they already
// carry that conntrack entry, so our PREROUTING rules are never evaluated for them. Connections
// from outside the Pod arrive on eth0 and are new in PREROUTING, which is where we redirect them.
// The explicit `-i lo -j RETURN` guard keeps that true even if something upstream (a CNI, a
// conntrack flush) made a loopback connection look new in PREROUTING.
#include <string>
#include <vector>

#include "iptables/capture_options.hpp"

namespace waf::iptables {

enum class Family { ipv4, ipv6 };
const char* family_name(Family family);

// One rule as iptables-save prints it, without the "-A <chain> " prefix, so that the rendered plan
// and the kernel's ruleset compare line by line ("-p tcp -m tcp --dport 8080 -j RETURN").
struct Rule {
  std::string chain;
  std::string spec;
};

struct RulePlan {
  std::string table;
  std::string chain;           // our own chain
  Rule hook;                   // the only rule we add outside our chain
  std::vector<Rule> rules;     // our chain's rules, in order
  std::vector<Family> families;
};

inline constexpr const char* kInboundChain = "WAF_INBOUND";

// Assumes validate(options) passed; with no application ports it plans a chain that only returns
// (which is what --cleanup needs: the chain and hook names).
RulePlan plan_rules(const CaptureOptions& options);

}  // namespace waf::iptables
