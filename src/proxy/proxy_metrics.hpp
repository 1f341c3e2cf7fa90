#pragma once
// Every metric of `waf proxy`, declared in one place (like Envoy's ALL_*_STATS). Labels are small
// fixed enums, never paths or IPs.
#include <array>

#include "common/metrics.hpp"
#include "proxy/http1_codec.hpp"

namespace waf::proxy {

enum class UpstreamError { connect_refused, connect_timeout, response_timeout, reset };

struct ProxyMetrics {
  explicit ProxyMetrics(metrics::Registry& r);

  void count_response(int status) noexcept;
  void count_rejected(CodecError reason) noexcept;
  void count_upstream_error(UpstreamError kind) noexcept;

  std::array<metrics::Counter*, 5> requests_by_class;  // 1xx .. 5xx
  metrics::Gauge& connections_active;
  metrics::Counter& connections_total;
  std::array<metrics::Counter*, 4> upstream_errors;
  std::array<metrics::Counter*, 3> rejected;  // malformed, header_too_large, smuggling
  metrics::Counter& rejected_too_many_connections;
  metrics::Counter& upstream_opened;
  metrics::Counter& upstream_reused;
  metrics::Histogram& request_duration;
  metrics::Gauge& draining;
};

// Reporting to postanalytics (proxy/report/): registered whether or not --postanalytics is set,
// so dashboards see zeros rather than missing series.
enum class DropReason { queue_full, rejected, shutdown };

struct ReportMetrics {
  explicit ReportMetrics(metrics::Registry& r);
  void count_dropped(DropReason reason, std::uint64_t n = 1) noexcept { dropped[static_cast<std::size_t>(reason)]->inc(n); }

  metrics::Counter& events_sent;
  std::array<metrics::Counter*, 3> dropped;  // by DropReason
  metrics::Gauge& queue_depth;
  metrics::Counter& errors;
  metrics::Gauge& grey_entries;
  metrics::Gauge& deny_entries;
  metrics::Counter& stats_rows_dropped;
};

}  // namespace waf::proxy
