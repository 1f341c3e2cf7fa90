// `waf proxy`: options -> resolved upstream -> workers + admin server -> wait for a signal -> drain.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "build_info.hpp"
#include "common/json_writer.hpp"
#include "common/log.hpp"
#include "common/net/endpoint.hpp"
#include "engine/policy/mode.hpp"
#include "proxy/admin_server.hpp"
#include "proxy/engine_hook.hpp"
#include "proxy/policy_store.hpp"
#include "proxy/proxy_options.hpp"
#include "proxy/report/reporter.hpp"
#include "proxy/worker.hpp"
#include "roles.hpp"

namespace waf::proxy {
namespace {

Result<std::vector<asio::ip::tcp::endpoint>> resolve_endpoints(const net::HostPort& hp, std::string_view option) {
  auto addresses = net::resolve(hp);
  if (!addresses) return make_error(fmt::format("{}: {}", option, addresses.error().message));
  std::vector<asio::ip::tcp::endpoint> out;
  for (const auto& a : *addresses) out.emplace_back(asio::ip::make_address(a), hp.port);
  return out;
}

std::string endpoint_text(const asio::ip::tcp::endpoint& e) {
  return e.address().is_v6() ? fmt::format("[{}]:{}", e.address().to_string(), e.port())
                             : fmt::format("{}:{}", e.address().to_string(), e.port());
}

// Counts worker threads that have returned, so the main thread can wait with a deadline.
class Finished {
 public:
  void one_done() {
    std::lock_guard lock(mutex_);
    ++done_;
    cv_.notify_all();
  }
  bool wait_all(std::size_t n, std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, deadline, [&] { return done_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t done_ = 0;
};

int fail(const CLI::App& app, const Error& e) {
  std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.message.c_str());
  return 2;
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{"Sidecar reverse proxy: inspects each request, then blocks it or forwards it to the app", argv[0]};
  options::CommonOptions common;
  ProxyOptionParser parser(app, common);
  ProxyOptions opts;
  if (const int rc = parser.parse(argc, argv, opts); rc >= 0) return rc;

  auto upstream = resolve_endpoints(opts.upstream, "--upstream");
  if (!upstream) return fail(app, upstream.error());
  auto listen_at = resolve_endpoints(opts.listen, "--listen");
  if (!listen_at) return fail(app, listen_at.error());
  auto admin_at = resolve_endpoints(opts.admin_listen, "--admin-listen");
  if (!admin_at) return fail(app, admin_at.error());
  std::unique_ptr<AccessLog> access_log;
  if (!opts.access_log.empty()) {
    auto opened = AccessLog::open(opts.access_log);
    if (!opened) return fail(app, opened.error());
    access_log = std::move(*opened);
  }

  // Signals are taken synchronously by the main thread; workers never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  PolicyStore policies(opts.policy_file, opts.mode_explicit ? std::optional(opts.mode) : std::nullopt, opts.inspect_body_limit);
  if (auto loaded = policies.load(); !loaded) return fail(app, loaded.error());

  metrics::Registry registry;
  ProxyMetrics proxy_metrics(registry);
  InspectionMetrics inspection_metrics(registry);
  ReportMetrics report_metrics(registry);
  const unsigned worker_count = opts.workers != 0 ? opts.workers : net::available_cpus();
  const auto pod = report::PodIdentity::from_environment();
  report::IpListStore pulled_lists;
  std::unique_ptr<report::Reporter> reporter;
  if (!opts.postanalytics.empty()) {
    reporter = std::make_unique<report::Reporter>(
        report::ReporterOptions{*net::parse_host_port(opts.postanalytics), opts.report_queue, opts.stats_interval,
                                opts.lists_interval, pod, report::default_sender(pod), worker_count},
        report_metrics, pulled_lists);
  }
  EngineInspectionHook hook(policies, inspection_metrics, pod, reporter ? &pulled_lists : nullptr, reporter.get());
  SharedState shared{opts, proxy_metrics, hook, *upstream, access_log.get(), reporter.get()};

  std::vector<std::unique_ptr<Worker>> workers;
  asio::ip::tcp::endpoint bound = listen_at->front();
  for (unsigned i = 0; i < worker_count; ++i) {
    workers.push_back(std::make_unique<Worker>(shared, i));
    auto at = workers.back()->listen(bound);  // port 0: the first worker picks, the others share it
    if (!at) return fail(app, at.error());
    bound = *at;
  }

  const auto started = std::chrono::steady_clock::now();
  asio::io_context admin_io{1};
  AdminServer admin(admin_io, AdminHandlers{
      registry,
      [&] {
        std::string out;
        json::ObjectWriter(out)
            .field("version", build::kVersion)
            .field("commit", build::kGitCommit)
            .field("mode", engine::name(policies.current()->mode))
            .field("policy", opts.policy_file.empty() ? std::string("built-in") : opts.policy_file)
            .field("upstream", opts.upstream.to_string())
            .field("workers", worker_count)
            .field("draining", shared.draining.load())
            .field("connections_active", proxy_metrics.connections_active.value())
            .field("requests_total", [&] {
              std::uint64_t n = 0;
              for (auto* c : proxy_metrics.requests_by_class) n += c->value();
              return n;
            }())
            .field("uptime_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count())
            .close();
        return out;
      },
      [&] { return shared.draining.load(); },
      *upstream});
  auto admin_bound = admin.listen(admin_at->front());
  if (!admin_bound) return fail(app, admin_bound.error());

  log::info("listening", {{"listener", "proxy"}, {"address", endpoint_text(bound)}, {"workers", worker_count},
                          {"mode", engine::name(policies.current()->mode)}, {"upstream", opts.upstream.to_string()}});
  log::info("listening", {{"listener", "admin"}, {"address", endpoint_text(*admin_bound)}});
  if (reporter) {
    reporter->start();
    log::info("reporting", {{"postanalytics", opts.postanalytics}, {"queue", opts.report_queue}});
  }

  Finished finished;
  std::vector<std::thread> threads;
  for (auto& w : workers) {
    threads.emplace_back([&finished, worker = w.get()] {
      worker->run();
      finished.one_done();
    });
  }
  std::thread admin_thread([&] { admin_io.run(); });

  // The main thread waits for signals and, every few seconds, looks at the policy file (a
  // ConfigMap update replaces it under our feet). A bad policy keeps the last good one running.
  const auto reload = [&](bool forced) {
    const auto before = policies.current();
    const auto result = forced ? policies.load() : policies.reload_if_changed();
    if (!result) {
      log::error("policy_reload_failed", {{"error", result.error().message}, {"kept", "last good policy"}});
    } else if (policies.current() != before) {
      log::info("policy_reloaded", {{"file", opts.policy_file}, {"mode", engine::name(policies.current()->mode)}});
    }
  };
  for (;;) {
    const timespec poll_interval{2, 0};
    const int sig = sigtimedwait(&signals, nullptr, &poll_interval);
    if (sig < 0 || sig == SIGHUP) {
      reload(sig == SIGHUP);
      continue;
    }
    log::info("draining", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                           {"deadline_ms", static_cast<std::int64_t>(opts.drain_timeout.count())}});
    break;
  }
  shared.draining = true;
  proxy_metrics.draining.set(1);
  for (auto& w : workers) w->drain();
  const bool clean = finished.wait_all(workers.size(), opts.drain_timeout);
  if (!clean) {
    log::warn("drain_deadline_passed", {{"connections_active", proxy_metrics.connections_active.value()}});
    for (auto& w : workers) w->stop();
  }
  for (auto& t : threads) t.join();
  // The workers are gone, so nothing is queued any more: what is left gets a short grace.
  if (reporter) reporter->stop(std::chrono::milliseconds(2000));
  asio::post(admin_io, [&] { admin.stop(); });
  admin_io.stop();
  admin_thread.join();
  log::info("stopped", {{"clean", clean}});
  return 0;
}

}  // namespace waf::proxy
