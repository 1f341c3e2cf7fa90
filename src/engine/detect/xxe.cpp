#include "engine/detect/xxe.hpp"

#include <algorithm>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::ifind;
using text::is_space;

constexpr auto npos = std::string_view::npos;
// An entity definition longer than this is looked at only up to here (bounds the work per declaration).
constexpr std::size_t kMaxDeclarationBytes = 4096;

// Position after "<!" + keyword, with blanks; npos if the keyword does not follow.
std::size_t after_keyword(std::string_view s, std::size_t at, std::string_view keyword) noexcept {
  std::size_t i = at;
  if (!text::istarts_with(s.substr(i), keyword)) return npos;
  i += keyword.size();
  if (i < s.size() && !is_space(s[i])) return npos;
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

class XxeDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::xxe; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    const std::size_t xsl = ifind(s, "xsl:");
    if (s.find("<!") == npos && ifind(s, "xi:include") == npos && xsl == npos &&
        value.kind != LocationKind::xml_doctype)
      return;
    int best = 0;
    std::size_t best_at = 0;
    std::string_view rule;
    auto keep = [&](std::size_t at, int score, std::string_view why) {
      if (score > best) {
        best = score;
        best_at = at;
        rule = why;
      }
    };
    std::size_t entities = 0;
    for (std::size_t at = s.find("<!"); at != npos; at = s.find("<!", at + 2)) {
      if (std::size_t i = after_keyword(s, at + 2, "entity"); i != npos) {
        ++entities;
        const bool parameter = i < s.size() && s[i] == '%';
        // Skip "% name" to the definition.
        if (parameter) ++i;
        while (i < s.size() && is_space(s[i])) ++i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '>') ++i;
        while (i < s.size() && is_space(s[i])) ++i;
        const bool external = text::istarts_with(s.substr(i), "system") || text::istarts_with(s.substr(i), "public");
        if (external) keep(at, 95, parameter ? "external parameter entity" : "external entity");
        else if (parameter) keep(at, 90, "parameter entity");
        else keep(at, 60, "internal entity");
        // An entity defined by references to others is an expansion bomb ("&lol1;&lol1;...").
        const std::string_view def = s.substr(i, std::min<std::size_t>(s.find('>', i) - i, kMaxDeclarationBytes));
        std::size_t refs = 0;
        for (std::size_t r = def.find('&'); r != npos && refs < 4; r = def.find('&', r + 1)) ++refs;
        if (refs >= 3) keep(at, 85, "entity expansion");
      } else if (std::size_t d = after_keyword(s, at + 2, "doctype"); d != npos) {
        // "<!DOCTYPE x SYSTEM "http://...">": an external DTD subset.
        std::size_t id = d;
        while (id < s.size() && !is_space(s[id]) && s[id] != '>' && s[id] != '[') ++id;
        while (id < s.size() && is_space(s[id])) ++id;
        if (text::istarts_with(s.substr(id), "system") || text::istarts_with(s.substr(id), "public")) {
          const std::size_t end = s.find('>', id);
          const std::string_view ident = s.substr(id, (end == npos ? s.size() : end) - id);
          // The public XHTML/HTML DTDs are what browsers send; anything else is fetched by the parser.
          if (ifind(ident, "//w3c//dtd") == npos) keep(at, 85, "external DTD");
        }
      }
    }
    // Parameter entity references in the internal subset ("%xxe;") pull the external DTD in.
    if (entities > 0) {
      for (std::size_t p = s.find('%'); p != npos; p = s.find('%', p + 1)) {
        std::size_t k = p + 1;
        while (k < s.size() && (text::is_word(s[k]) || s[k] == '.' || s[k] == '-')) ++k;
        if (k > p + 1 && k < s.size() && s[k] == ';') {
          keep(p, 90, "parameter entity reference");
          break;
        }
      }
    }
    const std::size_t xi = ifind(s, "xi:include");
    if (xi != npos && (ifind(s, "href") != npos)) keep(xi > 0 ? xi - 1 : 0, 85, "xinclude");
    // XSLT reads other documents while it transforms: document('file:///etc/passwd'),
    // unparsed-text('/etc/passwd'), <xsl:include href="http://...">.
    if (xsl != npos) {
      for (const std::string_view f : {std::string_view("document("), std::string_view("unparsed-text(")}) {
        const std::size_t at = ifind(s, f);
        if (at == npos || (at > 0 && (text::is_word(s[at - 1]) || s[at - 1] == '-'))) continue;
        std::size_t arg = at + f.size();
        while (arg < s.size() && is_space(s[arg])) ++arg;
        // A quoted URI with a scheme or an absolute path; document('other.xml') merges a sibling file.
        if (arg >= s.size() || (s[arg] != '\'' && s[arg] != '"')) continue;
        const std::size_t close = s.find(s[arg], arg + 1);
        const std::string_view uri = s.substr(arg + 1, (close == npos ? s.size() : close) - arg - 1);
        if (uri.find("://") != npos || uri.starts_with("/") || uri.starts_with("\\") || ifind(uri, "file:") != npos)
          keep(at, 85, "XSLT external document");
      }
      for (const std::string_view t : {std::string_view("<xsl:include"), std::string_view("<xsl:import")}) {
        const std::size_t at = ifind(s, t);
        if (at == npos) continue;
        const std::size_t end = s.find('>', at);
        const std::string_view tag = s.substr(at, (end == npos ? s.size() : end) - at);
        if (ifind(tag, "://") != npos) keep(at, 80, "XSLT remote stylesheet");
      }
    }
    if (best == 0) return;
    text::report(out, AttackClass::xxe, value, s, best_at, 96, best, rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_xxe() { return std::make_unique<XxeDetector>(); }

}  // namespace waf::engine
