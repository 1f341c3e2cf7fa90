#pragma once
// Exporters hand every newly stored attack event to the outside world: JSON lines on stdout for
// log shippers, a batching HTTP webhook and RFC 5424 syslog. Each is optional, has a bounded queue
// and its own thread; publish() never waits on I/O and counts what a full queue drops in
// waf_postanalytics_export_dropped_total{exporter}.
#include <CLI/CLI.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics.hpp"
#include "common/result.hpp"

namespace waf::postanalytics {

struct ExportOptions {
  bool to_stdout = false;
  std::string webhook_url;  // http://host:port/path (or https://)
  std::string syslog_url;   // udp://host:port or tcp://host:port
};

// Registers --export-stdout, --export-webhook and --export-syslog.
void add_export_options(CLI::App& app, ExportOptions& options);

class Exporter {
 public:
  virtual ~Exporter() = default;
  // Queues waf.event/v1 lines (one JSON object each, no newline); never blocks.
  virtual void publish(std::span<const std::string> event_json_lines) = 0;
  // "stdout", "webhook" or "syslog": the exporter label of its metrics.
  virtual std::string_view name() const noexcept = 0;
};

// Starts the configured exporters (none when no option is set); the error names the bad option.
Result<std::vector<std::unique_ptr<Exporter>>> start_exporters(const ExportOptions& options, metrics::Registry& registry);

}  // namespace waf::postanalytics
