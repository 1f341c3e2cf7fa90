#pragma once
// Every metric of the postanalytics server core, registered in one place. Labels come from fixed
// enums. (Analytics and the exporters register theirs, same prefix, in their own folders.)
#include <array>
#include <string>

#include "common/metrics.hpp"

namespace waf::postanalytics {

enum class BatchResult { accepted, duplicate, rejected, unavailable };

struct PostanalyticsMetrics {
  explicit PostanalyticsMetrics(metrics::Registry& r)
      : events_ingested(r.counter("waf_postanalytics_events_ingested_total", "Attack events stored (not duplicates)")),
        stats_ingested(r.counter("waf_postanalytics_stats_ingested_total", "waf.stats/v1 records stored")),
        batches{batch(r, "accepted"), batch(r, "duplicate"), batch(r, "rejected"), batch(r, "unavailable")},
        events_stored(r.gauge("waf_postanalytics_events_stored", "Attack events held in memory")),
        memory_bytes(r.gauge("waf_postanalytics_memory_bytes", "Bytes of events and request counts held, within --memory")),
        events_evicted(r.counter("waf_postanalytics_events_evicted_total", "Events dropped from memory to stay within --memory")),
        log_bytes(r.gauge("waf_postanalytics_log_bytes", "Bytes of the append-only log in --data-dir")),
        log_segments(r.gauge("waf_postanalytics_log_segments", "Segment files of the append-only log")),
        log_fsync(r.histogram("waf_postanalytics_log_fsync_seconds", "Time to write and fsync one group of batches",
                              metrics::latency_buckets_seconds())),
        log_compactions(r.counter("waf_postanalytics_log_compactions_total", "Segments deleted or rewritten by compaction")),
        log_errors(r.counter("waf_postanalytics_log_errors_total", "Failed writes to the append-only log")),
        api_requests(r.counter("waf_postanalytics_api_requests_total", "Requests to /api/v1")),
        api_unauthorized(r.counter("waf_postanalytics_api_unauthorized_total", "API requests refused with 401")) {}

  void count_batch(BatchResult result) noexcept { batches[static_cast<std::size_t>(result)]->inc(); }

  metrics::Counter& events_ingested;
  metrics::Counter& stats_ingested;
  std::array<metrics::Counter*, 4> batches;  // by BatchResult
  metrics::Gauge& events_stored;
  metrics::Gauge& memory_bytes;
  metrics::Counter& events_evicted;
  metrics::Gauge& log_bytes;
  metrics::Gauge& log_segments;
  metrics::Histogram& log_fsync;
  metrics::Counter& log_compactions;
  metrics::Counter& log_errors;
  metrics::Counter& api_requests;
  metrics::Counter& api_unauthorized;

 private:
  static metrics::Counter* batch(metrics::Registry& r, const char* result) {
    return &r.counter("waf_postanalytics_batches_total",
                      "Ingest batches by result: accepted, duplicate (a retried seq), rejected (400/413), "
                      "unavailable (503)",
                      std::string("result=\"") + result + "\"");
  }
};

}  // namespace waf::postanalytics
