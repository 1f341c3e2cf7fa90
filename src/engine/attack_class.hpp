#pragma once
// The attack classes the engine reports; their names appear in events, metrics labels and policies.
#include <optional>
#include <string_view>

namespace waf::engine {

enum class AttackClass {
  sqli,
  xss,
  path_traversal,
  rfi_ssrf,
  command_injection,
  ssti,
  nosqli,
  ldapi,
  xxe,
  jndi,
  crlf,
  scanner,
  code_injection,
  custom_rule,
  protocol,
};

inline constexpr AttackClass kAllAttackClasses[] = {
    AttackClass::sqli,  AttackClass::xss,   AttackClass::path_traversal, AttackClass::rfi_ssrf,
    AttackClass::command_injection, AttackClass::ssti, AttackClass::nosqli, AttackClass::ldapi,
    AttackClass::xxe,   AttackClass::jndi,  AttackClass::crlf,           AttackClass::scanner,
    AttackClass::code_injection, AttackClass::custom_rule, AttackClass::protocol,
};

std::string_view name(AttackClass cls) noexcept;
std::optional<AttackClass> attack_class_from_name(std::string_view text) noexcept;

}  // namespace waf::engine
