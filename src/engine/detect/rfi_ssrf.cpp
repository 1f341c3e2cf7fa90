#include "engine/detect/rfi_ssrf.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::iequals;
using text::is_alpha;
using text::is_digit;
using text::lower;

struct Scheme {
  std::string_view name;
  int score;
};
// Schemes a fetcher or an include() understands but a web form never needs.
constexpr Scheme kOddSchemes[] = {
    {"file", 85},   {"gopher", 90}, {"dict", 90},    {"php", 90},     {"jar", 85},    {"expect", 95},
    {"phar", 90},   {"zip", 80},    {"compress.zlib", 85}, {"glob", 85}, {"data", 0}, {"netdoc", 90},
    {"tftp", 85},   {"ldap", 75},   {"ldaps", 75},   {"sftp", 70},    {"ssh2", 85},   {"rar", 80},
    {"ogg", 75},    {"local_file", 90}, {"jdbc", 80}, {"smb", 75},    {"rsync", 70},  {"rtmp", 60},
    {"irc", 60},    {"telnet", 75}, {"mailto", 0},   {"http", 0},     {"https", 0},   {"ftp", 0},
    {"ftps", 0},    {"ws", 0},      {"wss", 0},
};
// Host names of metadata services and internal aliases.
constexpr std::string_view kInternalNames[] = {"metadata.google.internal", "metadata", "instance-data",
                                               "metadata.azure.com", "localhost", "localhost.localdomain",
                                               "ip6-localhost", "ip6-loopback", "kubernetes.default.svc",
                                               "kubernetes.default"};

constexpr std::size_t kMaxHost = 128;

// Parses one IPv4 component in C inet_aton style: decimal, 0x hex or 0 octal.
std::optional<std::uint64_t> ipv4_part(std::string_view p) noexcept {
  if (p.empty() || p.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  unsigned base = 10;
  if (p.size() > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    base = 16;
    p.remove_prefix(2);
  } else if (p.size() > 1 && p[0] == '0') {
    base = 8;
    p.remove_prefix(1);
  }
  for (char c : p) {
    unsigned d;
    if (is_digit(c)) d = static_cast<unsigned>(c - '0');
    else if (base == 16 && text::is_hex(c)) d = static_cast<unsigned>(lower(c) - 'a' + 10);
    else return std::nullopt;
    if (d >= base) return std::nullopt;
    v = v * base + d;
    if (v > 0xFFFFFFFFull) return std::nullopt;
  }
  return v;
}

// inet_aton: "127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.01".
std::optional<std::uint32_t> parse_ipv4(std::string_view host) noexcept {
  std::array<std::uint64_t, 4> parts{};
  std::size_t n = 0;
  while (true) {
    const std::size_t dot = host.find('.');
    if (n == 4) return std::nullopt;
    const auto part = ipv4_part(host.substr(0, dot));
    if (!part) return std::nullopt;
    parts[n++] = *part;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (parts[i] > 255) return std::nullopt;
    v |= parts[i] << (8 * (3 - i));
  }
  const std::uint64_t last_max = n == 1 ? 0xFFFFFFFFull : (0xFFFFFFFFull >> (8 * (n - 1)));
  if (parts[n - 1] > last_max) return std::nullopt;
  v |= parts[n - 1];
  return static_cast<std::uint32_t>(v);
}

enum class Reach { none, public_ip, internal, metadata };

Reach classify_ipv4(std::uint32_t ip) noexcept {
  const auto a = ip >> 24, b = (ip >> 16) & 0xFF;
  if (ip == 0xA9FEA9FE || ip == 0x64646400 + 200 || ip == 0xA9FEAA02) return Reach::metadata;  // AWS/GCP/Azure, Alibaba, ECS
  if (a == 127 || a == 10 || a == 0 || (a == 169 && b == 254) || (a == 192 && b == 168) ||
      (a == 172 && b >= 16 && b <= 31) || (a == 100 && b >= 64 && b <= 127))
    return Reach::internal;
  return Reach::public_ip;
}

// IPv6 literals: loopback, unspecified, link-local, unique-local, IPv4-mapped/compatible.
Reach classify_ipv6(std::string_view h) noexcept {
  if (const auto pct = h.find('%'); pct != std::string_view::npos) h = h.substr(0, pct);
  if (h.empty()) return Reach::none;
  const std::size_t last_colon = h.rfind(':');
  if (last_colon != std::string_view::npos && h.find('.', last_colon) != std::string_view::npos) {
    if (auto v4 = parse_ipv4(h.substr(last_colon + 1))) return classify_ipv4(*v4);
  }
  if (h == "::1" || h == "::" || h == "0:0:0:0:0:0:0:1" || h == "0:0:0:0:0:0:0:0") return Reach::internal;
  if (text::istarts_with(h, "fe80") || text::istarts_with(h, "fc") || text::istarts_with(h, "fd")) {
    if (text::istarts_with(h, "fd00:ec2::254")) return Reach::metadata;
    return Reach::internal;
  }
  // "::ffff:7f00:1" (mapped, hex) and other all-zero prefixes.
  if (text::istarts_with(h, "::ffff:") || text::istarts_with(h, "0:0:0:0:0:ffff:")) return Reach::internal;
  if (h.size() <= 4 && h.find("::") != std::string_view::npos) return Reach::internal;  // "a::", "::"
  return Reach::public_ip;
}

Reach classify_host(std::string_view host) noexcept {
  // Lower-case, fold ideographic full stops ("169。254。169。254") and drop a trailing dot.
  std::array<char, kMaxHost> buf{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < host.size() && n < buf.size(); ++i) {
    if (host.compare(i, 3, "\xE3\x80\x82") == 0) {
      buf[n++] = '.';
      i += 2;
      continue;
    }
    if (host[i] == '\\') continue;
    buf[n++] = lower(host[i]);
  }
  std::string_view h(buf.data(), n);
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  if (h.empty()) return Reach::none;
  if (h.front() == '[') {
    const std::size_t close = h.find(']');
    return classify_ipv6(h.substr(1, (close == std::string_view::npos ? h.size() : close) - 1));
  }
  for (auto name : kInternalNames) {
    if (h == name) return name.starts_with("metadata") || name == "instance-data" ? Reach::metadata : Reach::internal;
  }
  if (h.ends_with(".localhost") || h.ends_with(".internal") || h.ends_with(".local")) return Reach::internal;
  // DNS names that resolve to any IP by construction (127.0.0.1.nip.io).
  if (h.ends_with(".nip.io") || h.ends_with(".sslip.io") || h.ends_with(".xip.io")) return Reach::internal;
  if (auto v4 = parse_ipv4(h)) return classify_ipv4(*v4);
  return Reach::none;
}

// The authority of a URL starting at `at` (after "scheme:"): skips "//", userinfo and the port.
std::string_view authority_host(std::string_view s, std::size_t at) noexcept {
  std::size_t i = at;
  while (i < s.size() && (s[i] == '/' || s[i] == '\\') && i < at + 3) ++i;
  std::size_t end = i;
  const std::size_t limit = std::min(s.size(), i + kMaxHost * 2);
  while (end < limit && s[end] != '/' && s[end] != '?' && s[end] != '#' && !text::is_space(s[end]) &&
         s[end] != '"' && s[end] != '\'' && s[end] != '<' && s[end] != '>')
    ++end;
  std::string_view auth = s.substr(i, end - i);
  if (const auto atsign = auth.rfind('@'); atsign != std::string_view::npos) auth = auth.substr(atsign + 1);
  if (!auth.empty() && auth.front() == '[') {
    const auto close = auth.find(']');
    return close == std::string_view::npos ? auth : auth.substr(0, close + 1);
  }
  if (const auto colon = auth.find(':'); colon != std::string_view::npos) auth = auth.substr(0, colon);
  return auth;
}

// Argument names PHP-style include() bugs are found in ("mosConfig_absolute_path", "page_file").
bool include_argument(std::string_view location) noexcept {
  const std::size_t dot = location.find('.');
  const std::string_view name = dot == std::string_view::npos ? location : location.substr(dot + 1);
  // Words of the name split at '_', '-', '[' and camelCase humps; a word must start with a hint
  // ("redirect_url" has no "dir" word, "mosConfig_absolute_path" has "Config" and "path").
  static constexpr std::string_view kHints[] = {"path", "file", "include", "inc", "dir", "root", "conf",
                                                "template", "tpl", "module", "lib"};
  std::size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && !is_alpha(name[i])) ++i;
    std::size_t end = i + 1;
    while (end < name.size() && (text::is_word(name[end]) && name[end] != '_') &&
           !(name[end] >= 'A' && name[end] <= 'Z' && name[end - 1] >= 'a' && name[end - 1] <= 'z'))
      ++end;
    if (i >= name.size()) break;
    const std::string_view word = name.substr(i, end - i);
    for (auto hint : kHints) {
      if (text::istarts_with(word, hint)) return true;
    }
    i = end;
  }
  return false;
}

// A URL the application will fetch is the argument itself ("url=http://10.0.0.1/"), not a link
// inside prose ("open http://localhost:8080 in your browser").
bool url_argument(std::string_view s, std::size_t at) noexcept {
  const std::size_t first = s.find_first_not_of(" \t\r\n\"'");
  return at <= first || s.find(' ') == std::string_view::npos;
}

struct Hit {
  std::size_t at = 0;
  int score = 0;
  std::string_view rule;
};

class RfiSsrfDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::rfi_ssrf; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    // Referer/Origin legitimately name intranet hosts; only odd schemes and metadata count there.
    const bool header = value.kind == LocationKind::header;
    Hit best;
    for (std::size_t colon = s.find(':'); colon != std::string_view::npos; colon = s.find(':', colon + 1)) {
      std::size_t b = colon;
      while (b > 0 && (is_alpha(s[b - 1]) || is_digit(s[b - 1]) || s[b - 1] == '_' || s[b - 1] == '.' ||
                       s[b - 1] == '+' || s[b - 1] == '-'))
        --b;
      const std::string_view scheme = s.substr(b, colon - b);
      if (scheme.empty() || !is_alpha(scheme[0])) continue;
      const Scheme* known = nullptr;
      for (const auto& k : kOddSchemes) {
        if (iequals(k.name, scheme)) known = &k;
      }
      if (known == nullptr) continue;
      const bool slashes = s.compare(colon + 1, 2, "//") == 0 || s.compare(colon + 1, 2, "\\\\") == 0;
      const bool url_start = b == 0 || !is_alpha(s[b - 1]);
      if (!url_start) continue;
      // "jar:http://...", "file:/etc/passwd", "file:c:/..." work without "//"; prose "file: x" does not.
      const char next = colon + 1 < s.size() ? s[colon + 1] : '\0';
      const bool jar = iequals(scheme, "jar") && is_alpha(next);
      const bool file = iequals(scheme, "file") && (next == '/' || next == '\\' ||
                                                      (is_alpha(next) && s.compare(colon + 2, 1, ":") == 0));
      if (known->score > 0 && (slashes || jar || file)) {
        if (known->score > best.score) best = {b, known->score, "fetch through an odd URL scheme"};
      }
      if (iequals(scheme, "data") && (text::istarts_with(s.substr(colon + 1), "text/plain;base64") ||
                                      text::istarts_with(s.substr(colon + 1), "application/x-httpd-php")) &&
          !header) {
        if (80 > best.score) best = {b, 80, "data: URL payload"};
      }
      if (!slashes) {
        // "http:2852039166", "http:/127.1": browsers and curl still take the host.
        if (iequals(scheme, "mailto") || !(iequals(scheme, "http") || iequals(scheme, "https"))) continue;
      }
      const std::string_view host = authority_host(s, colon + 1);
      const Reach reach = classify_host(host);
      if (reach == Reach::metadata) {
        best = {b, 95, "cloud metadata endpoint"};
      } else if (reach == Reach::internal && !header && 85 > best.score && url_argument(s, b)) {
        best = {b, 85, "URL to a loopback or private address"};
      } else if (reach == Reach::public_ip && !header && 65 > best.score) {
        best = {b, 65, "URL to a raw IP address"};
      }
      // A host written as one decimal number beyond 32 bits still reaches an address on parsers
      // that wrap it ("7147006462" = 169.254.169.254 + 2^32).
      if (!header && host.size() > 9 && host.find_first_not_of("0123456789") == std::string_view::npos && 80 > best.score)
        best = {b, 80, "URL to an integer host"};
      // RFI: an absolute URL in an argument whose name says it is a file or an include path.
      if (!header && slashes && (iequals(scheme, "http") || iequals(scheme, "https") || iequals(scheme, "ftp") ||
                                 iequals(scheme, "ftps")) &&
          b == 0 && include_argument(value.location) && 75 > best.score)
        best = {b, 75, "URL in an include-path argument"};
      // RFI: an include target ending in '?' so the application's own suffix becomes a query.
      if (!header && !host.empty() && s.back() == '?' && s.find('?') == s.size() - 1 && 75 > best.score)
        best = {b, 75, "include URL with a truncating '?'"};
    }
    // Bare metadata addresses without a scheme ("169.254.169.254/latest/meta-data").
    if (best.score < 95) {
      const std::size_t at = s.find("169.254.169.254");
      if (at != std::string_view::npos || text::ifind(s, "metadata.google.internal") != std::string_view::npos)
        best = {at == std::string_view::npos ? 0 : at, 90, "cloud metadata endpoint"};
    }
    if (best.score == 0) return;
    text::report(out, AttackClass::rfi_ssrf, value, s, best.at, 96, best.score, best.rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_rfi_ssrf() { return std::make_unique<RfiSsrfDetector>(); }

}  // namespace waf::engine
