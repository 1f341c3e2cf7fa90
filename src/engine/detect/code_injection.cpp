#include "engine/detect/code_injection.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

#include "engine/decode/byte_set.hpp"
#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::iequals;
// Every search here may run over a whole uploaded text: from its least common byte.
using text::ifind_rare;
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

// Whether `needle` can occur in a value holding the bytes `present` (case-folded: its lower-case
// letters stand for either case, as ifind_rare() matches them). The value's bytes are gathered
// once; then most of the fifty-odd searches below end here, where each would cost a pass (or a
// stop at every occurrence of its first byte in a long text).
bool may_hold(const ByteSet& present, std::string_view needle) noexcept {
  return std::all_of(needle.begin(), needle.end(), [&present](char c) { return present.contains(c); });
}

// s.find(needle, from), case-sensitive, from the needle's least common byte: the serialization
// magics start with bytes prose is full of ('r', 'a', 'g'), where a plain find stops at each.
std::size_t find_rare(std::string_view s, std::string_view needle, std::size_t from = 0) noexcept {
  std::size_t key = 0;
  for (std::size_t j = 1; j < needle.size(); ++j) {
    const auto commonness = [](char c) { return text::kCommonness[static_cast<unsigned char>(c)]; };
    if (commonness(needle[j]) < commonness(needle[key])) key = j;
  }
  for (std::size_t p = s.find(needle[key], from + key); p != std::string_view::npos; p = s.find(needle[key], p + 1)) {
    if (p - key + needle.size() > s.size()) break;
    if (s.compare(p - key, needle.size(), needle) == 0) return p - key;
  }
  return std::string_view::npos;
}

// Apache/nginx SSI: "<!--#" then a directive and a blank or the comment's end.
constexpr std::string_view kSsiDirectives[] = {"exec", "include", "echo", "config", "set", "printenv",
                                               "fsize", "flastmod", "if", "elif"};

void scan_ssi(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  if (!may_hold(present, "<!--#")) return;
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
    "require",       "include_once", "require_once",     "highlight_file", "show_source", "unserialize",
    "scandir",       "putenv",       "ini_set",          "mb_ereg_replace", "pfsockopen"};
// Functions that call a callback named by a string: "array_map('system', ...)" runs a command.
constexpr std::string_view kPhpCallbackTakers[] = {"array_map", "array_filter", "array_walk", "usort", "uasort",
                                                   "register_shutdown_function", "forward_static_call"};
constexpr std::string_view kPhpCommandSinks[] = {"system", "passthru", "exec", "shell_exec", "assert", "popen",
                                                 "proc_open", "pcntl_exec"};

bool names_command_sink(std::string_view s, std::size_t i) noexcept {
  i = skip_space(s, i);
  if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return false;
  const std::size_t end = s.find(s[i], i + 1);
  if (end == std::string_view::npos) return false;
  const std::string_view name = s.substr(i + 1, end - i - 1);
  for (const std::string_view f : kPhpCommandSinks) {
    if (iequals(name, f)) return true;
  }
  return false;
}
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
void scan_php_tags(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  for (std::size_t at = may_hold(present, "<?") ? s.find("<?") : std::string_view::npos;
       at != std::string_view::npos; at = s.find("<?", at + 2)) {
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
    if (!may_hold(present, tag)) continue;
    if (const auto at = ifind_rare(s, tag); at != std::string_view::npos) keep(best, at, tag.size(), 85, "PHP code tag");
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
  while (!ext.empty() && is_space(ext.front())) ext.remove_prefix(1);  // "photo. php"
  // JSP pages run the same way on a servlet container.
  if (iequals(ext, "jsp") || iequals(ext, "jspx") || iequals(ext, "jspf")) return true;
  if (!istarts_with(ext, "ph")) return false;
  ext.remove_prefix(2);
  if (istarts_with(ext, "p")) {
    ext.remove_prefix(1);
    while (!ext.empty() && is_digit(ext.front())) ext.remove_prefix(1);
    return ext.empty() || iequals(ext, "t") || iequals(ext, "s");
  }
  return iequals(ext, "tml") || iequals(ext, "ar") || iequals(ext, "t") || iequals(ext, "ps");
}

// "sess_<id>": overwriting a PHP session file plants serialized session data.
bool php_session_file(std::string_view name) noexcept {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (!istarts_with(name, "sess_")) return false;
  name.remove_prefix(5);
  std::size_t n = 0;
  while (n < name.size() && (is_word(name[n]) || name[n] == ',' || name[n] == '-')) ++n;
  return n == name.size() && n >= 20;
}

// Multipart file names, and the headers upload widgets send them in.
bool uploaded_file_name(const Value& value) noexcept {
  if (value.kind == LocationKind::multipart_filename) return true;
  return value.kind == LocationKind::header &&
         (iequals(value.location, "header.x-filename") || iequals(value.location, "header.x_filename") ||
          iequals(value.location, "header.x.filename") || iequals(value.location, "header.x-file-name"));
}

// A command function named by a string and called: "(system)(ls)", "\"system\"(ls)",
// "('sys'.'tem')('id')": PHP calls a string as a function; prose never puts a call after a quote.
void php_string_call_at(std::string_view s, std::size_t paren, Hit& best) noexcept {
  constexpr auto npos = std::string_view::npos;
  std::size_t e = paren;
  while (e > 0 && is_space(s[e - 1])) --e;
  const bool grouped = e > 0 && s[e - 1] == ')';
  if (grouped) {
    --e;
    while (e > 0 && is_space(s[e - 1])) --e;
  }
  if (e == 0) return;
  // The called name, gathered right to left at the end of `buf`.
  std::array<char, 24> buf{};
  std::size_t pos = buf.size();
  std::size_t start = npos;
  if (s[e - 1] == '\'' || s[e - 1] == '"') {
    // Quoted pieces joined by '.': "'sys'.'tem'".
    std::size_t at = e;
    for (int pieces = 0; pieces < 6 && at >= 2 && (s[at - 1] == '\'' || s[at - 1] == '"'); ++pieces) {
      // The opening quote, no farther back than the name can be long.
      std::size_t open = at - 2;
      const std::size_t lowest = at - 2 > pos ? at - 2 - pos : 0;
      while (open > lowest && s[open] != s[at - 1]) --open;
      if (s[open] != s[at - 1] || at - 2 - open > pos) {
        start = npos;
        break;
      }
      const std::size_t len = at - 2 - open;
      pos -= len;
      for (std::size_t k = 0; k < len; ++k) buf[pos + k] = s[open + 1 + k];
      start = open;
      std::size_t b = open;
      while (b > 0 && is_space(s[b - 1])) --b;
      if (b == 0 || s[b - 1] != '.') break;
      --b;
      while (b > 0 && is_space(s[b - 1])) --b;
      at = b;
    }
  } else if (grouped) {
    std::size_t b = e;
    while (b > 0 && is_word(s[b - 1])) --b;
    std::size_t o = b;
    while (o > 0 && is_space(s[o - 1])) --o;
    if (b < e && e - b <= pos && o > 0 && s[o - 1] == '(') {
      pos -= e - b;
      for (std::size_t k = 0; k < e - b; ++k) buf[pos + k] = s[b + k];
      start = o - 1;
    }
  }
  if (start == npos) return;
  // "the \"system\" (v2)": after a blank the call needs a PHP argument.
  const std::size_t arg = skip_space(s, paren + 1);
  if (is_space(s[paren - 1]) && !php_argument(s, paren + 1) && (arg >= s.size() || s[arg] != ')')) return;
  std::string_view called(buf.data() + pos, buf.size() - pos);
  while (!called.empty() && is_space(called.back())) called.remove_suffix(1);  // "system  "
  while (!called.empty() && is_space(called.front())) called.remove_prefix(1);
  for (const std::string_view f : kPhpCommandSinks) {
    if (iequals(called, f)) keep(best, start, paren + 1 - start, 85, "PHP function called by name");
  }
}

// A value that is itself a call of a PHP-only function, whatever its arguments: "base64_decode()",
// "get_defined_functions()[0]", "gzinflate(". In the middle of prose the same name is a topic.
constexpr std::string_view kPhpLeadingCalls[] = {
    "base64_decode", "gzinflate", "gzuncompress", "str_rot13", "get_defined_functions", "get_defined_vars",
    "get_defined_constants", "ini_get_all", "posix_getpwuid", "posix_uname", "gethostbyname", "file_get_contents",
    "file_put_contents", "shell_exec", "proc_open", "pcntl_exec", "passthru", "phpinfo", "create_function",
    "call_user_func", "call_user_func_array", "highlight_file", "show_source", "php_uname", "ldap_get_entries",
    "unserialize", "curl_init", "curl_exec", "gzdecode", "zlib_decode", "bzdecompress", "posix_getuid",
    "posix_getegid", "fsockopen", "pfsockopen", "popen"};

void scan_php_leading_call(std::string_view s, Hit& best) noexcept {
  std::size_t i = 0;
  while (i < s.size() && (is_space(s[i]) || s[i] == ';' || s[i] == '@')) ++i;
  const std::size_t name = i;
  while (i < s.size() && is_word(s[i])) ++i;
  if (i == name) return;
  const std::string_view called = s.substr(name, i - name);
  i = skip_space(s, i);
  if (i >= s.size() || s[i] != '(') return;
  // "base64_decode() in php" is a search: prose after the call.
  if (const std::size_t close = s.find(')', i); close != std::string_view::npos) {
    const std::size_t next = skip_space(s, close + 1);
    if (next > close + 1 && next < s.size() && is_alpha(s[next])) return;
  }
  for (const std::string_view f : kPhpLeadingCalls) {
    if (iequals(called, f)) keep(best, name, i + 1 - name, 80, "PHP function call");
  }
  // The generic command names only as the whole value, glued to their parenthesis:
  // "system(whoami)", "exec(ls);". "System (software)" is a search.
  static constexpr std::string_view kWholeValueCalls[] = {"system", "exec", "eval", "passthru"};
  const std::size_t close = s.find(')', i);
  if (i != name + called.size() || close == std::string_view::npos) return;
  std::size_t rest = close + 1;
  while (rest < s.size() && (s[rest] == ';' || is_space(s[rest]))) ++rest;
  if (rest != s.size() || close == i + 1) return;
  for (const std::string_view f : kWholeValueCalls) {
    if (iequals(called, f)) keep(best, name, close + 1 - name, 80, "command function call");
  }
}

// PHP stream wrappers that run commands or unpack archives into an include.
constexpr std::string_view kPhpWrappers[] = {"expect://", "ssh2.shell://", "ssh2.exec://", "ssh2.sftp://",
                                             "ssh2.tunnel://", "ssh2.scp://", "phar://", "php://input",
                                             "php://filter", "zlib://", "glob://", "rar://", "ogg://"};

// Python, Ruby and Perl modules that start processes, called with a command: "os.system('id')",
// "subprocess.check_output(['id'])", "IO.popen('id')", "Kernel.exec('id')". A method of any other
// object ("player.exec(") is not a process. A multi-line value is a pasted script ("import
// subprocess\nout = subprocess.run([...])"); an injected expression is one line.
bool process_module_call(std::string_view s, std::size_t dot, std::string_view method, std::size_t paren) noexcept {
  if (s.find('\n') != std::string_view::npos) return false;
  static constexpr std::string_view kModules[] = {"os", "subprocess", "pty", "commands", "io", "kernel", "open3", "posix"};
  static constexpr std::string_view kMethods[] = {
      "system", "popen", "popen2", "popen3", "execl", "execlp", "execv", "execvp", "execve", "spawnl", "spawnv",
      "call", "check_call", "check_output", "run", "getoutput", "getstatusoutput", "spawn", "exec", "capture2",
      "capture3", "capture2e"};
  std::size_t m = dot;
  while (m > 0 && is_word(s[m - 1])) --m;
  if (m == dot || (m > 0 && (is_word(s[m - 1]) || s[m - 1] == '.'))) return false;
  const std::string_view module = s.substr(m, dot - m);
  bool known = false;
  for (const std::string_view k : kModules) known = known || iequals(module, k);
  if (!known) return false;
  bool launcher = false;
  for (const std::string_view k : kMethods) launcher = launcher || iequals(method, k);
  if (!launcher) return false;
  const std::size_t arg = skip_space(s, paren + 1);
  return php_argument(s, paren + 1) || (arg < s.size() && s[arg] == '[');
}

void scan_php(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  scan_php_leading_call(s, best);
  if (may_hold(present, "://") && s.find("://") != std::string_view::npos) {
    for (const std::string_view w : kPhpWrappers) {
      if (!may_hold(present, w)) continue;
      if (const auto at = ifind_rare(s, w); at != std::string_view::npos) keep(best, at, w.size(), 85, "PHP stream wrapper");
    }
  }
  scan_php_tags(s, present, best);
  if (present.contains('$')) scan_php_dynamic_call(s, best);
  // Superglobals indexed: a request value handed to code ("$_GET[cmd]", "$_REQUEST['x']").
  for (std::size_t at = may_hold(present, "$_") ? s.find("$_") : std::string_view::npos;
       at != std::string_view::npos; at = s.find("$_", at + 2)) {
    std::size_t end = at + 2;
    while (end < s.size() && is_alpha(s[end])) ++end;
    const std::string_view name = s.substr(at + 2, end - at - 2);
    const bool global = name == "GET" || name == "POST" || name == "REQUEST" || name == "COOKIE" ||
                        name == "SERVER" || name == "FILES" || name == "ENV" || name == "SESSION";
    if (global && end < s.size() && (s[end] == '[' || s[end] == '{')) keep(best, at, end + 1 - at, 80, "PHP superglobal");
  }
  if (!present.contains('(')) return;
  for (std::size_t paren = s.find('('); paren != std::string_view::npos; paren = s.find('(', paren + 1)) {
    php_string_call_at(s, paren, best);
    std::size_t b = paren;
    while (b > 0 && is_space(s[b - 1]) && paren - b < 2) --b;  // "system (" at most one blank
    const std::size_t name_end = b;
    while (b > 0 && is_word(s[b - 1])) --b;
    if (b > 0 && b < name_end && s[b - 1] == '.' && process_module_call(s, b - 1, s.substr(b, name_end - b), paren))
      keep(best, b, paren + 1 - b, 85, "process launch call");
    if (b == name_end || (b > 0 && (s[b - 1] == '.' || s[b - 1] == '$'))) continue;  // "obj.exec(", "$exec("
    const std::string_view name = s.substr(b, name_end - b);
    for (const std::string_view f : kPhpSinks) {
      if (iequals(name, f) && php_argument(s, paren + 1)) keep(best, b, paren + 1 - b, 85, "PHP code execution call");
    }
    for (const std::string_view f : kPhpCallbackTakers) {
      if (iequals(name, f) && names_command_sink(s, paren + 1))
        keep(best, b, paren + 1 - b, 85, "PHP command callback");
    }
    for (const std::string_view f : kPhpProbes) {
      if (iequals(name, f) && skip_space(s, paren + 1) < s.size() && s[skip_space(s, paren + 1)] == ')')
        keep(best, b, paren + 2 - b, 85, "PHP probe call");
    }
  }
}

// OGNL (Struts) and Java reflection: what expressions that reach the JVM are written with.
constexpr std::string_view kJvmMarkers[] = {"_memberaccess", "#context[", "getruntime().exec", "templatesimpl"};

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
    {"xwork.methodaccessor", 90}, {"ognl.", 90}, {"ognlcontext", 90}, {"com.sun.rowset.jdbcrowsetimpl", 90},
    {"java.io.", 75}, {"java.lang.process", 75}, {"java.lang.reflect", 75}, {"java.lang.system", 75},
    {"java.lang.class", 75}, {"java.lang.object", 75}, {"java.net.", 75}, {"java.nio.file", 75},
    {"java.beans.xmldecode", 75}, {"java.beans.eventhandler", 75}, {"java.rmi.", 75}, {"java.util.priorityqueue", 75},
    {"javax.naming.", 75}, {"javax.script.", 75}, {"javax.xml.", 75}, {"javax.management.", 75},
    {"javassist.", 75}, {"jdk.nashorn", 75}, {"com.opensymphony.xwork2", 75}, {"com.sun.org.apache", 75},
    {"com.sun.rowset", 75}, {"com.sun.jndi.", 75}, {"com.mchange.v2", 75}, {"org.apache.commons.", 75},
    {"org.apache.struts", 75}, {"org.apache.tomcat.dbcp", 75}, {"org.apache.xbean", 75},
    {"org.apache.ibatis.datasource", 75}, {"org.apache.xalan", 75}, {"freemarker.template", 75},
    {"freemarker.core", 75}, {"freemarker.ext.", 75}, {"sun.reflect", 75}, {"sun.rmi.", 75}, {"org.dom4j.", 75},
    {"org.jdom2.", 75}, {"org.omg.corba", 75}, {"org.xml.sax", 75}};
// A last component that makes any java.* name a process launcher ("java.lang.Runtime",
// "java.Runtime"); "java.runtime.version" is a system property.
constexpr std::string_view kJvmLaunchers[] = {".runtime", ".processbuilder", ".processimpl"};
// Undotted names of the same kind.
constexpr std::string_view kJvmWords[] = {"javassist", "ognlcontext", "ognlutil", "propertyutilsbean", "declaredclass"};

// Commons-Collections style gadget chains: a transformer or factory that ends in a process.
constexpr std::string_view kGadgets[] = {"clonetransformer", "forclosure", "instantiatefactory", "instantiatetransformer",
                                         "invokertransformer", "prototypeclonefactory", "prototypeserializationfactory",
                                         "whileclosure", "xmldecoder"};

void scan_gadget_chain(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  if (!may_hold(present, "processbuilder") && !may_hold(present, "runtime")) return;
  if (ifind_rare(s, "processbuilder") == std::string_view::npos && ifind_rare(s, "runtime") == std::string_view::npos) return;
  for (const std::string_view g : kGadgets) {
    if (!may_hold(present, g)) continue;
    if (const auto at = ifind_rare(s, g); at != std::string_view::npos) keep(best, at, g.size(), 85, "deserialization gadget chain");
  }
}

bool stack_trace(std::string_view s, const ByteSet& present) noexcept {
  return (may_hold(present, "exception") && ifind_rare(s, "exception") != std::string_view::npos) ||
         (present.contains('\t') && s.find("\tat ") != std::string_view::npos);
}

// The kJvmNames entries by the letter they start with (bit k: entry k), so that a dotted name is
// compared only with the few entries it can start.
static_assert(std::size(kJvmNames) <= 64, "kJvmNamesByInitial holds one bit per name");
constexpr std::array<std::uint64_t, 26> kJvmNamesByInitial = [] {
  std::array<std::uint64_t, 26> table{};
  for (std::size_t k = 0; k < std::size(kJvmNames); ++k)
    table[static_cast<std::size_t>(kJvmNames[k].prefix[0] - 'a')] |= std::uint64_t{1} << k;
  return table;
}();

void scan_jvm_names(std::string_view s, bool trace, Hit& best) noexcept {
  std::size_t name_end = 0;  // the dotted name already read
  for (std::size_t dot = s.find('.'); dot != std::string_view::npos; dot = s.find('.', dot + 1)) {
    if (dot < name_end) continue;
    std::size_t start = dot;
    while (start > 0 && (is_word(s[start - 1]) || s[start - 1] == '.')) --start;
    name_end = dot;
    while (name_end < s.size() && (is_word(s[name_end]) || s[name_end] == '.')) ++name_end;
    if (start == dot || !is_alpha(s[start])) continue;
    const std::string_view name = s.substr(start, name_end - start);
    for (std::uint64_t names = kJvmNamesByInitial[static_cast<std::size_t>(text::lower(name[0]) - 'a')]; names != 0;
         names &= names - 1) {
      const JvmName& n = kJvmNames[std::countr_zero(names)];
      if (n.score <= best.score || !istarts_with(name, n.prefix)) continue;
      if (n.score < 90 && trace) continue;
      keep(best, start, name.size(), n.score, n.score >= 90 ? "Java expression" : "Java class name");
    }
    if (best.score < 80 && !trace && istarts_with(name, "java")) {
      for (const std::string_view l : kJvmLaunchers) {
        if (name.size() >= l.size() && iequals(name.substr(name.size() - l.size()), l))
          keep(best, start, name.size(), 80, "Java process class");
      }
    }
  }
}

void scan_jvm(std::string_view s, const ByteSet& present, bool trace, Hit& best) noexcept {
  for (const std::string_view m : kJvmMarkers) {
    // (Only with its first byte in the case written: what the detector has always required.)
    if (!present.contains(m.front()) || !may_hold(present, m)) continue;
    if (const auto at = ifind_rare(s, m); at != std::string_view::npos) keep(best, at, m.size(), 90, "Java expression");
  }
  scan_jvm_names(s, trace, best);
  if (best.score < 75 && !trace) {
    for (const std::string_view w : kJvmWords) {
      if (!may_hold(present, w)) continue;
      const auto at = ifind_rare(s, w);
      if (at != std::string_view::npos && (at == 0 || !is_word(s[at - 1]))) keep(best, at, w.size(), 75, "Java class name");
    }
  }
  // Spring4Shell and its predecessors walk class.module.classLoader / class.classLoader from a
  // bound parameter, written with dots or brackets ("class[module][classLoader]").
  // (Only a '.' or a '[' starts a walk.)
  const bool walk = (present.contains('.') || present.contains('[')) && may_hold(present, "class");
  for (std::size_t at = walk ? ifind_rare(s, "class") : std::string_view::npos;
       at != std::string_view::npos; at = ifind_rare(s, "class", at + 5)) {
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
  if (!present.contains('<')) return;
  if (const auto at = s.find("<%@"); at != std::string_view::npos) {
    const std::size_t name = skip_space(s, at + 3);
    if (istarts_with(s.substr(name), "page") || istarts_with(s.substr(name), "include") || istarts_with(s.substr(name), "taglib"))
      keep(best, at, name + 4 - at, 85, "JSP directive");
  }
  if (!may_hold(present, "<jsp:")) return;
  if (const auto at = ifind_rare(s, "<jsp:"); at != std::string_view::npos) keep(best, at, 5, 80, "JSP action");
}

// Serialized objects a back end turns into instances: PHP's O:<len>:"<class>":<n>:{ and YAML tags
// naming language types.
void scan_serialized(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  for (std::size_t at = may_hold(present, ":\"") ? s.find(":\"") : std::string_view::npos;
       at != std::string_view::npos; at = s.find(":\"", at + 2)) {
    std::size_t b = at;
    while (b > 0 && is_digit(s[b - 1])) --b;
    if (b == at || b < 2 || s[b - 1] != ':' || (s[b - 2] != 'O' && s[b - 2] != 'C')) continue;
    if (b >= 3 && is_word(s[b - 3])) continue;
    std::size_t i = at + 2;
    while (i < s.size() && (is_word(s[i]) || s[i] == '\\')) ++i;
    if (i + 1 < s.size() && s[i] == '"' && s[i + 1] == ':') keep(best, b - 2, i + 2 - (b - 2), 85, "serialized PHP object");
  }
  constexpr std::string_view kYamlTags[] = {"!!python/", "!!javax.", "!!java.", "!!com.sun.", "!!ruby/",
                                            "!ruby/object:", "!ruby/hash:", "!ruby/class", "tag:yaml.org,2002:python/"};
  for (const std::string_view t : kYamlTags) {
    if (!may_hold(present, t)) continue;
    if (const auto at = s.find(t); at != std::string_view::npos) keep(best, at, t.size(), 85, "YAML language type tag");
  }
}

// Java serialization streams (AC ED 00 05) and .NET BinaryFormatter streams, in base64 as cookies
// and view states carry them: "rO0AB...", "AAEAAAD/////". At a token's start, random base64 has
// those prefixes once in 64^5 tokens.
void scan_serialized_stream(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  // Java (base64, hex, raw), .NET BinaryFormatter, Python pickle protocol 4 ("\x80\x04\x95").
  // "KztAAU" and "Cs7QAF" are the same bytes base64-encoded at the other two alignments.
  static constexpr std::string_view kMagic[] = {"rO0AB", "KztAAU", "Cs7QAF", "aced0005", "ACED0005",
                                                std::string_view("\xAC\xED\x00\x05", 4), "AAEAAAD/////", "gASV"};
  for (const std::string_view magic : kMagic) {
    if (!may_hold(present, magic)) continue;
    for (std::size_t at = find_rare(s, magic); at != std::string_view::npos; at = find_rare(s, magic, at + 1)) {
      if (at == 0 || !is_word(s[at - 1])) {
        keep(best, at, magic.size(), 85, "serialized object stream");
        return;
      }
    }
  }
}

// A polymorphic type hint naming a Java class: Fastjson/Jackson "@type": "com.sun.rowset.JdbcRowSetImpl",
// as a JSON field or inside JSON text. JSON-LD's "@type": "Person" has no package.
bool java_class_name(std::string_view s) noexcept {
  std::size_t dots = 0;
  if (s.empty() || !is_alpha(s.front())) return false;
  for (const char c : s) {
    if (c == '.') ++dots;
    else if (!is_word(c) && c != '$') return false;
  }
  return dots >= 2 && s.back() != '.';
}

void scan_type_hint(const Value& value, const ByteSet& present, Hit& best) noexcept {
  const std::string_view s = value.decoded;
  const std::string_view loc = value.location;
  if (value.kind == LocationKind::json_value && loc.size() >= 5 && iequals(loc.substr(loc.size() - 5), "@type") &&
      java_class_name(s)) {
    keep(best, 0, s.size(), 85, "Java type hint");
    return;
  }
  if (!may_hold(present, "\"@type\"")) return;
  for (std::size_t at = s.find("\"@type\""); at != std::string_view::npos; at = s.find("\"@type\"", at + 7)) {
    std::size_t i = skip_space(s, at + 7);
    if (i >= s.size() || s[i] != ':') continue;
    i = skip_space(s, i + 1);
    if (i >= s.size() || s[i] != '"') continue;
    const std::size_t end = s.find('"', i + 1);
    if (end != std::string_view::npos && java_class_name(s.substr(i + 1, end - i - 1)))
      keep(best, at, end + 1 - at, 85, "Java type hint");
  }
}

// Gadgets of other platforms' deserializers: Json.NET / ysoserial.net types, node-serialize's
// function marker, pickle protocol 0 globals ("cos\nsystem").
constexpr std::string_view kForeignGadgets[] = {
    "objectdataprovider", "system.diagnostics.process", "presentationframework", "system.windows.data",
    "system.management.automation", "windowsidentity", "textformattingrunproperties", "_$$nd_func$$_",
    "c__builtin__\n", "cos\nsystem", "cposix\nsystem", "csubprocess\n", "cnt\nsystem"};

void scan_foreign_gadgets(const Value& value, const ByteSet& present, bool trace, Hit& best) noexcept {
  const std::string_view s = value.decoded;
  const std::string_view loc = value.location;
  // They come as the value of a JSON "$type", in JSON text with "$type", in XAML markup or as
  // pickle lines.
  const bool type_field = loc.size() >= 5 && loc.substr(loc.size() - 5) == "$type";
  if (!type_field && !present.contains('$') && !present.contains('<') && !present.contains('\n')) return;
  if (trace) return;
  for (const std::string_view g : kForeignGadgets) {
    if (!may_hold(present, g)) continue;
    if (const auto at = ifind_rare(s, g); at != std::string_view::npos) keep(best, at, g.size(), 85, "deserialization gadget");
  }
}

// "<script language=\"php\">": PHP 5's script-tag opening.
void scan_php_script_tag(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  if (!may_hold(present, "<script")) return;
  for (std::size_t at = ifind_rare(s, "<script"); at != std::string_view::npos; at = ifind_rare(s, "<script", at + 7)) {
    const std::size_t end = s.find('>', at);
    const std::string_view tag = s.substr(at, (end == std::string_view::npos ? s.size() : end) - at);
    const std::size_t lang = ifind_rare(tag, "language");
    if (lang == std::string_view::npos) continue;
    std::size_t v = skip_space(tag, lang + 8);
    if (v >= tag.size() || tag[v] != '=') continue;
    v = skip_space(tag, v + 1);
    if (v < tag.size() && (tag[v] == '"' || tag[v] == '\'')) ++v;
    if (istarts_with(tag.substr(v), "php")) keep(best, at, tag.size(), 90, "PHP script tag");
  }
}

// Python and Node.js code reaching the interpreter: "__import__('os')", "require('child_process')".
void scan_script_imports(std::string_view s, const ByteSet& present, Hit& best) noexcept {
  if (!present.contains('_')) return;  // both names hold one
  if (const auto at = s.find("__import__"); at != std::string_view::npos) {
    const std::size_t i = skip_space(s, at + 10);
    if (i < s.size() && s[i] == '(') keep(best, at, i + 1 - at, 85, "Python import call");
  }
  // The module's name as a string: require('child_process'), mainModule.constructor._load("child_process").
  const auto at = s.find("child_process");
  if (at != std::string_view::npos && at > 0 && (s[at - 1] == '\'' || s[at - 1] == '"' || s[at - 1] == '`') &&
      at + 13 < s.size() && s[at + 13] == s[at - 1])
    keep(best, at - 1, 15, 85, "Node.js child_process");
}

class CodeInjectionDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::code_injection; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    Hit best;
    if (uploaded_file_name(value) && php_file_name(s)) keep(best, 0, s.size(), 80, "server script upload");
    if (uploaded_file_name(value) && php_session_file(s)) keep(best, 0, s.size(), 80, "PHP session file upload");
    // The engine's bytes when it has them, case-folded for may_hold(); the other tests are for
    // bytes that are not letters, which folding leaves as they are.
    const ByteSet present = text::bytes_of(value).case_folded();
    scan_gadget_chain(s, present, best);
    scan_ssi(s, present, best);
    scan_php(s, present, best);
    // A pasted stack trace names Java and .NET classes in passing.
    const bool trace = stack_trace(s, present);
    scan_jvm(s, present, trace, best);
    scan_serialized(s, present, best);
    scan_serialized_stream(s, present, best);
    scan_type_hint(value, present, best);
    scan_script_imports(s, present, best);
    scan_foreign_gadgets(value, present, trace, best);
    scan_php_script_tag(s, present, best);
    if (best.score > 0) text::report(out, AttackClass::code_injection, value, s, best.pos, best.len, best.score, best.rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_code_injection() { return std::make_unique<CodeInjectionDetector>(); }

}  // namespace waf::engine
