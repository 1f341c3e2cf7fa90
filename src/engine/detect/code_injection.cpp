#include "engine/detect/code_injection.hpp"

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::iequals;
using text::ifind;
using text::is_alpha;
using text::is_digit;
using text::is_space;
using text::is_word;
using text::istarts_with;

struct Hit {
  std::size_t pos = 0;
  std::size_t len = 0;
  int score = 0;
  std::string_view rule;
};

void keep(Hit& best, std::size_t pos, std::size_t len, int score, std::string_view rule) noexcept {
  if (score > best.score) best = Hit{pos, len, score, rule};
}

std::size_t skip_space(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// Apache/nginx SSI: "<!--#" then a directive and a blank or the comment's end.
constexpr std::string_view kSsiDirectives[] = {"exec", "include", "echo", "config", "set", "printenv",
                                               "fsize", "flastmod", "if", "elif"};

void scan_ssi(std::string_view s, Hit& best) noexcept {
  for (std::size_t at = s.find("<!--#"); at != std::string_view::npos; at = s.find("<!--#", at + 5)) {
    const std::size_t name = at + 5;
    std::size_t end = name;
    while (end < s.size() && is_alpha(s[end])) ++end;
    const std::string_view directive = s.substr(name, end - name);
    const bool ends = end >= s.size() || is_space(s[end]) || s.compare(end, 3, "-->") == 0;
    for (const std::string_view d : kSsiDirectives) {
      if (ends && iequals(directive, d)) keep(best, at, end - at, 90, "server-side include directive");
    }
  }
}

// PHP functions that run commands, evaluate code or reach files: called with a string, a
// variable or a nested call as their argument ("system('id')", "assert($_POST[x])",
// "eval(base64_decode(...))"); "the system (v2)" in prose has a blank and no such argument.
constexpr std::string_view kPhpSinks[] = {
    "system",        "passthru",     "shell_exec",       "exec",           "popen",     "proc_open",
    "pcntl_exec",    "assert",       "eval",             "create_function", "call_user_func",
    "call_user_func_array", "preg_replace", "file_get_contents", "file_put_contents", "fopen",
    "readfile",      "fsockopen",    "base64_decode",    "gzinflate",      "str_rot13", "include",
    "require",       "include_once", "require_once",     "highlight_file", "show_source", "unserialize"};
// Called without arguments they only report: still only a probe's business.
constexpr std::string_view kPhpProbes[] = {"phpinfo", "getcwd", "php_uname", "phpversion", "get_current_user"};

bool php_argument(std::string_view s, std::size_t i) noexcept {
  i = skip_space(s, i);
  if (i >= s.size()) return false;
  if (s[i] == '"' || s[i] == '\'' || s[i] == '`' || s[i] == '$') return true;
  // A nested call: "eval(gzinflate(" / "system(chr(105).chr(100))".
  std::size_t end = i;
  while (end < s.size() && is_word(s[end])) ++end;
  return end > i && is_alpha(s[i]) && end < s.size() && s[end] == '(';
}

// "<?php", "<? php", "<?=" and the short tag "<? " open PHP code when code follows (a call, a
// variable, a statement end, a string or a backtick); "<?xml" does not. Forum and CMS markup
// spells the tags "[php]" and "{php}".
void scan_php_tags(std::string_view s, Hit& best) noexcept {
  for (std::size_t at = s.find("<?"); at != std::string_view::npos; at = s.find("<?", at + 2)) {
    std::string_view rest = s.substr(at + 2);
    if (rest.starts_with("=") && rest.size() > 1) {
      keep(best, at, rest.size() + 2, 90, "PHP echo tag");
      continue;
    }
    const std::size_t word = skip_space(rest, 0);
    // "<?xml :echo 1;": with short_open_tag PHP reads "<?" and runs the rest.
    if (istarts_with(rest, "xml") && skip_space(rest, 3) < rest.size() && rest[skip_space(rest, 3)] == ':') {
      keep(best, at, rest.size() + 2, 90, "XML/PHP polyglot");
      continue;
    }
    if (istarts_with(rest.substr(word), "php")) {
      rest.remove_prefix(word + 3);
    } else if (word == 0) {
      continue;
    } else if (const std::string_view next = rest.substr(word);
               istarts_with(next, "echo") || istarts_with(next, "print") || next.starts_with("$")) {
      keep(best, at, rest.size() + 2, 85, "PHP short tag");  // "<?  echo x"
      continue;
    }
    if (!rest.empty() && !is_space(rest.front())) continue;
    if (rest.find_first_of("($;`\"'") != std::string_view::npos) keep(best, at, rest.size() + 2, 90, "PHP code");
  }
  for (const std::string_view tag : {std::string_view("[php]"), std::string_view("{php}"), std::string_view("[/php]"),
                                     std::string_view("[\\php]"), std::string_view("{/php}")}) {
    if (const auto at = ifind(s, tag); at != std::string_view::npos) keep(best, at, tag.size(), 85, "PHP code tag");
  }
}

// A variable called as a function ("$f('id')", "${'a'}(1)", "$d['o'](9)"): PHP's dynamic call.
// jQuery's "$(...)" and "$.ajax(" have no variable name.
void scan_php_dynamic_call(std::string_view s, Hit& best) noexcept {
  for (std::size_t at = s.find('$'); at != std::string_view::npos; at = s.find('$', at + 1)) {
    std::size_t i = at + 1;
    if (i < s.size() && s[i] == '{') {
      const std::size_t close = s.find('}', i);
      if (close == std::string_view::npos || close == i + 1) continue;  // "${}()" names nothing
      i = close + 1;
    } else {
      const std::size_t name = i;
      while (i < s.size() && (is_word(s[i]))) ++i;
      if (i == name || is_digit(s[name])) continue;
    }
    bool empty_index = false;
    while (i < s.size() && s[i] == '[') {
      const std::size_t close = s.find(']', i);
      if (close == std::string_view::npos) break;
      empty_index = empty_index || close == i + 1;  // "$a[]()" appends, it does not call
      i = close + 1;
    }
    i = skip_space(s, i);
    if (!empty_index && i < s.size() && s[i] == '(' && s.find(')', i) != std::string_view::npos)
      keep(best, at, i + 1 - at, 80, "PHP variable function call");
  }
}

// PHP source uploaded as a file ("shell.php", "x.phtml", "a.php5...."): the web shell upload.
bool php_file_name(std::string_view name) noexcept {
  while (!name.empty() && (name.back() == '.' || is_space(name.back()))) name.remove_suffix(1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view ext = name.substr(dot + 1);
  if (!istarts_with(ext, "ph")) return false;
  ext.remove_prefix(2);
  if (istarts_with(ext, "p")) {
    ext.remove_prefix(1);
    while (!ext.empty() && is_digit(ext.front())) ext.remove_prefix(1);
    return ext.empty() || iequals(ext, "t") || iequals(ext, "s");
  }
  return iequals(ext, "tml") || iequals(ext, "ar") || iequals(ext, "t") || iequals(ext, "ps");
}

// Multipart file names, and the headers upload widgets send them in.
bool uploaded_file_name(const Value& value) noexcept {
  if (value.kind == LocationKind::multipart_filename) return true;
  return value.kind == LocationKind::header &&
         (iequals(value.location, "header.x-filename") || iequals(value.location, "header.x_filename") ||
          iequals(value.location, "header.x.filename") || iequals(value.location, "header.x-file-name"));
}

void scan_php(std::string_view s, Hit& best) noexcept {
  scan_php_tags(s, best);
  scan_php_dynamic_call(s, best);
  // Superglobals indexed: a request value handed to code ("$_GET[cmd]", "$_REQUEST['x']").
  for (std::size_t at = s.find("$_"); at != std::string_view::npos; at = s.find("$_", at + 2)) {
    std::size_t end = at + 2;
    while (end < s.size() && is_alpha(s[end])) ++end;
    const std::string_view name = s.substr(at + 2, end - at - 2);
    const bool global = name == "GET" || name == "POST" || name == "REQUEST" || name == "COOKIE" ||
                        name == "SERVER" || name == "FILES" || name == "ENV" || name == "SESSION";
    if (global && end < s.size() && (s[end] == '[' || s[end] == '{')) keep(best, at, end + 1 - at, 80, "PHP superglobal");
  }
  for (std::size_t paren = s.find('('); paren != std::string_view::npos; paren = s.find('(', paren + 1)) {
    std::size_t b = paren;
    while (b > 0 && is_space(s[b - 1]) && paren - b < 2) --b;  // "system (" at most one blank
    const std::size_t name_end = b;
    while (b > 0 && is_word(s[b - 1])) --b;
    if (b == name_end || (b > 0 && (s[b - 1] == '.' || s[b - 1] == '$'))) continue;  // "obj.exec(", "$exec("
    const std::string_view name = s.substr(b, name_end - b);
    for (const std::string_view f : kPhpSinks) {
      if (iequals(name, f) && php_argument(s, paren + 1)) keep(best, b, paren + 1 - b, 85, "PHP code execution call");
    }
    for (const std::string_view f : kPhpProbes) {
      if (iequals(name, f) && skip_space(s, paren + 1) < s.size() && s[skip_space(s, paren + 1)] == ')')
        keep(best, b, paren + 2 - b, 85, "PHP probe call");
    }
  }
}

// OGNL (Struts) and Java reflection: what expressions that reach the JVM are written with.
constexpr std::string_view kJvmMarkers[] = {"_memberaccess", "#context[", "getruntime().exec"};

// Dotted names (found where a dotted name starts, so a value costs one pass over its dots) that
// expressions call into (90), and the classes deserialization gadgets, OGNL and expression
// languages reach for (75): named in a request value they are a payload's building blocks (a type
// hint "@type": "java.net.URL", a gadget chain). A stack trace pasted into a support form names
// some of them too, so a value that reads as one ("Exception", "\tat ") does not count the 75s.
struct JvmName {
  std::string_view prefix;  // lower case
  int score;
};
constexpr JvmName kJvmNames[] = {
    {"java.lang.runtime", 90}, {"java.lang.processbuilder", 90}, {"javax.script.scriptengine", 90},
    {"xwork.methodaccessor", 90}, {"ognl.", 90}, {"ognlcontext", 90},
    {"java.io.", 75}, {"java.lang.process", 75}, {"java.lang.reflect", 75}, {"java.lang.system", 75},
    {"java.lang.class", 75}, {"java.lang.object", 75}, {"java.net.", 75}, {"java.nio.file", 75},
    {"java.beans.xmldecode", 75}, {"javax.naming.", 75}, {"javax.script.", 75}, {"javax.xml.", 75},
    {"javassist.", 75}, {"com.opensymphony.xwork2", 75}, {"com.sun.org.apache", 75}, {"org.apache.commons.", 75},
    {"org.apache.struts", 75}, {"freemarker.template", 75}, {"freemarker.core", 75}, {"freemarker.ext.", 75},
    {"sun.reflect", 75}, {"org.dom4j.", 75}, {"org.jdom2.", 75}, {"org.omg.corba", 75}, {"org.xml.sax", 75}};
// Names the list above cannot see at a dot.
constexpr std::string_view kJvmWords[] = {"ognlutil", "propertyutilsbean", "declaredclass", "javassist"};

// Commons-Collections style gadget chains: a transformer or factory that ends in a process.
constexpr std::string_view kGadgets[] = {"clonetransformer", "forclosure", "instantiatefactory", "instantiatetransformer",
                                         "invokertransformer", "prototypeclonefactory", "prototypeserializationfactory",
                                         "whileclosure", "xmldecoder"};

void scan_gadget_chain(std::string_view s, Hit& best) noexcept {
  if (ifind(s, "processbuilder") == std::string_view::npos && ifind(s, "runtime") == std::string_view::npos) return;
  for (const std::string_view g : kGadgets) {
    if (const auto at = ifind(s, g); at != std::string_view::npos) keep(best, at, g.size(), 85, "deserialization gadget chain");
  }
}

bool stack_trace(std::string_view s) noexcept {
  return ifind(s, "exception") != std::string_view::npos || s.find("\tat ") != std::string_view::npos;
}

void scan_jvm_names(std::string_view s, Hit& best) noexcept {
  std::size_t name_end = 0;  // the dotted name already read
  bool trace_checked = false, trace = false;
  for (std::size_t dot = s.find('.'); dot != std::string_view::npos; dot = s.find('.', dot + 1)) {
    if (dot < name_end) continue;
    std::size_t start = dot;
    while (start > 0 && (is_word(s[start - 1]) || s[start - 1] == '.')) --start;
    name_end = dot;
    while (name_end < s.size() && (is_word(s[name_end]) || s[name_end] == '.')) ++name_end;
    if (start == dot || !is_alpha(s[start])) continue;
    const std::string_view name = s.substr(start, name_end - start);
    for (const JvmName& n : kJvmNames) {
      if (n.score <= best.score || !istarts_with(name, n.prefix)) continue;
      if (n.score < 90) {
        if (!trace_checked) trace = stack_trace(s), trace_checked = true;
        if (trace) continue;
      }
      keep(best, start, name.size(), n.score, n.score >= 90 ? "Java expression" : "Java class name");
    }
  }
}

void scan_jvm(std::string_view s, Hit& best) noexcept {
  for (const std::string_view m : kJvmMarkers) {
    if (s.find(m.front()) == std::string_view::npos) continue;
    if (const auto at = ifind(s, m); at != std::string_view::npos) keep(best, at, m.size(), 90, "Java expression");
  }
  scan_jvm_names(s, best);
  if (best.score < 75 && !stack_trace(s)) {
    for (const std::string_view w : kJvmWords) {
      const auto at = ifind(s, w);
      if (at != std::string_view::npos && (at == 0 || !is_word(s[at - 1]))) keep(best, at, w.size(), 75, "Java class name");
    }
  }
  // Spring4Shell and its predecessors walk class.module.classLoader / class.classLoader from a
  // bound parameter, written with dots or brackets ("class[module][classLoader]").
  for (std::size_t at = ifind(s, "class"); at != std::string_view::npos; at = ifind(s, "class", at + 5)) {
    if (at > 0 && (is_word(s[at - 1]))) continue;
    std::size_t i = at + 5;
    int steps = 0;
    while (i < s.size() && (s[i] == '.' || s[i] == '[') && steps < 3) {
      ++i;
      if (i < s.size() && (s[i] == '\'' || s[i] == '"')) ++i;  // class['classLoader']
      const std::size_t word = i;
      while (i < s.size() && is_word(s[i])) ++i;
      const std::string_view w = s.substr(word, i - word);
      if (i < s.size() && (s[i] == '\'' || s[i] == '"')) ++i;
      if (i < s.size() && s[i] == ']') ++i;
      if (iequals(w, "classloader")) {
        keep(best, at, i - at, 90, "class loader walk");
        break;
      }
      if (!iequals(w, "module")) break;
      ++steps;
    }
  }
  // JSP directives and actions: "<%@ page import=...%>", "<jsp:scriptlet>".
  if (const auto at = s.find("<%@"); at != std::string_view::npos) {
    const std::size_t name = skip_space(s, at + 3);
    if (istarts_with(s.substr(name), "page") || istarts_with(s.substr(name), "include") || istarts_with(s.substr(name), "taglib"))
      keep(best, at, name + 4 - at, 85, "JSP directive");
  }
  if (const auto at = ifind(s, "<jsp:"); at != std::string_view::npos) keep(best, at, 5, 80, "JSP action");
}

// Serialized objects a back end turns into instances: PHP's O:<len>:"<class>":<n>:{ and YAML tags
// naming language types.
void scan_serialized(std::string_view s, Hit& best) noexcept {
  for (std::size_t at = s.find(":\""); at != std::string_view::npos; at = s.find(":\"", at + 2)) {
    std::size_t b = at;
    while (b > 0 && is_digit(s[b - 1])) --b;
    if (b == at || b < 2 || s[b - 1] != ':' || (s[b - 2] != 'O' && s[b - 2] != 'C')) continue;
    if (b >= 3 && is_word(s[b - 3])) continue;
    std::size_t i = at + 2;
    while (i < s.size() && (is_word(s[i]) || s[i] == '\\')) ++i;
    if (i + 1 < s.size() && s[i] == '"' && s[i + 1] == ':') keep(best, b - 2, i + 2 - (b - 2), 85, "serialized PHP object");
  }
  constexpr std::string_view kYamlTags[] = {"!!python/", "!!javax.", "!!java.", "!!com.sun.", "!!ruby/object"};
  for (const std::string_view t : kYamlTags) {
    if (const auto at = s.find(t); at != std::string_view::npos) keep(best, at, t.size(), 85, "YAML language type tag");
  }
}

class CodeInjectionDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::code_injection; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    Hit best;
    if (uploaded_file_name(value) && php_file_name(s)) keep(best, 0, s.size(), 80, "PHP file upload");
    scan_gadget_chain(s, best);
    scan_ssi(s, best);
    scan_php(s, best);
    scan_jvm(s, best);
    scan_serialized(s, best);
    if (best.score > 0) text::report(out, AttackClass::code_injection, value, s, best.pos, best.len, best.score, best.rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_code_injection() { return std::make_unique<CodeInjectionDetector>(); }

}  // namespace waf::engine
