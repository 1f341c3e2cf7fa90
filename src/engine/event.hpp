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
//    "action":"blocked","status":403,"partial_inspection":false}
//
// "action" is "blocked", "monitored" or "denied" (deny-listed IP); "status" is the response status
// the client got.
#include <chrono>
#include <string>
#include <string_view>

#include "engine/request.hpp"
#include "engine/verdict.hpp"

namespace waf::engine {

inline constexpr std::string_view kEventSchema = "waf.event/v1";

struct EventContext {
  std::chrono::system_clock::time_point time;  // supplied by the caller: the engine has no clock
  std::string_view request_id;
  std::string_view namespace_name, pod, app;   // empty: omitted
  int response_status = 0;
};

std::string_view event_action(Action action) noexcept;

// "2026-11-22T15:45:56.123Z" (UTC, milliseconds).
std::string format_time(std::chrono::system_clock::time_point time);

std::string render_event(const Request& request, const Verdict& verdict, const EventContext& context);

}  // namespace waf::engine
