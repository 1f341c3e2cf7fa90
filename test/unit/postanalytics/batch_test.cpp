#include "postanalytics/batch.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

namespace {

const std::string kEvent =
    R"({"schema":"waf.event/v1", "time":"2026-11-22T15:45:56.123Z","namespace":"shop","app":"web",)"
    R"("client_ip":"203.0.113.7","method":"GET","path":"/search","classes":["sqli","xss"],)"
    R"("findings":[{"class":"sqli","location":"query.q","evidence":"1' or '1'='1","score":90}],"action":"blocked","status":403})";
const std::string kStats =
    R"({"schema":"waf.stats/v1","minute":"2026-11-22T15:45:00.000Z","namespace":"shop","pod":"shop-7d9","app":"web",)"
    R"("requests":1234,"status":{"1xx":0,"2xx":1200,"3xx":4,"4xx":30,"5xx":0},)"
    R"("rows":[{"ip":"203.0.113.7","method":"POST","path":"/login","status":401,"count":12}],"rows_dropped":0})";

}  // namespace

TEST_CASE("batch: events and stats lines, blank lines and CRLF tolerated") {
  auto batch = parse_batch(kEvent + "\r\n\n" + kStats + "\n" + kEvent);
  REQUIRE(batch.ok());
  REQUIRE(batch->events.size() == 2);
  REQUIRE(batch->stats.size() == 1);
  const auto& e = batch->events[0];
  CHECK(e.time_ms == 1795362356123);
  CHECK(e.client_ip == "203.0.113.7");
  CHECK(e.path == "/search");
  CHECK(e.namespace_name == "shop");
  CHECK(e.app == "web");
  CHECK(e.action == "blocked");
  CHECK(e.classes == std::vector<std::string>{"sqli", "xss"});
  CHECK(e.json.find("\"schema\":\"waf.event/v1\",\"time\"") != std::string::npos);  // minified
  CHECK(e.json.find("1' or '1'='1") != std::string::npos);
  const auto& s = batch->stats[0];
  CHECK(s.minute_ms == 1795362300000);
  CHECK(s.requests == 1234);
  CHECK(s.by_status == std::array<std::uint64_t, 5>{0, 1200, 4, 30, 0});
  REQUIRE(s.rows.size() == 1);
  CHECK(s.rows[0].ip == "203.0.113.7");
  CHECK(s.rows[0].method == "POST");
  CHECK(s.rows[0].path == "/login");
  CHECK(s.rows[0].status == 401);
  CHECK(s.rows[0].count == 12);
}

TEST_CASE("batch: an empty body is an empty batch") {
  auto batch = parse_batch("\n\n");
  REQUIRE(batch.ok());
  CHECK(batch->events.empty());
  CHECK(batch->stats.empty());
}

TEST_CASE("batch: errors name the line and the problem") {
  struct Case {
    std::string body, error;
  };
  const Case cases[] = {
      {kEvent + "\n{not json", "line 2: not JSON"},
      {"[1,2]", "line 1: not a JSON object"},
      {R"({"time":"2026-11-22T15:45:56Z"})", "line 1: no \"schema\""},
      {kStats + "\n" + R"({"schema":"waf.event/v2","time":"2026-11-22T15:45:56Z"})", "line 2: unknown schema"},
      {R"({"schema":"waf.event/v1"})", "line 1: \"time\" must be an RFC 3339 time"},
      {R"({"schema":"waf.event/v1","time":"yesterday"})", "line 1: \"time\" must be an RFC 3339 time"},
      {R"({"schema":"waf.event/v1","time":"2026-11-22T15:45:56Z","classes":"sqli"})", "line 1: \"classes\" must be"},
      {R"({"schema":"waf.event/v1","time":"2026-11-22T15:45:56Z","client_ip":7})", "line 1: \"client_ip\" must be"},
      {R"({"schema":"waf.stats/v1","minute":"2026-11-22T15:45:00Z","requests":-1})", "line 1: \"requests\" must be"},
      {R"({"schema":"waf.stats/v1","minute":"2026-11-22T15:45:00Z","rows":[{"ip":"x"}]})", "line 1: \"rows[0]\" must be"},
  };
  for (const auto& c : cases) {
    auto batch = parse_batch(c.body);
    REQUIRE_FALSE(batch.ok());
    CHECK_MESSAGE(batch.error().message.rfind(c.error, 0) == 0, batch.error().message);
  }
}
