#include "postanalytics/analytics/behaviour.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

namespace {

BehaviourConfig config_with(AnalyticsOptions options = {}) {
  auto config = make_behaviour_config(options);
  REQUIRE(config.ok());
  return *config;
}

// The bucket a test's fake clock starts in: 1000 windows after the epoch, bucket-aligned.
constexpr std::int64_t kStart = 60'000'000;

}  // namespace

TEST_CASE("behaviour config: defaults from the contract, bucket is a sixth of the window") {
  const auto config = config_with();
  CHECK(config.threshold(BehaviourKind::brute_force) == 20);
  CHECK(config.threshold(BehaviourKind::forced_browsing) == 50);
  CHECK(config.threshold(BehaviourKind::flood) == 3000);
  CHECK(config.threshold(BehaviourKind::repeated_attacks) == 10);
  CHECK(config.window_ms == 60'000);
  CHECK(config.bucket_ms == 10'000);
  CHECK(config.grey_ttl_ms == 600'000);
  CHECK(config.login_globs == std::vector<std::string>{"*login*", "*signin*", "*auth*", "*token*", "*password*"});
}

TEST_CASE("behaviour config: errors name the flag") {
  AnalyticsOptions bad_window;
  bad_window.behaviour_window = "500ms";
  CHECK(make_behaviour_config(bad_window).error().message.starts_with("--behaviour-window"));
  AnalyticsOptions bad_ttl;
  bad_ttl.grey_ttl = "soon";
  CHECK(make_behaviour_config(bad_ttl).error().message.starts_with("--grey-ttl"));
}

TEST_CASE("count_observations: failing logins, 404s, every request and attacks count per ip") {
  const auto config = config_with();
  const std::vector<StatsRow> rows = {
      {"203.0.113.7", "POST", "/login", 401, 12},  {"203.0.113.7", "POST", "/api/signin", 403, 3},
      {"203.0.113.7", "GET", "/login", 200, 5},    {"203.0.113.7", "GET", "/search", 401, 2},
      {"198.51.100.1", "GET", "/x/{id}", 404, 7},  {"198.51.100.1", "GET", "/", 200, 0},
      {"", "GET", "/", 200, 4},
  };
  const std::vector<AttackSeen> attacks = {{"198.51.100.1", kStart + 1}, {"198.51.100.1", kStart + 2}};
  const auto bucket = kStart / 10'000;
  const std::vector<CounterIncrement> expected = {
      {BehaviourKind::brute_force, "203.0.113.7", bucket, 15},
      {BehaviourKind::forced_browsing, "198.51.100.1", bucket, 7},
      {BehaviourKind::flood, "198.51.100.1", bucket, 7},
      {BehaviourKind::flood, "203.0.113.7", bucket, 22},
      {BehaviourKind::repeated_attacks, "198.51.100.1", bucket, 2},
  };
  CHECK(count_observations(config, attacks, rows, kStart + 5) == expected);
}

TEST_CASE("count_observations: attacks from the future count now, attacks older than the window not at all") {
  const auto config = config_with();
  const std::vector<AttackSeen> attacks = {{"10.0.0.1", kStart + 3'600'000}, {"10.0.0.1", kStart - 60'000}};
  const auto got = count_observations(config, attacks, {}, kStart);
  REQUIRE(got.size() == 1);
  CHECK(got[0].bucket == kStart / 10'000);
  CHECK(got[0].count == 1);
}

TEST_CASE("count_observations: a threshold of 0 turns the behaviour off") {
  AnalyticsOptions options;
  options.flood_threshold = 0;
  const auto got = count_observations(config_with(options), {}, {{"10.0.0.1", "GET", "/", 200, 9}}, kStart);
  CHECK(got.empty());
}

TEST_CASE("window counters: the total covers the last six buckets and slides") {
  WindowCounters counters;
  const auto add = [&](std::int64_t bucket, std::uint64_t n) {
    return counters.add({BehaviourKind::brute_force, "10.0.0.1", bucket, n}).value();
  };
  CHECK(add(100, 5) == 5);
  CHECK(add(100, 5) == 10);
  CHECK(add(103, 4) == 14);
  CHECK(add(105, 1) == 15);   // buckets 100..105: all in
  CHECK(add(106, 1) == 6);    // bucket 100 left the window: 4 + 1 + 1
  CHECK(add(112, 2) == 2);    // everything before 107 is gone, its slot reused
  CHECK(add(108, 1) == 6);    // a late count: its window (103..108) still holds 103 and 105
  CHECK(add(100, 1) == 0);    // its slot holds the newer bucket 112: nothing left to count into
  // Other kinds and ips are separate counters.
  CHECK(counters.add({BehaviourKind::flood, "10.0.0.1", 112, 1}).value() == 1);
  CHECK(counters.add({BehaviourKind::brute_force, "10.0.0.2", 112, 1}).value() == 1);
}

TEST_CASE("window counters: prune forgets idle ips, a full table refuses new keys") {
  WindowCounters counters(2);
  CHECK(counters.add({BehaviourKind::flood, "10.0.0.1", 100, 1}).has_value());
  CHECK(counters.add({BehaviourKind::flood, "10.0.0.2", 104, 1}).has_value());
  CHECK_FALSE(counters.add({BehaviourKind::flood, "10.0.0.3", 104, 1}).has_value());
  CHECK(counters.add({BehaviourKind::flood, "10.0.0.1", 104, 1}).value() == 2);  // existing keys still count
  counters.prune(110);  // both newest buckets (104) are out of the window at 110
  CHECK(counters.size() == 0);
  CHECK(counters.add({BehaviourKind::flood, "10.0.0.3", 110, 1}).has_value());
}

TEST_CASE("brute force split over time: crosses only while the failures fall in one window") {
  // A fake clock walks one failing login every 5 s: 20 failures take 95 s, more than the 60 s
  // window, so the default threshold is never reached; at one per second it is.
  const auto config = config_with();
  const auto crossed = [&](std::int64_t step_ms) {
    WindowCounters counters;
    for (int i = 0; i < 40; ++i) {
      const auto now = kStart + i * step_ms;
      for (const auto& inc : count_observations(config, {}, {{"10.0.0.9", "POST", "/login", 401, 1}}, now)) {
        if (inc.kind == BehaviourKind::brute_force && *counters.add(inc) >= config.threshold(inc.kind)) return true;
      }
    }
    return false;
  };
  CHECK_FALSE(crossed(5'000));
  CHECK(crossed(1'000));
}
