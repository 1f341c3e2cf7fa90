#pragma once
// --export-webhook: POSTs {"events":[...]} batches, one connection per batch, over plain TCP or
// TLS (the peer's certificate verified against the system CAs, or SSL_CERT_FILE / SSL_CERT_DIR,
// and its name or IP checked). Any answer but 2xx or a connection problem fails the batch, which
// the exporter retries with backoff.
#include <memory>

#include "postanalytics/export/export_sink.hpp"
#include "postanalytics/export/webhook_format.hpp"

struct ssl_ctx_st;

namespace waf::postanalytics {

class WebhookSink final : public ExportSink {
 public:
  // The error says why TLS could not be set up (https:// only).
  static Result<std::unique_ptr<WebhookSink>> make(HttpUrl url);
  ~WebhookSink() override;
  std::string_view name() const noexcept override { return "webhook"; }
  std::size_t max_batch() const noexcept override { return 500; }
  std::chrono::milliseconds linger() const noexcept override { return std::chrono::milliseconds(200); }
  Status deliver(std::span<const std::string> lines) override;

 private:
  WebhookSink(HttpUrl url, ssl_ctx_st* tls) : url_(std::move(url)), tls_(tls) {}
  // Sends the request and returns the response head (at least its status line).
  Result<std::string> exchange(int fd, std::string_view request);
  HttpUrl url_;
  ssl_ctx_st* tls_;  // owned; null for http://
};

}  // namespace waf::postanalytics
