#include "engine/parse/request_parser.hpp"

#include <algorithm>

#include "engine/parse/content_type.hpp"
#include "engine/parse/cookie.hpp"
#include "engine/parse/json.hpp"
#include "engine/parse/multipart.hpp"
#include "engine/parse/target.hpp"
#include "engine/parse/urlencoded.hpp"
#include "engine/parse/xml.hpp"

namespace waf::engine {
namespace {

void collect_body(std::string_view body, bool truncated, std::string_view content_type, ValueCollector& out) {
  const ContentType type = parse_content_type(content_type);
  switch (body_format(type, body)) {
    case BodyFormat::none: return;
    case BodyFormat::form: parse_urlencoded(body, "form", LocationKind::form_value, out); return;
    case BodyFormat::multipart:
      if (parse_multipart(body, type.boundary, out)) return;
      break;
    case BodyFormat::json:
      if (parse_json(body, "json", out, truncated)) return;
      break;
    case BodyFormat::xml:
      parse_xml(body, "xml", out);
      // Markup nobody declared as XML is as likely an HTML fragment or a template, which the
      // XML reading would take apart: it is inspected whole as well.
      if (!type.media_type.empty()) return;
      break;
    case BodyFormat::text: break;
  }
  out.add(LocationKind::body_text, "body", body);
}

}  // namespace

void collect_request_values(const Request& request, std::size_t body_limit, ValueCollector& out) {
  out.add(LocationKind::method, "method", request.method);
  parse_target(request.target, out);
  std::string_view content_type;
  for (const auto& [name, value] : request.headers) {
    // "header.<lower-case name>"; what is past kMaxLocationBytes is cut from the location anyway.
    char lower[kMaxLocationBytes];
    const std::size_t n = std::min(name.size(), sizeof lower);
    std::transform(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(n), lower, [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
    });
    const std::string_view lname(lower, n);
    if (lname == "cookie") {
      parse_cookie_header(value, out);
      continue;
    }
    if (lname == "content-type" && content_type.empty()) content_type = value;
    const std::string_view location = out.location("header", lname);
    if (!out.add(LocationKind::header, location, value)) return;
    // The page the client says it came from carries its own query arguments: a payload there is
    // percent-encoded inside the URL and reaches the application's logs and analytics as is.
    if (lname == "referer") parse_urlencoded(split_target(value).query, location, LocationKind::query_value, out);
  }
  std::string_view body = request.body;
  bool truncated = request.body_truncated;
  if (body.size() > body_limit) {
    body = body.substr(0, body_limit);
    truncated = true;
  }
  if (truncated) out.mark_partial();
  collect_body(body, truncated, content_type, out);
}

}  // namespace waf::engine
