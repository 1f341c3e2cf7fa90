// `waf postanalytics`: options -> replay of --data-dir -> analytics, exporters -> the ingest and
// HTTP listeners on one io_context thread -> SIGTERM: refuse new batches, finish those in flight,
// close connections, sync the log.
#include <asio.hpp>
#include <fmt/format.h>
#include <signal.h>

#include <chrono>

#include "common/log.hpp"
#include "common/options.hpp"
#include "http/http_server.hpp"
#include "postanalytics/analytics/analytics.hpp"
#include "postanalytics/api.hpp"
#include "postanalytics/event_log.hpp"
#include "postanalytics/event_store.hpp"
#include "postanalytics/export/exporter.hpp"
#include "postanalytics/ingest.hpp"
#include "postanalytics/postanalytics_metrics.hpp"
#include "roles.hpp"

namespace waf::postanalytics {
namespace {

struct Options {
  std::string listen = ":7000", http_listen = ":8080", memory = "256MiB", data_dir, token_file;
  AnalyticsOptions analytics;
  ExportOptions exports;
};

// Compaction looks for sealed segments whose events have all left memory this often.
constexpr std::chrono::seconds kCompactionInterval{30};

int fail_startup(std::string_view message) {
  std::fprintf(stderr, "waf postanalytics: %.*s\n", static_cast<int>(message.size()), message.data());
  return 2;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Replays a logged batch into the store; returns its newest stats minute for compaction.
std::optional<std::int64_t> replay_into(EventStore& store, const BatchRecord& record) {
  auto batch = parse_batch(record.body);
  if (!batch) {
    log::warn("log_record_unreadable", {{"sender", record.sender}, {"seq", record.seq}, {"error", batch.error().message}});
    return std::nullopt;
  }
  for (std::size_t i = 0; i < batch->events.size(); ++i) store.add_event(record.first_id + i, std::move(batch->events[i]));
  std::optional<std::int64_t> newest;
  for (const auto& stats : batch->stats) {
    store.add_stats(stats);
    newest = std::max(newest.value_or(stats.minute_ms), stats.minute_ms);
  }
  return newest;
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{"Collects attack events from every proxy, detects behavioural attacks, serves the console", argv[0]};
  options::CommonOptions common;
  Options o;
  app.add_option("--listen", o.listen, "Ingest address for proxies")->check(options::kHostPort)->capture_default_str();
  app.add_option("--http-listen", o.http_listen, "API, console, /healthz, /readyz and /metrics address")
      ->check(options::kHostPort)->capture_default_str();
  app.add_option("--memory", o.memory, "Memory budget for stored events and request counts (oldest evicted first)")
      ->check(options::kByteSize)->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "Directory of the append-only event log; empty: memory only");
  app.add_option("--token-file", o.token_file, "File holding the API bearer token (re-read when it changes)");
  add_analytics_options(app, o.analytics);
  add_export_options(app, o.exports);
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;
  ::signal(SIGPIPE, SIG_IGN);

  auto listen_at = http::listen_endpoint("--listen", o.listen);
  if (!listen_at) return fail_startup(listen_at.error().message);
  auto http_at = http::listen_endpoint("--http-listen", o.http_listen);
  if (!http_at) return fail_startup(http_at.error().message);
  std::optional<TokenFile> token;
  if (!o.token_file.empty()) {
    auto loaded = TokenFile::load(o.token_file);
    if (!loaded) return fail_startup(loaded.error().message);
    token = std::move(*loaded);
  } else {
    log::warn("api_unauthenticated", {{"reason", "no --token-file: /api/v1 is open to anyone who can reach --http-listen"}});
  }

  metrics::Registry registry;
  PostanalyticsMetrics metrics(registry);
  EventStore store(*options::parse_byte_size(o.memory));

  std::unique_ptr<EventLog> event_log;
  ReplayResult replayed;
  if (!o.data_dir.empty()) {
    const auto started = std::chrono::steady_clock::now();
    auto opened = EventLog::open(LogOptions{o.data_dir}, [&store](const BatchRecord& r) { return replay_into(store, r); },
                                 replayed, metrics);
    if (!opened) return fail_startup(opened.error().message);
    event_log = std::move(*opened);
    log::info("log_replayed",
              {{"data_dir", o.data_dir}, {"records", replayed.records}, {"events_stored", store.events()},
               {"truncated_bytes", replayed.truncated_bytes},
               {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()}});
  }

  o.analytics.data_dir = o.data_dir;
  auto analytics = Analytics::start(o.analytics, registry);
  if (!analytics) return fail_startup(analytics.error().message);
  auto exporters = start_exporters(o.exports, registry);
  if (!exporters) return fail_startup(exporters.error().message);
  PublishEvents publish;
  if (!exporters->empty()) {
    publish = [&exporters = *exporters](std::span<const std::string> lines) {
      for (auto& exporter : exporters) exporter->publish(lines);
    };
  }

  asio::io_context io(1);
  bool draining = false;
  Ingest ingest(io, store, event_log.get(), **analytics, std::move(publish), metrics, replayed.senders,
                std::max(replayed.next_id, store.last_id() + 1), now_ms);
  Api api(store, **analytics, std::move(token), registry, metrics, now_ms,
          [&] { return !draining && !(event_log && event_log->failed()); });

  http::ServerLimits ingest_limits;
  ingest_limits.max_body_bytes = kMaxBatchBytes;
  // Every proxy worker keeps one connection: hundreds of Pods with a few workers each.
  ingest_limits.max_connections = 8192;
  http::HttpListener ingest_listener(
      io,
      http::AsyncHttpHandlers{[&ingest](http::HttpRequest&& r, http::Respond respond) {
                                ingest.handle(std::move(r), std::move(respond));
                              },
                              [&ingest](int status, std::string_view message) { return ingest.error(status, message); }},
      nullptr, ingest_limits);
  http::ServerLimits api_limits;
  api_limits.max_body_bytes = kMaxApiBodyBytes;
  http::HttpListener http_listener(
      io,
      http::HttpHandlers{[&api](const http::HttpRequest& r) { return api.handle(r); },
                         [&api](int status, std::string_view message) { return api.error(status, message); }},
      nullptr, api_limits);

  auto ingest_bound = ingest_listener.open(*listen_at);
  if (!ingest_bound) return fail_startup(fmt::format("--listen: {}", ingest_bound.error().message));
  auto http_bound = http_listener.open(*http_at);
  if (!http_bound) return fail_startup(fmt::format("--http-listen: {}", http_bound.error().message));
  ingest_listener.start();
  http_listener.start();
  log::info("listening", {{"listener", "ingest"}, {"address", http::endpoint_text(*ingest_bound)}});
  log::info("listening", {{"listener", "http"}, {"address", http::endpoint_text(*http_bound)}});

  asio::steady_timer compaction(io);
  std::function<void()> schedule_compaction = [&] {
    compaction.expires_after(kCompactionInterval);
    compaction.async_wait([&](std::error_code ec) {
      if (ec) return;
      event_log->compact(LiveRange{store.oldest_live_id(), store.oldest_stats_minute()});
      schedule_compaction();
    });
  };
  if (event_log) schedule_compaction();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](std::error_code ec, int signal) {
    if (ec) return;
    log::info("shutting_down", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}, {"in_flight", ingest.in_flight()}});
    draining = true;
    compaction.cancel();
    // No new connections; idle ones close now, busy ones after their answer. Batches in flight
    // are acknowledged once their fsync is done; then nothing is left and run() returns.
    ingest_listener.stop();
    http_listener.drain();
    ingest.shut_down([&] { ingest_listener.drain(); });
  });
  io.run();

  if (event_log) event_log->stop();
  (*analytics)->stop();
  log::info("stopped", {{"events_stored", store.events()}});
  return 0;
}

}  // namespace waf::postanalytics
