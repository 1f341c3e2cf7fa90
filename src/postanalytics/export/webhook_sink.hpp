#pragma once
// --export-webhook: POSTs {"events":[...]} batches, one connection per batch; any answer but 2xx
// or a connection problem fails the batch, which the exporter retries with backoff.
#include "postanalytics/export/export_sink.hpp"
#include "postanalytics/export/webhook_format.hpp"

namespace waf::postanalytics {

class WebhookSink final : public ExportSink {
 public:
  explicit WebhookSink(HttpUrl url) : url_(std::move(url)) {}
  std::string_view name() const noexcept override { return "webhook"; }
  std::size_t max_batch() const noexcept override { return 500; }
  std::chrono::milliseconds linger() const noexcept override { return std::chrono::milliseconds(200); }
  Status deliver(std::span<const std::string> lines) override;

 private:
  HttpUrl url_;
};

}  // namespace waf::postanalytics
