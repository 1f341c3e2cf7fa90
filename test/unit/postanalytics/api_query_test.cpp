#include "postanalytics/api_query.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

TEST_CASE("api query: every filter is read, lists split on commas") {
  auto r = parse_events_request(
      "since=2026-11-22T15:45:00Z&until=1795362360000&class=sqli,xss&action=blocked&namespace=shop&app=web"
      "&ip=10.0.0.0%2F8&path=%2Fapi%2F*&limit=10&cursor=42");
  REQUIRE(r.ok());
  CHECK(r->query.since_ms == 1795362300000);
  CHECK(r->query.until_ms == 1795362360000);
  CHECK(r->query.classes == std::vector<std::string>{"sqli", "xss"});
  CHECK(r->query.actions == std::vector<std::string>{"blocked"});
  CHECK(r->query.namespace_name == "shop");
  CHECK(r->query.app == "web");
  REQUIRE(r->query.ip.has_value());
  CHECK(r->query.ip->contains("10.1.2.3"));
  CHECK(r->query.path_glob == "/api/*");
  CHECK(r->limit == 10);
  CHECK(r->cursor == 42);
}

TEST_CASE("api query: defaults, and empty parameters count as absent") {
  auto r = parse_events_request("class=&ip=");
  REQUIRE(r.ok());
  CHECK(r->limit == 50);
  CHECK(r->query.classes.empty());
  CHECK_FALSE(r->query.ip.has_value());
  auto s = parse_stats_request("", 1795362300000);
  REQUIRE(s.ok());
  CHECK(s->until_ms == 1795362300000);
  CHECK(s->since_ms == 1795362300000 - 3'600'000);
  CHECK(s->bucket_ms == 60'000);
}

TEST_CASE("api query: errors name the parameter") {
  struct Case {
    const char *query, *error;
  };
  const Case cases[] = {
      {"since=yesterday", "since:"},  {"until=%zz", "until:"},      {"ip=300.1.1.1", "ip:"},
      {"limit=0", "limit:"},          {"limit=1001", "limit:"},     {"limit=ten", "limit:"},
      {"cursor=-1", "cursor:"},
  };
  for (const auto& c : cases) {
    auto r = parse_events_request(c.query);
    REQUIRE_FALSE_MESSAGE(r.ok(), c.query);
    CHECK_MESSAGE(r.error().message.rfind(c.error, 0) == 0, r.error().message);
  }
  CHECK(parse_stats_request("since=2000&until=1000", 0).error().message.rfind("since:", 0) == 0);
  CHECK(parse_stats_request("since=0&until=86400000&bucket=1", 0).error().message.rfind("bucket:", 0) == 0);
  CHECK(parse_stats_request("bucket=0", 1795362300000).error().message.rfind("bucket:", 0) == 0);
}
