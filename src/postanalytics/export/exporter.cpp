#include "postanalytics/export/exporter.hpp"

#include "postanalytics/export/queued_exporter.hpp"
#include "postanalytics/export/stdout_sink.hpp"
#include "postanalytics/export/syslog_sink.hpp"
#include "postanalytics/export/webhook_sink.hpp"

namespace waf::postanalytics {

void add_export_options(CLI::App& app, ExportOptions& o) {
  app.add_flag("--export-stdout", o.to_stdout, "Write every stored attack event as a JSON line on stdout");
  app.add_option("--export-webhook", o.webhook_url, "POST batches of attack events to this URL (http:// or https://)");
  app.add_option("--export-syslog", o.syslog_url, "Send attack events as RFC 5424 syslog (udp://HOST:PORT or tcp://HOST:PORT)");
}

Result<std::vector<std::unique_ptr<Exporter>>> start_exporters(const ExportOptions& options, metrics::Registry& registry) {
  std::vector<std::unique_ptr<ExportSink>> sinks;
  if (options.to_stdout) sinks.push_back(std::make_unique<StdoutSink>());
  if (!options.webhook_url.empty()) {
    auto url = parse_http_url(options.webhook_url);
    if (!url) return url.error();
    if (url->tls) return make_error("--export-webhook: https:// is not supported yet; use http:// to a local relay");
    sinks.push_back(std::make_unique<WebhookSink>(std::move(*url)));
  }
  if (!options.syslog_url.empty()) {
    auto target = parse_syslog_url(options.syslog_url);
    if (!target) return target.error();
    sinks.push_back(std::make_unique<SyslogSink>(std::move(*target), local_syslog_identity()));
  }
  // Started only once every option is valid: a bad one starts nothing.
  std::vector<std::unique_ptr<Exporter>> out;
  for (auto& sink : sinks) out.push_back(std::make_unique<QueuedExporter>(std::move(sink), registry));
  return out;
}

}  // namespace waf::postanalytics
