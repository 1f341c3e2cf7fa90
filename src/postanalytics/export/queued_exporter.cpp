#include "postanalytics/export/queued_exporter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "common/log.hpp"

namespace waf::postanalytics {
namespace {

std::string exporter_label(std::string_view name) { return fmt::format(R"(exporter="{}")", name); }

}  // namespace

QueuedExporter::QueuedExporter(std::unique_ptr<ExportSink> sink, metrics::Registry& registry, std::size_t max_queued,
                               RetryPolicy retry)
    : sink_(std::move(sink)),
      max_queued_(max_queued),
      retry_(retry),
      sent_(registry.counter("waf_postanalytics_export_sent_total", "Events delivered by an exporter",
                             exporter_label(sink_->name()))),
      dropped_(registry.counter("waf_postanalytics_export_dropped_total",
                                "Events an exporter dropped (queue full or retries exhausted)",
                                exporter_label(sink_->name()))),
      errors_(registry.counter("waf_postanalytics_export_errors_total", "Failed delivery attempts of an exporter",
                               exporter_label(sink_->name()))),
      thread_([this] { loop(); }) {}

QueuedExporter::~QueuedExporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void QueuedExporter::publish(std::span<const std::string> event_json_lines) {
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& line : event_json_lines) {
      if (queue_.size() >= max_queued_) {
        ++dropped;
        continue;
      }
      queue_.push_back(line);
    }
  }
  if (dropped > 0) dropped_.inc(dropped);
  wake_.notify_one();
}

bool QueuedExporter::wait_backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [&] { return stopping_; });
}

void QueuedExporter::loop() {
  for (;;) {
    std::vector<std::string> batch;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (const auto linger = sink_->linger(); linger.count() > 0) {
        wake_.wait_for(lock, linger, [&] { return stopping_ || queue_.size() >= sink_->max_batch(); });
      }
      stopping = stopping_;
      if (queue_.empty()) return;  // stopping with nothing left
      const auto n = std::min(queue_.size(), sink_->max_batch());
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    auto backoff = retry_.first_backoff;
    for (int attempt = 1;; ++attempt) {
      const auto delivered = sink_->deliver(batch);
      if (delivered) {
        sent_.inc(batch.size());
        break;
      }
      errors_.inc();
      if (attempt == 1) log::warn("export_failed", {{"exporter", sink_->name()}, {"error", delivered.error().message}});
      // While stopping, one attempt per batch: shutdown must not wait out a dead receiver.
      if (stopping || attempt >= retry_.max_attempts || !wait_backoff(backoff)) {
        dropped_.inc(batch.size());
        break;
      }
      backoff = std::min(backoff * 2, retry_.max_backoff);
    }
  }
}

}  // namespace waf::postanalytics
