#include "engine/detect/command_injection.hpp"

#include <algorithm>
#include <array>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::is_alpha;
using text::is_digit;
using text::is_space;
using text::lower;

// Programs an injected command line runs: recon, download-and-run, shells and interpreters,
// reverse shells, Windows equivalents. Kept to names that are rarely English words on their own
// after a shell separator.
constexpr std::string_view kPrograms[] = {
    "ansible", "ansible-console", "ansible-playbook", "ansible-vault", "apt", "apt-get", "aria2c", "at",
    "awk", "axel", "base32", "base64", "bash", "bcdboot", "bcdedit", "bitsadmin", "bsdtar", "busybox",
    "bzip2", "c89", "c99", "cat", "cc", "cd", "certreq", "certutil", "chef-client", "chef-run", "chef-shell",
    "chef-vault", "chmod", "chown", "chroot", "cmd", "comm", "composer", "cp", "cpan", "cpulimit", "crontab",
    "cscli", "cscript", "csh", "curl", "dash", "date", "dd", "dig", "dir", "docker", "echo", "env", "eval",
    "ex", "exec", "expr", "fetch", "file", "find", "flock", "ftp", "g++", "gcc", "gdb", "gem", "getent",
    "grep", "gzip", "head", "hostname", "id", "iex", "ifconfig", "invoke-expression", "invoke-webrequest",
    "ipconfig", "iptables", "irb", "iwr", "java", "jjs", "jrunscript", "kill", "ksh", "kubectl", "less", "ln",
    "ls", "lua", "lwp-download", "lynx", "make", "mkfifo", "more", "mount", "mshta", "msiexec", "mv", "nc",
    "ncat", "net", "net1", "netcat", "netstat", "node", "nohup", "npm", "nslookup", "od", "openssl", "perf",
    "perl", "php", "ping", "pip", "pip3", "pipx", "powershell", "printenv", "printf", "ps", "pwd", "python",
    "python2", "python3", "rake", "rcp", "reg", "regedit", "regsvr32", "rlwrap", "rm", "rmt", "rmt-dump",
    "rmt-tar", "rsync", "ruby", "rundll32", "sc", "schtasks", "scp", "screen", "sed", "service", "set",
    "sftp", "sh", "shred", "sleep", "socat", "ssh", "ssh-copy-id", "ssh-keygen", "start-process", "strace",
    "strings", "su", "sudo", "sysctl", "systemctl", "systeminfo", "tail", "tar", "tasklist", "tclsh",
    "tcpdump", "tcsh", "tee", "telnet", "tftp", "timeout", "tmux", "top", "touch", "trap", "type", "uname",
    "unzip", "useradd", "uudecode", "ver", "vi", "vim", "visudo", "vssadmin", "wevtutil", "wget", "whoami",
    "wish", "wmic", "wscript", "xargs", "xterm", "xxd", "zip", "zsh",
};
// Programs that are also ordinary words; they need a shell-looking argument, not just any word.
constexpr std::string_view kWordPrograms[] = {"python", "python2", "python3", "perl", "ruby", "php", "bash", "ssh",
                                              "telnet", "ftp", "git", "node", "npm", "docker", "kubectl", "pip", "gem", "apt", "vim", "vi",
                                              "openssl", "composer", "ansible", "iptables", "tcpdump", "java", "lua",
                                              "at", "cd", "comm", "file", "make", "mount", "screen", "service", "strings",
                                              "tee", "zip", "start-process", "cat", "dir", "echo", "env", "eval", "exec", "expr", "fetch",
                                              "find", "head", "kill", "less", "more", "net", "ping", "set",
                                              "sleep", "tail", "timeout", "touch", "type", "ver", "id",
                                              "date", "top", "trap", "perf", "pipx", "ex"};

// Programs that run the next word as a command: "time ifconfig", "sudo -u x id".
constexpr std::string_view kPrefixPrograms[] = {"time", "nice", "nohup", "sudo", "env", "timeout", "xargs",
                                                "exec", "command", "builtin", "busybox", "strace", "stdbuf"};

template <std::size_t N>
bool in(const std::string_view (&list)[N], std::string_view w) noexcept {
  for (auto x : list) {
    if (x == w) return true;
  }
  return false;
}

static_assert(std::is_sorted(std::begin(kPrograms), std::end(kPrograms)), "kPrograms must stay sorted");
bool program(std::string_view w) noexcept {
  return std::binary_search(std::begin(kPrograms), std::end(kPrograms), w) || w.starts_with("ansible-");
}

constexpr std::size_t kMaxWord = 32;

// Reads the command word at `i` as the shell would after quote removal; returns its end.
// "${IFS}", "$IFS", "$@", "$*" and "$9" disappear; "c'a't", "c\at", "\"cat\"" become "cat";
// a path "/usr/bin/cat" becomes "cat".
std::size_t read_word(std::string_view s, std::size_t i, std::array<char, kMaxWord>& w, std::size_t& n) noexcept {
  n = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\'' || c == '"' || c == '\\') {
      ++i;
      continue;
    }
    if (c == '$' && i + 1 < s.size() &&
        (s[i + 1] == '@' || s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '$' || s[i + 1] == '!' ||
         s[i + 1] == '#' || s[i + 1] == '-' || s[i + 1] == '_' || is_digit(s[i + 1]))) {
      i += 2;
      continue;
    }
    // "c$u\at", "cat$u": an unset variable inside a word expands to nothing.
    if (c == '$' && n > 0 && i + 1 < s.size() && is_alpha(s[i + 1])) {
      i += 2;
      while (i < s.size() && text::is_word(s[i])) ++i;
      continue;
    }
    if (c == '/') {  // keep only the last path component
      n = 0;
      ++i;
      continue;
    }
    if (!(is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.')) break;
    if (n < w.size()) w[n++] = lower(c);
    ++i;
  }
  return i;
}

// Blank as the shell sees it, including the ${IFS} trick, brace/paren grouping and a "$name "
// before the command word ("; $a cat x"): an unset variable expands to nothing.
std::size_t skip_blank(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    if (is_space(s[i]) || s[i] == '{' || s[i] == '(' || s[i] == '\t') {
      ++i;
    } else if (s.compare(i, 6, "${IFS}") == 0) {
      i += 6;
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

// What follows a program name decides whether this is a command line.
// `tight`: the program directly follows a separator (";whoami x"), which prose never writes.
bool shell_argument(std::string_view s, std::size_t i, bool word_program, std::string_view program,
                    bool tight) noexcept {
  const std::size_t start = i;
  if (s.compare(i, 6, "${IFS}") == 0 || s.compare(i, 4, "$IFS") == 0) return true;  // "cat${IFS}/etc/passwd"
  // '+' is a blank in a form-encoded query the decoder left alone ("cat+/etc/passwd").
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || (s[i] == '+' && i + 1 < s.size() && s[i + 1] == '/'))) ++i;
  if (i >= s.size()) return true;  // "; id"
  const char c = s[i];
  if (c == ';' || c == '|' || c == '&' || c == '\n' || c == '>' || c == '<' || c == ')' || c == '}')
    return i > start || !is_alpha(c);
  if (i == start) return false;  // "cats", "identity": the word continues
  // An option is "-x"/"--long"/"+x"; "perl - Larry Wall's" is a dash in prose.
  if ((c == '-' || c == '+') && i + 1 < s.size() && (text::is_word(s[i + 1]) || s[i + 1] == '-')) return true;
  if (c == '/' || c == '~' || c == '$' || c == '\\' || c == '\'' || c == '"') return true;
  if (c == '.' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '.')) return true;
  if (is_alpha(c) && i + 2 < s.size() && s[i + 1] == ':' && (s[i + 2] == '\\' || s[i + 2] == '/'))
    return true;  // "c:\windows"
  if (is_digit(c)) {
    // "sleep 5", "ping 10.0.0.1", "nc 1.2.3.4 4444": numbers are arguments of a few programs
    // ("GCC 3.3 provides", "Python 3.11 for Debian" are versions in prose).
    static constexpr std::string_view kNumeric[] = {"sleep", "ping", "nc", "ncat", "netcat", "timeout", "kill",
                                                    "telnet", "usleep", "id", "ls", "whoami", "uname"};
    if (!in(kNumeric, program)) return false;
    std::size_t j = i;
    while (j < s.size() && (is_digit(s[j]) || s[j] == '.' || s[j] == ':')) ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    return j >= s.size() || !is_alpha(s[j]) || !word_program;
  }
  if (text::istarts_with(s.substr(i), "http://") || text::istarts_with(s.substr(i), "https://")) return true;
  // Glued to a separator, a program name that is no English word takes any argument
  // (";ansible-vault decrypt x"); "| grep nginx lists ..." in a post keeps its blank.
  if (!word_program && tight && is_alpha(c)) return true;
  // A file name with an extension, "x.sh", "a.txt".
  std::size_t j = i;
  while (j < s.size() && (text::is_word(s[j]) || s[j] == '-')) ++j;
  if (!word_program && j < s.size() && s[j] == '.' && j + 1 < s.size() && is_alpha(s[j + 1])) return true;
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
  return first != std::string_view::npos && line[first] == '|' && line[last] == '|' &&
         text::find_any(line, ";&`$") == std::string_view::npos;
}

// cmd.exe control flow: "for /f %%G in ('dir') do echo %%G", "if exist x.txt echo yes",
// "if %ERRORLEVEL% gtr 2 cmd". Prose has "for ... in ... do" but not with %variables or /switches.
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

bool batch_control(std::string_view s) noexcept {
  const std::size_t first = s.find_first_not_of(" \t&|;");
  if (first == std::string_view::npos) return false;
  const std::string_view v = s.substr(first);
  if (text::istarts_with(v, "for ") || text::istarts_with(v, "for\t")) {
    const bool vars = v.find('%') != std::string_view::npos;
    const std::size_t in_at = text::ifind(v, " in ");
    const std::size_t do_at = text::ifind(v, " do ");
    const bool shape = in_at != std::string_view::npos && do_at != std::string_view::npos && in_at < do_at &&
                       v.find('(', in_at) != std::string_view::npos;
    return vars && shape;
  }
  if (text::istarts_with(v, "if ") || text::istarts_with(v, "if\t")) {
    // The word after "if [not]" is a cmd.exe condition keyword or a %variable%; Python's
    // "if x == 'y':" has neither.
    std::string_view cond = v.substr(3);
    while (!cond.empty() && is_space(cond.front())) cond.remove_prefix(1);
    if (text::istarts_with(cond, "not ")) cond.remove_prefix(4);
    while (!cond.empty() && is_space(cond.front())) cond.remove_prefix(1);
    const bool keyword = text::istarts_with(cond, "exist") || text::istarts_with(cond, "defined") ||
                         text::istarts_with(cond, "errorlevel") || text::istarts_with(cond, "/i") ||
                         text::istarts_with(cond, "%") || text::istarts_with(cond, "\"%");
    if (!keyword) return false;
    static constexpr std::string_view kConditions[] = {" exist ", " defined ", " errorlevel ", " /i ",
                                                       "==", " gtr ", " leq ", " lss ", " geq ", " neq ", " equ "};
    static constexpr std::string_view kActions[] = {"echo", "set ", "cmd", "call ", "goto ", "exit", "del "};
    bool condition = false, action = false;
    for (auto c : kConditions) condition = condition || text::ifind(v, c) != std::string_view::npos;
    for (auto a : kActions) action = action || text::ifind(v, a) != std::string_view::npos;
    return condition && action;
  }
  return false;
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

// A path token with glob characters that expands to a file attackers read or run.
std::size_t glob_path(std::string_view s) noexcept {
  static constexpr std::string_view kTargets[] = {"/etc/passwd", "/etc/shadow", "/etc/hosts", "/etc/group",
                                                  "/bin/cat", "/bin/sh", "/bin/bash", "/bin/nc", "/usr/bin/id",
                                                  "/usr/bin/wget", "/usr/bin/curl", "/usr/bin/whoami",
                                                  "/proc/self/environ"};
  for (std::size_t at = s.find('/'); at != std::string_view::npos; at = s.find('/', at + 1)) {
    if (at > 0 && s[at - 1] != ' ' && s[at - 1] != ';' && s[at - 1] != '|' && s[at - 1] != '&' &&
        s[at - 1] != '=' && s[at - 1] != '(' && s[at - 1] != '`' && s[at - 1] != '+')
      continue;
    std::size_t end = at;
    while (end < s.size() && !is_space(s[end]) && s[end] != ';' && s[end] != '|' && s[end] != '&' && s[end] != '+' &&
           s[end] != '\'' && s[end] != '"' && s[end] != ')' && s[end] != '`' && end - at < 64)
      ++end;
    const std::string_view token = s.substr(at, end - at);
    // A real path pattern: two components and some literal letters ("/et*/passwd"), not "/* x */".
    const auto letters = std::count_if(token.begin(), token.end(), [](char ch) { return is_alpha(ch); });
    if (text::find_any(token, "?*[") == std::string_view::npos || std::count(token.begin(), token.end(), '/') < 2 ||
        letters < 4)
      continue;
    for (auto target : kTargets) {
      if (glob_match(token, target)) return at;
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

class CommandInjectionDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::command_injection; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    if (s.empty()) return;
    Hit best;
    // An uploaded script ("#!/bin/sh ...") is a file, not an injected command line.
    if (s.starts_with("#!")) return;
    // Header values have their own grammars ("Accept-Encoding: gzip, deflate"); only an injected
    // separator or substitution counts there.
    std::size_t lines = 0;
    for (std::size_t nl = s.find('\n'); nl != std::string_view::npos && lines < 3; nl = s.find('\n', nl + 1)) ++lines;
    const bool multi_line = lines >= 3;
    if (value.kind != LocationKind::header) check(s, 0, 70, "command at the start of the value", best);
    std::size_t backticks = 0;
    std::size_t row_end = std::string_view::npos;  // the table-row verdict holds until this line ends
    bool in_table_row = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
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
    const bool option = s.find(" -") != std::string_view::npos;
    if (option || s.find('/') != std::string_view::npos || s.find("()") != std::string_view::npos) {
      for (auto m : kUnixMarkers) {
        const std::size_t at = s.find(m);
        if (at != std::string_view::npos && 90 > best.score) best = {at, 90, "shell one-liner"};
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
    if (best.score < 85 && s.find("()") != std::string_view::npos) {
      if (const std::size_t at = fork_bomb(s); at != std::string_view::npos) best = {at, 85, "fork bomb"};
    }
    for (auto shell : {"$SHELL -c", "${SHELL} -c", "$BASH -c", "${BASH} -c"}) {
      const std::size_t at = s.find(shell);
      if (at != std::string_view::npos && best.score < 85) best = {at, 85, "shell from the environment"};
    }
    // An unparsed form body ("code=uname -a") starts its value after "name=".
    if (value.kind == LocationKind::body_text) {
      const std::size_t eq = s.find('=');
      if (eq != std::string_view::npos && eq > 0 && eq < 64 &&
          std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(eq),
                      [](char ch) { return text::is_word(ch) || ch == '-' || ch == '.'; }))
        check(s, eq + 1, 70, "command at the start of the value", best);
    }
    if (best.score == 0) return;
    text::report(out, AttackClass::command_injection, value, s, best.at, 64, best.score, best.rule);
  }

 private:
  // `substitution`: the word runs inside $(...), `...` or <(...), which is already shell syntax.
  static void check(std::string_view s, std::size_t i, int score, std::string_view rule, Hit& best,
                    bool substitution = false) noexcept {
    if (score <= best.score) return;
    const std::size_t start = skip_blank(s, i);
    std::array<char, kMaxWord> buf{};
    std::size_t n = 0;
    std::size_t end = read_word(s, start, buf, n);
    if (n == 0 || n > 24) return;
    std::string_view w(buf.data(), n);
    // "time ifconfig", "sudo id": judge the command the prefix runs.
    if (in(kPrefixPrograms, w)) {
      std::array<char, kMaxWord> next{};
      std::size_t m = 0;
      const std::size_t after = read_word(s, skip_blank(s, end), next, m);
      if (m > 0 && program(std::string_view(next.data(), m)) && after > end) {
        best = {i == 0 ? 0 : i - 1, score, rule};
        return;
      }
    }
    if (!program(w)) return;
    if (substitution) {
      if (end < s.size() && text::is_word(s[end])) return;
      best = {i == 0 ? 0 : i - 1, score, rule};
      return;
    }
    const bool word_program = in(kWordPrograms, w);
    // ";env" (no blank after the separator) reads as code; "more; less" reads as prose.
    const bool tight = i > 0 && start == i;
    if (word_program && w != "id" && !tight && s.find_first_not_of(" \t\r\n", end) == std::string_view::npos)
      return;
    // At the very start only options, paths and substitutions count: "cat /etc/passwd", not "ping me".
    if (i == 0) {
      if (end >= s.size()) return;
      const std::size_t arg = s.find_first_not_of(" \t", end);
      const bool pathish = arg != std::string_view::npos && arg > end && arg + 1 < s.size() &&
                           std::string_view("-+/$~.\\").find(s[arg]) != std::string_view::npos &&
                           !is_space(s[arg + 1]);
      if (word_program && !pathish) return;
    }
    // "{cat,/etc/passwd}": brace expansion separates arguments with commas.
    const bool braced = start > 0 && s[start - 1] == '{' && end < s.size() && s[end] == ',';
    if (!braced && !shell_argument(s, end, word_program, w, tight)) return;
    best = {i == 0 ? 0 : i - 1, score, rule};
  }
};

}  // namespace

std::unique_ptr<Detector> make_command_injection() { return std::make_unique<CommandInjectionDetector>(); }

}  // namespace waf::engine
