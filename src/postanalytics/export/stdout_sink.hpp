#pragma once
// --export-stdout: one waf.event/v1 JSON object per line on stdout (the logs go to stderr), for a
// log shipper reading the container's output.
#include "postanalytics/export/export_sink.hpp"

namespace waf::postanalytics {

class StdoutSink final : public ExportSink {
 public:
  explicit StdoutSink(int fd = 1) : fd_(fd) {}
  std::string_view name() const noexcept override { return "stdout"; }
  std::size_t max_batch() const noexcept override { return 500; }
  Status deliver(std::span<const std::string> lines) override;

 private:
  int fd_;
};

}  // namespace waf::postanalytics
