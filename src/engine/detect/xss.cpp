#include "engine/detect/xss.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::iequals;
using text::is_alpha;
using text::is_space;
using text::lower;

// Elements that run script or load active content by themselves.
constexpr std::string_view kScriptTags[] = {"script", "iframe", "frame", "frameset", "object", "embed",
                                            "applet", "base", "vmlframe", "import", "xss", "isindex"};
// Elements that are harmless in rich text but dangerous from an argument.
// (<meta> counts with a refresh or cookie http-equiv or a UTF-7 charset, see scan_tag.)
// <svg>, <math>, <style>, <link> and <form> are page-builder and e-mail markup: they count through
// their script vectors (handlers, script URLs, CSS expressions), <style> through "@import" and
// <link> outside a pasted document.
constexpr std::string_view kActiveTags[] = {"noscript", "template", "xml", "bgsound", "layer", "ilayer", "portal"};
// Attributes whose value is a URL the browser may navigate to or execute.
constexpr std::string_view kUrlAttributes[] = {"href", "src", "action", "formaction", "data", "xlink:href",
                                               "background", "lowsrc", "dynsrc", "poster", "codebase", "to",
                                               "from", "values", "by", "content"};
// Functions and properties an injected script calls: only counted after a context break.
// ("open", "fetch", "import" and "function" are left out: they open every other code snippet.)
constexpr std::string_view kSinks[] = {"alert", "prompt", "confirm", "eval", "settimeout", "setinterval",
                                       "execscript", "msgbox", "atob", "btoa"};
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
// So is a lone "\xBC" ("¼" in Latin-1, "<" once a back end strips the high bit); after another
// high byte it is the second half of a UTF-8 letter ("ü" is C3 BC) in ordinary text.
std::size_t tag_open_len(std::string_view s, std::size_t i) noexcept {
  if (s[i] == '<') return 1;
  if (s.compare(i, 3, "\xEF\xBC\x9C") == 0) return 3;
  if (s[i] == '\xBC' && (i == 0 || static_cast<unsigned char>(s[i - 1]) < 0x80)) return 1;
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

// CSS that runs script in old IE and Firefox: "expression(", "behavior:", "-moz-binding", a
// script URL. Comments are dropped first, as the CSS parser does ("ex/**/pression(").
bool style_runs_script(std::string_view css) noexcept {
  std::array<char, 512> buf{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < css.size() && n < buf.size(); ++i) {
    if (css.compare(i, 2, "/*") == 0) {
      const std::size_t end = css.find("*/", i + 2);
      if (end == std::string_view::npos) break;
      i = end + 1;
      continue;
    }
    if (css[i] != '\\') buf[n++] = css[i];
  }
  const std::string_view v(buf.data(), n);
  // A property or function name followed (after blanks) by `next`: "behavior : url(", "expression (",
  // but not "scroll-behavior: smooth" or a font called "Expression".
  const auto followed = [v](std::string_view name, char next) {
    for (std::size_t at = text::ifind_rare(v, name); at != std::string_view::npos; at = text::ifind_rare(v, name, at + 1)) {
      if (at > 0 && (text::is_word(v[at - 1]) || v[at - 1] == '-')) continue;
      std::size_t k = at + name.size();
      while (k < v.size() && is_space(v[k])) ++k;
      if (k < v.size() && v[k] == next) return true;
    }
    return false;
  };
  return followed("expression", '(') || followed("behavior", ':') || text::ifind_rare(v, "javascript:") != std::string_view::npos ||
         text::ifind_rare(v, "-moz-binding") != std::string_view::npos;
}

// "Use the <script> tag to ...": a bare tag named in prose. It has no attributes, no closing tag
// follows, and the text after it reads as words, without the punctuation any script needs.
bool tag_mentioned(std::string_view s, std::size_t name_end, std::string_view name) noexcept {
  if (name_end >= s.size() || s[name_end] != '>') return false;
  const std::size_t text_end = std::min(s.find('<', name_end), s.size());
  const std::string_view after = s.substr(name_end + 1, text_end - name_end - 1);
  if (after.find(' ') == std::string_view::npos || text::find_any(after, "();=`[]{}+\\\"'") != std::string_view::npos)
    return false;
  for (std::size_t at = s.find("</", name_end); at != std::string_view::npos; at = s.find("</", at + 2)) {
    if (text::istarts_with(s.substr(at + 2), name)) return false;
  }
  return true;
}

// "javascript:void(0)", "javascript:;": the do-nothing link of menus in legacy markup.
bool noop_script_url(std::string_view v) noexcept {
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos) return false;
  std::array<char, 16> buf{};
  std::size_t n = 0;
  for (std::size_t i = colon + 1; i < v.size() && v[i] != '"' && v[i] != '\'' && v[i] != '>'; ++i) {
    if (is_space(v[i])) continue;
    if (n == buf.size()) return false;
    buf[n++] = lower(v[i]);
  }
  const std::string_view body(buf.data(), n);
  return body == ";" || body == "void(0)" || body == "void(0);" || body == "void0" || body == "void0;";
}

// A sink called in an attribute value: "$event.view.alert(1)", "alert`1`".
bool calls_sink(std::string_view v) noexcept {
  for (const auto sink : kSinks) {
    for (std::size_t at = text::ifind_rare(v, sink); at != std::string_view::npos; at = text::ifind_rare(v, sink, at + 1)) {
      std::size_t k = at + sink.size();
      while (k < v.size() && is_space(v[k])) ++k;
      if (k < v.size() && (v[k] == '(' || v[k] == '`') && (at == 0 || !text::is_word(v[at - 1]))) return true;
    }
  }
  return false;
}

// Event bindings of client-side frameworks, which evaluate their value as script: AngularJS
// "ng-click", Vue "v-on:click" and "@click", Alpine "x-on:click".
bool framework_handler(std::string_view attr) noexcept {
  return text::istarts_with(attr, "ng-") || text::istarts_with(attr, "v-on:") || text::istarts_with(attr, "x-on:") ||
         (attr.size() > 1 && attr[0] == '@');
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
                    s.compare(i, 3, "\xEF\xBC\x9E") == 0 || s[i] == '\xBE' ||
                    (static_cast<unsigned char>(s[i]) >= 0x80 && s.compare(i + 1, 1, "\xBE") == 0);
  if (!ends) return i;
  const bool closing = !processing && name_start > tag_start + open && s[name_start - 1] == '/';
  bool script_capable = !closing && in(kScriptTags, name) && !tag_mentioned(s, i, name);
  // A frame of an https page is an embed (a video, a map) from a page builder; a frame runs script
  // through srcdoc, a script URL or a handler, which count on their own.
  const bool frame = iequals(name, "iframe") || iequals(name, "frame");
  if (processing && iequals(name, "import")) keep(best, tag_start, i - tag_start, 90, "script-capable tag");
  // "<?xml version=...?>" is a declaration, not the IE "<xml>" data island.
  bool active = !closing && !processing && in(kActiveTags, name);
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
    if (in(kUrlAttributes, attr) && script_url(value) && !noop_script_url(value))
      keep(best, tag_start, i - tag_start, 90, "script URL attribute");
    if (iequals(attr, "style") && style_runs_script(value)) keep(best, tag_start, i - tag_start, 85, "style expression");
    if (iequals(attr, "srcdoc")) active = true;
    if (framework_handler(attr) && calls_sink(value)) keep(best, tag_start, i - tag_start, 85, "framework event binding");
    if (frame && iequals(attr, "src") && text::istarts_with(value, "https://")) script_capable = false;
    // A charset that makes '<' spellable without '<' ("+ADw-" in UTF-7).
    if ((iequals(attr, "charset") || iequals(attr, "content")) &&
        (text::ifind_rare(value, "utf-7") != std::string_view::npos || text::ifind_rare(value, "utf7") != std::string_view::npos))
      active = true;
    if (iequals(attr, "http-equiv") && (text::ifind_rare(value, "refresh") != std::string_view::npos ||
                                        text::ifind_rare(value, "set-cookie") != std::string_view::npos))
      active = true;
  }
  // A stylesheet link is at home in a pasted document (several lines), not in a one-line argument.
  if (!closing && iequals(name, "link") && s.find('\n') == std::string_view::npos) active = true;
  if (!closing && iequals(name, "style") && i < s.size()) {
    const std::size_t end = text::ifind_rare(s, "</style", i);
    // "@import", or an at-rule name hidden behind a CSS escape ("@\\69mport").
    const std::string_view css = s.substr(i, (end == std::string_view::npos ? s.size() : end) - i);
    if (text::ifind_rare(css, "@import") != std::string_view::npos || css.find("@\\") != std::string_view::npos) active = true;
  }
  if (script_capable) keep(best, tag_start, i - tag_start, 90, "script-capable tag");
  if (active) keep(best, tag_start, i - tag_start, 80, "active content tag");
  return i;
}

// The handler's value: a quoted string or a token up to the next blank or '>'. It is script when it
// calls, assigns, indexes or chains ("alert(1)", "location='//x'"), or is missing ("onfocus= "),
// not when it is a word or JSX's "{handleClick}".
bool script_follows(std::string_view v) noexcept {
  std::size_t i = 0;
  while (i < v.size() && v[i] == ' ') ++i;
  if (i == v.size()) return true;
  std::size_t end = i;
  if (v[i] == '"' || v[i] == '\'') {
    end = v.find(v[i], i + 1);
    if (end == std::string_view::npos) end = v.size();
  } else {
    while (end < v.size() && !is_space(v[end]) && v[end] != '>') ++end;
  }
  return text::find_any(v.substr(i, end - i), "(`=;.[") != std::string_view::npos;
}

// A handler attribute injected into an existing tag: `" onfocus=alert(1) autofocus="`.
// "const onInput = debounce(...)", "let onload = ...": a JavaScript variable named like a handler,
// in pasted code; no markup puts a declaration keyword before an attribute.
bool declared_variable(std::string_view s, std::size_t at) noexcept {
  std::size_t end = at;
  while (end > 0 && is_space(s[end - 1])) --end;
  std::size_t begin = end;
  while (begin > 0 && is_alpha(s[begin - 1])) --begin;
  if (end == at || (begin > 0 && text::is_word(s[begin - 1]))) return false;
  const std::string_view keyword = s.substr(begin, end - begin);
  return keyword == "const" || keyword == "let" || keyword == "var";
}

void scan_handlers(std::string_view s, Hit& best) noexcept {
  for (std::size_t at = text::ifind_rare(s, "on"); at != std::string_view::npos; at = text::ifind_rare(s, "on", at + 2)) {
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
    // "set onchange=true in the config": after a blank the handler must be given script (a call, an
    // assignment, a statement), not a word.
    if (!quoted && !script_follows(s.substr(eq + 1, 64))) continue;
    if (!quoted && declared_variable(s, at)) continue;
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
  text::EitherFinder access(s, '.', '[');
  for (std::size_t at = access.next(0); at != std::string_view::npos; at = access.next(at + 1)) {
    const std::size_t k = skip_js_blank(s, at + 1);
    std::size_t m = k;
    while (m < s.size() && (text::is_word(s[m]) || s[m] == '$')) ++m;
    if (m > k && in(kDomMembers, s.substr(k, m - k))) return true;
  }
  return false;
}

// "document.cookie samesite lax", "window.location vs document.location": an expression between
// words is a search or a sentence about it; injected script sits between operators, brackets and
// quotes or at the ends of the value.
bool in_prose(std::string_view s, std::size_t begin, std::size_t end) noexcept {
  std::size_t b = begin;
  while (b > 0 && s[b - 1] == ' ') --b;
  const bool word_before = b < begin && b > 0 && text::is_word(s[b - 1]);
  std::size_t e = end;
  while (e < s.size() && s[e] == ' ') ++e;
  const bool word_after = e > end && e < s.size() && text::is_word(s[e]);
  return word_before || word_after;
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
        if (m > k && in(kDomMembers, s.substr(k, m - k)) && !in_prose(s, i, m))
          keep(best, i, m - i + 8, 75, "DOM access from injected script");
        // "top['al'+'ert']": a member name assembled from strings, the shape of filter evasion.
        if (s[k - 1] == '\'' || s[k - 1] == '"' || s[k - 1] == '`') {
          const std::size_t close = s.find(s[k - 1], k);
          std::size_t plus = close == std::string_view::npos ? s.size() : close + 1;
          while (plus < s.size() && is_space(s[plus])) ++plus;
          if (plus < s.size() && s[plus] == '+') keep(best, i, plus + 1 - i + 8, 80, "member name built from strings");
        }
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
  text::EitherFinder openers(s, '(', '`');
  for (std::size_t at = openers.next(0); at != std::string_view::npos; at = openers.next(at + 1)) {
    std::size_t end = at;
    while (end > 0 && is_space(s[end - 1])) --end;
    std::size_t begin = end;
    while (begin > 0 && text::is_word(s[begin - 1])) --begin;
    if (begin < end && in(kSinks, s.substr(begin, end - begin))) return true;
  }
  return false;
}

// "eval(expr) is considered harmful": a call whose closing parenthesis is followed by a word is a
// function named in a sentence; injected calls end the value or go on with an operator or ';'.
bool prose_call(std::string_view s, std::size_t open) noexcept {
  if (s[open] != '(') return false;
  int depth = 0;
  const std::size_t limit = std::min(s.size(), open + 256);
  for (std::size_t i = open; i < limit; ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] != ')' || --depth > 0) continue;
    std::size_t k = i + 1;
    if (k < s.size() && (s[k] == '`' || s[k] == '"' || s[k] == '\'')) ++k;  // "`eval()` on input"
    const std::size_t words = k;
    while (k < s.size() && s[k] == ' ') ++k;
    return k < s.size() && text::is_word(s[k]) && k > words;
  }
  return false;
}

// "setTimeout(() => fn(...args), ms)", "setInterval(function () {...})": a timer handed a function
// expression runs code the page already has (a debounce, a poll); an injected timer is handed a
// string or a name ("setTimeout(name)" runs window.name), and a sink in an arrow's body counts on its own.
bool timer_takes_function(std::string_view s, std::size_t open) noexcept {
  std::size_t k = open + 1;
  while (k < s.size() && is_space(s[k])) ++k;
  std::size_t e = k;
  while (e < s.size() && (text::is_word(s[e]) || s[e] == '$')) ++e;
  const std::string_view name = s.substr(k, e - k);
  if (name == "function" || name == "async") return true;
  std::size_t a = e;
  if (name.empty() && k < s.size() && s[k] == '(') {  // "(a, b) =>"
    a = s.find(')', k);
    if (a == std::string_view::npos) return false;
    ++a;
  }
  while (a < s.size() && is_space(s[a])) ++a;
  return s.compare(a, 2, "=>") == 0;
}

// A script call after leaving a string or an attribute: `';alert(1)//`, `"-confirm``-"`.
void scan_sinks(std::string_view s, Hit& best) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_alpha(s[i]) || (i > 0 && (text::is_word(s[i - 1]) || s[i - 1] == '.'))) continue;
    std::size_t end = i;
    while (end < s.size() && text::is_word(s[end])) ++end;
    const std::string_view word = s.substr(i, end - i);
    const char f = lower(word[0]);
    if ((f == 'a' || f == 'b' || f == 'p' || f == 'c' || f == 'e' || f == 's' || f == 'm') && in(kSinks, word)) {
      std::size_t k = end;
      while (k < s.size() && is_space(s[k])) ++k;
      const bool timer = iequals(word, "settimeout") || iequals(word, "setinterval");
      if (k < s.size() && (s[k] == '(' || s[k] == '`') && !prose_call(s, k) &&
          !(timer && s[k] == '(' && timer_takes_function(s, k))) {
        std::size_t b = i;
        while (b > 0 && is_space(s[b - 1])) --b;
        if (b == 0 || breaks_context(s[b - 1])) keep(best, b == 0 ? 0 : b - 1, k + 1 - (b == 0 ? 0 : b - 1) + 8, 75, "script call after a context break");
      }
    }
    i = end;
  }
}

// Spellings a browser accepts that the decoding chain leaves alone: "&tab;" and "&newline;" in
// any case inside a scheme ("ja&tab;vascript:"). Returns false (and leaves `out` alone) when the
// value has none, which is almost always.
bool fold_entities(std::string_view s, std::string& out) {
  if (s.find('&') == std::string_view::npos) return false;
  if (text::ifind_rare(s, "&tab;") == std::string_view::npos && text::ifind_rare(s, "&newline;") == std::string_view::npos) return false;
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&' && text::istarts_with(s.substr(i), "&tab;")) {
      i += 4;
    } else if (s[i] == '&' && text::istarts_with(s.substr(i), "&newline;")) {
      i += 8;
    } else {
      out.push_back(s[i]);
    }
  }
  return true;
}

// Attributes that run or load script whatever the tag, injected after breaking out of a quoted
// attribute value ("' formaction=javascript:...", "\" srcdoc=..."); handlers are scan_handlers'.
constexpr std::string_view kScriptAttributes[] = {"formaction", "srcdoc"};

// Smaller grammars: UTF-7 tags, data: URLs as the value, tagged-template calls, handler names in
// argument names, script attributes after a quote.
void scan_extras(std::string_view s, LocationKind kind, Hit& best) noexcept {
  constexpr auto npos = std::string_view::npos;
  // UTF-7 "+ADw-script+AD4-": '<' encoded for a page served (or sniffed) as UTF-7.
  for (std::size_t at = s.find("ADw-"); at != npos; at = s.find("ADw-", at + 4)) {
    if (at > 0 && (s[at - 1] == '+' || s[at - 1] == ' ') && at + 4 < s.size() && (is_alpha(s[at + 4]) || s[at + 4] == '/'))
      keep(best, at - 1, 24, 85, "UTF-7 encoded tag");
  }
  // "data:text/html,..." as the whole value: a link field that becomes a document.
  std::size_t lead = 0;
  while (lead < s.size() && (is_space(s[lead]) || s[lead] == '"' || s[lead] == '\'')) ++lead;
  if (text::istarts_with(s.substr(lead), "data:") && script_url(s.substr(lead)) &&
      !text::istarts_with(s.substr(lead + 5), "image/svg"))
    keep(best, lead, 32, 80, "script data: URL");
  // "Reflect.sort.call``", "x.apply`...`": a tagged template call, syntax only JavaScript has.
  for (std::size_t at = s.find('`'); at != npos; at = s.find('`', at + 1)) {
    std::size_t b = at;
    while (b > 0 && is_space(s[b - 1])) --b;
    std::size_t w = b;
    while (w > 0 && text::is_word(s[w - 1])) --w;
    if (w == 0 || s[w - 1] != '.') continue;
    const std::string_view member = s.substr(w, b - w);
    if (iequals(member, "call") || iequals(member, "apply") || iequals(member, "bind"))
      keep(best, w - 1, at + 1 - (w - 1) + 16, 80, "tagged template call");
  }
  // A quote that ends an attribute value, then a script attribute: "'formaction=", "\" srcdoc =".
  // (The quote walk only runs when one of the names occurs at all.)
  const bool script_attribute = text::ifind_rare(s, "formaction") != npos || text::ifind_rare(s, "srcdoc") != npos;
  for (std::size_t q = script_attribute ? text::find_any(s, "\"'") : npos; q != npos; q = text::find_any(s, "\"'", q + 1)) {
    std::size_t a = q + 1;
    while (a < s.size() && (is_space(s[a]) || s[a] == '/')) ++a;
    std::size_t e = a;
    while (e < s.size() && (is_alpha(s[e]) || s[e] == ':')) ++e;
    std::size_t eq = e;
    while (eq < s.size() && is_space(s[eq])) ++eq;
    if (e > a && eq < s.size() && s[eq] == '=' && in(kScriptAttributes, s.substr(a, e - a)))
      keep(best, q, eq + 1 - q + 16, 80, "script attribute after a quote");
  }
  // An argument name is never markup: "  onmouseover= " there is a handler whatever its name.
  if (kind == LocationKind::query_name) {
    for (std::size_t at = text::ifind_rare(s, "on"); at != npos; at = text::ifind_rare(s, "on", at + 2)) {
      if (at == 0 || !(is_space(s[at - 1]) || s[at - 1] == '/')) continue;
      std::size_t end = at + 2;
      while (end < s.size() && is_alpha(s[end])) ++end;
      while (end < s.size() && is_space(s[end])) ++end;
      // (The longest handler name, "onwebkitplaybacktargetavailabilitychanged", has 41 letters.)
      if (end > at + 4 && end - at <= 48 && end < s.size() && s[end] == '=')
        keep(best, at, end + 1 - at, 80, "event handler in an argument name");
    }
  }
}

// The first bytes of the spellings of '<' that tag_open_len() knows, as a table: one lookup per
// byte of the value instead of four compares.
constexpr std::array<bool, 256> kTagOpeners = [] {
  std::array<bool, 256> table{};
  for (const char c : std::string_view("<\xEF\xBC\xC2")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// Every grammar the detector knows, over one view of the value.
Hit analyse(std::string_view s, LocationKind kind) noexcept {
  Hit best;
  for (std::size_t i = 0; i < s.size();) {
    // Eight bytes per test over the text between openers, most of a long value: no byte of a
    // word is an opener when none is '<' and none is non-ASCII (the other openers' lead bytes).
    constexpr std::uint64_t kOnes = 0x0101010101010101U;
    constexpr std::uint64_t kHigh = 0x8080808080808080U;
    for (std::uint64_t word = 0; i + 8 < s.size(); i += 8) {
      std::memcpy(&word, s.data() + i, sizeof word);
      const std::uint64_t lt = word ^ (kOnes * static_cast<std::uint64_t>('<'));  // a zero byte where a '<' was
      if (((((lt - kOnes) & ~lt) | word) & kHigh) != 0) break;
    }
    const std::size_t open = kTagOpeners[static_cast<unsigned char>(s[i])] ? tag_open_len(s, i) : 0;
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
  const bool has_member = dom_member_follows(s) || (has('[') && has('+'));
  // Script URLs in the value itself (a link field) or after an attribute break.
  for (std::size_t at = has_colon ? text::ifind_rare(s, "script") : std::string_view::npos; at != std::string_view::npos;
       at = text::ifind_rare(s, "script", at + 6)) {
    std::size_t b = at;
    while (b > 0 && (is_alpha(s[b - 1]) || is_space(s[b - 1]) || static_cast<unsigned char>(s[b - 1]) < 0x20))
      --b;
    if (b != 0 && !breaks_context(s[b - 1])) continue;
    if (!script_url(s.substr(b)) || noop_script_url(s.substr(b))) continue;
    const std::size_t colon = s.find(':', at);
    std::size_t k = colon + 1;
    while (k < s.size() && is_space(s[k])) ++k;
    // "JavaScript: The Good Parts" is a book title, not a URL.
    if (k < s.size() && (is_alpha(s[k]) && k > colon + 1)) continue;
    if (k >= s.size() && b != 0) continue;
    keep(best, b, k - b + 16, 85, "script URL");
  }
  if (has_equals) scan_handlers(s, best);
  // A block of several lines is pasted code or prose, where calls and DOM members are the
  // subject; injected script in such a value still needs a tag, a handler or a script URL.
  const std::size_t first_line_end = s.find('\n');
  const bool block =
      first_line_end != std::string_view::npos && s.find('\n', first_line_end + 1) != std::string_view::npos;
  if (has_call && !block) scan_sinks(s, best);
  // A path names documentation pages ("/docs/document.cookie"); script there needs a quote or a call.
  if (has_member && !block && (kind != LocationKind::path || text::find_any(s, "\"'(") != std::string_view::npos))
    scan_dom(s, best);
  // CSS that runs script: "-moz-binding:url(...)", "x:expression(...)", "url(javascript:...)".
  if (s.find('(') != std::string_view::npos || s.find("-moz") != std::string_view::npos) {
    for (auto css : {"-moz-binding", "behavior:url(", ":expression("}) {
      const std::size_t at = text::ifind_rare(s, css);
      if (at != std::string_view::npos) keep(best, at, 48, 80, "script in CSS");
    }
    // "url(javascript:...)", "url( '\x01vbscript:...')", "URL(JAVASCRIPT" cut short.
    for (std::size_t at = text::ifind_rare(s, "url("); at != std::string_view::npos; at = text::ifind_rare(s, "url(", at + 4)) {
      std::size_t k = at + 4;
      while (k < s.size() && (is_space(s[k]) || s[k] == '"' || s[k] == '\'' || static_cast<unsigned char>(s[k]) < 0x20)) ++k;
      const std::string_view rest = s.substr(k);
      if (script_url(rest) || text::istarts_with(rest, "javascript") || text::istarts_with(rest, "vbscript"))
        keep(best, at, 48, 80, "script in CSS");
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
  // Short ones ("+!![]") need the '!' that turns an array into a boolean.
  const bool only_jsfuck = s.size() >= 4 && s.find_first_not_of("[]()!+ ") == std::string_view::npos &&
                           s.find("[]") != std::string_view::npos &&
                           (s.size() >= 12 || s.find('!') != std::string_view::npos);
  if (jsfuck >= 4 || only_jsfuck) keep(best, 0, 32, 85, "jsfuck");
  scan_extras(s, kind, best);
  return best;
}

class XssDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::xss; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    Hit best = analyse(s, value.kind);
    std::string folded;
    if (best.score == 0 && fold_entities(s, folded)) {
      best = analyse(folded, value.kind);
      if (best.score > 0) {
        text::report(out, AttackClass::xss, value, folded, best.pos, best.len, best.score, best.rule);
        return;
      }
    }
    if (best.score == 0) return;
    text::report(out, AttackClass::xss, value, s, best.pos, best.len, best.score, best.rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_xss() { return std::make_unique<XssDetector>(); }

}  // namespace waf::engine
