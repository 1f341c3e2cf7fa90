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

}  // namespace waf::proxy
