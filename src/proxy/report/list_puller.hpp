#pragma once
// Pulls the grey and deny lists from postanalytics every --lists-interval (conditional GET with
// If-None-Match) and publishes the entries in force to the IpListStore. During an outage the last
// lists stay (entries still expire on time): losing postanalytics must not unblock a denied IP.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "common/net/endpoint.hpp"
#include "proxy/proxy_metrics.hpp"
#include "proxy/report/ingest_client.hpp"
#include "proxy/report/ip_lists.hpp"

namespace waf::proxy::report {

class ListPuller {
 public:
  ListPuller(asio::io_context& io, const net::HostPort& target, std::chrono::milliseconds interval, IpListStore& store,
             ReportMetrics& metrics);
  void start();
  // A batch answer announced lists newer than ours: pull now rather than at the next interval.
  void pull_soon(std::uint64_t announced_version);
  void stop();

 private:
  void do_pull();
  void on_pulled(Result<IngestResponse> result);
  void publish();
  void schedule_pull(std::chrono::milliseconds after);

  IngestClient client_;
  std::chrono::milliseconds interval_;
  IpListStore& store_;
  ReportMetrics& metrics_;
  asio::steady_timer pull_timer_, expiry_timer_;
  PulledLists pulled_;
  std::string etag_;
  bool failing_ = false;
  bool stopped_ = false;
};

}  // namespace waf::proxy::report
