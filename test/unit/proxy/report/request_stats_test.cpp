#include "proxy/report/request_stats.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace waf::proxy::report;

namespace {
const auto kMinute = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795881900000));  // 2026-11-28T16:05:00Z
}

TEST_CASE("stats: per-worker counts by minute, merged and rendered as waf.stats/v1") {
  WorkerStats a, b;
  a.record(kMinute + std::chrono::seconds(1), "203.0.113.7", "POST", "/login?next=/", 401);
  a.record(kMinute + std::chrono::seconds(2), "203.0.113.7", "POST", "/login", 401);
  b.record(kMinute + std::chrono::seconds(59), "198.51.100.1", "GET", "/users/42", 200);
  b.record(kMinute + std::chrono::seconds(60), "198.51.100.1", "GET", "/users/43", 200);  // the next minute
  b.record(kMinute, "198.51.100.1", "GET", "/gone", 0);  // no response: not counted

  StatsByMinute merged;
  for (auto* w : {&a, &b}) {
    for (const auto& [minute, stats] : w->take()) merged[minute].merge(stats, 100);
  }
  CHECK(a.take().empty());
  REQUIRE(merged.size() == 2);
  const auto& first = merged.begin()->second;
  CHECK(first.requests() == 3);
  const auto r = render_stats(merged.begin()->first, first, PodIdentity{"shop", "shop-7d9", ""});
  CHECK(r.json ==
        R"({"schema":"waf.stats/v1","minute":"2026-11-28T16:05:00.000Z","namespace":"shop","pod":"shop-7d9",)"
        R"("requests":3,"status":{"1xx":0,"2xx":1,"3xx":0,"4xx":2,"5xx":0},)"
        R"("rows":[{"ip":"203.0.113.7","method":"POST","path":"/login","status":401,"count":2},)"
        R"({"ip":"198.51.100.1","method":"GET","path":"/users/{id}","status":200,"count":1}],"rows_dropped":0})");
  CHECK(r.rows_dropped == 0);
  CHECK(std::prev(merged.end())->second.requests() == 1);
}

TEST_CASE("stats: row limits keep the totals exact and count what they leave out") {
  MinuteStats m;
  m.add({"10.0.0.1", "GET", "/a", 200}, 5, 2);
  m.add({"10.0.0.2", "GET", "/a", 200}, 3, 2);
  m.add({"10.0.0.3", "GET", "/a", 500}, 4, 2);  // a third row: over the limit of 2
  CHECK(m.requests() == 12);
  CHECK(m.rows().size() == 2);
  CHECK(m.rows_dropped() == 4);
  CHECK(m.by_class()[4] == 4);

  // Rendering keeps the largest rows; the rest joins rows_dropped.
  const auto r = render_stats(0, m, {}, 1);
  CHECK(r.rows_dropped == 7);
  CHECK(r.json.find(R"("rows":[{"ip":"10.0.0.1","method":"GET","path":"/a","status":200,"count":5}],"rows_dropped":7})") !=
        std::string::npos);
  CHECK(r.json.find(R"("requests":12,)") != std::string::npos);

  MinuteStats total;
  total.merge(m, 10);
  total.merge(m, 10);
  CHECK(total.requests() == 24);
  CHECK(total.rows_dropped() == 8);
  CHECK(total.rows().at({"10.0.0.1", "GET", "/a", 200}) == 10);
}

TEST_CASE("stats: minute_of rounds down, also before 1970") {
  CHECK(minute_of(std::chrono::system_clock::time_point(std::chrono::milliseconds(119999))) == 60000);
  CHECK(minute_of(std::chrono::system_clock::time_point(std::chrono::milliseconds(-1))) == -60000);
}
