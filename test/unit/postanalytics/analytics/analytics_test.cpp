#include "postanalytics/analytics/analytics.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "../eventually.hpp"

using namespace waf::postanalytics;
namespace fs = std::filesystem;

namespace {

using waf::postanalytics::test::eventually;

fs::path temp_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("waf_analytics_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::unique_ptr<Analytics> start(AnalyticsOptions options, waf::metrics::Registry& registry) {
  auto analytics = Analytics::start(options, registry);
  REQUIRE(analytics.ok());
  return std::move(*analytics);
}

bool grey_listed(const Analytics& analytics, const std::string& ip, const std::string& reason) {
  const auto lists = analytics.lists();
  return std::any_of(lists->grey.begin(), lists->grey.end(),
                     [&](const IpListEntry& e) { return e.ip == ip && e.reason == reason; });
}

}  // namespace

TEST_CASE("analytics: failing logins split over batches grey-list the ip with reason and expiry") {
  waf::metrics::Registry registry;
  AnalyticsOptions options;
  options.brute_force_threshold = 5;
  options.grey_ttl = "90s";
  auto analytics = start(options, registry);
  const auto version = analytics->lists()->version;
  analytics->observe({}, {{"203.0.113.7", "POST", "/login", 401, 3}});
  analytics->observe({}, {{"198.51.100.9", "POST", "/login", 401, 4}});  // another ip stays below
  analytics->observe({}, {{"203.0.113.7", "POST", "/user/signin", 403, 2}});
  REQUIRE(eventually([&] { return grey_listed(*analytics, "203.0.113.7", "brute_force"); }));
  const auto lists = analytics->lists();
  CHECK(lists->version > version);
  REQUIRE(lists->grey.size() == 1);
  CHECK(*lists->grey[0].expires_ms - lists->grey[0].added_ms == 90'000);
  CHECK(registry.render().find(R"(waf_postanalytics_greylisted_total{reason="brute_force"} 1)") != std::string::npos);
  CHECK(registry.render().find(R"(waf_postanalytics_iplist_entries{list="grey"} 1)") != std::string::npos);
  CHECK(analytics->ungrey("203.0.113.7"));
  CHECK(analytics->lists()->grey.empty());
  CHECK_FALSE(analytics->ungrey("203.0.113.7"));
}

TEST_CASE("analytics: repeated attacks, 404s and floods have their own reasons") {
  waf::metrics::Registry registry;
  AnalyticsOptions options;
  options.attack_threshold = 3;
  options.forced_browsing_threshold = 2;
  options.flood_threshold = 10;
  auto analytics = start(options, registry);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  analytics->observe({{"10.0.0.1", now}, {"10.0.0.1", now}, {"10.0.0.1", now}}, {});
  analytics->observe({}, {{"10.0.0.2", "GET", "/admin", 404, 2}, {"10.0.0.3", "GET", "/", 200, 10}});
  REQUIRE(eventually([&] { return analytics->lists()->grey.size() == 3; }));
  CHECK(grey_listed(*analytics, "10.0.0.1", "repeated_attacks"));
  CHECK(grey_listed(*analytics, "10.0.0.2", "forced_browsing"));
  CHECK(grey_listed(*analytics, "10.0.0.3", "flood"));
}

TEST_CASE("analytics: a deny entry with a ttl expires out of the snapshot") {
  waf::metrics::Registry registry;
  auto analytics = start({}, registry);
  CHECK(analytics->deny("not-an-ip", "", std::nullopt).error().message.find("not an IP") != std::string::npos);
  const auto entry = analytics->deny("198.51.100.0/24", "", std::chrono::seconds(1));
  REQUIRE(entry.ok());
  CHECK(entry->reason == "manual");
  CHECK(analytics->lists()->deny.size() == 1);
  const auto version = analytics->lists()->version;
  REQUIRE(eventually([&] { return analytics->lists()->deny.empty(); }));
  CHECK(analytics->lists()->version > version);
}

TEST_CASE("analytics: lists survive a restart through <data_dir>/lists.json") {
  const auto dir = temp_dir("persist");
  AnalyticsOptions options;
  options.data_dir = dir.string();
  {
    waf::metrics::Registry registry;
    auto analytics = start(options, registry);
    REQUIRE(analytics->deny("2001:db8::/32", "scanner", std::nullopt).ok());
    REQUIRE(analytics->deny("192.0.2.1", "", std::nullopt).ok());
    CHECK(analytics->undeny("192.0.2.1"));
    CHECK_FALSE(analytics->undeny("192.0.2.1"));
    REQUIRE(eventually([&] {
      std::ifstream in(dir / "lists.json");
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      return text.find("2001:db8::/32") != std::string::npos && text.find("192.0.2.1") == std::string::npos;
    }));
  }
  waf::metrics::Registry registry;
  auto analytics = start(options, registry);
  const auto lists = analytics->lists();
  REQUIRE(lists->deny.size() == 1);
  CHECK(lists->deny[0].ip == "2001:db8::/32");
  CHECK(lists->deny[0].reason == "scanner");
  analytics.reset();
  fs::remove_all(dir);
}

TEST_CASE("analytics: a damaged lists.json refuses to start and says where") {
  const auto dir = temp_dir("damaged");
  std::ofstream(dir / "lists.json") << "{broken";
  AnalyticsOptions options;
  options.data_dir = dir.string();
  waf::metrics::Registry registry;
  const auto analytics = Analytics::start(options, registry);
  REQUIRE_FALSE(analytics.ok());
  CHECK(analytics.error().message.find("lists.json") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("analytics: with Redis down, ingest never waits, drops and errors are counted, API changes still show") {
  waf::metrics::Registry registry;
  AnalyticsOptions options;
  options.redis_url = "redis://127.0.0.1:1";  // nothing listens on port 1: refused at once
  auto analytics = start(options, registry);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) analytics->observe({}, {{"10.0.0.1", "POST", "/login", 401, 1}});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(200));
  const auto metric = [&](const std::string& name) {
    const auto text = registry.render();
    const auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + name.size() + 2));
  };
  CHECK(eventually([&] { return metric("waf_postanalytics_analytics_dropped_total") > 0; }));
  CHECK(metric("waf_postanalytics_redis_errors_total") > 0);
  REQUIRE(analytics->deny("192.0.2.7", "manual", std::nullopt).ok());
  CHECK(analytics->lists()->deny.size() == 1);
}

TEST_CASE("analytics: a bad --redis URL refuses to start") {
  waf::metrics::Registry registry;
  AnalyticsOptions options;
  options.redis_url = "localhost:6379";
  const auto analytics = Analytics::start(options, registry);
  REQUIRE_FALSE(analytics.ok());
  CHECK(analytics.error().message.starts_with("--redis"));
}
