#pragma once
// Reads one raw HTTP/1.1 request as captured or written by hand: CRLF or bare LF line ends,
// folded header lines, Content-Length or chunked bodies, a missing or wrong Content-Length, and
// trailing newlines added by editors. Tolerant on purpose: `waf inspect` should show what the
// engine thinks of odd traffic, not refuse it.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "engine/request.hpp"

namespace waf::inspect {

struct RawRequest {
  std::string method, target, version;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

Result<RawRequest> parse_raw_request(std::string_view bytes);

// The engine's view of `raw` (views into it). The client IP is `client_ip` when given, else the
// first X-Forwarded-For entry, else empty. A body longer than `body_limit` is cut and marked.
engine::Request to_engine_request(const RawRequest& raw, std::string_view client_ip, std::size_t body_limit);

}  // namespace waf::inspect
