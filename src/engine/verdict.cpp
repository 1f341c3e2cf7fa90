#include "engine/verdict.hpp"

namespace waf::engine {

std::string_view name(Action action) noexcept {
  switch (action) {
    case Action::allow: return "allow";
    case Action::monitor: return "monitor";
    case Action::block: return "block";
    case Action::deny_ip: return "deny_ip";
  }
  return "unknown";
}

}  // namespace waf::engine
