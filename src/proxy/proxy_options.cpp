#include "proxy/proxy_options.hpp"

#include <iostream>

namespace waf::proxy {

ProxyOptionParser::ProxyOptionParser(CLI::App& app, options::CommonOptions& common) : app_(app), common_(common) {
  using options::kByteSize;
  using options::kDuration;
  using options::kHostPort;
  app.add_option("--listen", listen_, "Address for client traffic (the Pod's 'proxy' port)")->check(kHostPort)->capture_default_str();
  app.add_option("--upstream", upstream_, "The application, HOST:PORT (resolved at startup)")->check(kHostPort)->capture_default_str();
  app.add_option("--admin-listen", admin_listen_, "Address for /healthz, /readyz, /metrics, /status")->check(kHostPort)->capture_default_str();
  app.add_option("--workers", workers_, "Worker threads (0: the CPUs the container may use)")->check(CLI::Range(0u, 256u))->capture_default_str();
  app.add_option("--mode", mode_, "Filtration mode: off, monitoring, safe_blocking, block")
      ->check(CLI::IsMember({"off", "monitoring", "safe_blocking", "block"}))->capture_default_str();
  app.add_option("--policy", policy_, "Policy file (JSON); reloaded on change and on SIGHUP")->check(CLI::ExistingFile);
  app.add_option("--postanalytics", postanalytics_, "Postanalytics ingest address, HOST:PORT (empty: reporting off)")->check(kHostPort);
  app.add_option("--report-queue", report_queue_, "Attack events held while postanalytics is slow or down (then dropped and counted)")
      ->check(CLI::Range(1ull, 10000000ull))->capture_default_str();
  app.add_option("--stats-interval", stats_interval_, "How often per-minute request statistics are sent to postanalytics")
      ->check(kDuration)->capture_default_str();
  app.add_option("--lists-interval", lists_interval_, "How often the grey and deny lists are pulled from postanalytics")
      ->check(kDuration)->capture_default_str();
  app.add_option("--inspect-body-limit", inspect_body_limit_, "Bytes of each request body held for inspection (default: the policy's, 64KiB)")->check(kByteSize)->capture_default_str();
  app.add_option("--max-header-bytes", max_header_bytes_, "Largest request head accepted (400 beyond)")->check(kByteSize)->capture_default_str();
  app.add_option("--max-connections", max_connections_, "Concurrent client connections (503 beyond)")->check(CLI::Range(1ull, 1000000ull))->capture_default_str();
  app.add_option("--header-timeout", header_timeout_, "Time allowed to send a request head")->check(kDuration)->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout_, "Keep-alive idle time before a client connection is closed")->check(kDuration)->capture_default_str();
  app.add_option("--client-body-timeout", client_body_timeout_, "Idle time allowed between request body reads")->check(kDuration)->capture_default_str();
  app.add_option("--upstream-connect-timeout", upstream_connect_timeout_, "Upstream connect timeout (504 beyond)")->check(kDuration)->capture_default_str();
  app.add_option("--upstream-response-timeout", upstream_response_timeout_, "Idle time allowed while waiting for upstream bytes (504 beyond)")->check(kDuration)->capture_default_str();
  app.add_option("--tunnel-idle-timeout", tunnel_idle_timeout_, "Idle time of an upgraded (WebSocket) connection")->check(kDuration)->capture_default_str();
  app.add_option("--drain-timeout", drain_timeout_, "On SIGTERM, time allowed for in-flight requests")->check(kDuration)->capture_default_str();
  app.add_option("--upstream-max-idle", upstream_max_idle_, "Idle upstream connections kept per worker")->check(CLI::Range(0ull, 100000ull))->capture_default_str();
  app.add_option("--trusted-proxies", trusted_proxies_, "CIDRs whose X-Forwarded-* and X-Request-Id are trusted")
      ->check(CLI::Validator([](std::string& s) {
        auto r = net::CidrSet::parse_list(s);
        return r.ok() ? std::string() : r.error().message;
      }, "CIDR,..."));
  app.add_option("--access-log", access_log_, "Access log: a file path, or - for stdout (default off)");
  app.add_option("--original-dst", original_dst_,
                 "With iptables capture, forward each connection to the app port the client dialled (SO_ORIGINAL_DST)")
      ->capture_default_str();
  options::add_common_options(app, common);
}

int ProxyOptionParser::parse(int argc, const char* const* argv, ProxyOptions& out) {
  if (const int rc = options::parse(app_, common_, argc, argv); rc >= 0) return rc;
  // Every text below passed its validator, so the conversions cannot fail.
  out.listen = *net::parse_host_port(listen_);
  out.upstream = *net::parse_host_port(upstream_);
  out.admin_listen = *net::parse_host_port(admin_listen_);
  if (out.upstream.host.empty() || out.upstream.port == 0) {
    std::cerr << app_.get_name() << ": --upstream: needs a host and a non-zero port\n";
    return 2;
  }
  out.workers = workers_;
  out.mode = *engine::mode_from_name(mode_);
  out.mode_explicit = app_.get_option("--mode")->count() > 0;
  out.policy_file = policy_;
  out.postanalytics = postanalytics_;
  out.report_queue = report_queue_;
  if (app_.get_option("--inspect-body-limit")->count() > 0) out.inspect_body_limit = *options::parse_byte_size(inspect_body_limit_);
  out.max_header_bytes = *options::parse_byte_size(max_header_bytes_);
  out.max_connections = max_connections_;
  out.upstream_max_idle = upstream_max_idle_;
  const auto ms = [](const std::string& s) { return std::chrono::milliseconds(*options::parse_duration_ms(s)); };
  out.header_timeout = ms(header_timeout_);
  out.idle_timeout = ms(idle_timeout_);
  out.client_body_timeout = ms(client_body_timeout_);
  out.upstream_connect_timeout = ms(upstream_connect_timeout_);
  out.upstream_response_timeout = ms(upstream_response_timeout_);
  out.tunnel_idle_timeout = ms(tunnel_idle_timeout_);
  out.drain_timeout = ms(drain_timeout_);
  out.stats_interval = ms(stats_interval_);
  out.lists_interval = ms(lists_interval_);
  if (out.stats_interval.count() <= 0 || out.lists_interval.count() <= 0) {
    std::cerr << app_.get_name() << ": --stats-interval and --lists-interval must be positive\n";
    return 2;
  }
  out.trusted_proxies = *net::CidrSet::parse_list(trusted_proxies_);
  out.access_log = access_log_;
  out.original_dst = original_dst_;
  return -1;
}

}  // namespace waf::proxy
