#include "engine/detect/xss.hpp"

#include <array>
#include <string>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::iequals;
using text::ifind;
using text::is_alpha;
using text::is_space;
using text::lower;

// Elements that run script or load active content by themselves.
constexpr std::string_view kScriptTags[] = {"script", "iframe", "frame", "frameset", "object", "embed",
                                            "applet", "base", "vmlframe", "import", "xss", "isindex"};
// Elements that are harmless in rich text but dangerous from an argument.
// (<meta> only counts with a refresh or cookie http-equiv, see scan_tag.)
constexpr std::string_view kActiveTags[] = {"svg", "math", "link", "style", "form", "noscript",
                                            "template", "xml", "bgsound", "layer", "ilayer", "portal"};
// Attributes whose value is a URL the browser may navigate to or execute.
constexpr std::string_view kUrlAttributes[] = {"href", "src", "action", "formaction", "data", "xlink:href",
                                               "background", "lowsrc", "dynsrc", "poster", "codebase", "to",
                                               "from", "values", "by", "content"};
// Functions and properties an injected script calls: only counted after a context break.
// ("open", "fetch", "import" and "function" are left out: they open every other code snippet.)
constexpr std::string_view kSinks[] = {"alert", "prompt", "confirm", "eval", "settimeout", "setinterval",
                                       "execscript", "msgbox"};
// Event handler names recognised without a surrounding tag (inside a tag any on* attribute counts).
constexpr std::string_view kHandlers[] = {
    "onload", "onerror", "onclick", "onmouseover", "onmouseout", "onmouseenter", "onmousemove",
    "onmousedown", "onmouseup", "onfocus", "onblur", "onchange", "onsubmit", "oninput", "onkeydown",
    "onkeyup", "onkeypress", "onselect", "onscroll", "onwheel", "ontoggle", "onbegin", "onzoom",
    "onanimationstart", "onanimationend", "ontransitionend", "onpointerover", "onpointerdown",
    "onpointerenter", "ondblclick", "oncontextmenu", "ondrag", "ondragstart", "ondrop", "onpageshow",
    "onhashchange", "onbeforeunload", "onunload", "onresize", "onpaste", "oncopy", "oncut", "onplay",
    "onended", "onloadstart", "onprogress", "oncanplay", "onmessage", "onpopstate", "onfocusin",
    "onfocusout", "onauxclick", "onshow", "oninvalid", "onreset", "onsearch", "onafterprint",
    "onbeforeprint", "onstart", "onfinish", "onbounce", "onreadystatechange", "onactivate"};

template <std::size_t N>
bool in(const std::string_view (&list)[N], std::string_view word) noexcept {
  for (auto w : list) {
    if (iequals(w, word)) return true;
  }
  return false;
}

struct Hit {
  std::size_t pos = 0, len = 0;
  int score = 0;
  std::string_view rule;
};

void keep(Hit& best, std::size_t pos, std::size_t len, int score, std::string_view rule) noexcept {
  if (score > best.score) best = Hit{pos, len, score, rule};
}

// Fullwidth "<" (U+FF1C) is folded to "<" by some back ends.
// So is "\xBC" ("¼" in Latin-1, "<" once a back end strips the high bit).
std::size_t tag_open_len(std::string_view s, std::size_t i) noexcept {
  if (s[i] == '<') return 1;
  if (s.compare(i, 3, "\xEF\xBC\x9C") == 0) return 3;
  if (s[i] == '\xBC') return 1;
  if (s.compare(i, 2, "\xC2\xBC") == 0) return 2;
  return 0;
}

// A URL that executes: javascript:, vbscript:, livescript:, data:text/html. Browsers ignore
// whitespace and control bytes inside the scheme ("java\tscript:"), so they are skipped here too.
bool script_url(std::string_view v) noexcept {
  std::size_t i = 0;
  while (i < v.size() && (is_space(v[i]) || static_cast<unsigned char>(v[i]) < 0x20 || v[i] == '"' ||
                          v[i] == '\'' || v[i] == '`'))
    ++i;
  std::array<char, 16> scheme{};
  std::size_t n = 0;
  for (; i < v.size() && n < scheme.size(); ++i) {
    const char c = v[i];
    if (c == ':') break;
    if (is_space(c) || static_cast<unsigned char>(c) < 0x20) continue;
    if (!is_alpha(c)) return false;
    scheme[n++] = lower(c);
  }
  if (i >= v.size() || v[i] != ':') return false;
  const std::string_view name(scheme.data(), n);
  if (name == "javascript" || name == "vbscript" || name == "livescript") return true;
  if (name == "data") {
    const std::string_view rest = v.substr(i + 1);
    return text::istarts_with(rest, "text/html") || text::istarts_with(rest, "image/svg") ||
           text::istarts_with(rest, "application/x") || text::istarts_with(rest, "text/xml") ||
           text::istarts_with(rest, ",");
  }
  return false;
}

// Scans one tag starting at `i` (just after '<'); records findings and returns where it ends.
std::size_t scan_tag(std::string_view s, std::size_t i, std::size_t open, Hit& best) noexcept {
  const std::size_t tag_start = i - open;
  bool processing = false;
  if (i < s.size() && (s[i] == '?' || s[i] == '/')) {
    processing = s[i] == '?';
    ++i;
  }
  while (i < s.size() && s[i] == ':') ++i;  // "<:vmlframe": an empty namespace prefix
  const std::size_t name_start = i;
  while (i < s.size() && (text::is_word(s[i]) || s[i] == ':' || s[i] == '-')) ++i;
  std::string_view name = s.substr(name_start, i - name_start);
  if (name.empty() || !is_alpha(name[0])) return name_start;
  if (const auto colon = name.rfind(':'); colon != std::string_view::npos) name = name.substr(colon + 1);
  // A tag name ends at whitespace, '/', '>' or the end of the value; "a<b" is not a tag.
  const bool ends = i >= s.size() || is_space(s[i]) || s[i] == '/' || s[i] == '>' ||
                    s.compare(i, 3, "\xEF\xBC\x9E") == 0 || s[i] == '\xBE' || s.compare(i, 2, "\xC2\xBE") == 0;
  if (!ends) return i;
  const bool closing = !processing && name_start > tag_start + open && s[name_start - 1] == '/';
  if (!closing && in(kScriptTags, name)) keep(best, tag_start, i - tag_start, 90, "script-capable tag");
  if (processing && iequals(name, "import")) keep(best, tag_start, i - tag_start, 90, "script-capable tag");
  bool active = !closing && in(kActiveTags, name);
  // Attributes.
  while (i < s.size() && s[i] != '>') {
    while (i < s.size() && (is_space(s[i]) || s[i] == '/' || s[i] == '"' || s[i] == '\'')) ++i;
    const std::size_t attr_start = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/') ++i;
    const std::string_view attr = s.substr(attr_start, i - attr_start);
    if (attr.empty() && (i >= s.size() || s[i] != '=')) break;
    std::size_t j = i;
    while (j < s.size() && is_space(s[j])) ++j;
    std::string_view value;
    if (j < s.size() && s[j] == '=') {
      ++j;
      while (j < s.size() && is_space(s[j])) ++j;
      if (j < s.size() && (s[j] == '"' || s[j] == '\'' || s[j] == '`')) {
        const char q = s[j];
        const std::size_t end = s.find(q, j + 1);
        value = s.substr(j + 1, (end == std::string_view::npos ? s.size() : end) - j - 1);
        j = end == std::string_view::npos ? s.size() : end + 1;
      } else {
        const std::size_t vstart = j;
        while (j < s.size() && !is_space(s[j]) && s[j] != '>') ++j;
        value = s.substr(vstart, j - vstart);
      }
      i = j;
    }
    if (closing) continue;
    if (attr.size() > 2 && text::istarts_with(attr, "on") && is_alpha(attr[2]))
      keep(best, tag_start, i - tag_start, 90, "event handler attribute");
    if (in(kUrlAttributes, attr) && script_url(value)) keep(best, tag_start, i - tag_start, 90, "script URL attribute");
    if (iequals(attr, "style") && (ifind(value, "expression") != std::string_view::npos ||
                                   ifind(value, "javascript:") != std::string_view::npos ||
                                   ifind(value, "behavior") != std::string_view::npos ||
                                   ifind(value, "-moz-binding") != std::string_view::npos))
      keep(best, tag_start, i - tag_start, 85, "style expression");
    if (iequals(attr, "srcdoc")) active = true;
    if (iequals(attr, "http-equiv") && (ifind(value, "refresh") != std::string_view::npos ||
                                        ifind(value, "set-cookie") != std::string_view::npos))
      active = true;
  }
  if (active) keep(best, tag_start, i - tag_start, 80, "active content tag");
  return i;
}

// A handler attribute injected into an existing tag: `" onfocus=alert(1) autofocus="`.
void scan_handlers(std::string_view s, Hit& best) noexcept {
  for (std::size_t at = ifind(s, "on"); at != std::string_view::npos; at = ifind(s, "on", at + 2)) {
    if (at > 0 && !(is_space(s[at - 1]) || s[at - 1] == '"' || s[at - 1] == '\'' || s[at - 1] == '/' ||
                    s[at - 1] == ';' || s[at - 1] == '(' || s[at - 1] == '`'))
      continue;
    std::size_t end = at + 2;
    while (end < s.size() && is_alpha(s[end])) ++end;
    std::size_t eq = end;
    while (eq < s.size() && is_space(s[eq])) ++eq;
    if (eq >= s.size() || s[eq] != '=' || (eq + 1 < s.size() && s[eq + 1] == '=')) continue;
    // Unknown handler names count right after a quote or '<' ('"onwebkitplaybacktargetavailabilitychanged=').
    const bool quoted = at > 0 && (s[at - 1] == '"' || s[at - 1] == '\'' || s[at - 1] == '<');
    if (!in(kHandlers, s.substr(at, end - at)) && !(quoted && end - at >= 6)) continue;
    keep(best, at, eq + 1 - at + 16, 80, "event handler outside a tag");
  }
}

// DOM objects whose sensitive members an injected script reaches for: "document.cookie",
// "(document)['cookie']", "self['alert'](1)", "window . location" (blanks and /**/ allowed).
constexpr std::string_view kDomObjects[] = {"document", "window", "globalthis", "location"};
// Names that are also ordinary code identifiers (Python's self): only their ["..."] form counts.
constexpr std::string_view kDomIndexOnly[] = {"self", "top", "parent", "frames", "content"};
constexpr std::string_view kDomMembers[] = {"cookie", "domain", "location", "write", "writeln", "alert", "eval",
                                            "globaleval", "execscript", "localstorage", "sessionstorage",
                                            "createelement", "href", "constructor", "opener", "origin", "body",
                                            "queryselector", "$"};

std::size_t skip_js_blank(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    if (is_space(s[i]) || s[i] == ')' || s[i] == '"' || s[i] == '\'') {
      ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      const std::size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

// Whether some '.' or '[' is followed by a DOM member: scan_dom's word walk only runs then, since
// prose has a '.' in every sentence but rarely a ". cookie".
bool dom_member_follows(std::string_view s) noexcept {
  for (std::size_t at = text::find_any(s, ".["); at != std::string_view::npos; at = text::find_any(s, ".[", at + 1)) {
    const std::size_t k = skip_js_blank(s, at + 1);
    std::size_t m = k;
    while (m < s.size() && (text::is_word(s[m]) || s[m] == '$')) ++m;
    if (m > k && in(kDomMembers, s.substr(k, m - k))) return true;
  }
  return false;
}

void scan_dom(std::string_view s, Hit& best) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_alpha(s[i]) || (i > 0 && (text::is_word(s[i - 1]) || s[i - 1] == '.'))) continue;
    std::size_t end = i;
    while (end < s.size() && text::is_word(s[end])) ++end;
    const char f = lower(s[i]);
    if (f != 'd' && f != 'w' && f != 'g' && f != 'l' && f != 's' && f != 't' && f != 'p' && f != 'c') {
      i = end;
      continue;
    }
    const bool object = in(kDomObjects, s.substr(i, end - i));
    if (object || in(kDomIndexOnly, s.substr(i, end - i))) {
      std::size_t k = skip_js_blank(s, end);
      if (k < s.size() && ((object && s[k] == '.') || s[k] == '[')) {
        k = skip_js_blank(s, k + 1);
        std::size_t m = k;
        while (m < s.size() && (text::is_word(s[m]) || s[m] == '$')) ++m;
        if (m > k && in(kDomMembers, s.substr(k, m - k))) keep(best, i, m - i + 8, 75, "DOM access from injected script");
      }
    }
    i = end;
  }
}

bool breaks_context(char c) noexcept {
  constexpr std::string_view kBreakers = "\"';>+-*/|&=(,{[:!?`~^%}";
  return kBreakers.find(c) != std::string_view::npos;
}

// Whether some '(' or '`' follows a sink's name: scan_sinks' word walk only runs then.
bool sink_call(std::string_view s) noexcept {
  for (std::size_t at = text::find_any(s, "(`"); at != std::string_view::npos; at = text::find_any(s, "(`", at + 1)) {
    std::size_t end = at;
    while (end > 0 && is_space(s[end - 1])) --end;
    std::size_t begin = end;
    while (begin > 0 && text::is_word(s[begin - 1])) --begin;
    if (begin < end && in(kSinks, s.substr(begin, end - begin))) return true;
  }
  return false;
}

// A script call after leaving a string or an attribute: `';alert(1)//`, `"-confirm``-"`.
void scan_sinks(std::string_view s, Hit& best) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_alpha(s[i]) || (i > 0 && (text::is_word(s[i - 1]) || s[i - 1] == '.'))) continue;
    std::size_t end = i;
    while (end < s.size() && text::is_word(s[end])) ++end;
    const std::string_view word = s.substr(i, end - i);
    const char f = lower(word[0]);
    if ((f == 'a' || f == 'p' || f == 'c' || f == 'e' || f == 's' || f == 'm') && in(kSinks, word)) {
      std::size_t k = end;
      while (k < s.size() && is_space(s[k])) ++k;
      if (k < s.size() && (s[k] == '(' || s[k] == '`')) {
        std::size_t b = i;
        while (b > 0 && is_space(s[b - 1])) --b;
        if (b == 0 || breaks_context(s[b - 1])) keep(best, b == 0 ? 0 : b - 1, k + 1 - (b == 0 ? 0 : b - 1) + 8, 75, "script call after a context break");
      }
    }
    i = end;
  }
}

class XssDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::xss; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    Hit best;
    for (std::size_t i = 0; i < s.size();) {
      const char c = s[i];
      const std::size_t open = (c == '<' || c == '\xEF' || c == '\xBC' || c == '\xC2') ? tag_open_len(s, i) : 0;
      if (open == 0) {
        ++i;
        continue;
      }
      i = scan_tag(s, i + open, open, best);
    }
    // Each remaining scan needs what its grammar cannot do without (a URL's ':', a handler's '=',
    // a sink before '(' or '`', a DOM member after '.' or '['); prose skips the word scans.
    const auto has = [s](char c) { return s.find(c) != std::string_view::npos; };
    const bool has_colon = has(':');
    const bool has_equals = has('=');
    const bool has_call = sink_call(s);
    const bool has_member = dom_member_follows(s);
    // Script URLs in the value itself (a link field) or after an attribute break.
    for (std::size_t at = has_colon ? ifind(s, "script") : std::string_view::npos; at != std::string_view::npos;
         at = ifind(s, "script", at + 6)) {
      std::size_t b = at;
      while (b > 0 && (is_alpha(s[b - 1]) || is_space(s[b - 1]) || static_cast<unsigned char>(s[b - 1]) < 0x20))
        --b;
      if (b != 0 && !breaks_context(s[b - 1])) continue;
      if (!script_url(s.substr(b))) continue;
      const std::size_t colon = s.find(':', at);
      std::size_t k = colon + 1;
      while (k < s.size() && is_space(s[k])) ++k;
      // "JavaScript: The Good Parts" is a book title, not a URL.
      if (k < s.size() && (is_alpha(s[k]) && k > colon + 1)) continue;
      if (k >= s.size() && b != 0) continue;
      keep(best, b, k - b + 16, 85, "script URL");
    }
    if (has_equals) scan_handlers(s, best);
    if (has_call) scan_sinks(s, best);
    if (has_member) scan_dom(s, best);
    // CSS that runs script: "-moz-binding:url(...)", "x:expression(...)", "url(javascript:...)".
    if (s.find('(') != std::string_view::npos || s.find("-moz") != std::string_view::npos) {
      for (auto css : {"-moz-binding", "behavior:url(", ":expression(", "url(javascript", "url(vbscript"}) {
        const std::size_t at = ifind(s, css);
        if (at != std::string_view::npos) keep(best, at, 48, 80, "script in CSS");
      }
    }
    // A sink interpolated into a template literal: "[].sort.call`${alert}1337`".
    for (std::size_t at = s.find("${"); at != std::string_view::npos; at = s.find("${", at + 2)) {
      std::size_t k = at + 2;
      while (k < s.size() && is_space(s[k])) ++k;
      std::size_t m = k;
      while (m < s.size() && text::is_word(s[m])) ++m;
      std::size_t e = m;
      while (e < s.size() && is_space(s[e])) ++e;
      if (e < s.size() && s[e] == '}' && in(kSinks, s.substr(k, m - k))) keep(best, at, e + 1 - at, 80, "sink in a template literal");
    }
    // JSFuck: script built only from []()!+.
    std::size_t jsfuck = 0;
    for (std::size_t at = s.find("![]"); at != std::string_view::npos && jsfuck < 8; at = s.find("![]", at + 3))
      ++jsfuck;
    // "(![]+[])[+!+[]]": a value written only in []()!+ is JSFuck-encoded script.
    const bool only_jsfuck = s.size() >= 12 && s.find_first_not_of("[]()!+ ") == std::string_view::npos &&
                             s.find("[]") != std::string_view::npos;
    if (jsfuck >= 4 || only_jsfuck) keep(best, 0, 32, 85, "jsfuck");
    if (best.score == 0) return;
    text::report(out, AttackClass::xss, value, s, best.pos, best.len, best.score, best.rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_xss() { return std::make_unique<XssDetector>(); }

}  // namespace waf::engine
