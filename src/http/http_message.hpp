#pragma once
// The little HTTP/1.1 the control plane speaks (webhook, admin ports, postanalytics): clients POST one body per request
// with a Content-Length on a keep-alive connection, and probes GET the admin port. Parsing the head
// is pure so tests feed it bytes; the sessions in http_server.cpp do the I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace waf::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method, target;
  std::size_t content_length = 0;
  bool keep_alive = true;
  std::string body;
  Headers headers;  // as received, in order (framing headers included)

  // The first header of that name (case-insensitive), empty when absent.
  std::string_view header(std::string_view name) const noexcept;
  // The target without its query, and the query without its '?'.
  std::string_view path() const noexcept;
  std::string_view query() const noexcept;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  bool close = false;  // send Connection: close and close after writing
  Headers headers;     // extra headers (ETag, WWW-Authenticate, Cache-Control, ...)
};

// A response of that status, body and content type, kept open (what most handlers answer).
HttpResponse make_response(int status, std::string body, std::string content_type = "application/json");
// The same as plain UTF-8 text.
HttpResponse text_response(int status, std::string body);

bool iequals(std::string_view a, std::string_view b) noexcept;

enum class HeadStatus { incomplete, complete, bad, too_large };

struct ParsedHead {
  HeadStatus status = HeadStatus::incomplete;
  HttpRequest request;
  std::size_t head_bytes = 0;  // bytes of the head including the blank line
  std::string error;           // for bad: what is wrong, without echoing client bytes
};

// Parses the request head at the start of `data`. Requests with Transfer-Encoding are refused
// (bad): the API server always sends a Content-Length, and one framing rule leaves no room for
// request smuggling.
ParsedHead parse_request_head(std::string_view data, std::size_t max_head_bytes);

// 204 and 304 carry no body and no Content-Length (RFC 9110, 8.6).
std::string render_response(const HttpResponse& response);

// Decodes %XX and '+' of one query parameter value; nullopt when a %-escape is malformed.
std::optional<std::string> decode_query_component(std::string_view text);
// The decoded value of the first parameter `name` of a query string; nullopt when absent or malformed.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace waf::http
