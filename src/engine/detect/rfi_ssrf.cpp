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
  bool in_prose;  // also counts inside a sentence: only exploit wrappers, never written to people
};
// Schemes a fetcher or an include() understands but a web form rarely needs. People do write
// "file:///home/me/notes.txt" or "smb://nas/share" in a message, so those count only as the argument.
constexpr Scheme kOddSchemes[] = {
    {"file", 85, false},   {"gopher", 90, true}, {"dict", 90, true},   {"php", 90, true},   {"jar", 85, true},
    {"expect", 95, true},  {"phar", 90, true},   {"zip", 80, true},    {"compress.zlib", 85, true},
    {"glob", 85, true},    {"data", 0, false},   {"netdoc", 90, true}, {"tftp", 85, false}, {"ldap", 75, true},
    {"ldaps", 75, true},  {"sftp", 70, false},  {"ssh2", 85, true},   {"rar", 80, true},   {"ogg", 75, true},
    {"local_file", 90, true}, {"jdbc", 80, false}, {"smb", 75, false}, {"rsync", 70, false}, {"telnet", 75, false},
    {"mailto", 0, false},  {"http", 0, false},   {"https", 0, false},  {"ftp", 0, false},   {"ftps", 0, false},
    {"ws", 0, false},      {"wss", 0, false},
};
// Host names of metadata services and internal aliases.
constexpr std::string_view kMetadataNames[] = {"metadata.google.internal", "metadata", "instance-data",
                                               "metadata.azure.com", "metadata.packet.net",
                                               "metadata.platformequinix.com", "metadata.tencentyun.com",
                                               "rancher-metadata"};
constexpr std::string_view kInternalNames[] = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
                                               "kubernetes.default.svc", "kubernetes.default", "localtest.me",
                                               "lvh.me", "vcap.me"};
// Public DNS names that resolve to loopback (or to any address spelled in the name) by design.
constexpr std::string_view kLoopbackDomains[] = {".nip.io", ".sslip.io", ".xip.io", ".localtest.me", ".lvh.me",
                                                 ".vcap.me", ".localhost", ".internal", ".local"};

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
  // AWS/GCP/Azure, Alibaba, ECS task credentials, Oracle Cloud.
  if (ip == 0xA9FEA9FE || ip == 0x64646400 + 200 || ip == 0xA9FEAA02 || ip == 0xC00000C0) return Reach::metadata;
  // 0.0.0.0 reaches the local host; the rest of 0/8 is unroutable ("http:0xABCDEF" is not a host).
  if (a == 127 || a == 10 || ip == 0 || (a == 169 && b == 254) || (a == 192 && b == 168) ||
      (a == 172 && b >= 16 && b <= 31) || (a == 100 && b >= 64 && b <= 127))
    return Reach::internal;
  return Reach::public_ip;
}

// An IPv6 literal as eight groups ("::1", "0000::1", "::ffff:a9fe:a9fe", "::ffff:127.0.0.1").
std::optional<std::array<std::uint16_t, 8>> parse_ipv6(std::string_view h) noexcept {
  std::array<std::uint16_t, 8> head{}, tail{};
  std::size_t nh = 0, nt = 0;
  bool gap = false;
  if (h.starts_with("::")) {
    gap = true;
    h.remove_prefix(2);
  }
  while (!h.empty()) {
    const std::size_t colon = h.find(':');
    const std::string_view part = h.substr(0, colon);
    auto& groups = gap ? tail : head;
    std::size_t& n = gap ? nt : nh;
    if (part.find('.') != std::string_view::npos && colon == std::string_view::npos) {
      const auto v4 = parse_ipv4(part);  // the last 32 bits written as IPv4
      if (!v4 || n + 2 > 8) return std::nullopt;
      groups[n++] = static_cast<std::uint16_t>(*v4 >> 16);
      groups[n++] = static_cast<std::uint16_t>(*v4 & 0xFFFF);
      break;
    }
    if (part.empty() || part.size() > 4 || n >= 8) return std::nullopt;
    unsigned v = 0;
    for (char c : part) {
      if (!text::is_hex(c)) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(is_digit(c) ? c - '0' : lower(c) - 'a' + 10);
    }
    groups[n++] = static_cast<std::uint16_t>(v);
    if (colon == std::string_view::npos) break;
    h.remove_prefix(colon + 1);
    if (h.starts_with(":")) {
      if (gap) return std::nullopt;
      gap = true;
      h.remove_prefix(1);
    }
  }
  if (nh + nt > 8 || (!gap && nh != 8)) return std::nullopt;
  std::array<std::uint16_t, 8> out{};
  for (std::size_t i = 0; i < nh; ++i) out[i] = head[i];
  for (std::size_t i = 0; i < nt; ++i) out[8 - nt + i] = tail[i];
  return out;
}

// IPv6 literals: loopback, unspecified, link-local, unique-local, IPv4-mapped/compatible/NAT64.
Reach classify_ipv6(std::string_view h) noexcept {
  if (const auto pct = h.find('%'); pct != std::string_view::npos) h = h.substr(0, pct);
  const auto g = parse_ipv6(h);
  if (!g) return Reach::none;
  const auto& a = *g;
  if (a[0] == 0xFD00 && a[1] == 0x0EC2 && a[2] == 0 && a[3] == 0 && a[4] == 0 && a[5] == 0 && a[6] == 0 && a[7] == 0x254)
    return Reach::metadata;  // AWS IMDS over IPv6
  if ((a[0] & 0xFFC0) == 0xFE80 || (a[0] & 0xFE00) == 0xFC00) return Reach::internal;
  const bool zero_prefix = a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0;
  const bool nat64 = a[0] == 0x64 && a[1] == 0xFF9B && a[2] == 0 && a[3] == 0 && a[4] == 0 && a[5] == 0;
  if ((zero_prefix && (a[5] == 0 || a[5] == 0xFFFF)) || nat64) {
    const std::uint32_t v4 = (static_cast<std::uint32_t>(a[6]) << 16) | a[7];
    if (zero_prefix && a[5] == 0 && a[6] == 0) return Reach::internal;  // "::", "::1"
    return classify_ipv4(v4);
  }
  // Only 2000::/3 is global unicast; the rest is reserved, local or multicast.
  return (a[0] & 0xE000) == 0x2000 ? Reach::public_ip : Reach::internal;
}

// The ASCII character a resolver (IDNA mapping, NFKC) turns a look-alike into: fullwidth forms
// ("１２７．０．０．１"), circled digits and letters ("①②⑦.⓪.⓪.①", "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ") and the ideographic
// full stop ("169。254。169。254"). Returns the bytes consumed (0: not a look-alike).
std::size_t fold_lookalike(std::string_view s, std::size_t i, char& out) noexcept {
  if (i + 2 >= s.size()) return 0;
  const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]),
             b2 = static_cast<unsigned char>(s[i + 2]);
  if ((b0 & 0xF0) != 0xE0 || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return 0;
  const unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
  if (cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61) out = '.';
  else if (cp >= 0xFF10 && cp <= 0xFF19) out = static_cast<char>('0' + (cp - 0xFF10));
  else if (cp >= 0xFF21 && cp <= 0xFF3A) out = static_cast<char>('a' + (cp - 0xFF21));
  else if (cp >= 0xFF41 && cp <= 0xFF5A) out = static_cast<char>('a' + (cp - 0xFF41));
  else if (cp >= 0x2460 && cp <= 0x2468) out = static_cast<char>('1' + (cp - 0x2460));  // ① .. ⑨
  else if (cp == 0x24EA || cp == 0x24FF) out = '0';                                      // ⓪, ⓿
  else if (cp >= 0x24B6 && cp <= 0x24CF) out = static_cast<char>('a' + (cp - 0x24B6));  // Ⓐ .. Ⓩ
  else if (cp >= 0x24D0 && cp <= 0x24E9) out = static_cast<char>('a' + (cp - 0x24D0));  // ⓐ .. ⓩ
  else return 0;
  return 3;
}

// A single number beyond 32 bits ("0x41414141A9FEA9FE", "7147006462"): parsers that keep the low
// 32 bits reach that address, the rest reject it; either way no real link is written like that.
std::optional<std::uint32_t> overflowing_integer(std::string_view h) noexcept {
  unsigned base = 10;
  if (h.size() > 2 && h[0] == '0' && h[1] == 'x') {
    base = 16;
    h.remove_prefix(2);
  }
  if (h.empty() || h.size() > 40) return std::nullopt;
  std::uint64_t v = 0;
  bool overflow = false;
  for (char c : h) {
    unsigned d;
    if (is_digit(c)) d = static_cast<unsigned>(c - '0');
    else if (base == 16 && text::is_hex(c)) d = static_cast<unsigned>(c - 'a' + 10);
    else return std::nullopt;
    overflow = overflow || v > 0xFFFFFFFFull;
    v = (v * base + d) & 0xFFFFFFFFFFFFull;
  }
  overflow = overflow || v > 0xFFFFFFFFull;
  if (!overflow) return std::nullopt;
  return static_cast<std::uint32_t>(v & 0xFFFFFFFFull);
}

Reach classify_host(std::string_view host) noexcept {
  // Lower-case, fold look-alikes, drop backslashes (glibc's resolver ignores them) and a trailing dot.
  std::array<char, kMaxHost> buf{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < host.size() && n < buf.size(); ++i) {
    char folded = 0;
    if (const std::size_t used = fold_lookalike(host, i, folded); used > 0) {
      buf[n++] = folded;
      i += used - 1;
      continue;
    }
    if (host[i] == '\\') continue;
    if (host[i] == '\0') break;  // "localhost%00.example.com": C resolvers stop at the NUL
    buf[n++] = lower(host[i]);
  }
  std::string_view h(buf.data(), n);
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  if (h.empty()) return Reach::none;
  if (h.front() == '[') {
    const std::size_t close = h.find(']');
    return classify_ipv6(h.substr(1, (close == std::string_view::npos ? h.size() : close) - 1));
  }
  for (auto name : kMetadataNames) {
    if (h == name) return Reach::metadata;
  }
  for (auto name : kInternalNames) {
    if (h == name) return Reach::internal;
  }
  for (auto domain : kLoopbackDomains) {
    if (h.ends_with(domain)) return Reach::internal;
  }
  if (auto v4 = parse_ipv4(h)) return classify_ipv4(*v4);
  if (auto v4 = overflowing_integer(h)) return classify_ipv4(*v4) == Reach::metadata ? Reach::metadata : Reach::internal;
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
  // A name that also says it holds a link ("return_path", "root_url", "file_link") is navigation.
  static constexpr std::string_view kLinks[] = {"url", "uri", "link", "href", "redirect", "return", "callback",
                                                "next", "home", "site", "web"};
  bool hinted = false;
  std::size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && !is_alpha(name[i])) ++i;
    std::size_t end = i + 1;
    while (end < name.size() && (text::is_word(name[end]) && name[end] != '_') &&
           !(name[end] >= 'A' && name[end] <= 'Z' && name[end - 1] >= 'a' && name[end - 1] <= 'z'))
      ++end;
    if (i >= name.size()) break;
    const std::string_view word = name.substr(i, end - i);
    for (auto hint : kHints) hinted = hinted || text::istarts_with(word, hint);
    for (auto link : kLinks) {
      if (text::istarts_with(word, link)) return false;
    }
    i = end;
  }
  return hinted;
}

// RFC 8252: native apps receive the OAuth code on a loopback redirect URI
// ("redirect_uri=http://127.0.0.1:8085/callback"); the browser, not the server, follows it.
bool loopback_redirect(std::string_view location) noexcept {
  const std::size_t dot = location.find('.');
  return dot != std::string_view::npos && text::iequals(location.substr(dot + 1), "redirect_uri");
}

// A URL the application will fetch is the argument itself ("url=http://10.0.0.1/"), not a link
// inside prose ("open http://localhost:8080 in your browser").
// A URL that opens a sentence ("http://localhost:3000 is my dev server") is prose too: after the
// URL come words, where an argument ends or goes on with more URL syntax ("&@127.0.0.1/#").
bool url_argument(std::string_view s, std::size_t at) noexcept {
  if (s.find(' ') == std::string_view::npos) return true;
  const std::size_t first = s.find_first_not_of(" \t\r\n\"'");
  if (at > first) return false;
  std::size_t end = at;
  while (end < s.size() && !text::is_space(s[end])) ++end;
  while (end < s.size() && text::is_space(s[end])) ++end;
  return end >= s.size() || !is_alpha(s[end]);
}

struct Hit {
  std::size_t at = 0;
  int score = 0;
  std::string_view rule;
};

void keep(Hit& best, std::size_t at, int score, std::string_view rule) noexcept {
  if (score > best.score) best = {at, score, rule};
}

// The end of the URL starting at `from`: URLs in arguments do not contain blanks or quotes.
std::size_t url_end(std::string_view s, std::size_t from) noexcept {
  const std::size_t limit = std::min(s.size(), from + 512);
  std::size_t end = from;
  while (end < limit && !text::is_space(s[end]) && s[end] != '"' && s[end] != '\'' && s[end] != '<' && s[end] != '>')
    ++end;
  return end;
}

// Parser-differential hosts: "http://evil.example%2f@127.0.0.1/" (a proxy takes the host after the
// '@', a validator the one before), "http://127.0.0.1:80@evil.example/" (the reverse),
// "http://a.example:80 &@127.0.0.1:22/#@b.example/" (blanks inside the authority).
Reach hidden_host(std::string_view s, std::size_t authority) noexcept {
  const std::size_t end = std::min(s.size(), authority + 512);
  Reach worst = Reach::none;
  const auto consider = [&worst](std::string_view host) {
    const Reach r = classify_host(host);
    if (r == Reach::metadata || (r == Reach::internal && worst != Reach::metadata)) worst = r;
  };
  std::size_t first_at = std::string_view::npos;
  for (std::size_t at = s.find('@', authority); at < end; at = s.find('@', at + 1)) {
    if (first_at == std::string_view::npos) first_at = at;
    consider(authority_host(s, at + 1));
  }
  if (first_at != std::string_view::npos) {
    // The userinfo read as a host: up to the first ':', '/' or '@'.
    std::size_t i = authority;
    while (i < first_at && (s[i] == '/' || s[i] == '\\')) ++i;
    std::size_t e = i;
    while (e < first_at && s[e] != ':' && s[e] != '/' && s[e] != '@') ++e;
    consider(s.substr(i, e - i));
  }
  return worst;
}

// "http://evil.example/shell.txt?": the remote include's own suffix (".php") becomes a query.
// A link may end in a bare '?' too, so the '?' must follow a file name or come doubled.
bool truncating_query(std::string_view url) noexcept {
  if (url.empty() || url.back() != '?') return false;
  const std::size_t q = url.find('?');
  if (q + 1 < url.size()) return url.find_first_not_of('?', q) == std::string_view::npos && url.size() - q >= 2;
  if (q + 1 == url.size() && url.size() >= 2 && url[url.size() - 2] == '?') return true;
  const std::size_t slash = url.rfind('/', q);
  const std::string_view file = url.substr(slash == std::string_view::npos ? 0 : slash + 1, q - slash - 1);
  const std::size_t dot = file.rfind('.');
  return dot != std::string_view::npos && dot + 1 < file.size() && dot > 0;
}

// A URL whose path names server-side code or a shell script (".php", ".txt" shells, ".sh").
bool script_file(std::string_view url) noexcept {
  static constexpr std::string_view kScripts[] = {".php", ".txt", ".inc", ".sh", ".pl", ".py", ".cgi", ".asp",
                                                  ".aspx", ".jsp", ".phtml"};
  const std::size_t q = url.find_first_of("?#");
  const std::string_view path = url.substr(0, q);
  for (auto ext : kScripts) {
    if (path.size() > ext.size() && text::iequals(path.substr(path.size() - ext.size()), ext)) return true;
  }
  return false;
}

bool include_probe(std::string_view v) noexcept {
  const std::size_t q = v.find('?');
  if (q == std::string_view::npos || v.find_first_not_of('?', q) != std::string_view::npos) return false;
  const std::string_view scheme = v.substr(0, q);
  for (auto name : {"http", "https", "ftp", "ftps", "file"}) {
    if (text::iequals(scheme, name)) return true;
  }
  return false;
}

// Documents a viewer loads by URL ("viewer.html?file=https://cdn.example/manual.pdf"), not code.
bool document_url(std::string_view url) noexcept {
  static constexpr std::string_view kDocuments[] = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg",
                                                    ".mp4", ".mp3", ".csv", ".docx", ".xlsx", ".pptx", ".epub"};
  const std::size_t q = url.find_first_of("?#");
  const std::string_view path = url.substr(0, q);
  for (auto ext : kDocuments) {
    if (path.size() > ext.size() && text::iequals(path.substr(path.size() - ext.size()), ext)) return true;
  }
  return false;
}

// A data: URL an include() executes ("data://text/plain;base64,PD9waHA..."); images and other
// media are what data: URLs in forms normally carry.
// The payload must be markup or code ("<?php", "<script"): its first byte is '<', which base64
// writes as 'P'. A bare "data:text/plain" is a probe for the wrapper, and so is base64 text as
// the whole argument ("data:text/plain;base64,SSBsb3ZlIFBIUAo="): no form field takes a file that
// way. (PHP's "data://" spelling of harmless text stays allowed, as in CRS.)
bool data_payload(std::string_view rest, bool whole) noexcept {
  if (rest.starts_with("//")) rest.remove_prefix(2);
  const std::size_t comma = rest.find(',');
  const std::string_view type = rest.substr(0, comma);
  if (!(type.empty() || type[0] == ';' || text::istarts_with(type, "text/plain") || text::istarts_with(type, "text/x-") ||
        text::istarts_with(type, "application/x-httpd-php") || text::istarts_with(type, "application/x-php")))
    return false;
  if (comma == std::string_view::npos) return !type.empty();
  const std::string_view payload = rest.substr(comma + 1);
  if (text::ifind(type, ";base64") != std::string_view::npos) return payload.starts_with("P") || whole;
  return payload.find('<') != std::string_view::npos;
}

// Headers that name hosts by design: where the request came from, which host it is for, and the
// proxies on the way.
bool names_hosts(std::string_view location) noexcept {
  constexpr std::string_view kPrefix = "header.";
  if (!location.starts_with(kPrefix)) return false;
  const std::string_view name = location.substr(kPrefix.size());
  return name == "referer" || name == "origin" || name == "host" || name == "forwarded" || name == "via" ||
         name.starts_with("x-forwarded-") || name == "x-real-ip" || name == "x-original-host";
}

class RfiSsrfDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::rfi_ssrf; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    // Referer/Origin legitimately name intranet hosts; only odd schemes and metadata count there.
    const bool header = value.kind == LocationKind::header;
    // Other headers whose whole value is a URL to a loopback or private address ("X-Callback:
    // http://127.0.0.1:6379/", "User-Agent: http://[::1]/") are handed to a fetcher like an argument.
    const bool whole_url_header = header && !names_hosts(value.location) && s.find_first_of(" \t") == std::string_view::npos;
    const std::size_t lead = s.find_first_not_of(" \t\r\n\"'");
    Hit best;
    for (std::size_t colon = s.find(':'); colon != std::string_view::npos; colon = s.find(':', colon + 1)) {
      std::size_t b = colon;
      while (b > 0 && (is_alpha(s[b - 1]) || is_digit(s[b - 1]) || s[b - 1] == '_' || s[b - 1] == '.' ||
                       s[b - 1] == '+' || s[b - 1] == '-'))
        --b;
      const std::string_view scheme = s.substr(b, colon - b);
      if (scheme.empty() || !is_alpha(scheme[0]) || scheme.size() > 16) continue;
      const bool url_start = b == 0 || !is_alpha(s[b - 1]);
      if (!url_start) continue;
      const Scheme* known = nullptr;
      for (const auto& k : kOddSchemes) {
        if (iequals(k.name, scheme)) known = &k;
      }
      const bool slashes = s.compare(colon + 1, 2, "//") == 0 || s.compare(colon + 1, 2, "\\\\") == 0;
      const bool web = iequals(scheme, "http") || iequals(scheme, "https");
      // "unix:/run/x.sock|http://...": mod_proxy's socket syntax reaching any back end (CVE-2021-40438).
      if (iequals(scheme, "unix") && s.find('|', colon) != std::string_view::npos) keep(best, b, 90, "proxy to a UNIX socket");
      // Other schemes only count with an authority ("imap://①②⑦.⓪.⓪.①", "ssh://0177.0.0.1"); "note: x" is prose.
      if (known == nullptr && !slashes) continue;
      // "jar:http://...", "file:/etc/passwd", "file:c:/..." work without "//"; prose "file: x" does not.
      const char next = colon + 1 < s.size() ? s[colon + 1] : '\0';
      const bool jar = iequals(scheme, "jar") && is_alpha(next);
      const bool file = iequals(scheme, "file") && (next == '/' || next == '\\' ||
                                                      (is_alpha(next) && s.compare(colon + 2, 1, ":") == 0));
      if (known != nullptr && known->score > 0 && (slashes || jar || file) && (known->in_prose || url_argument(s, b)))
        keep(best, b, known->score, "fetch through an odd URL scheme");
      // The URL is the argument, or a parameter of one ("url=http://...", "a=1&file=http://...").
      const bool argument = b == lead || (b > 0 && s[b - 1] == '=');
      if (iequals(scheme, "data") && !header && argument &&
          data_payload(s.substr(colon + 1), b == lead && s.compare(colon + 1, 2, "//") != 0))
        keep(best, b, 80, "data: URL payload");
      // "http:2852039166", "http:/127.1": browsers and curl still take the host.
      if (!slashes && !web) continue;
      const std::string_view host = authority_host(s, colon + 1);
      Reach reach = classify_host(host);
      if (reach != Reach::metadata && s.find('@', colon) != std::string_view::npos) {
        const Reach hidden = hidden_host(s, colon + 1);
        if (hidden != Reach::none) reach = hidden;
      }
      if (reach == Reach::metadata) {
        keep(best, b, 95, "cloud metadata endpoint");
      } else if (reach == Reach::internal && !header && url_argument(s, b) && !loopback_redirect(value.location)) {
        keep(best, b, 85, "URL to a loopback or private address");
      } else if (reach == Reach::internal && whole_url_header && b == lead) {
        keep(best, b, 80, "header URL to a loopback or private address");
      }
      if (header) continue;
      const std::string_view url = s.substr(b, url_end(s, b) - b);
      // RFI: a script fetched from a bare address ("src=http://66.240.183.75/crash.php"); sites
      // that publish code have names.
      if (reach == Reach::public_ip && script_file(url)) keep(best, b, 75, "script from a raw IP address");
      // FTP to a bare address as the argument: the remote-include and fetch probe, not a link people share.
      if (reach == Reach::public_ip && argument && (iequals(scheme, "ftp") || iequals(scheme, "ftps")))
        keep(best, b, 70, "FTP URL to a raw IP address");
      // A host written as one decimal number beyond 32 bits still reaches an address on parsers
      // that wrap it ("7147006462" = 169.254.169.254 + 2^32).
      if (host.size() > 9 && host.find_first_not_of("0123456789") == std::string_view::npos) keep(best, b, 80, "URL to an integer host");
      // "http://\\g\\o\\o\\g\\l\\e.\\c\\o\\m/": escapes inside a host name hide it from filters.
      if (std::count(host.begin(), host.end(), '\\') >= 2) keep(best, b, 75, "escaped host name");
      // RFI: an absolute URL in an argument whose name says it is a file or an include path.
      if (slashes && (web || iequals(scheme, "ftp") || iequals(scheme, "ftps")) && argument &&
          include_argument(value.location) && !document_url(url))
        keep(best, b, 75, "URL in an include-path argument");
      // RFI: an include target ending in '?' (or a NUL) so the application's own suffix is cut off.
      if (!host.empty() && argument && (truncating_query(url) || (url.size() == s.size() - b && s.back() == '\0')))
        keep(best, b, 75, "include URL with a truncating suffix");
    }
    // "http?", "file??": an include() probe, a scheme and the '?' that would cut off the suffix.
    if (lead != std::string_view::npos && !header && include_probe(s.substr(lead))) keep(best, lead, 70, "include probe");
    // "//127.0.0.1/admin": a scheme-relative URL as the whole argument.
    if (lead != std::string_view::npos && s.compare(lead, 2, "//") == 0 && !header) {
      const Reach reach = classify_host(authority_host(s, lead));
      if (reach == Reach::metadata || reach == Reach::internal) keep(best, lead, 80, "scheme-relative URL to an internal host");
    }
    // "\\\\127.0.0.1\\c$\\x", "\\\\fileserver\\admin$": a UNC path to this host's network or an
    // administrative share, which Windows opens over SMB with the server's credentials.
    if (lead != std::string_view::npos && s.compare(lead, 2, "\\\\") == 0 && !header) {
      const std::size_t host_end = std::min(s.find('\\', lead + 2), s.size());
      const Reach reach = classify_host(s.substr(lead + 2, host_end - lead - 2));
      const std::size_t share_end = std::min(s.find('\\', host_end + 1), s.size());
      const bool admin_share = host_end + 1 < share_end && s[share_end - 1] == '$';
      if (reach == Reach::metadata || reach == Reach::internal || admin_share) keep(best, lead, 80, "UNC path to an internal host or share");
    }
    // "\\\\evil.example\\share\\shell.php": a UNC path in an include argument loads over SMB/WebDAV.
    if (lead != std::string_view::npos && s.compare(lead, 2, "\\\\") == 0 && !header && include_argument(value.location)) {
      const std::size_t host_end = s.find('\\', lead + 2);
      const std::string_view host = s.substr(lead + 2, (host_end == std::string_view::npos ? s.size() : host_end) - lead - 2);
      if (host.find('.') != std::string_view::npos && host_end != std::string_view::npos) keep(best, lead, 75, "UNC path in an include argument");
    }
    // Bare metadata addresses without a scheme ("169.254.169.254/latest/meta-data"), not a question
    // about one ("why is 169.254.169.254 reachable?"): a path or port follows, or the value is one token.
    if (best.score < 95) {
      for (auto name : {std::string_view("169.254.169.254"), std::string_view("metadata.google.internal")}) {
        const std::size_t at = text::ifind(s, name);
        if (at == std::string_view::npos) continue;
        const std::size_t end = at + name.size();
        if (s.find(' ') == std::string_view::npos || end == s.size() || s[end] == '/' || s[end] == ':')
          keep(best, at, 90, "cloud metadata endpoint");
      }
    }
    if (best.score == 0) return;
    text::report(out, AttackClass::rfi_ssrf, value, s, best.at, 96, best.score, best.rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_rfi_ssrf() { return std::make_unique<RfiSsrfDetector>(); }

}  // namespace waf::engine
