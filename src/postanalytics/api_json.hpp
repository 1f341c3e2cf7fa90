#pragma once
// JSON answers of the API and of GET /ingest/v1/lists. Pure renderers: tests compare exact bytes.
#include <cstdint>
#include <string>
#include <string_view>

#include "postanalytics/analytics/analytics.hpp"
#include "postanalytics/api_query.hpp"
#include "postanalytics/event_store.hpp"

namespace waf::postanalytics {

// The stored event JSON with "id":"<decimal>" added first.
void append_event(std::string& out, std::uint64_t id, std::string_view event_json);
std::string render_event(std::uint64_t id, std::string_view event_json);
std::string render_events_page(const EventPage& page);
std::string render_stats(const StatsResult& stats, const StatsRequest& request);

// {"ip":..,"reason":..,"added":..,"expires":..|null}
std::string render_list_entry(const IpListEntry& entry);
// GET /api/v1/denylist and /greylist: {"version":V,"entries":[...]}; entries expired at now_ms are left out.
std::string render_list(std::uint64_t version, const std::vector<IpListEntry>& entries, std::int64_t now_ms);
// GET /ingest/v1/lists: {"version":V,"grey":[{"ip","reason","expires"}],"deny":[...]}.
std::string render_lists_for_proxies(const IpLists& lists, std::int64_t now_ms);

std::string error_json(std::string_view message);

}  // namespace waf::postanalytics
