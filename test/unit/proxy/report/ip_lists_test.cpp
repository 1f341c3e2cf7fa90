#include "proxy/report/ip_lists.hpp"

#include "common/time_text.hpp"

#include <doctest/doctest.h>

using namespace waf::proxy::report;
using waf::parse_rfc3339_ms;

TEST_CASE("ip lists: parses the lists body of the contract") {
  const auto lists = parse_lists(
      R"({"version":4,"grey":[{"ip":"203.0.113.7","reason":"brute_force","expires":"2026-11-22T16:00:00.000Z"}],)"
      R"("deny":[{"ip":"198.51.100.0/24","reason":"manual","expires":null},{"ip":"2001:db8::/32","reason":"x"}]})");
  REQUIRE(lists);
  CHECK(lists->version == 4);
  REQUIRE(lists->grey.size() == 1);
  CHECK(lists->grey[0].ip == "203.0.113.7");
  CHECK(lists->grey[0].expires_ms == 1795363200000);
  REQUIRE(lists->deny.size() == 2);
  CHECK_FALSE(lists->deny[0].expires_ms.has_value());
  CHECK_FALSE(lists->deny[1].expires_ms.has_value());
}

TEST_CASE("ip lists: a body the proxy cannot enforce is an error naming the fault") {
  CHECK(parse_lists("not json").error().message == "lists: not a JSON object");
  CHECK(parse_lists(R"({"grey":[],"deny":[]})").error().message.find("version") != std::string::npos);
  CHECK(parse_lists(R"({"version":1,"grey":[{"ip":"nope"}],"deny":[]})").error().message ==
        "lists: \"grey\": not an address or CIDR: nope");
  CHECK(parse_lists(R"({"version":1,"grey":[],"deny":[{"ip":"10.0.0.1","expires":"tomorrow"}]})").error().message ==
        "lists: \"deny\": bad \"expires\" for 10.0.0.1");
  CHECK(parse_lists(R"({"version":1,"grey":[]})").error().message == "lists: \"deny\": expected an array");
}

TEST_CASE("ip lists: RFC 3339 times") {
  CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339_ms("2026-11-22T16:00:00.5Z") == 1795363200500);
  CHECK(parse_rfc3339_ms("2026-11-22T17:00:00+01:00") == 1795363200000);
  CHECK(parse_rfc3339_ms("2000-02-29T00:00:00.000Z") == 951782400000);
  CHECK_FALSE(parse_rfc3339_ms("2026-13-22T16:00:00Z").has_value());
  CHECK_FALSE(parse_rfc3339_ms("2026-11-22 16:00").has_value());
  CHECK_FALSE(parse_rfc3339_ms("2026-11-22T16:00:00").has_value());
}

TEST_CASE("ip lists: only entries in force apply, and the next expiry is known") {
  PulledLists pulled;
  pulled.version = 9;
  pulled.grey = {{"203.0.113.7", 2000}, {"203.0.113.8", 1000}, {"203.0.113.9", 5000}};
  pulled.deny = {{"198.51.100.0/24", std::nullopt}};
  const auto at_1500 = active_lists(pulled, 1500);
  CHECK(at_1500.version == 9);
  CHECK(at_1500.grey.contains("203.0.113.7"));
  CHECK_FALSE(at_1500.grey.contains("203.0.113.8"));  // expired
  CHECK(at_1500.deny.contains("198.51.100.77"));
  CHECK(at_1500.next_expiry_ms == 2000);
  const auto at_6000 = active_lists(pulled, 6000);
  CHECK(at_6000.grey.empty());
  CHECK_FALSE(at_6000.next_expiry_ms.has_value());
  CHECK(at_6000.deny.size() == 1);

  IpListStore store;
  CHECK(store.current()->grey.empty());
  store.set(std::make_shared<const ActiveIpLists>(at_1500));
  CHECK(store.current()->shared().grey->contains("203.0.113.7"));
}
