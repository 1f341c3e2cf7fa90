#include "postanalytics/ingest.hpp"

#include <fmt/format.h>

#include <charconv>

#include "common/log.hpp"
#include "postanalytics/api_json.hpp"

namespace waf::postanalytics {
namespace {

std::optional<std::uint64_t> parse_seq(std::string_view text) {
  std::uint64_t seq = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || seq == 0) return std::nullopt;
  return seq;
}

// A sender id is an opaque label the proxy chose (pod:pid:worker); it is stored in the log with a
// 16-bit length, and nothing needs more than a few hundred bytes.
constexpr std::size_t kMaxSenderBytes = 256;

}  // namespace

Ingest::Ingest(asio::io_context& io, EventStore& store, EventLog* log, Analytics& analytics, PublishEvents publish,
               PostanalyticsMetrics& metrics, std::unordered_map<std::string, std::uint64_t> acknowledged,
               std::uint64_t next_id, std::function<std::int64_t()> now_ms)
    : io_(io), store_(store), log_(log), analytics_(analytics), publish_(std::move(publish)), metrics_(metrics),
      next_id_(next_id), now_ms_(std::move(now_ms)), evicted_seen_(store.evicted_events()) {
  for (auto& [sender, seq] : acknowledged) senders_[sender] = Sender{seq, seq};
  refresh_gauges();
}

http::HttpResponse Ingest::error(int status, std::string_view message) {
  if (status == 413 || status == 400) metrics_.count_batch(BatchResult::rejected);
  return http::make_response(status, error_json(message));
}

void Ingest::handle(http::HttpRequest&& request, http::Respond respond) {
  const auto path = request.path();
  if (path == "/ingest/v1/batch") {
    if (request.method != "POST") return respond(http::make_response(405, error_json("POST only")));
    return post_batch(std::move(request), std::move(respond));
  }
  if (path == "/ingest/v1/lists") {
    if (request.method != "GET") return respond(http::make_response(405, error_json("GET only")));
    return respond(lists(request));
  }
  respond(http::make_response(404, error_json("not found")));
}

http::HttpResponse Ingest::lists(const http::HttpRequest& request) {
  const auto snapshot = analytics_.lists();
  const std::string etag = fmt::format("\"{}\"", snapshot->version);
  http::HttpResponse r;
  r.headers.emplace_back("ETag", etag);
  if (request.header("If-None-Match") == etag) {
    r.status = 304;
    return r;
  }
  r.body = render_lists_for_proxies(*snapshot, now_ms_());
  return r;
}

http::HttpResponse Ingest::accepted_json(std::uint64_t events, std::uint64_t stats, bool duplicate) {
  return http::make_response(200, fmt::format("{{\"accepted_events\":{},\"accepted_stats\":{},\"duplicate\":{},\"lists_version\":{}}}",
                                        events, stats, duplicate, analytics_.lists()->version));
}

void Ingest::post_batch(http::HttpRequest&& request, http::Respond respond) {
  const auto unavailable = [&](std::string_view why) {
    metrics_.count_batch(BatchResult::unavailable);
    auto r = http::make_response(503, error_json(why));
    r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  };
  const auto rejected = [&](std::string message) {
    metrics_.count_batch(BatchResult::rejected);
    respond(http::make_response(400, error_json(message)));
  };
  if (shutting_down_) return unavailable("shutting down");
  if (log_ != nullptr && log_->failed()) return unavailable("the event log cannot be written");
  const std::string sender(request.header("X-Waf-Sender"));
  if (sender.empty() || sender.size() > kMaxSenderBytes) return rejected("X-Waf-Sender: required, at most 256 bytes");
  const auto seq = parse_seq(request.header("X-Waf-Batch-Seq"));
  if (!seq) return rejected("X-Waf-Batch-Seq: required, a decimal number from 1");

  Sender& known = senders_[sender];
  if (*seq <= known.acknowledged) {
    metrics_.count_batch(BatchResult::duplicate);
    return respond(accepted_json(0, 0, true));
  }
  // The same seq is still on its way to disk (the proxy gave up waiting and retried): it cannot be
  // acknowledged before that write is, so the proxy retries later and then gets "duplicate".
  if (*seq <= known.accepted) return unavailable("this batch is being written; retry");
  if (in_flight_bytes_ + request.body.size() > kMaxInFlightBytes) return unavailable("ingest is over budget; retry");

  auto batch = parse_batch(request.body);
  if (!batch) return rejected(batch.error().message);
  known.accepted = *seq;

  const std::uint64_t first_id = next_id_;
  next_id_ += batch->events.size();
  const std::size_t bytes = request.body.size();
  if (in_flight_++ == 0) work_.emplace(io_.get_executor());
  in_flight_bytes_ += bytes;

  if (log_ == nullptr) return commit(std::move(*batch), first_id, sender, *seq, bytes, std::move(respond));
  std::optional<std::int64_t> newest_minute;
  for (const auto& stats : batch->stats) newest_minute = std::max(newest_minute.value_or(stats.minute_ms), stats.minute_ms);
  BatchRecord record{first_id, static_cast<std::uint32_t>(batch->events.size()), *seq, sender, std::move(request.body)};
  auto shared_batch = std::make_shared<Batch>(std::move(*batch));
  log_->append(std::move(record), newest_minute,
               [this, shared_batch, first_id, sender, seq = *seq, bytes, respond = std::move(respond)](bool ok) mutable {
                 asio::post(io_, [this, shared_batch, first_id, sender, seq, bytes, ok, respond = std::move(respond)]() mutable {
                   if (ok) return commit(std::move(*shared_batch), first_id, sender, seq, bytes, std::move(respond));
                   // Not on disk: not acknowledged. The seq stays taken so the proxy's retry gets
                   // 503 as well; the log refuses everything after a failed write anyway.
                   metrics_.count_batch(BatchResult::unavailable);
                   in_flight_bytes_ -= bytes;
                   if (--in_flight_ == 0) work_.reset();
                   respond(http::make_response(503, error_json("the event log cannot be written")));
                   if (in_flight_ == 0 && drained_) std::exchange(drained_, nullptr)();
                 });
               });
}

void Ingest::commit(Batch batch, std::uint64_t first_id, const std::string& sender, std::uint64_t seq,
                    std::size_t bytes, http::Respond respond) {
  const std::uint64_t events = batch.events.size(), stats = batch.stats.size();
  std::vector<AttackSeen> attacks;
  attacks.reserve(batch.events.size());
  std::vector<std::string> lines;
  if (publish_) lines.reserve(batch.events.size());
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    IngestEvent& event = batch.events[i];
    attacks.push_back(AttackSeen{event.client_ip, event.time_ms});
    const std::uint64_t id = first_id + i;
    if (publish_) lines.push_back(render_event(id, event.json));
    store_.add_event(id, std::move(event));
  }
  std::vector<StatsRow> rows;
  for (IngestStats& s : batch.stats) {
    store_.add_stats(s);
    rows.insert(rows.end(), std::make_move_iterator(s.rows.begin()), std::make_move_iterator(s.rows.end()));
  }
  if (!attacks.empty() || !rows.empty()) analytics_.observe(std::move(attacks), std::move(rows));
  if (publish_ && !lines.empty()) publish_(lines);

  Sender& known = senders_[sender];
  known.acknowledged = std::max(known.acknowledged, seq);
  metrics_.count_batch(BatchResult::accepted);
  metrics_.events_ingested.inc(events);
  metrics_.stats_ingested.inc(stats);
  refresh_gauges();
  in_flight_bytes_ -= bytes;
  if (--in_flight_ == 0) work_.reset();
  respond(accepted_json(events, stats, false));
  if (in_flight_ == 0 && drained_) std::exchange(drained_, nullptr)();
}

void Ingest::refresh_gauges() {
  metrics_.events_stored.set(static_cast<std::int64_t>(store_.events()));
  metrics_.memory_bytes.set(static_cast<std::int64_t>(store_.bytes()));
  metrics_.events_evicted.inc(store_.evicted_events() - evicted_seen_);
  evicted_seen_ = store_.evicted_events();
}

void Ingest::shut_down(std::function<void()> drained) {
  shutting_down_ = true;
  if (in_flight_ == 0) return drained();
  drained_ = std::move(drained);
}

}  // namespace waf::postanalytics
