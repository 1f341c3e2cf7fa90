#pragma once
// What `waf init-iptables` is asked to capture, parsed and validated before any rule is planned.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace waf::iptables {

using Port = std::uint16_t;

struct CaptureOptions {
  Port proxy_port = 8000;
  // Inbound TCP ports redirected to the proxy. Empty with all_application_ports set means every
  // inbound TCP port ("*", as Istio's default), minus the proxy, admin and excluded ports.
  std::vector<Port> application_ports;
  bool all_application_ports = false;
  // Never redirected, even when also an application port: the annotation
  // `exclude-inbound-ports` wins so a user can keep e.g. a metrics port out of the proxy.
  std::vector<Port> exclude_ports;
  // The proxy's own health/metrics port: kubelet probes must reach it directly.
  std::optional<Port> admin_port;
  // IPv4 is always captured; IPv6 too unless the Pod's network namespace has no IPv6.
  bool ipv6 = true;
};

// Parses "8080,8443" (spaces around entries allowed) into ports. `flag` names the option in the
// message ("--exclude-ports: 'x' is not a port (1..65535)"). An empty text is an empty list.
Result<std::vector<Port>> parse_port_list(std::string_view text, std::string_view flag);

// Parses --application-ports: a port list, or "*" for every inbound TCP port.
Status parse_application_ports(std::string_view text, CaptureOptions& out);

// Checks the combination: something to capture, the proxy and admin ports distinct and never
// captured themselves. The message is one line naming the option at fault.
Status validate(const CaptureOptions& options);

}  // namespace waf::iptables
