#pragma once
// Where a QueuedExporter delivers its batches. A sink runs on the exporter's own thread only, so
// it may block on its socket (with timeouts); it never sees the ingest path.
#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace waf::postanalytics {

class ExportSink {
 public:
  virtual ~ExportSink() = default;
  virtual std::string_view name() const noexcept = 0;
  // Most lines per deliver() call.
  virtual std::size_t max_batch() const noexcept = 0;
  // How long a short batch waits for more lines before it goes (a POST per event would be wasteful).
  virtual std::chrono::milliseconds linger() const noexcept { return std::chrono::milliseconds(0); }
  // Delivers the whole batch or fails (the exporter then retries the batch with backoff).
  virtual Status deliver(std::span<const std::string> lines) = 0;
};

}  // namespace waf::postanalytics
