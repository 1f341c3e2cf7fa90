#include "engine/detect/crlf.hpp"

#include <algorithm>

#include "engine/detect/text.hpp"

namespace waf::engine {
namespace {

using text::istarts_with;

// Headers whose injection splits or hijacks a response; the only ones recognised in multi-line
// text, where "Cache-Control: max-age" may just be documentation.
constexpr std::string_view kSplittingHeaders[] = {"set-cookie", "location", "content-length", "transfer-encoding",
                                                  "refresh"};
// Headers an injected line would set in a value that reaches a header.
constexpr std::string_view kDangerousHeaders[] = {
    "set-cookie", "location", "content-type", "content-length", "transfer-encoding", "refresh",
    "access-control-allow-origin", "access-control-allow-credentials", "content-security-policy",
    "x-xss-protection", "content-disposition", "cache-control", "host", "x-forwarded-for",
    "x-forwarded-host", "cookie", "link", "connection", "upgrade", "authorization", "x-original-url",
    "x-rewrite-url", "remote-addr", "x-forwarded-proto", "expect"};

// Message headers an injected line adds to a mail the application sends ("to=a@x.com\r\nBcc: ...").
constexpr std::string_view kMailHeaders[] = {"bcc", "cc", "to", "from", "reply-to", "sender", "return-path", "subject"};

// The next CR or LF from `from`: called once or twice per line, so without find_any's table. Two
// vectorised memchr, the CR only up to the LF, beat a compare per byte on long lines.
std::size_t next_break(std::string_view s, std::size_t from = 0) noexcept {
  const std::size_t lf = s.find('\n', from);
  const std::size_t cr = s.substr(0, lf == std::string_view::npos ? s.size() : lf).find('\r', from);
  return cr < lf ? cr : lf;
}

enum class Names { splitting, dangerous, mail, any };

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view name) noexcept {
  for (auto h : list) {
    if (text::iequals(h, name)) return true;
  }
  return false;
}

// "Name: value" per RFC 9110 field-name (token) rules, with a value ("location:" alone sets nothing).
bool header_line(std::string_view line, Names names) noexcept {
  std::size_t i = 0;
  while (i < line.size() && (text::is_word(line[i]) || line[i] == '-')) ++i;
  if (i == 0 || i > 64) return false;
  std::size_t k = i;
  while (k < line.size() && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) ++k;
  if (k >= line.size() || line[k] != ':') return false;
  std::size_t v = k + 1;
  while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
  if (v >= line.size()) return false;
  const std::string_view name = line.substr(0, i);
  switch (names) {
    case Names::splitting: return listed(kSplittingHeaders, name);
    case Names::dangerous: return listed(kDangerousHeaders, name);
    case Names::mail: return listed(kDangerousHeaders, name) || listed(kMailHeaders, name);
    case Names::any: break;
  }
  // Where a line break is already foreign (cookies, headers, a query value that opens with a token),
  // any "Token: value" is a header ("Header-Test:BLATRUC").
  return true;
}

bool start_line(std::string_view line) noexcept {
  if (line.empty()) return false;
  // Each prefix is tried only on a line that opens with its letter: most lines try none.
  const char initial = text::lower(line[0]);
  if (initial == 'h' && (istarts_with(line, "http/1.") || istarts_with(line, "http/2"))) return true;  // status line
  // SMTP, POP3, IMAP and FTP commands smuggled into a mail or file-transfer back end.
  static constexpr std::string_view kMailVerbs[] = {"rcpt to:", "mail from:", "helo ", "ehlo ", "retr ",
                                                    "dele ", "stor ", "site exec", "a001 ", "x login "};
  for (auto v : kMailVerbs) {
    if (v[0] == initial && istarts_with(line, v)) return true;
  }
  static constexpr std::string_view kMethods[] = {"get ", "post ", "put ", "delete ", "head ", "options ", "patch ", "connect ", "trace "};
  for (auto m : kMethods) {
    if (m[0] == initial && istarts_with(line, m) && text::ifind(line, " http/") != std::string_view::npos) return true;
  }
  return false;
}

// Commands for a mail back end after an injected line break: an IMAP command behind its tag
// ("A1 LOGIN", "a002 select", a tag has a letter and a digit), or, where no text is typed (a query value, a
// header, a cookie), a bare upper-case POP3/SMTP verb ("QUIT", "USER admin", "DATA").
bool mail_command(std::string_view line, bool typed_text) noexcept {
  std::size_t t = 0;
  bool digit = false;
  bool letter = false;
  while (t < line.size() && t <= 8 && text::is_word(line[t])) {
    digit = digit || text::is_digit(line[t]);
    letter = letter || text::is_alpha(line[t]);
    ++t;
  }
  if (digit && letter && t < line.size() && line[t] == ' ') {
    static constexpr std::string_view kImap[] = {"login", "select", "examine", "fetch", "store", "uid", "list", "lsub",
                                                 "create", "delete", "rename", "append", "logout", "capability",
                                                 "authenticate", "copy", "search", "status", "noop", "starttls"};
    const std::string_view rest = line.substr(t + 1);
    for (auto c : kImap) {
      if (!istarts_with(rest, c) || (rest.size() > c.size() && rest[c.size()] != ' ')) continue;
      // Typed text has "Q3 status update" lines; a client sends the command in capitals.
      if (!typed_text || std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(c.size()),
                                     [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
        return true;
    }
  }
  if (typed_text) return false;
  static constexpr std::string_view kVerbs[] = {"USER ", "PASS ", "QUIT", "DATA", "RSET", "VRFY ", "EXPN ", "AUTH ",
                                                "NOOP", "UIDL", "TOP ", "STLS", "STARTTLS"};
  for (auto v : kVerbs) {
    if (line.starts_with(v) && (v.back() == ' ' || line.size() == v.size() || !text::is_alpha(line[v.size()])))
      return true;
  }
  return false;
}

// A whole smuggled request inside a value: "barGET /a.html HTTP/1.1\r\nHost: x" (an upper-case
// method glued to anything, a target, the version, then a header name).
std::size_t embedded_request(std::string_view s) noexcept {
  // Searched from the 'H': prose has a blank every few bytes, which would make " HTTP/1." slow.
  for (std::size_t h = s.find("HTTP/1."); h != std::string_view::npos; h = s.find("HTTP/1.", h + 1)) {
    if (h == 0 || s[h - 1] != ' ') continue;
    const std::size_t at = h - 1;
    const std::size_t eol = at + 9;
    if (eol + 1 >= s.size() || (s[eol] != '\r' && s[eol] != '\n')) continue;
    std::size_t t = at;
    while (t > 0 && s[t - 1] != ' ' && s[t - 1] != '\n') --t;
    if (t == 0 || s[t - 1] != ' ' || (s[t] != '/' && !istarts_with(s.substr(t), "http"))) continue;
    std::size_t m = t - 1;
    std::size_t len = 0;
    while (m > 0 && s[m - 1] >= 'A' && s[m - 1] <= 'Z') --m, ++len;
    if (len < 3) continue;
    // Then a header name (its value may lie beyond the body's declared length) or nothing more.
    std::size_t next = eol;
    while (next < s.size() && (s[next] == '\r' || s[next] == '\n')) ++next;
    std::size_t name = next;
    while (name < s.size() && (text::is_word(s[name]) || s[name] == '-')) ++name;
    if (next == s.size() || (name > next && name < s.size() && s[name] == ':')) return m;
  }
  return std::string_view::npos;
}

// Line breaks a back end may produce from something else: "\\r\\n" escapes a template or JSON
// layer decodes later, and characters whose low byte is CR or LF ("嘊嘍" = U+560A U+560D, "čĊ")
// that a Latin-1 conversion truncates to "\r\n". Found from the forged header's ':' backwards, so
// values without one cost a memchr. Returns where the break starts.
// In a body an escape counts only right after a short token ("en\\r\\nSet-Cookie: x"): code that
// builds requests ("Host: x\\r\\nConnection: close") is pasted into bodies as text.
std::size_t disguised_break(std::string_view s, bool body) noexcept {
  const auto byte = [s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t colon = s.find(':'); colon != std::string_view::npos; colon = s.find(':', colon + 1)) {
    std::size_t name = colon;
    while (name > 0 && (text::is_word(s[name - 1]) || s[name - 1] == '-')) --name;
    // The walk also took the letter of an escape ("\\nSet-Cookie").
    if (name > 0 && s[name - 1] == '\\' && (s[name] == 'n' || s[name] == 'r')) ++name;
    if (name == colon || name == 0 || !header_line(s.substr(name), Names::dangerous)) continue;
    if (name >= 2 && s[name - 2] == '\\' && (s[name - 1] == 'n' || s[name - 1] == 'r')) {
      std::size_t start = name - 2;
      while (start >= 2 && s[start - 2] == '\\' && (s[start - 1] == 'n' || s[start - 1] == 'r')) start -= 2;
      if (!body || (start <= 64 && s.substr(0, start).find(' ') == std::string_view::npos)) return start;
      continue;
    }
    // The character just before the name, as two- or three-byte UTF-8, and its code point's low byte.
    unsigned low = 0x100;
    std::size_t start = name;
    if (name >= 2 && byte(name - 2) >= 0xC0 && byte(name - 2) < 0xE0) {
      low = ((byte(name - 2) & 0x03u) << 6) | (byte(name - 1) & 0x3Fu);
      start = name - 2;
    } else if (name >= 3 && byte(name - 3) >= 0xE0 && byte(name - 3) < 0xF0) {
      low = ((byte(name - 2) & 0x03u) << 6) | (byte(name - 1) & 0x3Fu);
      start = name - 3;
    }
    if (low == 0x0A || low == 0x0D) return start;
  }
  return std::string_view::npos;
}

// "application/x-www-form-urlencoded;boundary=\"application/json\"": a second media type hidden
// in the parameters, so the WAF and the application parse the body differently.
bool confused_content_type(const Value& value) noexcept {
  if (!text::iequals(value.location, "header.content-type")) return false;
  const std::string_view s = value.decoded;
  const std::size_t semi = s.find(';');
  if (semi == std::string_view::npos) return false;
  const std::string_view type = s.substr(0, semi);
  // multipart/related names its root part's type in a parameter (MTOM, RFC 2387).
  if (text::ifind(type, "multipart/related") != std::string_view::npos) return false;
  static constexpr std::string_view kTypes[] = {"application/", "text/", "multipart/", "image/", "audio/",
                                                "video/", "font/", "model/", "message/"};
  for (auto t : kTypes) {
    if (text::ifind(s.substr(semi), t) != std::string_view::npos) return true;
  }
  return false;
}

bool rfc2109_attribute(std::string_view location) noexcept {
  static constexpr std::string_view kAttributes[] = {"cookie.$version", "cookie.$path", "cookie.$domain", "cookie.$port"};
  for (auto a : kAttributes) {
    if (text::iequals(location, a)) return true;
  }
  return false;
}

class CrlfDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::crlf; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    const LocationKind k = value.kind;
    const bool body = k == LocationKind::body_text || k == LocationKind::json_value || k == LocationKind::xml_text ||
                      k == LocationKind::multipart_value || k == LocationKind::form_value ||
                      k == LocationKind::xml_doctype;
    if (k == LocationKind::header) {
      if (confused_content_type(value)) return found(value, out, 0, 75, "second media type in the content type");
    }
    // "$Version=1; session=...": RFC 2109 attributes no browser sends, which flip a back end's
    // cookie parser into quoted-value mode.
    if ((k == LocationKind::cookie || k == LocationKind::query_name) && rfc2109_attribute(value.location))
      return found(value, out, 0, 65, "RFC 2109 cookie attribute");
    // The engine's byte set spares the searches for bytes the value lacks (it is a superset of
    // the decoded view's: a byte it lacks is not there, a byte it has may not be).
    const ByteSet bytes = text::bytes_of(value);
    const bool breaks = (bytes.contains('\n') && s.find('\n') != std::string_view::npos) ||
                        (bytes.contains('\r') && s.find('\r') != std::string_view::npos);
    if (!breaks) {
      // A whole request line as an argument ("GET http://x/ HTTP/1.1") is smuggling bait even after
      // the decoder or the client dropped the line break.
      if ((k == LocationKind::query_value || k == LocationKind::cookie) && start_line(s))
        return found(value, out, 0, 75, "request line in an argument");
      if (!bytes.contains(':')) return;
      if (const std::size_t at = disguised_break(s, body); at != std::string_view::npos)
        return found(value, out, at, 75, "disguised line break before a header");
      return;
    }
    // Names and paths never contain line breaks in legitimate traffic.
    if (k == LocationKind::query_name || k == LocationKind::path || k == LocationKind::method ||
        k == LocationKind::json_key) {
      return found(value, out, next_break(s), 80, "line break in a name or path");
    }
    if (body) {
      if (const std::size_t at = embedded_request(s); at != std::string_view::npos)
        return found(value, out, at, 75, "request smuggled in a body");
    }
    // Text typed into a textarea ("Name: Alice\nEmail: ...") reads like headers; a value that reaches
    // a header starts with a short token ("en", "/home") before its first line break.
    const std::size_t first_break = next_break(s);
    const bool token_first = first_break <= 64 && s.substr(0, first_break).find(' ') == std::string_view::npos;
    // A value that opens with a mail address ("a@b.example\r\nBcc: ...") goes into a mail's headers.
    const bool address_first = token_first && s.substr(0, first_break).find('@') != std::string_view::npos;
    // Documentation typed into a body shows HTTP exchanges in code blocks ("```\nHTTP/1.1 200 OK").
    if (body && !token_first &&
        (s.find("```") != std::string_view::npos || text::ifind(s, "<pre") != std::string_view::npos ||
         text::ifind(s, "<code") != std::string_view::npos))
      return;
    Names names = Names::any;
    if (body) names = address_first ? Names::mail : token_first ? Names::dangerous : Names::splitting;
    else if (k == LocationKind::query_value && !token_first) names = Names::dangerous;
    // A line's end is the next line's break: each line is walked once.
    std::size_t eol = std::string_view::npos;
    for (std::size_t nl = first_break; nl != std::string_view::npos; nl = eol) {
      std::size_t i = nl;
      while (i < s.size() && (s[i] == '\r' || s[i] == '\n' || s[i] == ' ' || s[i] == '\t')) ++i;
      eol = next_break(s, i);
      const std::string_view line = s.substr(i, (eol == std::string_view::npos ? s.size() : eol) - i);
      if (start_line(line)) return found(value, out, nl, body ? 75 : 90, "status or request line after a line break");
      if (mail_command(line, body && !address_first))
        return found(value, out, nl, 80, "mail command after a line break");
      if (header_line(line, names)) return found(value, out, nl, body && !token_first ? 70 : 85, "header line after a line break");
      if (!body) {
        // "\r\n\r\n<html>" starts a forged response body; "\nnext=more" forges another parameter.
        const bool blank_line = s.compare(nl, 4, "\r\n\r\n") == 0 || s.compare(nl, 2, "\n\n") == 0;
        if (blank_line && i < s.size() && s[i] == '<') return found(value, out, nl, 85, "forged response body");
        std::size_t w = i;
        while (w < line.size() + i && (text::is_word(s[w]) || s[w] == '-')) ++w;
        if (w > i && w < s.size() && s[w] == '=') return found(value, out, nl, 70, "forged parameter after a line break");
      }
    }
  }

 private:
  static void found(const Value& value, Findings& out, std::size_t at, int score, std::string_view rule) {
    text::report(out, AttackClass::crlf, value, value.decoded, at, 64, score, rule);
  }
};

}  // namespace

std::unique_ptr<Detector> make_crlf() { return std::make_unique<CrlfDetector>(); }

}  // namespace waf::engine
