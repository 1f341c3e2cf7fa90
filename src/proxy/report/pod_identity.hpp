#pragma once
// Which workload a proxy protects, as the controller injects it (downward API): WAF_POD_NAMESPACE,
// WAF_POD_NAME, WAF_APP. Carried by every event and stats record; empty fields are omitted.
#include <string>

namespace waf::proxy::report {

struct PodIdentity {
  std::string namespace_name, pod, app;
  static PodIdentity from_environment();
};

}  // namespace waf::proxy::report
