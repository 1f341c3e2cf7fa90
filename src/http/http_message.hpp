#pragma once
// The little HTTP/1.1 the control plane speaks (webhook, admin ports, postanalytics): clients POST one body per request
// with a Content-Length on a keep-alive connection, and probes GET the admin port. Parsing the head
// is pure so tests feed it bytes; the sessions in http_server.cpp do the I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace waf::http {

struct HttpRequest {
  std::string method, target;
  std::size_t content_length = 0;
  bool keep_alive = true;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  bool close = false;  // send Connection: close and close after writing
};

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

std::string render_response(const HttpResponse& response);

}  // namespace waf::http
