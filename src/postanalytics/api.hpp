#pragma once
// The --http-listen port: /api/v1 (bearer token), health, metrics, the OpenAPI document and the
// console's assets. Runs on the io_context thread, as ingest does, so it reads the store directly.
#include <functional>
#include <optional>
#include <string_view>

#include "common/metrics.hpp"
#include "http/http_message.hpp"
#include "postanalytics/analytics/analytics.hpp"
#include "postanalytics/event_store.hpp"
#include "postanalytics/postanalytics_metrics.hpp"
#include "postanalytics/token_file.hpp"

namespace waf::postanalytics {

inline constexpr std::size_t kMaxApiBodyBytes = 64 * 1024;

class Api {
 public:
  // Without a token file the API is open (main logs a warning).
  Api(const EventStore& store, Analytics& analytics, std::optional<TokenFile> token, const metrics::Registry& registry,
      PostanalyticsMetrics& metrics, std::function<std::int64_t()> now_ms, std::function<bool()> ready);

  http::HttpResponse handle(const http::HttpRequest& request);
  http::HttpResponse error(int status, std::string_view message) const;

 private:
  http::HttpResponse api(const http::HttpRequest& request, std::string_view path);
  http::HttpResponse events(const http::HttpRequest& request);
  http::HttpResponse event(std::string_view id);
  http::HttpResponse stats(const http::HttpRequest& request);
  http::HttpResponse denylist(const http::HttpRequest& request);
  http::HttpResponse greylist(const http::HttpRequest& request);
  http::HttpResponse console(std::string_view path) const;

  const EventStore& store_;
  Analytics& analytics_;
  std::optional<TokenFile> token_;
  const metrics::Registry& registry_;
  PostanalyticsMetrics& metrics_;
  std::function<std::int64_t()> now_ms_;
  std::function<bool()> ready_;
};

}  // namespace waf::postanalytics
