#pragma once
// Sends attack events and per-minute statistics to postanalytics, and pulls its IP lists, from a
// thread and io_context of its own. Workers only call submit() (a short critical section, never
// I/O) and record into their WorkerStats. Batches of up to 500 events leave at least every
// 100 ms over one keep-alive connection; a failed batch is retried with backoff under the same
// seq; a full queue drops new events, and every drop is counted by reason.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/net/endpoint.hpp"
#include "proxy/proxy_metrics.hpp"
#include "proxy/report/event_queue.hpp"
#include "proxy/report/ingest_client.hpp"
#include "proxy/report/ingest_wire.hpp"
#include "proxy/report/ip_lists.hpp"
#include "proxy/report/list_puller.hpp"
#include "proxy/report/pod_identity.hpp"
#include "proxy/report/request_stats.hpp"

namespace waf::proxy::report {

struct ReporterOptions {
  net::HostPort target;
  std::size_t queue_capacity = 10000;
  std::chrono::milliseconds stats_interval{10'000};
  std::chrono::milliseconds lists_interval{5'000};
  PodIdentity pod;
  std::string sender;  // X-Waf-Sender: stable for this process
  unsigned workers = 1;
};

// "<pod name or host name>:<pid>:0": one reporter (and one connection) per proxy process.
std::string default_sender(const PodIdentity& pod);

class Reporter {
 public:
  Reporter(ReporterOptions options, ReportMetrics& metrics, IpListStore& lists);
  ~Reporter();
  Reporter(const Reporter&) = delete;
  Reporter& operator=(const Reporter&) = delete;

  void start();
  // Any thread: queues one rendered waf.event/v1 line, or counts it dropped when the queue is full.
  void submit(std::string event_line) noexcept;
  WorkerStats& worker_stats(unsigned worker) noexcept { return *stats_[worker]; }
  const PodIdentity& pod() const noexcept { return options_.pod; }
  // After the workers stopped: sends what is queued for at most `grace` (at once gives up when
  // postanalytics is down), counts the rest as dropped, and joins the thread.
  void stop(std::chrono::milliseconds grace);

 private:
  void tick();
  void pump();
  bool fill_batch();
  void on_sent(Result<IngestResponse> result);
  void retry_later(std::string_view error);
  void flush_stats();
  void finish_shutdown();

  ReporterOptions options_;
  ReportMetrics& metrics_;
  asio::io_context io_{1};
  EventQueue queue_;
  std::vector<std::unique_ptr<WorkerStats>> stats_;
  std::deque<std::string> stats_lines_;  // rendered records waiting for a batch (bounded)
  std::deque<std::string> carry_;        // events taken from the queue that did not fit the last batch
  IngestClient client_;
  ListPuller lists_;
  asio::steady_timer tick_timer_, stats_timer_, backoff_timer_, stop_timer_;
  std::optional<Batch> batch_;  // being sent, or waiting for its retry
  std::uint64_t next_seq_ = 1;
  unsigned failures_ = 0;
  bool backing_off_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  std::atomic<bool> wake_posted_{false};
  std::mt19937_64 random_{std::random_device{}()};
  std::thread thread_;
};

}  // namespace waf::proxy::report
