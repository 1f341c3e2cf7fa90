#include "postanalytics/analytics/redis_state.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;
using Type = RespValue::Type;

namespace {

RespValue bulk(std::string s) { return {Type::bulk, std::move(s), 0, {}}; }
RespValue integer(std::int64_t n) { return {Type::integer, "", n, {}}; }
RespValue nil() { return {}; }
RespValue array(std::vector<RespValue> elements) { return {Type::array, "", 0, std::move(elements)}; }

}  // namespace

TEST_CASE("redis url: host, port, db; errors name --redis") {
  const auto full = parse_redis_url("redis://redis.waf.svc:6380/2");
  REQUIRE(full.ok());
  CHECK(full->host == "redis.waf.svc");
  CHECK(full->port == 6380);
  CHECK(full->db == 2);
  const auto plain = parse_redis_url("redis://127.0.0.1");
  REQUIRE(plain.ok());
  CHECK(plain->port == 6379);
  CHECK(plain->db == 0);
  const auto v6 = parse_redis_url("redis://[::1]:7000/");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 7000);
  CHECK(parse_redis_url("http://x:1").error().message == "--redis: 'http://x:1' must start with redis://");
  CHECK(parse_redis_url("redis://x:1/db").error().message.starts_with("--redis"));
  CHECK(parse_redis_url("redis://:6379").error().message.find("no host") != std::string::npos);
  CHECK_FALSE(parse_redis_url("redis://user:pw@x:1").ok());
}

TEST_CASE("redis counters: INCRBY, EXPIRE past the window, MGET of the window's six buckets") {
  AnalyticsOptions options;  // 60s window, 10s buckets
  const auto config = make_behaviour_config(options).value();
  const std::vector<CounterIncrement> increments = {{BehaviourKind::brute_force, "203.0.113.7", 100, 3}};
  const auto commands = counter_commands(config, increments);
  const std::vector<RedisClient::Command> expected = {
      {"INCRBY", "waf:count:brute_force:203.0.113.7:100", "3"},
      {"EXPIRE", "waf:count:brute_force:203.0.113.7:100", "71"},
      {"MGET", "waf:count:brute_force:203.0.113.7:95", "waf:count:brute_force:203.0.113.7:96",
       "waf:count:brute_force:203.0.113.7:97", "waf:count:brute_force:203.0.113.7:98",
       "waf:count:brute_force:203.0.113.7:99", "waf:count:brute_force:203.0.113.7:100"},
  };
  CHECK(commands == expected);
}

TEST_CASE("redis counters: window totals add the buckets, nil is an empty bucket, errors fail") {
  const std::vector<RespValue> replies = {
      integer(3), integer(1), array({nil(), bulk("4"), nil(), nil(), bulk("10"), bulk("3")}),
      integer(1), integer(1), array({bulk("1")}),
  };
  const auto totals = window_totals(replies);
  REQUIRE(totals.ok());
  CHECK(*totals == std::vector<std::uint64_t>{17, 1});
  const std::vector<RespValue> failed = {RespValue{Type::error, "OOM command not allowed", 0, {}}, integer(1),
                                         array({})};
  CHECK(window_totals(failed).error().message == "redis: OOM command not allowed");
  CHECK_FALSE(window_totals(std::vector<RespValue>{integer(1)}).ok());
}

TEST_CASE("redis lists: HSET/HDEL per change, one INCR of the version") {
  const std::vector<ListChange> changes = {
      {IpList::grey, true, {"10.0.0.1", "flood", 5, 65}},
      {IpList::deny, false, {"192.0.2.0/24", "", 0, std::nullopt}},
  };
  const std::vector<RedisClient::Command> expected = {
      {"HSET", "waf:grey", "10.0.0.1", R"({"ip":"10.0.0.1","reason":"flood","added_ms":5,"expires_ms":65})"},
      {"HDEL", "waf:deny", "192.0.2.0/24"},
      {"INCR", "waf:lists:version"},
  };
  CHECK(list_change_commands(changes) == expected);
  CHECK(list_change_commands({}).empty());
}

TEST_CASE("redis lists: HGETALL pairs become entries, junk values are skipped") {
  const auto reply = array({bulk("10.0.0.1"), bulk(R"({"ip":"10.0.0.1","reason":"flood","added_ms":5,"expires_ms":65})"),
                            bulk("10.0.0.2"), bulk("garbage")});
  const auto entries = entries_from_hgetall(reply);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].reason == "flood");
  CHECK(entries[0].expires_ms == 65);
  CHECK(entries_from_hgetall(nil()).empty());
}
