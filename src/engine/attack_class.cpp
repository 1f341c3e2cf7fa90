#include "engine/attack_class.hpp"

namespace waf::engine {

std::string_view name(AttackClass cls) noexcept {
  switch (cls) {
    case AttackClass::sqli: return "sqli";
    case AttackClass::xss: return "xss";
    case AttackClass::path_traversal: return "path_traversal";
    case AttackClass::rfi_ssrf: return "rfi_ssrf";
    case AttackClass::command_injection: return "command_injection";
    case AttackClass::ssti: return "ssti";
    case AttackClass::nosqli: return "nosqli";
    case AttackClass::ldapi: return "ldapi";
    case AttackClass::xxe: return "xxe";
    case AttackClass::jndi: return "jndi";
    case AttackClass::crlf: return "crlf";
    case AttackClass::scanner: return "scanner";
    case AttackClass::code_injection: return "code_injection";
    case AttackClass::custom_rule: return "custom_rule";
    case AttackClass::protocol: return "protocol";
  }
  return "unknown";
}

std::optional<AttackClass> attack_class_from_name(std::string_view text) noexcept {
  for (auto cls : kAllAttackClasses) {
    if (name(cls) == text) return cls;
  }
  return std::nullopt;
}

}  // namespace waf::engine
