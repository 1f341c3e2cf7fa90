#pragma once
// Reading the query parameters of /api/v1/events and /api/v1/stats into an EventQuery. Pure: the
// error names the parameter at fault ("since: not an RFC 3339 time or unix milliseconds").
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "postanalytics/event_store.hpp"

namespace waf::postanalytics {

struct EventsRequest {
  EventQuery query;
  std::size_t limit = 50;
  std::optional<std::uint64_t> cursor;
};

struct StatsRequest {
  EventQuery query;  // since/until filled in: [now - 1h, now) by default
  std::int64_t since_ms = 0, until_ms = 0;
  std::int64_t bucket_ms = 60'000;
};

inline constexpr std::size_t kMaxLimit = 1000;
inline constexpr std::int64_t kMaxBuckets = 10'000;

// since, until, class, action (comma-separated lists allowed), namespace, app, ip (address or
// CIDR), path (glob).
Result<EventQuery> parse_event_query(std::string_view query_string);
Result<EventsRequest> parse_events_request(std::string_view query_string);
Result<StatsRequest> parse_stats_request(std::string_view query_string, std::int64_t now_ms);

}  // namespace waf::postanalytics
