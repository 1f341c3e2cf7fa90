#pragma once
// The pure core of the controller: (Pod, namespace, config) -> JSON Patch that adds the waf proxy
// sidecar and, with iptables capture, the init container. No I/O, no clock: golden-tested.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "controller/admission_review.hpp"
#include "controller/injector_config.hpp"

namespace waf::controller {

inline constexpr std::string_view kInjectLabel = "waf-sidecar";
inline constexpr std::string_view kInjectLabelValue = "enabled";
inline constexpr std::string_view kProxyContainerName = "waf-proxy";
inline constexpr std::string_view kInitContainerName = "waf-init-iptables";
inline constexpr std::string_view kPolicyVolumeName = "waf-policy";
inline constexpr std::string_view kPolicyMountPath = "/etc/waf/policy";
// The key a policy ConfigMap carries the policy under (the proxy's JSON policy file).
inline constexpr std::string_view kPolicyKey = "policy.json";

// What one Pod gets: the chart's config overridden by the Pod's annotations.
struct PodSettings {
  std::string mode;
  std::vector<std::uint16_t> application_ports;
  bool iptables = true;
  std::vector<std::uint16_t> exclude_inbound_ports;
  std::string cpu, memory, cpu_limit, memory_limit, log_level;
  std::string policy;  // ConfigMap name, empty for none
  bool native_sidecar = true;
  std::string app;  // how postanalytics groups this Pod's events (see app_name)
};

// The application a Pod belongs to, for the sidecar's events: its app.kubernetes.io/name or app
// label, else its name or generateName without the ReplicaSet/Pod hash suffixes.
std::string app_name(const Pod& pod);

// Resolves the settings for a Pod, or an error whose message starts with the offending annotation
// ("sidecar.waf.io/mode: 'blok' is not one of ...").
Result<PodSettings> resolve_settings(const Pod& pod, const InjectorConfig& config);

// Why a Pod is left alone (nothing to inject), or empty when it should be injected.
std::string skip_reason(const AdmissionRequest& request, const InjectorConfig& config);

// The patch for a Pod that should be injected; an empty patch when skip_reason() says to skip.
Result<JsonPatch> build_injection_patch(const AdmissionRequest& request, const InjectorConfig& config);

// The whole decision for one review: allowed (untouched), patched, denied (invalid settings) or
// allowed with a warning (invalid settings under onInvalid: allow). complete() is applied.
AdmissionResponse admit(const AdmissionRequest& request, const InjectorConfig& config);

}  // namespace waf::controller
