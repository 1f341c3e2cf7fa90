#include "postanalytics/analytics/analytics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/log.hpp"
#include "common/options.hpp"
#include "postanalytics/analytics/behaviour.hpp"
#include "postanalytics/analytics/ip_list_state.hpp"
#include "postanalytics/analytics/redis_state.hpp"

namespace waf::postanalytics {
namespace {

// Observations (rows + attacks) waiting for the analytics thread. A burst of 100 proxies flushing
// 1000-row stats records at once fits; beyond that ingest must not grow memory without bound.
constexpr std::size_t kMaxQueuedItems = 200'000;
// How often the thread wakes up with nothing queued, and how often a replica reloads the lists
// from Redis: twice a second keeps every replica within a second of the others.
constexpr std::chrono::milliseconds kTick{500};
// Connect, read and write timeout of Redis calls: the analytics thread waits at most this long
// on a dead server before its backoff takes over (ingest never waits at all).
constexpr std::chrono::milliseconds kRedisTimeout{500};
// List changes waiting for Redis during an outage (API deny/undeny and new grey entries).
constexpr std::size_t kMaxPendingChanges = 100'000;

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Observation {
  std::vector<AttackSeen> attacks;
  std::vector<StatsRow> rows;
};

struct AnalyticsMetrics {
  explicit AnalyticsMetrics(metrics::Registry& r)
      : dropped(r.counter("waf_postanalytics_analytics_dropped_total",
                          "Observations (stats rows, attacks) behaviour detection could not count: queue full, "
                          "counter table full or Redis unavailable")),
        redis_errors(r.counter("waf_postanalytics_redis_errors_total", "Failed Redis calls (connection or reply)")),
        grey_entries(r.gauge("waf_postanalytics_iplist_entries", "Entries of the IP lists served to proxies",
                             R"(list="grey")")),
        deny_entries(r.gauge("waf_postanalytics_iplist_entries", "Entries of the IP lists served to proxies",
                             R"(list="deny")")) {
    for (const auto kind : kBehaviourKinds) {
      greylisted[static_cast<std::size_t>(kind)] =
          &r.counter("waf_postanalytics_greylisted_total", "IPs grey-listed by behaviour detection",
                     fmt::format(R"(reason="{}")", behaviour_reason(kind)));
    }
  }
  metrics::Counter& dropped;
  metrics::Counter& redis_errors;
  metrics::Gauge& grey_entries;
  metrics::Gauge& deny_entries;
  std::array<metrics::Counter*, kBehaviourKinds.size()> greylisted{};
};

}  // namespace

void add_analytics_options(CLI::App& app, AnalyticsOptions& o) {
  app.add_option("--redis", o.redis_url, "Redis shared by replicas (redis://host:port[/db]); empty: local state");
  app.add_option("--grey-ttl", o.grey_ttl, "How long behaviour detection grey-lists an IP")
      ->check(options::kDuration)
      ->capture_default_str();
  app.add_option("--login-paths", o.login_paths, "Path globs whose 401/403 responses count as failed logins")
      ->capture_default_str();
  app.add_option("--brute-force-threshold", o.brute_force_threshold,
                 "Failing logins per IP per window that grey-list it (0: off)")
      ->capture_default_str();
  app.add_option("--forced-browsing-threshold", o.forced_browsing_threshold,
                 "404 responses per IP per window that grey-list it (0: off)")
      ->capture_default_str();
  app.add_option("--flood-threshold", o.flood_threshold, "Requests per IP per window that grey-list it (0: off)")
      ->capture_default_str();
  app.add_option("--attack-threshold", o.attack_threshold, "Attack events per IP per window that grey-list it (0: off)")
      ->capture_default_str();
  app.add_option("--behaviour-window", o.behaviour_window, "Sliding window of the behaviour thresholds")
      ->check(options::kDuration)
      ->capture_default_str();
}

class Analytics::Impl {
 public:
  Impl(BehaviourConfig config, std::string data_dir, std::optional<RedisEndpoint> redis, metrics::Registry& registry)
      : config_(std::move(config)), data_dir_(std::move(data_dir)), metrics_(registry) {
    if (redis) redis_ = std::make_unique<RedisState>(std::move(*redis), config_, kRedisTimeout);
  }

  // Loads lists.json. With Redis the lists live there (use Redis persistence), not in data_dir.
  Status load() {
    if (data_dir_.empty() || redis_) return Ok{};
    std::error_code ec;
    std::filesystem::create_directories(data_dir_, ec);
    if (ec) return make_error(fmt::format("--data-dir: {}: {}", data_dir_, ec.message()));
    std::ifstream in(lists_path());
    if (!in) return Ok{};  // first start
    std::stringstream text;
    text << in.rdbuf();
    auto lists = lists_from_json(text.str());
    if (!lists) return make_error(fmt::format("{}: {}", lists_path(), lists.error().message));
    std::lock_guard lock(lists_mutex_);
    state_.replace(std::move(lists->grey), std::move(lists->deny));
    state_.expire(system_now_ms());
    persisted_version_ = state_.version();
    publish_locked(system_now_ms());
    return Ok{};
  }

  void run() { thread_ = std::thread([this] { loop(); }); }

  void observe(std::vector<AttackSeen> attacks, std::vector<StatsRow> rows) {
    const auto items = attacks.size() + rows.size();
    if (items == 0) return;
    {
      std::lock_guard lock(queue_mutex_);
      if (stopping_ || queued_items_ + items > kMaxQueuedItems) {
        metrics_.dropped.inc(items);
        return;
      }
      queued_items_ += items;
      queue_.push_back({std::move(attacks), std::move(rows)});
    }
    wake_.notify_one();
  }

  std::shared_ptr<const IpLists> lists() {
    std::lock_guard lock(lists_mutex_);
    const auto now = system_now_ms();
    if (stale_at_ && *stale_at_ <= now) {
      state_.expire(now);
      publish_locked(now);
    }
    return published_;
  }

  Result<IpListEntry> deny(std::string ip_or_cidr, std::string reason, std::optional<std::chrono::seconds> ttl) {
    auto ip = normalize_ip_or_cidr(ip_or_cidr);
    if (!ip) return ip.error();
    if (ttl && ttl->count() <= 0) return make_error("ttl: must be positive");
    const auto now = system_now_ms();
    IpListEntry entry{std::move(*ip), reason.empty() ? "manual" : std::move(reason), now, std::nullopt};
    if (ttl) entry.expires_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(*ttl).count();
    change([&] { return state_.put(IpList::deny, entry); }, ListChange{IpList::deny, true, entry});
    return entry;
  }

  bool remove(IpList list, std::string_view ip_text) {
    auto ip = normalize_ip_or_cidr(ip_text);
    if (!ip) return false;
    bool present = false;
    change(
        [&] {
          present = state_.contains(list, *ip, system_now_ms());
          return state_.remove(list, *ip);
        },
        ListChange{list, false, IpListEntry{*ip, {}, 0, std::nullopt}});
    return present;
  }

  void stop() {
    {
      std::lock_guard lock(queue_mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    persist();
  }

 private:
  std::string lists_path() const { return (std::filesystem::path(data_dir_) / "lists.json").string(); }

  // Applies a mutation of the lists; on a change, publishes and schedules persistence (local) or
  // the write to Redis (shared; the local snapshot shows the change at once either way).
  template <typename Mutation>
  void change(Mutation&& mutation, ListChange shared) {
    {
      std::lock_guard lock(lists_mutex_);
      if (!mutation()) return;
      publish_locked(system_now_ms());
    }
    {
      std::lock_guard lock(queue_mutex_);
      dirty_ = true;
      if (redis_) {
        if (pending_changes_.size() < kMaxPendingChanges) {
          pending_changes_.push_back(std::move(shared));
        } else {
          metrics_.dropped.inc();
        }
      }
    }
    wake_.notify_one();
  }

  void publish_locked(std::int64_t now) {
    published_ = std::make_shared<const IpLists>(state_.snapshot(now));
    stale_at_ = state_.next_expiry();
    metrics_.grey_entries.set(static_cast<std::int64_t>(published_->grey.size()));
    metrics_.deny_entries.set(static_cast<std::int64_t>(published_->deny.size()));
  }

  void loop() {
    std::int64_t last_prune_bucket = 0;
    auto next_refresh = std::chrono::steady_clock::now();
    for (;;) {
      std::deque<Observation> batch;
      bool dirty = false;
      {
        std::unique_lock lock(queue_mutex_);
        wake_.wait_for(lock, kTick, [&] { return stopping_ || !queue_.empty() || dirty_; });
        if (stopping_) return;
        batch.swap(queue_);
        queued_items_ = 0;
        dirty = std::exchange(dirty_, false);
      }
      const auto now = system_now_ms();
      for (const auto& observation : batch) count(observation, now);
      if (redis_) {
        write_pending_changes();
        if (std::chrono::steady_clock::now() >= next_refresh) {
          refresh(now);
          next_refresh = std::chrono::steady_clock::now() + kTick;
        }
      } else {
        if (const auto bucket = config_.bucket_of(now); bucket != last_prune_bucket) {
          counters_.prune(bucket);
          last_prune_bucket = bucket;
        }
        if (dirty) persist();
      }
    }
  }

  void count(const Observation& observation, std::int64_t now) {
    const auto increments = count_observations(config_, observation.attacks, observation.rows, now);
    if (redis_) {
      // During an outage the client fails at once (backoff): the observation is dropped, counted.
      const auto totals = redis_->add(increments);
      if (!totals) {
        metrics_.redis_errors.inc();
        metrics_.dropped.inc(observation.attacks.size() + observation.rows.size());
        return;
      }
      for (std::size_t i = 0; i < increments.size() && i < totals->size(); ++i) check(increments[i], (*totals)[i], now);
      return;
    }
    for (const auto& increment : increments) {
      const auto total = counters_.add(increment);
      if (!total) {
        metrics_.dropped.inc();
        continue;
      }
      check(increment, *total, now);
    }
  }

  void check(const CounterIncrement& increment, std::uint64_t total, std::int64_t now) {
    if (total >= config_.threshold(increment.kind)) grey(increment.kind, increment.ip, now);
  }

  void write_pending_changes() {
    std::vector<ListChange> changes;
    {
      std::lock_guard lock(queue_mutex_);
      changes.swap(pending_changes_);
    }
    if (changes.empty()) return;
    if (redis_->apply(changes)) return;
    metrics_.redis_errors.inc();
    // Kept, in order, ahead of newer changes: they reach Redis when it is back.
    std::lock_guard lock(queue_mutex_);
    changes.insert(changes.end(), std::make_move_iterator(pending_changes_.begin()),
                   std::make_move_iterator(pending_changes_.end()));
    pending_changes_ = std::move(changes);
  }

  // Reloads both lists when another replica (or this one) changed them. Changes still waiting for
  // Redis are applied on top, so an outage does not take back what the API just did.
  void refresh(std::int64_t now) {
    auto loaded = redis_->load_if_changed();
    if (!loaded) {
      metrics_.redis_errors.inc();
      return;
    }
    if (!*loaded) return;
    // Entries past their expiry stay in the hashes until someone removes them: this replica does,
    // and never loads them (else they would flap in and out of the snapshot).
    std::vector<ListChange> pending;
    for (auto [list, entries] : {std::pair{IpList::grey, &(*loaded)->grey}, std::pair{IpList::deny, &(*loaded)->deny}}) {
      std::erase_if(*entries, [&](const IpListEntry& e) {
        if (!e.expires_ms || *e.expires_ms > now) return false;
        pending.push_back({list, false, e});
        return true;
      });
    }
    {
      std::lock_guard lock(queue_mutex_);
      pending_changes_.insert(pending_changes_.end(), pending.begin(), pending.end());
      pending = pending_changes_;
    }
    std::lock_guard lock(lists_mutex_);
    const auto before = state_.version();
    state_.replace(std::move((*loaded)->grey), std::move((*loaded)->deny));
    for (auto& change : pending) {
      if (change.put) {
        state_.put(change.list, change.entry);
      } else {
        state_.remove(change.list, change.entry.ip);
      }
    }
    if (state_.version() != before) publish_locked(now);
  }

  void grey(BehaviourKind kind, const std::string& ip, std::int64_t now) {
    bool added = false;
    const IpListEntry entry{ip, std::string(behaviour_reason(kind)), now, now + config_.grey_ttl_ms};
    change([&] {
      if (state_.contains(IpList::grey, ip, now)) return false;
      added = true;
      return state_.put(IpList::grey, entry);
    }, ListChange{IpList::grey, true, entry});
    if (added) {
      metrics_.greylisted[static_cast<std::size_t>(kind)]->inc();
      log::info("ip_greylisted", {{"ip", ip}, {"reason", behaviour_reason(kind)}});
    }
  }

  // Writes lists.json through a temporary file and a rename, so a crash leaves the old or the new.
  void persist() {
    if (data_dir_.empty() || redis_) return;
    std::string text;
    {
      std::lock_guard lock(lists_mutex_);
      if (state_.version() == persisted_version_) return;
      persisted_version_ = state_.version();
      text = lists_to_json(state_.snapshot(system_now_ms()));
    }
    const auto path = lists_path();
    const auto tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    bool ok = f != nullptr && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    ok = f != nullptr && std::fflush(f) == 0 && ok;
    if (f != nullptr) std::fclose(f);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
      log::warn("lists_persist_failed", {{"path", path}});
    }
  }

  const BehaviourConfig config_;
  const std::string data_dir_;
  AnalyticsMetrics metrics_;

  std::mutex queue_mutex_;
  std::condition_variable wake_;
  std::deque<Observation> queue_;
  std::size_t queued_items_ = 0;
  std::vector<ListChange> pending_changes_;  // with Redis: list changes not yet written there
  bool dirty_ = false;
  bool stopping_ = false;

  std::mutex lists_mutex_;
  IpListState state_;
  std::shared_ptr<const IpLists> published_ = std::make_shared<const IpLists>();
  std::optional<std::int64_t> stale_at_;
  std::uint64_t persisted_version_ = 0;

  WindowCounters counters_;             // analytics thread only, without Redis
  std::unique_ptr<RedisState> redis_;  // analytics thread only, with Redis
  std::thread thread_;
};

Result<std::unique_ptr<Analytics>> Analytics::start(const AnalyticsOptions& options, metrics::Registry& registry) {
  auto config = make_behaviour_config(options);
  if (!config) return config.error();
  std::optional<RedisEndpoint> redis;
  if (!options.redis_url.empty()) {
    auto endpoint = parse_redis_url(options.redis_url);
    if (!endpoint) return endpoint.error();
    redis = std::move(*endpoint);
  }
  auto impl = std::make_unique<Impl>(std::move(*config), options.data_dir, std::move(redis), registry);
  if (auto loaded = impl->load(); !loaded) return loaded.error();
  impl->run();
  return std::unique_ptr<Analytics>(new Analytics(std::move(impl)));
}

Analytics::Analytics(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analytics::~Analytics() { stop(); }

void Analytics::observe(std::vector<AttackSeen> attacks, std::vector<StatsRow> rows) {
  impl_->observe(std::move(attacks), std::move(rows));
}
std::shared_ptr<const IpLists> Analytics::lists() const { return impl_->lists(); }
Result<IpListEntry> Analytics::deny(std::string ip_or_cidr, std::string reason, std::optional<std::chrono::seconds> ttl) {
  return impl_->deny(std::move(ip_or_cidr), std::move(reason), ttl);
}
bool Analytics::undeny(std::string_view ip_or_cidr) { return impl_->remove(IpList::deny, ip_or_cidr); }
bool Analytics::ungrey(std::string_view ip) { return impl_->remove(IpList::grey, ip); }
void Analytics::stop() { impl_->stop(); }

}  // namespace waf::postanalytics
