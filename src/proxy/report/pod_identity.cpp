#include "proxy/report/pod_identity.hpp"

#include <cstdlib>

namespace waf::proxy::report {
namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}
}  // namespace

PodIdentity PodIdentity::from_environment() { return {env("WAF_POD_NAMESPACE"), env("WAF_POD_NAME"), env("WAF_APP")}; }

}  // namespace waf::proxy::report
