#include "proxy/proxy_metrics.hpp"

namespace waf::proxy {
namespace {
constexpr const char* kRequests = "waf_proxy_requests_total";
constexpr const char* kRequestsHelp = "Responses sent to clients, by status class";
constexpr const char* kUpstreamErrors = "waf_proxy_upstream_errors_total";
constexpr const char* kUpstreamErrorsHelp = "Failed upstream exchanges, by kind";
constexpr const char* kRejected = "waf_proxy_rejected_requests_total";
constexpr const char* kRejectedHelp = "Requests refused before reaching the app, by reason";
constexpr const char* kDropped = "waf_events_dropped_total";
constexpr const char* kDroppedHelp = "Attack events not delivered to postanalytics, by reason";
constexpr const char* kIpList = "waf_iplist_entries";
constexpr const char* kIpListHelp = "Entries in force of the IP lists pulled from postanalytics";
}  // namespace

ProxyMetrics::ProxyMetrics(metrics::Registry& r)
    : requests_by_class{&r.counter(kRequests, kRequestsHelp, "code_class=\"1xx\""),
                        &r.counter(kRequests, kRequestsHelp, "code_class=\"2xx\""),
                        &r.counter(kRequests, kRequestsHelp, "code_class=\"3xx\""),
                        &r.counter(kRequests, kRequestsHelp, "code_class=\"4xx\""),
                        &r.counter(kRequests, kRequestsHelp, "code_class=\"5xx\"")},
      connections_active(r.gauge("waf_proxy_connections_active", "Open client connections")),
      connections_total(r.counter("waf_proxy_connections_total", "Accepted client connections")),
      upstream_errors{&r.counter(kUpstreamErrors, kUpstreamErrorsHelp, "kind=\"connect_refused\""),
                      &r.counter(kUpstreamErrors, kUpstreamErrorsHelp, "kind=\"connect_timeout\""),
                      &r.counter(kUpstreamErrors, kUpstreamErrorsHelp, "kind=\"response_timeout\""),
                      &r.counter(kUpstreamErrors, kUpstreamErrorsHelp, "kind=\"reset\"")},
      rejected{&r.counter(kRejected, kRejectedHelp, "reason=\"malformed\""),
               &r.counter(kRejected, kRejectedHelp, "reason=\"header_too_large\""),
               &r.counter(kRejected, kRejectedHelp, "reason=\"smuggling\"")},
      rejected_too_many_connections(r.counter(kRejected, kRejectedHelp, "reason=\"too_many_connections\"")),
      upstream_opened(r.counter("waf_proxy_upstream_connections_opened_total", "Upstream connections opened")),
      upstream_reused(r.counter("waf_proxy_upstream_connections_reused_total", "Requests sent on a pooled upstream connection")),
      request_duration(r.histogram("waf_proxy_request_duration_seconds", "Time from request head to the end of the response",
                                   metrics::latency_buckets_seconds())),
      draining(r.gauge("waf_proxy_draining", "1 while the proxy drains after SIGTERM")) {}

ReportMetrics::ReportMetrics(metrics::Registry& r)
    : events_sent(r.counter("waf_events_sent_total", "Attack events acknowledged by postanalytics")),
      dropped{&r.counter(kDropped, kDroppedHelp, "reason=\"queue_full\""), &r.counter(kDropped, kDroppedHelp, "reason=\"rejected\""),
              &r.counter(kDropped, kDroppedHelp, "reason=\"shutdown\"")},
      queue_depth(r.gauge("waf_report_queue_depth", "Attack events waiting to be sent to postanalytics")),
      errors(r.counter("waf_report_errors_total", "Failed exchanges with postanalytics (each retry counts)")),
      grey_entries(r.gauge(kIpList, kIpListHelp, "list=\"grey\"")),
      deny_entries(r.gauge(kIpList, kIpListHelp, "list=\"deny\"")),
      stats_rows_dropped(r.counter("waf_stats_rows_dropped_total",
                                   "Requests counted in the per-minute statistics but in no row (row limits)")) {}

void ProxyMetrics::count_response(int status) noexcept {
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) requests_by_class[static_cast<std::size_t>(cls - 1)]->inc();
}

void ProxyMetrics::count_rejected(CodecError reason) noexcept {
  switch (reason) {
    case CodecError::malformed: rejected[0]->inc(); break;
    case CodecError::header_too_large: rejected[1]->inc(); break;
    case CodecError::smuggling: rejected[2]->inc(); break;
    case CodecError::none: break;
  }
}

void ProxyMetrics::count_upstream_error(UpstreamError kind) noexcept {
  upstream_errors[static_cast<std::size_t>(kind)]->inc();
}

}  // namespace waf::proxy
