#include "engine/detect/crlf.hpp"

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

// "Name: value" per RFC 9110 field-name (token) rules.
bool header_line(std::string_view line, bool dangerous_only) noexcept {
  std::size_t i = 0;
  while (i < line.size() && (text::is_word(line[i]) || line[i] == '-')) ++i;
  if (i == 0 || i > 64) return false;
  std::size_t k = i;
  while (k < line.size() && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) ++k;
  if (k >= line.size() || line[k] != ':') return false;
  const std::string_view name = line.substr(0, i);
  if (dangerous_only) {
    for (auto h : kSplittingHeaders) {
      if (text::iequals(h, name)) return true;
    }
    return false;
  }
  for (auto h : kDangerousHeaders) {
    if (text::iequals(h, name)) return true;
  }
  // Where a line break is already foreign (queries, cookies, headers), any "Token: value" is a header.
  return !dangerous_only && k + 1 < line.size() && (line[k + 1] == ' ' || line[k + 1] == '\t');
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

class CrlfDetector final : public Detector {
 public:
  AttackClass attack_class() const noexcept override { return AttackClass::crlf; }

  void scan(const Value& value, Findings& out) const noexcept override {
    const std::string_view s = value.decoded;
    if (s.find('\n') == std::string_view::npos && s.find('\r') == std::string_view::npos) {
      // A whole request line as an argument ("GET http://x/ HTTP/1.1") is smuggling bait even after
      // the decoder or the client dropped the line break.
      if ((value.kind == LocationKind::query_value || value.kind == LocationKind::cookie) && start_line(s))
        found(value, out, 0, 75, "request line in an argument");
      return;
    }
    const LocationKind k = value.kind;
    const bool body = k == LocationKind::body_text || k == LocationKind::json_value || k == LocationKind::xml_text ||
                      k == LocationKind::multipart_value || k == LocationKind::form_value ||
                      k == LocationKind::xml_doctype;
    // Names and paths never contain line breaks in legitimate traffic.
    if (k == LocationKind::query_name || k == LocationKind::path || k == LocationKind::method ||
        k == LocationKind::json_key) {
      return found(value, out, text::find_any(s, "\r\n"), 80, "line break in a name or path");
    }
    for (std::size_t nl = text::find_any(s, "\r\n"); nl != std::string_view::npos; nl = text::find_any(s, "\r\n", nl + 1)) {
      std::size_t i = nl;
      while (i < s.size() && (s[i] == '\r' || s[i] == '\n' || s[i] == ' ' || s[i] == '\t')) ++i;
      const std::size_t eol = text::find_any(s, "\r\n", i);
      const std::string_view line = s.substr(i, (eol == std::string_view::npos ? s.size() : eol) - i);
      if (start_line(line)) return found(value, out, nl, body ? 75 : 90, "status or request line after a line break");
      if (header_line(line, body)) return found(value, out, nl, body ? 70 : 85, "header line after a line break");
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
