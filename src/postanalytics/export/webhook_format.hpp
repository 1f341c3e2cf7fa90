#pragma once
// The webhook exporter's wire: the URL it posts to, the batch body and the HTTP/1.1 request and
// response head. Pure, so the bytes are tested without a server.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace waf::postanalytics {

struct HttpUrl {
  bool tls = false;
  std::string host;  // IPv6 without brackets
  std::uint16_t port = 0;
  std::string target;  // path and query, "/" at least
  std::string host_header;
};

// "http://host[:port]/path" or "https://..."; the error names --export-webhook.
Result<HttpUrl> parse_http_url(std::string_view url);

// {"events":[<event>,<event>,...]}: one JSON document, as webhook receivers expect.
std::string webhook_body(std::span<const std::string> event_json_lines);

// A complete POST (Connection: close: a batch is seconds apart, a kept connection buys nothing).
std::string webhook_request(const HttpUrl& url, std::string_view body);

// The status code of a response head ("HTTP/1.1 204 No Content\r\n..."), or an error.
Result<int> parse_status_line(std::string_view head);

}  // namespace waf::postanalytics
