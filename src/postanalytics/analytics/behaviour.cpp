#include "postanalytics/analytics/behaviour.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <tuple>

#include "common/glob.hpp"
#include "common/options.hpp"

namespace waf::postanalytics {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t index(BehaviourKind kind) noexcept { return static_cast<std::size_t>(kind); }

}  // namespace

std::string_view behaviour_reason(BehaviourKind kind) noexcept {
  switch (kind) {
    case BehaviourKind::brute_force: return "brute_force";
    case BehaviourKind::forced_browsing: return "forced_browsing";
    case BehaviourKind::flood: return "flood";
    case BehaviourKind::repeated_attacks: return "repeated_attacks";
  }
  return "unknown";
}

std::int64_t BehaviourConfig::bucket_of(std::int64_t time_ms) const noexcept {
  // Floor division: times before the epoch only occur in tests, but must not share bucket 0.
  return time_ms >= 0 ? time_ms / bucket_ms : -((-time_ms + bucket_ms - 1) / bucket_ms);
}

Result<BehaviourConfig> make_behaviour_config(const AnalyticsOptions& options) {
  BehaviourConfig config;
  auto window = options::parse_duration_ms(options.behaviour_window);
  if (!window) return make_error("--behaviour-window: " + window.error().message);
  // Below a second the buckets would be shorter than the stats interval of the proxies.
  if (*window < 1000) return make_error("--behaviour-window: must be at least 1s");
  auto ttl = options::parse_duration_ms(options.grey_ttl);
  if (!ttl) return make_error("--grey-ttl: " + ttl.error().message);
  if (*ttl <= 0) return make_error("--grey-ttl: must be positive");
  config.window_ms = *window;
  config.bucket_ms = std::max<std::int64_t>(1, *window / kWindowBuckets);
  config.grey_ttl_ms = *ttl;
  config.thresholds[index(BehaviourKind::brute_force)] = options.brute_force_threshold;
  config.thresholds[index(BehaviourKind::forced_browsing)] = options.forced_browsing_threshold;
  config.thresholds[index(BehaviourKind::flood)] = options.flood_threshold;
  config.thresholds[index(BehaviourKind::repeated_attacks)] = options.attack_threshold;
  std::string_view rest = options.login_paths;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto glob = trim(rest.substr(0, comma));
    if (!glob.empty()) config.login_globs.emplace_back(glob);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return config;
}

std::vector<CounterIncrement> count_observations(const BehaviourConfig& config, const std::vector<AttackSeen>& attacks,
                                                 const std::vector<StatsRow>& rows, std::int64_t now_ms) {
  std::map<std::tuple<BehaviourKind, std::string_view, std::int64_t>, std::uint64_t> merged;
  const auto now_bucket = config.bucket_of(now_ms);
  const auto is_login = [&](std::string_view path) {
    return std::any_of(config.login_globs.begin(), config.login_globs.end(),
                       [&](const std::string& glob) { return glob_match(glob, path, GlobCase::ascii_insensitive); });
  };
  for (const auto& row : rows) {
    if (row.ip.empty() || row.count == 0) continue;
    merged[{BehaviourKind::flood, row.ip, now_bucket}] += row.count;
    if (row.status == 404) merged[{BehaviourKind::forced_browsing, row.ip, now_bucket}] += row.count;
    if ((row.status == 401 || row.status == 403) && is_login(row.path)) {
      merged[{BehaviourKind::brute_force, row.ip, now_bucket}] += row.count;
    }
  }
  for (const auto& attack : attacks) {
    if (attack.client_ip.empty()) continue;
    const auto at = attack.time_ms > 0 ? std::min(attack.time_ms, now_ms) : now_ms;
    if (at <= now_ms - config.window_ms) continue;
    merged[{BehaviourKind::repeated_attacks, attack.client_ip, config.bucket_of(at)}] += 1;
  }
  std::vector<CounterIncrement> out;
  out.reserve(merged.size());
  for (const auto& [key, count] : merged) {
    const auto& [kind, ip, bucket] = key;
    if (config.threshold(kind) == 0) continue;
    out.push_back({kind, std::string(ip), bucket, count});
  }
  return out;
}

std::optional<std::uint64_t> WindowCounters::add(const CounterIncrement& increment) {
  const auto key = std::make_pair(increment.kind, increment.ip);
  auto it = counters_.find(key);
  if (it == counters_.end()) {
    if (counters_.size() >= max_keys_) return std::nullopt;
    it = counters_.emplace(key, Window{}).first;
    it->second.buckets.fill(std::numeric_limits<std::int64_t>::min());
  }
  auto& window = it->second;
  const auto slot = static_cast<std::size_t>(((increment.bucket % kWindowBuckets) + kWindowBuckets) % kWindowBuckets);
  if (window.buckets[slot] != increment.bucket) {
    // An older count is in the slot: it left the window, unless the increment itself is older
    // than the slot's bucket (a late attack), which then has nothing left to count in.
    if (window.buckets[slot] > increment.bucket) return 0;
    window.buckets[slot] = increment.bucket;
    window.counts[slot] = 0;
  }
  window.counts[slot] += increment.count;
  window.newest = std::max(window.newest, increment.bucket);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < window.counts.size(); ++i) {
    if (window.buckets[i] > increment.bucket - kWindowBuckets && window.buckets[i] <= increment.bucket) {
      total += window.counts[i];
    }
  }
  return total;
}

void WindowCounters::prune(std::int64_t now_bucket) {
  std::erase_if(counters_, [&](const auto& entry) { return entry.second.newest <= now_bucket - kWindowBuckets; });
}

}  // namespace waf::postanalytics
