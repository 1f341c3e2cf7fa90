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
    "awk", "base64", "bash", "bitsadmin", "busybox", "cat", "certutil", "chmod", "chown", "cmd", "cp",
    "crontab", "csh", "curl", "dash", "dig", "dir", "echo", "env", "eval", "exec", "expr", "fetch", "find",
    "ftp", "gcc", "getent", "grep", "head", "hostname", "id", "ifconfig", "ipconfig", "java", "kill",
    "ksh", "less", "ln", "ls", "lua", "mkfifo", "more", "mv", "nc", "ncat", "net", "netcat", "netstat",
    "nohup", "nslookup", "perl", "php", "ping", "powershell", "printenv", "printf", "ps", "pwd", "python",
    "python2", "python3", "rcp", "reg", "rm", "ruby", "scp", "sed", "set", "sh", "sleep", "socat", "ssh",
    "su", "sudo", "systeminfo", "tail", "tar", "tasklist", "tcsh", "telnet", "tftp", "timeout", "touch",
    "type", "uname", "useradd", "ver", "wget", "whoami", "wmic", "xargs", "xterm", "xxd", "zsh",
};
// Programs that are also ordinary words; they need a shell-looking argument, not just any word.
constexpr std::string_view kWordPrograms[] = {"cat", "dir", "echo", "env", "eval", "exec", "expr", "fetch",
                                              "find", "head", "kill", "less", "more", "net", "ping", "set",
                                              "sleep", "tail", "timeout", "touch", "type", "ver", "id"};

template <std::size_t N>
bool in(const std::string_view (&list)[N], std::string_view w) noexcept {
  for (auto x : list) {
    if (x == w) return true;
  }
  return false;
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
    if (c == '$' && i + 1 < s.size() && (s[i + 1] == '@' || s[i + 1] == '*' || is_digit(s[i + 1]))) {
      i += 2;
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

// Blank as the shell sees it, including the ${IFS} trick and brace/paren grouping.
std::size_t skip_blank(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    if (is_space(s[i]) || s[i] == '{' || s[i] == '(' || s[i] == '\t') {
      ++i;
    } else if (s.compare(i, 6, "${IFS}") == 0) {
      i += 6;
    } else if (s.compare(i, 4, "$IFS") == 0) {
      i += 4;
    } else {
      break;
    }
  }
  return i;
}

// What follows a program name decides whether this is a command line.
bool shell_argument(std::string_view s, std::size_t i, bool word_program) noexcept {
  const std::size_t start = i;
  if (s.compare(i, 6, "${IFS}") == 0 || s.compare(i, 4, "$IFS") == 0 || (i < s.size() && s[i] == ','))
    return true;  // "cat${IFS}/etc/passwd", "{cat,/etc/passwd}"
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= s.size()) return true;  // "; id"
  const char c = s[i];
  if (c == ';' || c == '|' || c == '&' || c == '`' || c == '\n' || c == '>' || c == '<' || c == ')' || c == '}')
    return i > start || !is_alpha(c);
  if (i == start) return false;  // "cats", "identity": the word continues
  if (c == '-' || c == '/' || c == '~' || c == '$' || c == '\\' || c == '\'' || c == '"') return true;
  if (c == '.' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '.')) return true;
  if (is_alpha(c) && i + 2 < s.size() && s[i + 1] == ':' && (s[i + 2] == '\\' || s[i + 2] == '/'))
    return true;  // "c:\windows"
  if (is_digit(c)) {
    // "sleep 5", "ping 10.0.0.1", "nc 1.2.3.4 4444": numbers are arguments when nothing wordy follows.
    std::size_t j = i;
    while (j < s.size() && (is_digit(s[j]) || s[j] == '.' || s[j] == ':')) ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    return j >= s.size() || !is_alpha(s[j]) || !word_program;
  }
  if (text::istarts_with(s.substr(i), "http://") || text::istarts_with(s.substr(i), "https://")) return true;
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
         line.find_first_of(";&`$") == std::string_view::npos;
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
    check(s, 0, 70, "command at the start of the value", best);
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == ';' || c == '\n' || c == '|' || c == '&') {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '|' || s[j] == '&') && s[j] == c) ++j;
        if (!(c == '|' && table_row(s, i))) check(s, j, 85, "command after a shell separator", best);
      } else if (c == '`') {
        // Markdown inline code ("run `ls -la` to list") is preceded by a blank.
        if (i == 0 || !is_space(s[i - 1])) check(s, i + 1, 90, "command substitution", best);
      } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '(' && (i + 2 >= s.size() || s[i + 2] != '(')) {
        check(s, i + 2, 90, "command substitution", best);
      } else if ((c == '<' || c == '>') && i + 1 < s.size() && s[i + 1] == '(') {
        check(s, i + 2, 90, "process substitution", best);
      }
    }
    // Reverse shells and interpreter one-liners need no separator to be unmistakable.
    static constexpr std::string_view kMarkers[] = {"/dev/tcp/", "/dev/udp/", "bash -i", "sh -i", "nc -e",
                                                    "ncat -e", "/bin/sh", "/bin/bash", "cmd.exe", "cmd /c",
                                                    "powershell -e", "python -c", "perl -e", "ruby -e",
                                                    "php -r", "xp_cmdshell", "() { :;};", "() { :; };"};
    for (auto m : kMarkers) {
      const std::size_t at = text::ifind(s, m);
      if (at != std::string_view::npos && 90 > best.score) best = {at, 90, "shell one-liner"};
    }
    if (best.score == 0) return;
    text::report(out, AttackClass::command_injection, value, s, best.at, 64, best.score, best.rule);
  }

 private:
  static void check(std::string_view s, std::size_t i, int score, std::string_view rule, Hit& best) noexcept {
    if (score <= best.score) return;
    const std::size_t start = skip_blank(s, i);
    std::array<char, kMaxWord> buf{};
    std::size_t n = 0;
    const std::size_t end = read_word(s, start, buf, n);
    if (n == 0 || n > 16) return;
    const std::string_view w(buf.data(), n);
    if (!in(kPrograms, w)) return;
    const bool word_program = in(kWordPrograms, w);
    // "more; less": an ordinary word ending the value is prose; "; id" is the classic probe.
    if (word_program && w != "id" && s.find_first_not_of(" \t\r\n", end) == std::string_view::npos) return;
    // At the very start only options, paths and substitutions count: "cat /etc/passwd", not "ping me".
    if (i == 0) {
      if (end >= s.size()) return;
      const std::size_t arg = s.find_first_not_of(" \t", end);
      const bool pathish = arg != std::string_view::npos && arg > end &&
                           std::string_view("-/$~.\\").find(s[arg]) != std::string_view::npos;
      if (word_program && !pathish) return;
    }
    if (!shell_argument(s, end, word_program)) return;
    best = {i == 0 ? 0 : i - 1, score, rule};
  }
};

}  // namespace

std::unique_ptr<Detector> make_command_injection() { return std::make_unique<CommandInjectionDetector>(); }

}  // namespace waf::engine
