#include "engine/detect/ssti.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::ifind;
using text::is_digit;
using text::is_space;

// Names whose attribute walk leads from a template to the interpreter.
constexpr std::string_view kGadgets[] = {
    "__class__", "__globals__", "__builtins__", "__subclasses__", "__mro__", "__base__", "__init__",
    "__import__", "__getattribute__", "getclass", "forname", "getruntime", "java.lang", "runtime",
    "processbuilder", "freemarker.template", "config.items", "request.application", "self._", "lipsum",
    "cycler", "joiner", "namespace", "popen", "os.system", "subprocess", "eval(", "exec(", "system(",
    "constructor", "child_process", "mainmodule", "require(", "getenv", "invoke", "newinstance",
    "objectconstructor", "scriptengine", ".exec(", "spawn(", "iframe", "%x(", "`"};
// What a search needs a value to hold, folded from a byte set into two words that one subset test
// reads: needles and values fold the same way, so the test compares like with like.
struct NeedleBits {
  std::uint64_t low = 0;   // bytes 32-63 (blank, digits, punctuation) in bits 0-31, letters a-z in either case in 32-57
  std::uint64_t high = 0;  // the other bytes 64-127: '@', "[\\]^_`" and "{|}~" (bytes of ByteSet's word 1)
  constexpr bool holds(const NeedleBits& need) const noexcept {
    return ((need.low & ~low) | (need.high & ~high)) == 0;
  }
};
constexpr NeedleBits fold(const ByteSet& bytes) noexcept {
  constexpr std::uint64_t kLetters = (std::uint64_t{1} << 26) - 1;
  // 'A'-'Z' are bits 1-26 of word 1, 'a'-'z' bits 33-58.
  const std::uint64_t letters = ((bytes.word(1) >> 1) | (bytes.word(1) >> 33)) & kLetters;
  return {(bytes.word(0) >> 32) | (letters << 32), bytes.word(1) & ~((kLetters << 1) | (kLetters << 33))};
}

// A search string with the bits it needs, worked out at compile time.
struct Needle {
  // Implicit, so that call sites and tables read as plain strings.
  consteval Needle(const char* needle) noexcept : text(needle), bits(fold(ByteSet(text))) {}  // NOLINT: implicit by design
  std::string_view text;
  NeedleBits bits;
};

// The value with the needle bits of its bytes (Value::bytes, which the engine has already built):
// a search for a needle that needs a letter or a punctuation byte the value lacks is skipped,
// which spares most of the searches a value would run.
class Haystack {
 public:
  Haystack(std::string_view s, const ByteSet& bytes) noexcept : s_(s), bits_(fold(bytes)) {}
  bool may_hold(const Needle& n) const noexcept { return bits_.holds(n.bits); }
  // text::ifind() and std::string_view::find(), npos for what the value cannot hold.
  std::size_t ifind(const Needle& n) const noexcept {
    return may_hold(n) ? text::ifind(s_, n.text) : std::string_view::npos;
  }
  std::size_t find(const Needle& n) const noexcept { return may_hold(n) ? s_.find(n.text) : std::string_view::npos; }

 private:
  std::string_view s_;
  NeedleBits bits_;
};

// Server-side code gadgets that are attacks wherever they appear, grouped under a cheap anchor
// that must occur first (one case-insensitive pass per anchor instead of one per gadget).
struct GadgetGroup {
  Needle anchor;
  std::initializer_list<Needle> gadgets;
};
const GadgetGroup kCodeGadgets[] = {
    {"process", {"child_process", "process.mainmodule", "process.binding", "global.process"}},
    {"__", {"__import__('os')", "__import__(\"os\")", "__globals__", "__subclasses__()", "__builtins__"}},
    {"_$$", {"_$$nd_func$$_"}},
    // "$1:constructor:constructor": React Flight references walking to Function (CVE-2025-55182).
    {"constructor", {"constructor.constructor", ":constructor:constructor", "[\"constructor\"][\"constructor\"]"}},
    {"java", {"freemarker.template.utility.execute", "java.lang.runtime", "new java.lang.processbuilder"}},
    {"getruntime", {"getruntime().exec"}},  // from 'g': prose has three times as many 'r's
    {"_internal_", {"smarty_internal_"}},  // an anchor led by "_", rare in text, where "s" is everywhere
};

// "{{config}}", "{{ self }}", "{{ settings.SECRET_KEY }}": the framework's own objects, which hold
// secrets and lead to the interpreter; a template's data has the application's names.
bool framework_object(std::string_view body) noexcept {
  std::size_t i = 0;
  while (i < body.size() && is_space(body[i])) ++i;
  std::size_t end = i;
  while (end < body.size() && (text::is_word(body[end]))) ++end;
  const std::string_view name = body.substr(i, end - i);
  // (JSP EL's implicit objects: "${pageContext.request}", "${applicationScope}".)
  static constexpr std::string_view kObjects[] = {"config",      "self",           "_self",        "settings",
                                                  "request",     "app",            "pagecontext",  "applicationscope",
                                                  "sessionscope", "requestscope"};
  bool known = false;
  for (auto o : kObjects) known = known || text::iequals(name, o);
  if (!known) return false;
  while (end < body.size() && is_space(body[end])) ++end;
  return end == body.size() || body[end] == '.' || body[end] == '[';
}

bool has_expression(std::string_view body) noexcept {
  if (framework_object(body)) return true;
  // Arithmetic between numbers ("7*7", "7 * '7'"), a call, an index, a filter or a gadget.
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if ((c == '*' || c == '+' || c == '-' || c == '/' || c == '%') && i > 0) {
      std::size_t l = i, r = i + 1;
      while (l > 0 && is_space(body[l - 1])) --l;
      while (r < body.size() && (is_space(body[r]) || body[r] == '\'' || body[r] == '"')) ++r;
      if (l > 0 && (is_digit(body[l - 1]) || body[l - 1] == '\'' || body[l - 1] == '"') && r < body.size() &&
          is_digit(body[r]))
        return true;
    }
    if (c == '(' || c == '[') return true;
    // Filters format ("| upper", "| date"); the ones taking a callable or an attribute name reach code.
    if (c == '|') {
      std::size_t f = i + 1;
      while (f < body.size() && is_space(body[f])) ++f;
      for (auto filter : {"attr", "filter", "map", "reduce", "sort", "join", "system", "exec", "passthru"}) {
        if (text::istarts_with(body.substr(f), filter)) return true;
      }
    }
  }
  for (auto g : kGadgets) {
    if (ifind(body, g) != std::string_view::npos) return true;
  }
  return false;
}

// Server-side JavaScript as the whole value: an eval()'d argument starts with code that names the
// runtime ("process.env", "require('child_process')", "this.constructor.constructor") where data
// would start with a word.
// (A bare "function(" opens every pasted snippet, so only "new Function" counts.)
constexpr Needle kJsOpeners[] = {"process.", "process[", "require(", "require[", "console.", "console[",
                                 "module.exports", "this.constructor", "new function", "global.process",
                                 "globalthis."};

// "console.log(x) prints undefined", "process.env vars in docker": a search or a sentence about
// the API, where an eval()'d argument is code to its end ("console.info(1)", "process.exit()").
bool prose_after_call(std::string_view code, std::size_t opener) noexcept {
  std::size_t i = opener;
  while (i < code.size() && (text::is_word(code[i]) || code[i] == '.' || code[i] == '[' || code[i] == ']' ||
                             code[i] == '\'' || code[i] == '"'))
    ++i;
  std::size_t close = i;
  if (i < code.size() && code[i] == '(') {
    int depth = 0;
    for (; close < code.size(); ++close) {
      if (code[close] == '(') ++depth;
      if (code[close] == ')' && --depth == 0) break;
    }
    if (close >= code.size()) return false;
    ++close;
  }
  std::size_t k = close;
  while (k < code.size() && code[k] == ' ') ++k;
  return k > close && k < code.size() && text::is_word(code[k]);
}

// Whether a constant JavaScript condition ("!!{}", "(true)", "!0", "''") is truthy: leading '!'s
// flip the literal's own truthiness; anything unrecognised counts as truthy. A double negation
// ("!!''") only probes how the parser takes a literal, which no condition in real code does.
bool truthy(std::string_view cond) noexcept {
  std::array<char, 16> buf{};
  std::size_t n = 0;
  int bangs = 0;
  for (const char c : cond) {
    if (is_space(c) || c == '(' || c == ')') continue;
    if (c == '!' && n == 0) {
      ++bangs;
    } else if (n < buf.size()) {
      buf[n++] = text::lower(c);
    }
  }
  const std::string_view literal(buf.data(), n);
  static constexpr std::string_view kFalsy[] = {"false", "null", "undefined", "nan", "0", "-0", "+0", "\"\"", "''", "``"};
  bool value = true;
  for (auto f : kFalsy) value = value && literal != f;
  return bangs >= 2 || value != (bangs % 2 == 1);
}

// "while(true)", "while(!0);", "while(!!{})": an infinite loop whose condition is a constant,
// the denial of service an eval()'d argument is probed with. A real condition names a variable.
bool constant_loop(std::string_view s) noexcept {
  if (!text::istarts_with(s, "while")) return false;
  std::size_t i = 5;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size() || s[i] != '(') return false;
  static constexpr std::string_view kConstants[] = {"true", "false", "null", "undefined", "nan", "infinity",
                                                    "this", "string", "new", "date"};
  const std::size_t open = i;
  int depth = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return truthy(s.substr(open, i + 1 - open));
    } else if (text::is_word(c) && !is_digit(c)) {
      std::size_t end = i;
      while (end < s.size() && text::is_word(s[end])) ++end;
      bool constant = false;
      for (auto k : kConstants) constant = constant || text::iequals(s.substr(i, end - i), k);
      if (!constant) return false;
      i = end - 1;
    } else if (std::string_view("!+-{}[]\"'` ").find(c) == std::string_view::npos && !is_digit(c)) {
      return false;
    }
  }
  return false;
}

struct Hit {
  std::size_t at = 0;
  int score = 0;
  std::string_view rule;
};

// Finds `open ... close` regions and judges their content.
void scan_delimited(std::string_view s, std::string_view open, std::string_view close, int score, Hit& best) noexcept {
  std::size_t end = 0;
  bool have_end = false;
  std::size_t ticks = 0, ticked = 0;
  for (std::size_t at = s.find(open); at != std::string_view::npos; at = s.find(open, at + 1)) {
    const std::size_t body_start = at + open.size();
    // One forward search per closing delimiter keeps "{{{{{{..." linear.
    if (!have_end || end < body_start) {
      end = s.find(close, body_start);
      have_end = true;
    }
    if (end == std::string_view::npos) return;
    const std::string_view body = s.substr(body_start, (end == std::string_view::npos ? s.size() : end) - body_start);
    if (body.empty() || body.size() > 2048) continue;
    // "<%d.%d>" and "%s" are printf formats, not ERB/ASP code.
    if (open.front() == '<' && body.find('%') != std::string_view::npos) continue;
    // "`Total: ${total.toFixed(2)}`" is a JavaScript template literal in pasted code (the
    // backticks before it are counted once, as the search moves on).
    if (open == "${") {
      ticks += static_cast<std::size_t>(std::count(s.begin() + static_cast<std::ptrdiff_t>(ticked),
                                                   s.begin() + static_cast<std::ptrdiff_t>(at), '`'));
      ticked = at;
      if (ticks % 2 == 1) continue;
    }
    // "${jndi:..." belongs to the jndi detector; "${IFS}"/"${HOME}" are shell variables.
    if (open == "${" && (text::istarts_with(body, "jndi") || text::istarts_with(body, "::-") ||
                         body.find(':') != std::string_view::npos))
      continue;
    if (has_expression(body) && score > best.score) best = {at, score, "template expression"};
  }
}

class SstiDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::ssti; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    const Haystack h(s, text::bytes_of(value));
    Hit best;
    // The gates below test the byte set alone: each search they spare starts with a find of its own.
    if (h.may_hold("{")) {
      scan_delimited(s, "{{", "}}", 85, best);
      scan_delimited(s, "${", "}", 80, best);
      scan_delimited(s, "#{", "}", 80, best);
      scan_delimited(s, "*{", "}", 75, best);
      scan_delimited(s, "@{", "}", 75, best);
      scan_delimited(s, "~{", "}", 75, best);  // Thymeleaf fragment expressions
      if (const std::size_t at = h.ifind("{$smarty"); at != std::string_view::npos && 80 > best.score)
        best = {at, 80, "template statement"};
      const bool statements = h.find("{%") != std::string_view::npos || h.ifind("{php}") != std::string_view::npos ||
                              h.ifind("{system(") != std::string_view::npos || h.ifind("{exec(") != std::string_view::npos;
      // Control flow ("{% if %}", "{% for %}") is every template's bread and butter: its expressions
      // are judged like "{{ }}" instead.
      scan_delimited(s, "{%", "%}", 80, best);
      static constexpr Needle kStatements[] = {"{% import",  "{%import", "{% include", "{% debug", "{% load",
                                               "{% extends", "{php}",    "{system(",   "{exec("};
      for (const Needle& kw : kStatements) {
        if (!statements) break;
        const std::size_t at = h.ifind(kw);
        if (at != std::string_view::npos && 80 > best.score) best = {at, 80, "template statement"};
      }
    }
    // Razor: "@(7*7)".
    if (h.may_hold("@(")) scan_delimited(s, "@(", ")", 75, best);
    if (h.may_hold("<%")) {
      scan_delimited(s, "<%=", "%>", 85, best);
      scan_delimited(s, "<%", "%>", 75, best);
    }
    if (h.may_hold("#") || h.may_hold("?new")) {
      // Handlebars' "{{#with "s" as |string|}}" opens the known sandbox escape: no template hands
      // a literal string to #with.
      static constexpr Needle kDirectives[] = {"<#assign",  "<#import", "?new()",   "<#include",   "#set(",
                                               "#foreach(", "[#assign", "[#import", "{{#with \"", "{{#with '"};
      for (const Needle& kw : kDirectives) {
        const std::size_t at = h.ifind(kw);
        if (at != std::string_view::npos && 85 > best.score) best = {at, 85, "template directive"};
      }
    }
    for (const auto& group : kCodeGadgets) {
      if (h.ifind(group.anchor) == std::string_view::npos) continue;
      for (const Needle& g : group.gadgets) {
        const std::size_t at = h.ifind(g);
        if (at != std::string_view::npos && 90 > best.score) best = {at, 90, "server-side code gadget"};
      }
    }
    std::string_view code = s;
    while (!code.empty() && is_space(code.front())) code.remove_prefix(1);
    if (best.score < 75) {
      for (const Needle& opener : kJsOpeners) {
        if (h.may_hold(opener) && text::istarts_with(code, opener.text) && !prose_after_call(code, opener.text.size()))
          best = {s.size() - code.size(), 75, "server-side JavaScript"};
      }
      if (constant_loop(code)) best = {s.size() - code.size(), 75, "constant infinite loop"};
    }
    // Prototype pollution through argument names or JSON keys: "__proto__[x]", "constructor[prototype]".
    // ("prototype" first: prose has fewer 'p's than 'c's.)
    if (h.ifind("__proto__") != std::string_view::npos ||
        (h.ifind("prototype") != std::string_view::npos && h.ifind("constructor") != std::string_view::npos)) {
      const bool name = value.kind == LocationKind::query_name || value.kind == LocationKind::json_key ||
                        value.kind == LocationKind::cookie || value.kind == LocationKind::query_value ||
                        value.kind == LocationKind::json_value;
      const std::size_t at = h.ifind("__proto__");
      // JSON text carried in any other field (an XML attribute, a form value) that names it as a
      // key: the server parses it into an object all the same.
      bool json_key = false;
      if (at != std::string_view::npos && at > 0 && s[at - 1] == '"' && s.compare(at + 9, 1, "\"") == 0) {
        std::size_t k = at + 10;
        while (k < s.size() && is_space(s[k])) ++k;
        json_key = k < s.size() && s[k] == ':';
      }
      if ((name || json_key) && 85 > best.score) best = {at == std::string_view::npos ? 0 : at, 85, "prototype pollution"};
    }
    if (best.score == 0) return;
    text::report(out, AttackClass::ssti, value, s, best.at, 64, best.score, best.rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_ssti() { return std::make_unique<SstiDetector>(); }

}  // namespace waf::engine
