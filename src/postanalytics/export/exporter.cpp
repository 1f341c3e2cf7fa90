#include "postanalytics/export/exporter.hpp"

#include "postanalytics/export/queued_exporter.hpp"
#include "postanalytics/export/stdout_sink.hpp"

namespace waf::postanalytics {

void add_export_options(CLI::App& app, ExportOptions& o) {
  app.add_flag("--export-stdout", o.to_stdout, "Write every stored attack event as a JSON line on stdout");
  app.add_option("--export-webhook", o.webhook_url, "POST batches of attack events to this URL (http:// or https://)");
  app.add_option("--export-syslog", o.syslog_url, "Send attack events as RFC 5424 syslog (udp://HOST:PORT or tcp://HOST:PORT)");
}

Result<std::vector<std::unique_ptr<Exporter>>> start_exporters(const ExportOptions& options, metrics::Registry& registry) {
  std::vector<std::unique_ptr<Exporter>> out;
  if (options.to_stdout) out.push_back(std::make_unique<QueuedExporter>(std::make_unique<StdoutSink>(), registry));
  return out;
}

}  // namespace waf::postanalytics
