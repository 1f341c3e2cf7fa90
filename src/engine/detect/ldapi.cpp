#include "engine/detect/ldapi.hpp"

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::is_space;

// After "(": an operator, or "attr=" / "attr>=" / "attr<=" / "attr~=" (attr per RFC 4512 descr).
bool filter_starts(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size()) return false;
  if (s[i] == '&' || s[i] == '|' || s[i] == '!' || s[i] == '(') return true;
  const std::size_t start = i;
  while (i < s.size() && (text::is_word(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == ';')) ++i;
  if (i == start || !text::is_alpha(s[start])) return false;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size()) return false;
  if (s[i] == '=') return true;
  return (s[i] == '~' || s[i] == '>' || s[i] == '<') && i + 1 < s.size() && s[i + 1] == '=';
}

class LdapiDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::ldapi; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    for (std::size_t close = s.find(')'); close != std::string_view::npos; close = s.find(')', close + 1)) {
      std::size_t i = close + 1;
      while (i < s.size() && is_space(s[i])) ++i;
      // ")(", ")!(", ")|(", ")&(": a new filter component after closing the application's one.
      if (i < s.size() && (s[i] == '!' || s[i] == '|' || s[i] == '&')) {
        std::size_t k = i + 1;
        while (k < s.size() && is_space(s[k])) ++k;
        if (k < s.size() && s[k] == '(' && (filter_starts(s, k + 1) || s[i] != '!'))
          return found(value, out, close, 85, "filter operator after a closed filter");
        if (k >= s.size() || s[k] == ')') return found(value, out, close, 75, "dangling filter operator");
        continue;
      }
      if (i >= s.size() || s[i] != '(') continue;
      if (filter_starts(s, i + 1)) return found(value, out, close, 85, "new filter component after ')'");
    }
    // A value that is itself a wildcard filter fragment: "*)(", "*))%00", "(|(uid=*".
    const std::size_t star = s.find("*)");
    if (star != std::string_view::npos && (star == 0 || s[star - 1] == '=' || s[star - 1] == '(' ))
      return found(value, out, star, 80, "wildcard closing a filter");
    if (text::istarts_with(s, "(|(") || text::istarts_with(s, "(&(")) {
      if (filter_starts(s, 3)) return found(value, out, 0, 80, "injected filter");
    }
  }

 private:
  static void found(const Value& value, Findings& out, std::size_t at, int score, std::string_view rule) {
    text::report(out, AttackClass::ldapi, value, value.decoded, at, 48, score, rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_ldapi() { return std::make_unique<LdapiDetector>(); }

}  // namespace waf::engine
