#include "proxy/report/reporter.hpp"

#include <asio/post.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <climits>

#include "common/log.hpp"
#include "proxy/report/backoff.hpp"

namespace waf::proxy::report {
namespace {

constexpr std::chrono::milliseconds kBatchInterval{100};
constexpr std::chrono::milliseconds kExchangeTimeout{10'000};
// Stats records waiting while postanalytics is down: an hour of 10 s flushes; older ones go first.
constexpr std::size_t kMaxPendingStats = 360;

}  // namespace

std::string default_sender(const PodIdentity& pod) {
  std::string name = pod.pod;
  if (name.empty()) {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) == 0) name = host;
  }
  return fmt::format("{}:{}:0", name.empty() ? "proxy" : name, ::getpid());
}

Reporter::Reporter(ReporterOptions options, ReportMetrics& metrics, IpListStore& lists)
    : options_(std::move(options)),
      metrics_(metrics),
      queue_(options_.queue_capacity),
      client_(io_, options_.target, kExchangeTimeout),
      lists_(io_, options_.target, options_.lists_interval, lists, metrics),
      tick_timer_(io_),
      stats_timer_(io_),
      backoff_timer_(io_),
      stop_timer_(io_) {
  for (unsigned i = 0; i < options_.workers; ++i) stats_.push_back(std::make_unique<WorkerStats>());
}

Reporter::~Reporter() {
  if (thread_.joinable()) stop(std::chrono::milliseconds(0));
}

void Reporter::start() {
  lists_.start();
  tick();
  stats_timer_.expires_after(options_.stats_interval);
  stats_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) flush_stats();
  });
  thread_ = std::thread([this] {
    try {
      io_.run();
    } catch (const std::exception& e) {
      log::error("reporter_failed", {{"error", e.what()}});
    }
  });
}

void Reporter::submit(std::string event_line) noexcept {
  const auto length = queue_.push(std::move(event_line));
  if (!length) {
    metrics_.count_dropped(DropReason::queue_full);
    return;
  }
  metrics_.queue_depth.inc();
  // A full batch goes now rather than at the next tick; one wake-up in flight is enough.
  if (*length >= kBatchMaxEvents && !wake_posted_.exchange(true)) {
    try {
      asio::post(io_, [this] {
        wake_posted_ = false;
        pump();
      });
    } catch (...) {
      wake_posted_ = false;  // the tick sends it
    }
  }
}

void Reporter::tick() {
  pump();
  tick_timer_.expires_after(kBatchInterval);
  tick_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec && !stopped_) tick();
  });
}

bool Reporter::fill_batch() {
  Batch batch;
  while (!stats_lines_.empty() && batch.add(stats_lines_.front(), false)) stats_lines_.pop_front();
  std::vector<std::string> taken;
  const std::size_t want = kBatchMaxEvents > carry_.size() ? kBatchMaxEvents - carry_.size() : 0;
  const std::size_t n = queue_.take(taken, want);
  metrics_.queue_depth.dec(static_cast<std::int64_t>(n));
  for (auto& line : taken) carry_.push_back(std::move(line));
  while (!carry_.empty() && batch.events < kBatchMaxEvents) {
    if (!batch.add(carry_.front(), true)) {
      if (batch.empty()) {  // one event larger than a whole batch: it can never be sent
        metrics_.count_dropped(DropReason::rejected);
        carry_.pop_front();
        continue;
      }
      break;
    }
    carry_.pop_front();
  }
  if (batch.empty()) return false;
  batch.seq = next_seq_++;
  batch_ = std::move(batch);
  return true;
}

void Reporter::pump() {
  if (stopped_ || client_.busy() || backing_off_) return;
  if (!batch_ && !fill_batch()) {
    if (stopping_) finish_shutdown();
    return;
  }
  client_.exchange(batch_request(client_.host_header(), options_.sender, *batch_),
                   [this](Result<IngestResponse> r) { on_sent(std::move(r)); });
}

void Reporter::on_sent(Result<IngestResponse> result) {
  if (stopped_) return;
  if (!result) return retry_later(result.error().message);
  switch (batch_outcome(result->status)) {
    case BatchOutcome::accepted:
      metrics_.events_sent.inc(batch_->events);
      if (failures_ > 0) log::info("postanalytics_reachable", {{"after_failures", failures_}});
      failures_ = 0;
      if (const auto v = lists_version_of(result->body)) lists_.pull_soon(*v);
      break;
    case BatchOutcome::rejected:
      metrics_.errors.inc();
      metrics_.count_dropped(DropReason::rejected, batch_->events);
      log::warn("report_batch_rejected", {{"status", result->status}, {"seq", batch_->seq}, {"events", batch_->events},
                                          {"answer", std::string_view(result->body).substr(0, 200)}});
      break;
    case BatchOutcome::retry: return retry_later(fmt::format("status {}", result->status));
  }
  batch_.reset();
  pump();
}

void Reporter::retry_later(std::string_view error) {
  metrics_.errors.inc();
  ++failures_;
  if (failures_ == 1) log::warn("postanalytics_unreachable", {{"error", error}, {"target", client_.host_header()}});
  if (stopping_) return finish_shutdown();
  backing_off_ = true;
  const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  backoff_timer_.expires_after(backoff_delay(failures_, unit));
  backoff_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopped_) return;
    backing_off_ = false;
    pump();
  });
}

void Reporter::flush_stats() {
  StatsByMinute merged;
  const std::size_t limit = kMaxWorkerRows * stats_.size();
  for (auto& worker : stats_) {
    for (const auto& [minute, stats] : worker->take()) merged[minute].merge(stats, limit);
  }
  for (const auto& [minute, stats] : merged) {
    if (stats.requests() == 0) continue;
    auto rendered = render_stats(minute, stats, options_.pod);
    metrics_.stats_rows_dropped.inc(rendered.rows_dropped);
    if (stats_lines_.size() >= kMaxPendingStats) stats_lines_.pop_front();
    stats_lines_.push_back(std::move(rendered.json));
  }
  if (stopping_) return;
  stats_timer_.expires_after(options_.stats_interval);
  stats_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) flush_stats();
  });
}

void Reporter::stop(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  asio::post(io_, [this, grace] {
    stopping_ = true;
    stats_timer_.cancel();
    flush_stats();
    // postanalytics is down: the events would wait for a retry the grace period cannot cover.
    if (backing_off_) return finish_shutdown();
    stop_timer_.expires_after(grace);
    stop_timer_.async_wait([this](const asio::error_code& ec) {
      if (!ec) finish_shutdown();
    });
    pump();
  });
  thread_.join();
}

void Reporter::finish_shutdown() {
  if (stopped_) return;
  stopped_ = true;
  std::uint64_t left = carry_.size() + (batch_ ? batch_->events : 0);
  std::vector<std::string> rest;
  const std::size_t queued = queue_.take(rest, SIZE_MAX);
  metrics_.queue_depth.dec(static_cast<std::int64_t>(queued));
  left += queued;
  metrics_.count_dropped(DropReason::shutdown, left);
  if (left > 0) log::warn("report_events_dropped_at_shutdown", {{"events", left}});
  lists_.stop();
  client_.close();
  io_.stop();
}

}  // namespace waf::proxy::report
