// `waf controller`: the mutating admission webhook. Wires options, the TLS webhook listener, the
// admin listener and the reloader around the pure core in injection_patch.cpp.
#include <asio.hpp>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "common/options.hpp"
#include "controller/cert_reloader.hpp"
#include "controller/controller_metrics.hpp"
#include "http/http_server.hpp"
#include "controller/injector_config.hpp"
#include "controller/webhook.hpp"
#include "roles.hpp"

namespace waf::controller {
namespace {

struct Options {
  std::string listen = ":8443", admin_listen = ":9090", tls_cert, tls_key, config;
  std::string reload_interval = "2s";
};

Result<std::shared_ptr<const InjectorConfig>> load_config(const std::string& path) {
  if (path.empty()) return std::make_shared<const InjectorConfig>(default_injector_config());
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(fmt::format("--config {}: cannot read", path));
  std::stringstream ss;
  ss << in.rdbuf();
  auto config = parse_injector_config(ss.str());
  if (!config) return make_error(fmt::format("--config {}: {}", path, config.error().message));
  return std::make_shared<const InjectorConfig>(std::move(*config));
}

// Polls the watched files and swaps in what changed; a bad new file keeps the last good one.
class Reloader {
 public:
  // The watches are taken before the files are first loaded, so a change in between is not missed.
  Reloader(asio::io_context& io, const Options& options, std::chrono::milliseconds interval, FileWatch tls_watch,
           FileWatch config_watch, std::shared_ptr<asio::ssl::context>& tls, Webhook& webhook,
           ControllerMetrics& metrics)
      : timer_(io), options_(options), interval_(interval), tls_(tls), webhook_(webhook), metrics_(metrics),
        tls_watch_(std::move(tls_watch)), config_watch_(std::move(config_watch)) {}

  void start() {
    timer_.expires_after(interval_);
    timer_.async_wait([this](std::error_code ec) {
      if (ec) return;
      poll();
      start();
    });
  }
  void stop() { timer_.cancel(); }

 private:
  void poll() {
    if (tls_watch_.changed()) {
      if (auto context = load_tls_context(options_.tls_cert, options_.tls_key)) {
        tls_ = std::move(*context);
        metrics_.cert_reloads_ok.inc();
        log::info("certificate_reloaded", {{"cert", options_.tls_cert}});
      } else {
        metrics_.cert_reloads_failed.inc();
        log::error("certificate_reload_failed", {{"error", context.error().message}});
      }
    }
    if (!options_.config.empty() && config_watch_.changed()) {
      if (auto config = load_config(options_.config)) {
        webhook_.set_config(std::move(*config));
        metrics_.config_reloads_ok.inc();
        log::info("config_reloaded", {{"config", options_.config}});
      } else {
        metrics_.config_reloads_failed.inc();
        log::error("config_reload_failed", {{"error", config.error().message}});
      }
    }
  }

  asio::steady_timer timer_;
  const Options& options_;
  std::chrono::milliseconds interval_;
  std::shared_ptr<asio::ssl::context>& tls_;
  Webhook& webhook_;
  ControllerMetrics& metrics_;
  FileWatch tls_watch_, config_watch_;
};

int fail_startup(std::string_view message) {
  std::fprintf(stderr, "waf controller: %.*s\n", static_cast<int>(message.size()), message.data());
  return 2;
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{"Mutating admission webhook that injects the waf sidecar into labelled Pods", argv[0]};
  Options o;
  // The controller's --config is the injector config the chart renders (JSON), not the TOML flag
  // file of the other roles, so the common options are declared here without it.
  options::CommonOptions common;
  app.add_option("--listen", o.listen, "HTTPS webhook address")->check(options::kHostPort)->capture_default_str();
  app.add_option("--admin-listen", o.admin_listen, "Address of /healthz, /readyz and /metrics")
      ->check(options::kHostPort)->capture_default_str();
  app.add_option("--tls-cert", o.tls_cert, "Webhook certificate chain (PEM); reloaded when it changes")->required();
  app.add_option("--tls-key", o.tls_key, "Webhook private key (PEM); reloaded when it changes")->required();
  app.add_option("--config", o.config, "Injector config (JSON, the chart's ConfigMap); built-in defaults without it")
      ->check(CLI::ExistingFile);
  app.add_option("--reload-interval", o.reload_interval, "How often the certificate and config files are checked")
      ->check(options::kDuration)->capture_default_str();
  app.add_option("--log-level", common.log_level, "Log level: debug, info, warn, error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))->capture_default_str();
  app.add_option("--log-format", common.log_format, "Log format: auto (JSON unless on a terminal), json, text")
      ->check(CLI::IsMember({"auto", "json", "text"}))->capture_default_str();
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;

  FileWatch tls_watch({o.tls_cert, o.tls_key}), config_watch({o.config});
  auto config = load_config(o.config);
  if (!config) return fail_startup(config.error().message);
  auto tls = load_tls_context(o.tls_cert, o.tls_key);
  if (!tls) return fail_startup(tls.error().message);
  auto listen_at = http::listen_endpoint("--listen", o.listen);
  if (!listen_at) return fail_startup(listen_at.error().message);
  auto admin_at = http::listen_endpoint("--admin-listen", o.admin_listen);
  if (!admin_at) return fail_startup(admin_at.error().message);
  const auto interval = std::chrono::milliseconds(*options::parse_duration_ms(o.reload_interval));

  asio::io_context io(1);
  metrics::Registry registry;
  ControllerMetrics metrics(registry);
  Webhook webhook(std::move(*config), metrics);
  std::shared_ptr<asio::ssl::context> tls_context = std::move(*tls);
  bool draining = false;

  http::HttpListener webhook_listener(
      io,
      {[&webhook](const http::HttpRequest& r) { return webhook.handle(r); },
       [&webhook](int status, std::string_view message) { return webhook.error(status, message); }},
      [&tls_context] { return tls_context; });
  http::HttpListener admin_listener(
      io,
      {[&registry, &draining](const http::HttpRequest& r) {
         if (r.method != "GET") return http::text_response(405, "GET only\n");
         if (r.target == "/healthz") return http::text_response(200, "ok\n");
         if (r.target == "/readyz") return draining ? http::text_response(503, "draining\n") : http::text_response(200, "ok\n");
         if (r.target == "/metrics") return http::make_response(200, registry.render(), "text/plain; version=0.0.4");
         return http::text_response(404, "not found\n");
       },
       [](int status, std::string_view message) { return http::text_response(status, std::string(message) + "\n"); }},
      nullptr);

  auto bound = webhook_listener.open(*listen_at);
  if (!bound) return fail_startup(fmt::format("--listen: {}", bound.error().message));
  auto admin_bound = admin_listener.open(*admin_at);
  if (!admin_bound) return fail_startup(fmt::format("--admin-listen: {}", admin_bound.error().message));
  Reloader reloader(io, o, interval, std::move(tls_watch), std::move(config_watch), tls_context, webhook, metrics);
  reloader.start();
  webhook_listener.start();
  admin_listener.start();
  log::info("listening", {{"listener", "webhook"},
                          {"address", fmt::format("{}:{}", bound->address().to_string(), bound->port())}});
  log::info("listening", {{"listener", "admin"},
                          {"address", fmt::format("{}:{}", admin_bound->address().to_string(), admin_bound->port())}});

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](std::error_code ec, int signal) {
    if (ec) return;
    log::info("shutting_down", {{"signal", signal}});
    draining = true;
    webhook_listener.stop();
    admin_listener.stop();
    reloader.stop();
    // Open keep-alive connections would keep run() going until their idle timeout; answers in
    // flight are done by now because the loop is single-threaded.
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace waf::controller
