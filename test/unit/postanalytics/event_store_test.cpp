#include "postanalytics/event_store.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>

#include "postanalytics/api_query.hpp"

using namespace waf::postanalytics;

namespace {

constexpr std::int64_t kT0 = 1795362300000;  // 2026-11-22T15:45:00Z

IngestEvent make_event(std::int64_t time_ms, std::string ip, std::string path, std::vector<std::string> classes,
                       std::string action = "blocked", std::string ns = "shop", std::string app = "web") {
  IngestEvent e;
  e.time_ms = time_ms;
  e.client_ip = ip;
  e.path = path;
  e.classes = classes;
  e.action = action;
  e.namespace_name = ns;
  e.app = app;
  e.json = fmt::format(R"({{"schema":"waf.event/v1","time_ms":{},"client_ip":"{}","path":"{}"}})", time_ms, ip, path);
  return e;
}

EventQuery query_of(std::string_view q) {
  auto parsed = parse_event_query(q);
  REQUIRE_MESSAGE(parsed.ok(), std::string(q));
  return *parsed;
}

std::vector<std::uint64_t> ids(const EventPage& page) {
  std::vector<std::uint64_t> out;
  for (const auto* e : page.events) out.push_back(e->id);
  return out;
}

}  // namespace

TEST_CASE("event store: filters by class, action, namespace, app, ip, path and time") {
  EventStore store(64 * 1024 * 1024);
  store.add_event(1, make_event(kT0, "203.0.113.7", "/login", {"sqli"}));
  store.add_event(2, make_event(kT0 + 1000, "203.0.113.8", "/api/users/1", {"xss"}, "monitored"));
  store.add_event(3, make_event(kT0 + 2000, "2001:db8::1", "/api/orders", {"sqli", "xss"}, "denied", "shop", "api"));
  store.add_event(4, make_event(kT0 + 3000, "198.51.100.1", "/", {"scanner"}, "blocked", "blog", "web"));

  CHECK(ids(store.query({}, 50, std::nullopt)) == std::vector<std::uint64_t>{4, 3, 2, 1});
  CHECK(ids(store.query(query_of("class=sqli"), 50, std::nullopt)) == std::vector<std::uint64_t>{3, 1});
  CHECK(ids(store.query(query_of("class=xss,scanner"), 50, std::nullopt)) == std::vector<std::uint64_t>{4, 3, 2});
  CHECK(ids(store.query(query_of("class=nosuch"), 50, std::nullopt)).empty());
  CHECK(ids(store.query(query_of("action=monitored,denied"), 50, std::nullopt)) == std::vector<std::uint64_t>{3, 2});
  CHECK(ids(store.query(query_of("namespace=shop&app=api"), 50, std::nullopt)) == std::vector<std::uint64_t>{3});
  CHECK(ids(store.query(query_of("namespace=nosuch"), 50, std::nullopt)).empty());
  CHECK(ids(store.query(query_of("ip=203.0.113.0/24"), 50, std::nullopt)) == std::vector<std::uint64_t>{2, 1});
  CHECK(ids(store.query(query_of("ip=2001:db8::/32"), 50, std::nullopt)) == std::vector<std::uint64_t>{3});
  CHECK(ids(store.query(query_of("path=/api/*"), 50, std::nullopt)) == std::vector<std::uint64_t>{3, 2});
  CHECK(ids(store.query(query_of("since=2026-11-22T15:45:01Z&until=2026-11-22T15:45:03Z"), 50, std::nullopt)) ==
        std::vector<std::uint64_t>{3, 2});
  CHECK(ids(store.query(query_of(fmt::format("since={}", kT0 + 3000)), 50, std::nullopt)) ==
        std::vector<std::uint64_t>{4});
}

TEST_CASE("event store: pages newest first with a cursor; matched counts every page") {
  EventStore store(64 * 1024 * 1024);
  for (std::uint64_t id = 1; id <= 5; ++id) store.add_event(id, make_event(kT0, "10.0.0.1", "/", {"sqli"}));
  auto first = store.query({}, 2, std::nullopt);
  CHECK(ids(first) == std::vector<std::uint64_t>{5, 4});
  CHECK(first.matched == 5);
  REQUIRE(first.next_cursor == 4);
  auto second = store.query({}, 2, first.next_cursor);
  CHECK(ids(second) == std::vector<std::uint64_t>{3, 2});
  auto third = store.query({}, 2, second.next_cursor);
  CHECK(ids(third) == std::vector<std::uint64_t>{1});
  CHECK_FALSE(third.next_cursor.has_value());
  CHECK(store.find(3) != nullptr);
  CHECK(store.find(6) == nullptr);
  CHECK_FALSE(store.add_event(5, make_event(kT0, "10.0.0.1", "/", {})));  // replayed twice: stored once
  CHECK(store.events() == 5);
}

TEST_CASE("event store: over the budget the oldest events go first, and bytes are accounted back") {
  const auto one = EventStore::event_bytes([] {
    StoredEvent e;
    e.json = make_event(kT0, "10.0.0.1", "/x", {"sqli"}).json;
    e.json.shrink_to_fit();
    return e;
  }());
  EventStore store(one * 10);
  for (std::uint64_t id = 1; id <= 25; ++id) store.add_event(id, make_event(kT0, "10.0.0.1", "/x", {"sqli"}));
  CHECK(store.events() == 10);
  CHECK(store.evicted_events() == 15);
  CHECK(store.bytes() <= one * 10);
  CHECK(store.find(15) == nullptr);
  CHECK(store.find(16) != nullptr);
  CHECK(store.oldest_live_id() == 16);
  CHECK(store.last_id() == 25);
}

TEST_CASE("event store: request counts per minute add up and follow namespace/app filters") {
  EventStore store(64 * 1024 * 1024);
  IngestStats a;
  a.minute_ms = kT0;
  a.namespace_name = "shop";
  a.app = "web";
  a.requests = 100;
  a.by_status = {0, 90, 0, 10, 0};
  store.add_stats(a);
  store.add_stats(a);  // a second delta of the same minute
  IngestStats b = a;
  b.namespace_name = "blog";
  b.minute_ms = kT0 + 60'000;
  store.add_stats(b);
  auto all = store.stats({}, kT0, kT0 + 120'000, 60'000);
  CHECK(all.requests == 300);
  CHECK(all.requests_by_status[1] == 270);
  auto shop = store.stats(query_of("namespace=shop"), kT0, kT0 + 120'000, 60'000);
  CHECK(shop.requests == 200);
  CHECK(shop.requests_by_status[3] == 20);
  auto later = store.stats({}, kT0 + 60'000, kT0 + 120'000, 60'000);
  CHECK(later.requests == 100);
  CHECK(store.oldest_stats_minute() == kT0);
}

TEST_CASE("event store: aggregates: timeline by class, top lists, actions") {
  EventStore store(64 * 1024 * 1024);
  std::uint64_t id = 0;
  for (int i = 0; i < 3; ++i) store.add_event(++id, make_event(kT0 + i, "203.0.113.7", "/login", {"sqli"}));
  store.add_event(++id, make_event(kT0 + 60'000, "203.0.113.8", "/search", {"xss", "sqli"}, "monitored", "blog", "web"));
  store.add_event(++id, make_event(kT0 + 61'000, "203.0.113.8", "/search", {}, "denied", "blog", "web"));
  auto s = store.stats({}, kT0, kT0 + 180'000, 60'000);
  REQUIRE(s.timeline.size() == 3);
  CHECK(s.timeline[0].time_ms == kT0);
  CHECK(s.timeline[0].total == 3);
  REQUIRE(s.timeline[0].by_class.size() == 1);
  CHECK(s.timeline[0].by_class[0].name == "sqli");
  CHECK(s.timeline[1].total == 2);
  CHECK(s.timeline[1].by_class.size() == 2);
  CHECK(s.timeline[2].total == 0);
  REQUIRE(s.top_ips.size() == 2);
  CHECK(s.top_ips[0].name == "203.0.113.7");
  CHECK(s.top_ips[0].count == 3);
  REQUIRE(s.top_paths.size() == 2);
  CHECK(s.top_paths[0].path == "/login");
  CHECK(s.top_paths[0].namespace_name == "shop");
  REQUIRE(s.top_apps.size() == 2);
  CHECK(s.top_apps[0].count == 3);
  REQUIRE(s.by_class.size() == 2);
  CHECK(s.by_class[0].name == "sqli");
  CHECK(s.by_class[0].count == 4);
  CHECK(s.by_action == std::array<std::uint64_t, 3>{3, 1, 1});
  auto filtered = store.stats(query_of("ip=203.0.113.8"), kT0, kT0 + 180'000, 60'000);
  CHECK(filtered.timeline[0].total == 0);
  CHECK(filtered.by_action == std::array<std::uint64_t, 3>{0, 1, 1});
}

TEST_CASE("event store: 100,000 events answer filtered queries and stats quickly") {
  EventStore store(1ULL << 30);
  const char* classes[] = {"sqli", "xss", "path_traversal", "scanner", "command_injection"};
  const char* apps[] = {"web", "api", "admin", "shop"};
  for (std::uint64_t id = 1; id <= 100'000; ++id) {
    const auto i = static_cast<std::int64_t>(id);
    store.add_event(id, make_event(kT0 + i * 36, fmt::format("10.{}.{}.{}", id % 7, id % 251, id % 13),
                                   fmt::format("/api/items/{}", id % 1000), {classes[id % 5]},
                                   id % 3 == 0 ? "monitored" : "blocked", "ns" + std::to_string(id % 5), apps[id % 4]));
  }
  const auto ms_of = [](auto&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  EventPage page;
  const double filtered = ms_of([&] { page = store.query(query_of("class=xss&path=/api/items/1*&ip=10.0.0.0/8"), 50, std::nullopt); });
  CHECK(page.events.size() == 50);
  CHECK(page.matched > 0);
  StatsResult stats;
  const double aggregated = ms_of([&] { stats = store.stats({}, kT0, kT0 + 3'600'000, 60'000); });
  CHECK(stats.timeline.size() == 60);
  CHECK(stats.top_ips.size() == 10);
  MESSAGE("100k events: filtered query ", filtered, " ms, stats ", aggregated, " ms, ",
          store.bytes() / store.events(), " bytes per event");
  // The target is 50 ms on an idle machine (bench/postanalytics_bench.py measures it over HTTP);
  // the bound here leaves room for sanitizers and a loaded CI runner.
  CHECK(filtered < 1000);
  CHECK(aggregated < 1000);
}
