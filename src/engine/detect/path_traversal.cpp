#include "engine/detect/path_traversal.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::ifind;

// Files and directories that are never a legitimate argument. Matched as path fragments after
// separators are unified to '/'; a leading '/' means "starts a path component".
constexpr std::string_view kSensitive[] = {
    "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts", "/etc/issue", "/etc/hostname",
    "/etc/sudoers", "/etc/crontab", "/etc/fstab", "/etc/mysql/", "/etc/nginx/", "/etc/apache2/",
    "/etc/httpd/", "/etc/ssh/", "/etc/security/", "/etc/subuid", "/etc/subgid", "/etc/os-release",
    "/etc/resolv.conf", "/etc/motd", "/proc/self/", "/proc/version", "/proc/cmdline", "/proc/net/",
    "/proc/mounts", "/proc/cpuinfo", "/proc/meminfo", "/proc/interrupts", "/proc/1/", "/var/log/",
    "/var/run/secrets/", "/root/", "/.ssh/", "/id_rsa", "/id_dsa", "/id_ecdsa", "/id_ed25519",
    "/authorized_keys", "/known_hosts", "/.bash_history", "/.bashrc", "/.profile", "/.htaccess",
    "/.htpasswd", "/.git/", "/.svn/", "/.hg/", "/.env", "/.aws/", "/.docker/", "/.kube/",
    "/.npmrc", "/.netrc", "/.pgpass", "/.my.cnf", "/web.config", "/wp-config.php", "/win.ini",
    "/boot.ini", "/system.ini", "/windows/system32/", "/winnt/", "/inetpub/", "/system32/",
    "/sam", "/autoexec.bat", "/config.inc.php", "/localsettings.php", "/web-inf/", "/sys/class",
    "/sys/kernel", "/sys/devices", "/sys/firmware", "/sys/module", "/sys/power", "/sys/fs/cgroup",
};
// kSensitive's entries grouped by the byte after their '/', in table order: a separator is
// compared with the few entries its next byte can start, not with the whole table.
struct SensitiveIndex {
  std::array<std::uint8_t, std::size(kSensitive)> order{};  // indices into kSensitive, grouped
  std::array<std::uint8_t, 257> begin{};                    // group b is order[begin[b], begin[b + 1])
};
constexpr SensitiveIndex kSensitiveIndex = [] {
  SensitiveIndex index;
  for (const std::string_view s : kSensitive) ++index.begin[static_cast<unsigned char>(s[1]) + 1U];
  for (std::size_t b = 1; b < index.begin.size(); ++b) index.begin[b] = static_cast<std::uint8_t>(index.begin[b] + index.begin[b - 1]);
  std::array<std::uint8_t, 256> next{};
  for (std::size_t b = 0; b < next.size(); ++b) next[b] = index.begin[b];
  for (std::size_t k = 0; k < std::size(kSensitive); ++k)
    index.order[next[static_cast<unsigned char>(kSensitive[k][1])]++] = static_cast<std::uint8_t>(k);
  return index;
}();
static_assert(std::all_of(std::begin(kSensitive), std::end(kSensitive), [](std::string_view s) { return s.size() >= 2; }),
              "every kSensitive entry has a byte after its '/'");
// Sensitive targets reachable without any "../": absolute Unix paths and Windows drive paths.
constexpr std::string_view kAbsoluteRoots[] = {"/etc/", "/proc/", "/sys/", "/root/", "/var/log/", "/var/run/secrets/",
                                               "c:/windows/", "c:/boot.ini", "c:/inetpub/", "c:/winnt/"};

constexpr std::size_t kMaxPath = 512;
// A file argument is short; a mention of /etc/issue deep in a longer text is documentation.
constexpr std::size_t kMaxArgumentBytes = 128;

// Separators and dots a server or OS reads as ASCII: the division and fullwidth slashes
// ("..%u2215etc"), fullwidth backslash and full stop, and "0x2e"/"0x2f"/"0x5c" spelled out by
// hex-decoding layers. Returns the bytes consumed (0: none here).
std::size_t fold_separator(std::string_view in, std::size_t i, char& out) noexcept {
  if (in[i] == '0' && i + 3 < in.size() && (in[i + 1] == 'x' || in[i + 1] == 'X')) {
    const std::string_view hex = in.substr(i + 2, 2);
    if (text::iequals(hex, "2e")) out = '.';
    else if (text::iequals(hex, "2f") || text::iequals(hex, "5c")) out = '/';
    else return 0;
    return 4;
  }
  if (static_cast<unsigned char>(in[i]) < 0xE2 || i + 2 >= in.size()) return 0;
  const std::string_view c = in.substr(i, 3);
  if (c == "\xE2\x88\x95" || c == "\xE2\x81\x84" || c == "\xEF\xBC\x8F" || c == "\xEF\xBC\xBC" || c == "\xE2\x88\x96") out = '/';
  else if (c == "\xEF\xBC\x8E") out = '.';
  else return 0;
  return 3;
}

// What normalise() copies each byte as when the byte needs nothing else (a letter, lower-cased,
// most punctuation); 0 for the bytes the loop must look at: separators, ';', NUL, the '0' of
// "0x2f" and the lead bytes of look-alikes. One lookup per byte of most of a value.
constexpr std::array<char, 256> kPlainBytes = [] {
  std::array<char, 256> table{};
  for (unsigned b = 1; b < 0xE2; ++b) table[b] = text::lower(static_cast<char>(b));
  for (const char c : std::string_view("0\\;/")) table[static_cast<unsigned char>(c)] = 0;
  return table;
}();

// Unifies separators and drops what the OS ignores, so "..\\..\\", "..%00/" and "..;/" read as "../"
// and "/./././etc" as "/etc".
// `disguised` tells whether a separator or dot was spelled some other way (a backslash, "0x2f", a
// look-alike): web arguments write relative paths with plain '/'.
std::size_t normalise(std::string_view in, std::array<char, kMaxPath>& out, bool& disguised) noexcept {
  std::size_t n = 0;
  disguised = false;
  // ".ssh/id_rsa", ".aws/credentials", "WEB-INF/web.xml": a relative path into a dot-directory or
  // a Java application's private folder reads like "/.ssh/...".
  if ((in.size() > 2 && in[0] == '.' && text::is_word(in[1]) && text::find_any(in, "/\\") != std::string_view::npos) ||
      text::istarts_with(in, "web-inf/") || text::istarts_with(in, "web-inf\\"))
    out[n++] = '/';
  for (std::size_t i = 0; i < in.size() && n < out.size(); ++i) {
    if (const char plain = kPlainBytes[static_cast<unsigned char>(in[i])]; plain != 0) {
      out[n++] = plain;
      continue;
    }
    char c = text::lower(in[i]);
    if (const std::size_t used = fold_separator(in, i, c); used > 0) {
      i += used - 1;
      disguised = true;
    }
    if (c == '\\') {
      c = '/';
      disguised = true;
    }
    if (c == '\0') continue;
    // Tomcat path parameters ("..;/") and Windows trailing dots/spaces.
    if (c == ';' && n > 0 && out[n - 1] == '.') continue;
    // "//etc/passwd", "/etc//passwd": file systems read repeated separators as one.
    if (c == '/' && n > 0 && out[n - 1] == '/') continue;
    // "/./" is "/": drop the '.' of a "./" that follows a separator and is not the end of "..".
    if (c == '/' && n >= 2 && out[n - 1] == '.' && out[n - 2] == '/') {
      --n;
      continue;
    }
    out[n++] = c;
  }
  return n;
}

// Counts "../" steps (also "..." and "...." runs and a final ".."), the most a path climbs.
int climb(std::string_view p) noexcept {
  int steps = 0;
  for (std::size_t i = 0; i + 1 < p.size(); ++i) {
    if (p[i] != '.' || p[i + 1] != '.') continue;
    const bool left = i == 0 || p[i - 1] == '/' || p[i - 1] == '=' || p[i - 1] == ':' || p[i - 1] == '.' ||
                      p[i - 1] == ' ' || p[i - 1] == '"' || p[i - 1] == '\'';
    std::size_t j = i;
    while (j < p.size() && p[j] == '.') ++j;
    // "..%20/", "..%01/": Windows drops trailing blanks from a name, and lax decoders control bytes.
    std::size_t k = j;
    while (k < p.size() && static_cast<unsigned char>(p[k]) <= 0x20) ++k;
    const bool right = k == p.size() || p[k] == '/';
    if (left && right && (i == 0 || p[i - 1] != '.')) ++steps;
    i = j - 1;
  }
  return steps;
}

// "/.git/", "/.cursor/mcp.json": dot-directories hold tool state and secrets, never pages.
// RFC 8615's /.well-known/ is the one public exception.
std::size_t hidden_component(std::string_view p) noexcept {
  for (std::size_t at = p.find("/."); at != std::string_view::npos; at = p.find("/.", at + 1)) {
    if (at + 2 >= p.size() || !text::is_word(p[at + 2])) continue;
    if (p.compare(at, 13, "/.well-known/") == 0) continue;
    return at;
  }
  return std::string_view::npos;
}

// Files that are left behind rather than published: dumps, backups, editor swap files, logs.
std::size_t backup_file(std::string_view p) noexcept {
  static constexpr std::string_view kSuffixes[] = {".sql", ".sql.gz", ".sql.zip", ".sql.bz2", ".bak", ".old", ".orig",
                                                   ".swp", ".save", ".log", ".sqlite", ".sqlite3", ".mdb", ".db",
                                                   ".tar.gz~", ".php~", ".inc", ".config~"};
  const std::size_t slash = p.rfind('/');
  const std::string_view file = slash == std::string_view::npos ? p : p.substr(slash + 1);
  for (auto suffix : kSuffixes) {
    if (file.size() > suffix.size() && file.ends_with(suffix)) return p.size() - file.size();
  }
  return std::string_view::npos;
}

// "cat /etc/passwd", "more /proc/self/environ": a short command line whose verb reads a file,
// not a sentence ("edit /etc/hosts and reload").
bool command_like(std::string_view p, std::size_t path_at) noexcept {
  if (p.size() > 64 || std::count(p.begin(), p.end(), ' ') > 3) return false;
  static constexpr std::string_view kReaders[] = {
      "cat", "more", "less", "head", "tail", "type", "nl", "tac", "strings", "od", "xxd", "base64", "curl", "wget",
      "sort", "uniq", "grep", "awk", "sed", "cp", "ls", "dir", "file", "include", "require", "zcat", "gunzip",
      "zstdcat", "xzcat", "bzcat", "unxz", "unzip", "tar", "vi", "vim", "nano", "diff", "source"};
  const auto reader = [](std::string_view word) {
    while (!word.empty() && !text::is_word(word[0]) && word[0] != '/') word.remove_prefix(1);  // "'zstdcat"
    if (const std::size_t slash = word.rfind('/'); slash != std::string_view::npos) word.remove_prefix(slash + 1);
    for (auto r : kReaders) {
      if (word == r) return true;
    }
    return false;
  };
  std::size_t end = path_at;
  while (end > 0 && p[end - 1] == ' ') --end;
  std::size_t begin = end;
  while (begin > 0 && p[begin - 1] != ' ') --begin;
  const std::string_view before = p.substr(begin, end - begin);
  // The word before the path is the command or one of its options ("gunzip -c /var/log/x.gz").
  if (reader(before) || (!before.empty() && before[0] == '-')) return true;
  const std::size_t first_end = p.find(' ');
  return reader(p.substr(0, first_end));
}

class PathTraversalDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::path_traversal; }

  void scan(const Value& value, Findings& out) const noexcept override {
    // Every verdict needs a separator (sensitive files start with '/') or a ".." climb, which
    // normalise() can also assemble from ".;." or a NUL between the dots.
    const std::string_view d = value.decoded;
    constexpr auto npos = std::string_view::npos;
    if (d.find('/') == npos && d.find('\\') == npos && d.find("..") == npos && d.find(".;") == npos &&
        d.find('\0') == npos)
      return;
    std::array<char, kMaxPath> buf;  // normalise() writes what it returns; nothing else is read
    bool disguised = false;
    const std::string_view p(buf.data(), normalise(d, buf, disguised));
    if (p.size() < 3) return;
    const Verdict v = judge(p, value, disguised);
    if (v.score == 0) return;
    // Positions refer to the normalised copy, which is what the evidence shows.
    text::report(out, AttackClass::path_traversal, value, p, v.at, 64, v.score, v.rule);
  }

 private:
  struct Verdict {
    std::size_t at = 0;
    int score = 0;
    std::string_view rule;
  };

  static Verdict judge(std::string_view p, const Value& value, bool disguised) noexcept {
    const int steps = climb(p);
    const std::size_t first_dots = p.find("..");
    std::string_view hit;
    std::size_t hit_at = 0;
    // Every entry starts with '/', so only separators need looking at (p is already lower case).
    for (std::size_t at = p.find('/'); at != std::string_view::npos && hit.empty(); at = p.find('/', at + 1)) {
      const auto next = static_cast<unsigned char>(at + 1 < p.size() ? p[at + 1] : '\0');
      for (std::size_t k = kSensitiveIndex.begin[next]; k < kSensitiveIndex.begin[next + 1U]; ++k) {
        const std::string_view s = kSensitive[kSensitiveIndex.order[k]];
        if (p.compare(at, s.size(), s) != 0) continue;
        // "/sam" must end the component: "/samples" is not the SAM hive.
        const std::size_t end = at + s.size();
        if (s.back() != '/' && end < p.size() && text::is_word(p[end])) continue;
        hit = s;
        hit_at = at;
        break;
      }
    }
    if (!hit.empty() && steps > 0) return {first_dots, 95, "traversal to a sensitive file"};
    // "/var/log/app/*.log" in a log shipper's config is a pattern: no file API expands a '*', so
    // the path names no file to read (a shell would, and command injection judges that).
    if (!hit.empty()) {
      const std::size_t token_end = std::min(text::find_any(p, " \t\"',", hit_at), p.size());
      if (p.substr(hit_at, token_end - hit_at).find('*') != std::string_view::npos) hit = {};
    }
    // "%SYSTEMROOT%\\win.ini", "%windir%/system32/...": a Windows variable standing for the root.
    if (!hit.empty() && p[0] == '%' && p.find('%', 1) != std::string_view::npos && p.find('%', 1) + 1 == hit_at)
      return {0, 85, "Windows variable path to a sensitive file"};
    if (!hit.empty()) {
      for (auto root : kAbsoluteRoots) {
        // "/etc/passwd" as the whole argument, "file=/etc/passwd", "c:\windows\win.ini".
        const std::size_t at = ifind(p, root);
        if (at == std::string_view::npos) continue;
        // The path is the argument ("/etc/passwd", "file=/etc/passwd", "x;cat /etc/passwd"),
        // not a mention in prose ("see /etc/issue, which ...") in a long text.
        const bool starts = at == 0 || p[at - 1] == '=' ||
                            (p.size() <= kMaxArgumentBytes && std::string_view(":\"'").find(p[at - 1]) != std::string_view::npos) ||
                            (p[at - 1] == ' ' && command_like(p, at));
        if (starts) return {at, 85, "absolute path to a sensitive file"};
      }
      // A dot-file named in a sentence ("open '/app/config/.env' failed") is an error message.
      const bool path_like = p.size() <= kMaxArgumentBytes && p.find(' ') == std::string_view::npos;
      if (value.kind == LocationKind::path || (hit[1] == '.' && (hit_at == 0 || path_like)))
        return {hit_at, 80, "sensitive file reference"};
      if (hit_at == 0) return {hit_at, 75, "sensitive file reference"};
    }
    if (steps >= 3) return {first_dots, 80, "deep directory climb"};
    // File names never carry directories; a climb in one is an upload escaping its folder.
    if (steps >= 1 && value.kind == LocationKind::multipart_filename) return {first_dots, 85, "climb in an upload name"};
    // One climb to a hidden file: "../.history", "..\\.env".
    if (steps >= 1) {
      const std::size_t hidden = p.find("/.", first_dots + 2);
      if (hidden != std::string_view::npos && hidden + 2 < p.size() && text::is_word(p[hidden + 2]))
        return {first_dots, 80, "climb to a hidden file"};
    }
    if (value.kind == LocationKind::path) {
      if (auto at = hidden_component(p); at != std::string_view::npos) return {at, 75, "hidden file or directory"};
      if (auto at = backup_file(p); at != std::string_view::npos) return {at, 70, "backup, dump or log file"};
    }
    // "..\\pineapple", "0x2e0x2e0x2f", "..∕": a climb written with disguised separators.
    if (steps >= 1 && disguised) return {first_dots, 75, "climb with disguised separators"};
    if (steps >= 1 && value.decoded.find('\0') != std::string_view::npos)
      return {first_dots, 80, "directory climb with NUL truncation"};
    if (steps >= 1 && value.kind == LocationKind::path) return {first_dots, 75, "directory climb in the path"};
    return {};
  }
};

}  // namespace

std::unique_ptr<Detector> make_path_traversal() { return std::make_unique<PathTraversalDetector>(); }

}  // namespace waf::engine
