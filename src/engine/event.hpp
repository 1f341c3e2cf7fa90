#pragma once
// The versioned attack event (PRODUCT.md, "Observability"): one JSON object per attack, logged by
// the proxy and sent to postanalytics. Adding a field keeps the version; renaming or removing one
// bumps it.
//
//   {"schema":"waf.event/v1","time":"2026-11-22T15:45:56.123Z","request_id":"...",
//    "namespace":"shop","pod":"shop-7d9","app":"shop",          (omitted when unknown)
//    "client_ip":"203.0.113.7","method":"GET","host":"shop.example","path":"/search",
//    "classes":["sqli"],
//    "findings":[{"class":"sqli","location":"query.q","evidence":"1' or '1'='1","score":90}],
//    "action":"blocked","status":403,"partial_inspection":false,
//    "excerpt":"GET /search?q=... HTTP/1.1\r\nhost: shop.example\r\n\r\n","excerpt_truncated":false}
//
// "action" is "blocked", "monitored" or "denied" (deny-listed IP); "status" is the response status
// the client got. "excerpt" (sent to postanalytics for the console's detail view, left out of the
// log line) is present only when the caller supplies one.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/request.hpp"
#include "engine/verdict.hpp"

namespace waf::engine {

inline constexpr std::string_view kEventSchema = "waf.event/v1";

// The request as the proxy saw it: request line, headers (credentials redacted), a blank line and
// the start of the body, bounded so that one event stays small whatever the client sent.
inline constexpr std::size_t kExcerptBodyBytes = 1024;
inline constexpr std::size_t kExcerptBytes = 4096;
struct Excerpt {
  std::string text;
  bool truncated = false;
};

struct EventContext {
  std::chrono::system_clock::time_point time;  // supplied by the caller: the engine has no clock
  std::string_view request_id;
  std::string_view namespace_name, pod, app;   // empty: omitted
  int response_status = 0;
  const Excerpt* excerpt = nullptr;            // null: no "excerpt" field
};

// The excerpt of `request`; `http_version` as on the request line ("HTTP/1.1"). The values of
// authorization and proxy-authorization become "[redacted]": the console shows excerpts to people
// who must not learn credentials from them. Cut on a UTF-8 boundary when over kExcerptBytes.
Excerpt render_excerpt(const Request& request, std::string_view http_version);

std::string_view event_action(Action action) noexcept;

// "2026-11-22T15:45:56.123Z" (UTC, milliseconds).
std::string format_time(std::chrono::system_clock::time_point time);

std::string render_event(const Request& request, const Verdict& verdict, const EventContext& context);

}  // namespace waf::engine
