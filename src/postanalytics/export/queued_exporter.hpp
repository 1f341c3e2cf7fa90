#pragma once
// The shell every exporter shares: a bounded queue filled by publish(), drained by one thread that
// hands batches to an ExportSink, retrying a failed batch with exponential backoff.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "common/metrics.hpp"
#include "postanalytics/export/export_sink.hpp"
#include "postanalytics/export/exporter.hpp"

namespace waf::postanalytics {

struct RetryPolicy {
  std::chrono::milliseconds first_backoff{200};
  std::chrono::milliseconds max_backoff{10'000};
  int max_attempts = 6;  // then the batch is dropped and counted
};

class QueuedExporter final : public Exporter {
 public:
  QueuedExporter(std::unique_ptr<ExportSink> sink, metrics::Registry& registry, std::size_t max_queued = 10'000,
                 RetryPolicy retry = {});
  // Delivers what is queued (one attempt per batch, bounded by the sink's timeouts), then stops.
  ~QueuedExporter() override;

  void publish(std::span<const std::string> event_json_lines) override;
  std::string_view name() const noexcept override { return sink_->name(); }

 private:
  void loop();
  // Waits for the backoff unless stopping; false when stopping.
  bool wait_backoff(std::chrono::milliseconds delay);

  std::unique_ptr<ExportSink> sink_;
  const std::size_t max_queued_;
  const RetryPolicy retry_;
  metrics::Counter& sent_;
  metrics::Counter& dropped_;
  metrics::Counter& errors_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace waf::postanalytics
