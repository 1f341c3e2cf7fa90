#include "engine/detect/ldapi.hpp"

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::is_space;

enum class Component { none, operator_, comparison, equality };

// After "(": an operator ("&", "|", "!", a nested "("), "attr>=", "attr<=", "attr~=" (LDAP-only
// comparisons) or "attr=" (which keyword arguments in code share), per RFC 4515/4512.
Component filter_starts(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size()) return Component::none;
  if (s[i] == '&' || s[i] == '|' || s[i] == '!' || s[i] == '(') return Component::operator_;
  const std::size_t start = i;
  while (i < s.size() && (text::is_word(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == ';')) ++i;
  if (i == start || !text::is_alpha(s[start])) return Component::none;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size()) return Component::none;
  if (s[i] == '=') return Component::equality;
  if ((s[i] == '~' || s[i] == '>' || s[i] == '<') && i + 1 < s.size() && s[i + 1] == '=') return Component::comparison;
  return Component::none;
}

std::size_t metacharacter_run(std::string_view s) noexcept {
  for (std::size_t star = s.find('*'); star != std::string_view::npos; star = s.find('*', star + 1)) {
    std::size_t b = star;
    while (b > 0 && (s[b - 1] == '(' || s[b - 1] == ')' || s[b - 1] == '|' || s[b - 1] == '&' || s[b - 1] == '*')) --b;
    std::size_t e = star + 1;
    while (e < s.size() && (s[e] == '(' || s[e] == ')' || s[e] == '|' || s[e] == '&' || s[e] == '*')) ++e;
    const std::string_view run = s.substr(b, e - b);
    // An opening parenthesis, and an operator next to a parenthesis: "*()|&", "*)(|", "*(|(";
    // "!@#$%^&*()" and a C cast "(char**)&p" are not filters.
    for (std::size_t i = 0; i + 1 < run.size() && run.size() >= 4 && run.find('(') != std::string_view::npos; ++i) {
      const bool paren_op = (run[i] == '(' || run[i] == ')') && (run[i + 1] == '|' || run[i + 1] == '&');
      const bool op_paren = (run[i] == '|' || run[i] == '&') && run[i + 1] == '(';
      if (paren_op || op_paren) return b;
    }
    star = e - 1;
  }
  return std::string_view::npos;
}

class LdapiDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::ldapi; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    const bool filterish = s.find("=*") != std::string_view::npos || s.find("*)") != std::string_view::npos ||
                           s.find("(|") != std::string_view::npos || s.find("(&") != std::string_view::npos ||
                           s.find("(!") != std::string_view::npos || text::ifind(s, "\\2a") != std::string_view::npos;
    for (std::size_t close = s.find(')'); close != std::string_view::npos; close = s.find(')', close + 1)) {
      std::size_t i = close + 1;
      while (i < s.size() && is_space(s[i])) ++i;
      // ")(", ")!(", ")|(", ")&(": a new filter component after closing the application's one.
      if (i == close + 1 && i < s.size() && (s[i] == '!' || s[i] == '|' || s[i] == '&')) {
        std::size_t k = i + 1;
        while (k < s.size() && is_space(s[k])) ++k;
        if (k < s.size() && s[k] == '(' && (filter_starts(s, k + 1) != Component::none || s[i] != '!'))
          return found(value, out, close, 85, "filter operator after a closed filter");
        if (k >= s.size() || s[k] == ')') return found(value, out, close, 75, "dangling filter operator");
        continue;
      }
      if (i >= s.size() || s[i] != '(') continue;
      // "f(x)(policy=self.policy)" is a call with a keyword argument; an injected "attr=" component
      // brings a wildcard or a filter operator along.
      const Component c = filter_starts(s, i + 1);
      if (c == Component::operator_ || c == Component::comparison || (c == Component::equality && filterish))
        return found(value, out, close, 85, "new filter component after ')'");
    }
    // A value that is itself a wildcard filter fragment: "*)(", "*))%00", "(|(uid=*".
    const std::size_t star = s.find("*)");
    if (star != std::string_view::npos && (star == 0 || s[star - 1] == '=' || s[star - 1] == '(' ))
      return found(value, out, star, 80, "wildcard closing a filter");
    // The filter metacharacters in a run, as fuzzers send them ("*()|&'", "*(|(&"): a wildcard, an
    // empty or opened filter and an operator; code has "()||" or "f()&&" but not the wildcard with them.
    if (const std::size_t at = metacharacter_run(s); at != std::string_view::npos)
      return found(value, out, at, 75, "filter metacharacters");
    if (text::istarts_with(s, "(|(") || text::istarts_with(s, "(&(")) {
      if (filter_starts(s, 3) != Component::none) return found(value, out, 0, 80, "injected filter");
    }
    // An operator and a component with no parenthesis before them: "&(objectClass=*)", "|(uid=*)".
    if (s.size() > 2 && (s[0] == '&' || s[0] == '|') && s[1] == '(' && filterish &&
        filter_starts(s, 2) != Component::none)
      return found(value, out, 0, 75, "injected filter");
  }

 private:
  static void found(const Value& value, Findings& out, std::size_t at, int score, std::string_view rule) {
    text::report(out, AttackClass::ldapi, value, value.decoded, at, 48, score, rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_ldapi() { return std::make_unique<LdapiDetector>(); }

}  // namespace waf::engine
