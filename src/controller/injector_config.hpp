#pragma once
// The injector's global configuration: what the chart renders into the controller's ConfigMap
// (JSON, keys as in the chart's values). The built-in defaults equal the chart's defaults, so
// `waf controller` with no --config behaves like a default install.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace waf::controller {

struct ProxyConfig {
  std::string image;  // full reference, repository:tag or repository@digest
  std::string image_pull_policy = "IfNotPresent";
  std::uint16_t port = 8000;        // the container port named `proxy`
  std::uint16_t admin_port = 9901;  // /healthz, /readyz, /metrics
  std::string log_level = "info";
  std::string postanalytics;  // HOST:PORT, empty: no postanalytics
  std::int64_t run_as_user = 65532;
  // Kubernetes quantities; an empty string leaves that request or limit unset.
  std::string cpu = "50m", memory = "64Mi", cpu_limit, memory_limit = "256Mi";
};

struct InjectorConfig {
  std::string mode = "monitoring";
  std::string annotation_prefix = "sidecar.waf.io/";
  bool on_invalid_allow = false;  // "onInvalid": "deny" (default) or "allow"
  std::vector<std::string> excluded_namespaces{"kube-system", "kube-public", "kube-node-lease"};
  std::uint16_t application_port = 80;  // when the Pod declares no port at all
  bool iptables = true;
  bool native_sidecar = true;
  ProxyConfig proxy;
};

// The built-in defaults (the image tag is this binary's version).
InjectorConfig default_injector_config();

// Parses the JSON config; keys that are absent keep their default, unknown keys and bad values are
// errors naming the key ("proxy.port: 70000 is not a port").
Result<InjectorConfig> parse_injector_config(std::string_view json);

// Validators shared by the config file and the Pod annotations.
bool is_mode(std::string_view s);
bool is_log_level(std::string_view s);
bool is_quantity(std::string_view s);  // Kubernetes resource quantity: 100m, 0.5, 128Mi, 1e3

}  // namespace waf::controller
