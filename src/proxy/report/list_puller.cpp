#include "proxy/report/list_puller.hpp"

#include "common/log.hpp"
#include "proxy/report/ingest_wire.hpp"

namespace waf::proxy::report {
namespace {

constexpr std::chrono::milliseconds kPullTimeout{5000};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

ListPuller::ListPuller(asio::io_context& io, const net::HostPort& target, std::chrono::milliseconds interval,
                       IpListStore& store, ReportMetrics& metrics)
    : client_(io, target, kPullTimeout), interval_(interval), store_(store), metrics_(metrics), pull_timer_(io), expiry_timer_(io) {}

void ListPuller::start() { do_pull(); }

void ListPuller::pull_soon(std::uint64_t announced_version) {
  if (stopped_ || announced_version <= pulled_.version || client_.busy()) return;
  schedule_pull(std::chrono::milliseconds(0));
}

void ListPuller::stop() {
  stopped_ = true;
  pull_timer_.cancel();
  expiry_timer_.cancel();
  client_.close();
}

void ListPuller::schedule_pull(std::chrono::milliseconds after) {
  pull_timer_.expires_after(after);
  pull_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec && !stopped_ && !client_.busy()) do_pull();
  });
}

void ListPuller::do_pull() {
  client_.exchange(lists_request(client_.host_header(), etag_), [this](Result<IngestResponse> r) { on_pulled(std::move(r)); });
}

void ListPuller::on_pulled(Result<IngestResponse> result) {
  if (stopped_) return;
  std::string error;
  if (!result) {
    error = result.error().message;
  } else if (result->status == 200) {
    auto lists = parse_lists(result->body);
    if (lists) {
      pulled_ = std::move(*lists);
      etag_ = result->etag;
    } else {
      error = lists.error().message;
    }
  } else if (result->status != 304) {
    error = "status " + std::to_string(result->status);
  }
  if (!error.empty()) {
    metrics_.errors.inc();
    if (!failing_) log::warn("iplist_pull_failed", {{"error", error}, {"kept_version", pulled_.version}});
    failing_ = true;
  } else if (failing_) {
    log::info("iplist_pull_recovered", {{"version", pulled_.version}});
    failing_ = false;
  }
  publish();
  schedule_pull(interval_);
}

void ListPuller::publish() {
  const auto now = now_ms();
  auto active = std::make_shared<ActiveIpLists>(active_lists(pulled_, now));
  metrics_.grey_entries.set(static_cast<std::int64_t>(active->grey.size()));
  metrics_.deny_entries.set(static_cast<std::int64_t>(active->deny.size()));
  // An entry stops applying at its expiry, not at the next pull.
  if (active->next_expiry_ms) {
    expiry_timer_.expires_after(std::chrono::milliseconds(*active->next_expiry_ms - now));
    expiry_timer_.async_wait([this](const asio::error_code& ec) {
      if (!ec && !stopped_) publish();
    });
  }
  store_.set(std::move(active));
}

}  // namespace waf::proxy::report
