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

enum class Names { splitting, dangerous, any };

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
    case Names::any: break;
  }
  // Where a line break is already foreign (cookies, headers), any "Token: value" is a header.
  return listed(kDangerousHeaders, name) || (line[k + 1] == ' ' || line[k + 1] == '\t');
}

bool start_line(std::string_view line) noexcept {
  if (istarts_with(line, "http/1.") || istarts_with(line, "http/2")) return true;  // status line
  // SMTP, POP3, IMAP and FTP commands smuggled into a mail or file-transfer back end.
  static constexpr std::string_view kMailVerbs[] = {"rcpt to:", "mail from:", "helo ", "ehlo ", "retr ",
                                                    "dele ", "stor ", "site exec", "a001 ", "x login "};
  for (auto v : kMailVerbs) {
    if (istarts_with(line, v)) return true;
  }
  static constexpr std::string_view kMethods[] = {"get ", "post ", "put ", "delete ", "head ", "options ", "patch ", "connect ", "trace "};
  for (auto m : kMethods) {
    if (istarts_with(line, m) && text::ifind(line, " http/") != std::string_view::npos) return true;
  }
  return false;
}

// A whole smuggled request inside a value: "barGET /a.html HTTP/1.1\r\nHost: x" (an upper-case
// method glued to anything, a target, the version, then a header line).
std::size_t embedded_request(std::string_view s) noexcept {
  for (std::size_t at = s.find(" HTTP/1."); at != std::string_view::npos; at = s.find(" HTTP/1.", at + 1)) {
    const std::size_t eol = at + 9;
    if (eol + 1 >= s.size() || (s[eol] != '\r' && s[eol] != '\n')) continue;
    std::size_t t = at;
    while (t > 0 && s[t - 1] != ' ' && s[t - 1] != '\n') --t;
    if (t == 0 || s[t - 1] != ' ' || (s[t] != '/' && !istarts_with(s.substr(t), "http"))) continue;
    std::size_t m = t - 1;
    std::size_t len = 0;
    while (m > 0 && s[m - 1] >= 'A' && s[m - 1] <= 'Z') --m, ++len;
    if (len < 3) continue;
    std::size_t next = eol;
    while (next < s.size() && (s[next] == '\r' || s[next] == '\n')) ++next;
    const std::size_t end = text::find_any(s, "\r\n", next);
    if (header_line(s.substr(next, (end == std::string_view::npos ? s.size() : end) - next), Names::any)) return m;
  }
  return std::string_view::npos;
}

// Line breaks a back end may produce from something else: "\\r\\n" escapes a template or JSON
// layer decodes later, and characters whose low byte is CR or LF ("嘊嘍" = U+560A U+560D, "čĊ")
// that a Latin-1 conversion truncates to "\r\n". Returns where the forged header line starts.
// `escapes`: whether "\\r\\n" counts; code that builds requests ("Host: x\\r\\nConnection:") is pasted
// into bodies as text.
std::size_t disguised_break(std::string_view s, bool escapes) noexcept {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    std::size_t after = 0;
    const auto c = static_cast<unsigned char>(s[i]);
    if (escapes && s[i] == '\\' && (s[i + 1] == 'n' || s[i + 1] == 'r')) {
      after = i + 2;
    } else if (c >= 0xC0 && c < 0xE0) {
      // Two-byte UTF-8: the code point's low byte is ((b0 & 3) << 6) | (b1 & 0x3F).
      const auto low = static_cast<unsigned>(((c & 0x03u) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu));
      if (low == 0x0A || low == 0x0D) after = i + 2;
    } else if (c >= 0xE0 && c < 0xF0 && i + 2 < s.size()) {
      const auto low = static_cast<unsigned>(((static_cast<unsigned char>(s[i + 1]) & 0x03u) << 6) |
                                             (static_cast<unsigned char>(s[i + 2]) & 0x3Fu));
      if (low == 0x0A || low == 0x0D) after = i + 3;
    }
    if (after == 0) continue;
    // Skip further breaks of the same kind ("\\r\\n", "嘊嘍").
    while (after + 1 < s.size() && (s.compare(after, 2, "\\n") == 0 || s.compare(after, 2, "\\r") == 0)) after += 2;
    while (after + 2 < s.size() && static_cast<unsigned char>(s[after]) >= 0xC0) {
      const bool three = static_cast<unsigned char>(s[after]) >= 0xE0;
      after += three ? 3 : 2;
    }
    const std::size_t eol = text::find_any(s, "\r\n", after);
    const std::string_view line = s.substr(std::min(after, s.size()), (eol == std::string_view::npos ? s.size() : eol) - std::min(after, s.size()));
    if (header_line(line, Names::dangerous)) return i;
  }
  return std::string_view::npos;
}

// Where disguised_break() could start: a backslash or a UTF-8 lead byte; plain ASCII has neither.
std::size_t first_disguise_candidate(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' || static_cast<unsigned char>(s[i]) >= 0xC0) return i;
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
  static constexpr std::string_view kTypes[] = {"application/", "text/", "multipart/"};
  for (auto t : kTypes) {
    if (text::ifind(s.substr(semi), t) != std::string_view::npos) return true;
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
    if ((k == LocationKind::cookie || k == LocationKind::query_name) && value.location.starts_with("cookie.$"))
      return found(value, out, 0, 65, "RFC 2109 cookie attribute");
    if (s.find('\n') == std::string_view::npos && s.find('\r') == std::string_view::npos) {
      // A whole request line as an argument ("GET http://x/ HTTP/1.1") is smuggling bait even after
      // the decoder or the client dropped the line break.
      if ((k == LocationKind::query_value || k == LocationKind::cookie) && start_line(s))
        return found(value, out, 0, 75, "request line in an argument");
      if (const std::size_t at = first_disguise_candidate(s);
          at != std::string_view::npos) {
        // In a body an escape counts only right after a short token ("en\\r\\nSet-Cookie: x").
        const bool escapes = !body || (at <= 64 && s.substr(0, at).find(' ') == std::string_view::npos);
        if (const std::size_t d = disguised_break(s.substr(at), escapes); d != std::string_view::npos)
          return found(value, out, at + d, 75, "disguised line break before a header");
      }
      return;
    }
    // Names and paths never contain line breaks in legitimate traffic.
    if (k == LocationKind::query_name || k == LocationKind::path || k == LocationKind::method ||
        k == LocationKind::json_key) {
      return found(value, out, text::find_any(s, "\r\n"), 80, "line break in a name or path");
    }
    if (body) {
      if (const std::size_t at = embedded_request(s); at != std::string_view::npos)
        return found(value, out, at, 75, "request smuggled in a body");
    }
    // Text typed into a textarea ("Name: Alice\nEmail: ...") reads like headers; a value that reaches
    // a header starts with a short token ("en", "/home") before its first line break.
    const std::size_t first_break = text::find_any(s, "\r\n");
    const bool token_first = first_break <= 64 && s.substr(0, first_break).find(' ') == std::string_view::npos;
    Names names = Names::any;
    if (body) names = token_first ? Names::dangerous : Names::splitting;
    else if (k == LocationKind::query_value && !token_first) names = Names::dangerous;
    for (std::size_t nl = first_break; nl != std::string_view::npos; nl = text::find_any(s, "\r\n", nl + 1)) {
      std::size_t i = nl;
      while (i < s.size() && (s[i] == '\r' || s[i] == '\n' || s[i] == ' ' || s[i] == '\t')) ++i;
      const std::size_t eol = text::find_any(s, "\r\n", i);
      const std::string_view line = s.substr(i, (eol == std::string_view::npos ? s.size() : eol) - i);
      if (start_line(line)) return found(value, out, nl, body ? 75 : 90, "status or request line after a line break");
      if (header_line(line, names)) return found(value, out, nl, body && !token_first ? 70 : 85, "header line after a line break");
      if (!body) {
        // "\r\n\r\n<html>" starts a forged response body; "\nnext=more" forges another parameter.
        const bool blank_line = s.compare(nl, 4, "\r\n\r\n") == 0 || s.compare(nl, 2, "\n\n") == 0;
        if (blank_line && i < s.size() && s[i] == '<') return found(value, out, nl, 85, "forged response body");
        std::size_t w = i;
        while (w < line.size() + i && (text::is_word(s[w]) || s[w] == '-')) ++w;
        if (w > i && w < s.size() && s[w] == '=') return found(value, out, nl, 70, "forged parameter after a line break");
      }
      nl = i > nl ? i - 1 : nl;
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
