#pragma once
// The pure core of behavioural detection: which observations count towards which per-IP counter,
// the bucketed sliding window those counters live in, and when a window total grey-lists an IP.
// No clock and no I/O: every function takes the time as a parameter, so tests drive it with a
// fake clock. The same counting feeds the local WindowCounters and the Redis counters.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "postanalytics/analytics/analytics.hpp"

namespace waf::postanalytics {

enum class BehaviourKind { brute_force, forced_browsing, flood, repeated_attacks };
inline constexpr std::array kBehaviourKinds = {BehaviourKind::brute_force, BehaviourKind::forced_browsing,
                                               BehaviourKind::flood, BehaviourKind::repeated_attacks};

// The grey list reason ("brute_force", "forced_browsing", "flood", "repeated_attacks").
std::string_view behaviour_reason(BehaviourKind kind) noexcept;

// The window is split into kWindowBuckets buckets: a total covers the current bucket and the
// kWindowBuckets - 1 before it, so it slides in steps of window / kWindowBuckets.
inline constexpr std::int64_t kWindowBuckets = 6;

struct BehaviourConfig {
  std::array<std::uint64_t, kBehaviourKinds.size()> thresholds{};  // indexed by BehaviourKind; 0: off
  std::int64_t window_ms = 60'000;
  std::int64_t bucket_ms = 10'000;
  std::int64_t grey_ttl_ms = 600'000;
  std::vector<std::string> login_globs;

  std::uint64_t threshold(BehaviourKind kind) const noexcept { return thresholds[static_cast<std::size_t>(kind)]; }
  std::int64_t bucket_of(std::int64_t time_ms) const noexcept;
};

// Validates and converts the flag values; the error names the flag at fault.
Result<BehaviourConfig> make_behaviour_config(const AnalyticsOptions& options);

// One addition to the counter of (kind, ip) in the bucket of the observation's time.
struct CounterIncrement {
  BehaviourKind kind;
  std::string ip;
  std::int64_t bucket = 0;
  std::uint64_t count = 0;
  bool operator==(const CounterIncrement&) const = default;
};

// Maps observations to counter increments, merged per (kind, ip, bucket). Stats rows count at
// now_ms (they arrive within a stats interval of the requests); an attack counts at its own time,
// clamped to now_ms so that a proxy clock ahead of ours cannot park counts in a future bucket,
// and is ignored when older than the window.
std::vector<CounterIncrement> count_observations(const BehaviourConfig& config, const std::vector<AttackSeen>& attacks,
                                                 const std::vector<StatsRow>& rows, std::int64_t now_ms);

// Per-IP bucketed window counters of one replica. Bounded: beyond max_keys counters, increments
// for new keys are refused (the caller counts them as dropped) until prune() frees some.
class WindowCounters {
 public:
  explicit WindowCounters(std::size_t max_keys = 1'000'000) : max_keys_(max_keys) {}
  // Adds the increment and returns the window total of its (kind, ip) at its bucket, or nullopt
  // when the counter table is full.
  std::optional<std::uint64_t> add(const CounterIncrement& increment);
  // Forgets counters whose newest bucket has left the window at now_bucket.
  void prune(std::int64_t now_bucket);
  std::size_t size() const noexcept { return counters_.size(); }

 private:
  struct Window {
    std::array<std::uint64_t, kWindowBuckets> counts{};
    std::array<std::int64_t, kWindowBuckets> buckets{};  // which bucket each slot holds
    std::int64_t newest = 0;
  };
  std::map<std::pair<BehaviourKind, std::string>, Window> counters_;
  std::size_t max_keys_;
};

}  // namespace waf::postanalytics
