#pragma once
// The body of POST /ingest/v1/batch: NDJSON of waf.event/v1 and waf.stats/v1 objects (see
// postanalytics_contract.md). Parsing is pure: bytes in, records or "line N: what" out. The log
// replays its records through the same function, so what was acknowledged is what comes back.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "postanalytics/analytics/analytics.hpp"

namespace waf::postanalytics {

inline constexpr std::string_view kEventSchemaV1 = "waf.event/v1";
inline constexpr std::string_view kStatsSchemaV1 = "waf.stats/v1";

// One waf.event/v1 line: its text (minified) and the fields the store indexes.
struct IngestEvent {
  std::string json;
  std::int64_t time_ms = 0;
  std::string client_ip, path, namespace_name, app, action;
  std::vector<std::string> classes;
};

// One waf.stats/v1 line: deltas for a minute of one proxy.
struct IngestStats {
  std::string json;  // minified, for the log's compaction
  std::int64_t minute_ms = 0;
  std::string namespace_name, app;
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 5> by_status{};  // 1xx..5xx
  std::vector<StatsRow> rows;
};

struct Batch {
  std::vector<IngestEvent> events;
  std::vector<IngestStats> stats;
};

// Blank lines are skipped; any other line must be one JSON object of a known schema. The error
// names the 1-based line and the problem without echoing the client's bytes.
Result<Batch> parse_batch(std::string_view body);

}  // namespace waf::postanalytics
