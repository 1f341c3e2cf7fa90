#pragma once
// One worker = one thread, one io_context, one SO_REUSEPORT acceptor, one upstream pool. Workers
// share only read-only configuration and atomic metrics, so the request path takes no lock.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "proxy/access_log.hpp"
#include "proxy/inspection_hook.hpp"
#include "proxy/proxy_metrics.hpp"
#include "proxy/proxy_options.hpp"
#include "proxy/report/reporter.hpp"
#include "proxy/upstream_pool.hpp"

namespace waf::proxy {

class Session;

struct SharedState {
  const ProxyOptions& options;
  ProxyMetrics& metrics;
  InspectionHook& hook;
  std::vector<asio::ip::tcp::endpoint> upstream;  // resolved at startup
  AccessLog* access_log = nullptr;                // null when off
  report::Reporter* reporter = nullptr;           // null when --postanalytics is not set
  std::atomic<bool> draining{false};
};

class Worker {
 public:
  Worker(SharedState& shared, unsigned index);
  // Binds the acceptor (SO_REUSEPORT, so every worker can bind the same port).
  Result<asio::ip::tcp::endpoint> listen(const asio::ip::tcp::endpoint& at);
  void run() noexcept;
  // From any thread: stop accepting, close idle connections, let in-flight exchanges finish.
  void drain();
  // From any thread: abandon whatever is left (the drain deadline passed).
  void stop() { ioc_.stop(); }

  asio::io_context& io() noexcept { return ioc_; }
  SharedState& shared() noexcept { return shared_; }
  UpstreamPool& pool() noexcept { return pool_; }
  report::WorkerStats* stats() noexcept { return stats_; }  // null when reporting is off
  std::string next_request_id();
  void add(Session* s) { sessions_.insert(s); }
  void remove(Session* s) { sessions_.erase(s); }

 private:
  void do_accept();
  void on_accept(const asio::error_code& ec, asio::ip::tcp::socket socket);

  SharedState& shared_;
  unsigned index_;
  asio::io_context ioc_{1};
  asio::ip::tcp::acceptor acceptor_;
  UpstreamPool pool_;
  std::unordered_set<Session*> sessions_;
  std::mt19937_64 random_;
  report::WorkerStats* stats_;
};

}  // namespace waf::proxy
