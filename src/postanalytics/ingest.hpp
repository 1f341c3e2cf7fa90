#pragma once
// The ingest port (--listen): POST /ingest/v1/batch and GET /ingest/v1/lists for the proxies.
//
// A batch is parsed, checked against the sender's sequence, given event ids, written to the log
// (when --data-dir is set) and only once the log has synced it is it put in the store, handed to
// analytics and the exporters, and acknowledged. Everything but the log write runs on the
// io_context thread; the log's completion is posted back to it.
#include <asio.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/http_server.hpp"
#include "postanalytics/analytics/analytics.hpp"
#include "postanalytics/batch.hpp"
#include "postanalytics/event_log.hpp"
#include "postanalytics/event_store.hpp"
#include "postanalytics/postanalytics_metrics.hpp"

namespace waf::postanalytics {

inline constexpr std::size_t kMaxBatchBytes = 4 * 1024 * 1024;
// Bytes of accepted batches waiting for the log; past this, ingest answers 503 and proxies back off.
inline constexpr std::size_t kMaxInFlightBytes = 64 * 1024 * 1024;

// Where newly stored event lines go (the exporters); called on the io_context thread.
using PublishEvents = std::function<void(std::span<const std::string> event_lines)>;

class Ingest {
 public:
  Ingest(asio::io_context& io, EventStore& store, EventLog* log, Analytics& analytics, PublishEvents publish,
         PostanalyticsMetrics& metrics, std::unordered_map<std::string, std::uint64_t> acknowledged,
         std::uint64_t next_id, std::function<std::int64_t()> now_ms);

  void handle(http::HttpRequest&& request, http::Respond respond);
  http::HttpResponse error(int status, std::string_view message);
  // New batches get 503 from now on; `drained` runs once the batches in flight are acknowledged.
  void shut_down(std::function<void()> drained);
  std::size_t in_flight() const noexcept { return in_flight_; }

 private:
  struct Sender {
    std::uint64_t acknowledged = 0;
    std::uint64_t accepted = 0;  // >= acknowledged: the highest seq written or being written
  };
  void post_batch(http::HttpRequest&& request, http::Respond respond);
  void commit(Batch batch, std::uint64_t first_id, const std::string& sender, std::uint64_t seq, std::size_t bytes,
              http::Respond respond);
  http::HttpResponse lists(const http::HttpRequest& request);
  http::HttpResponse accepted_json(std::uint64_t events, std::uint64_t stats, bool duplicate);
  void refresh_gauges();

  asio::io_context& io_;
  EventStore& store_;
  EventLog* log_;
  Analytics& analytics_;
  PublishEvents publish_;
  PostanalyticsMetrics& metrics_;
  std::unordered_map<std::string, Sender> senders_;
  std::uint64_t next_id_;
  std::function<std::int64_t()> now_ms_;
  std::size_t in_flight_ = 0, in_flight_bytes_ = 0;
  std::uint64_t evicted_seen_ = 0;
  bool shutting_down_ = false;
  std::function<void()> drained_;
  // Keeps io_context::run() going while a batch is with the log writer (no socket op is pending then).
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
};

}  // namespace waf::postanalytics
