#include "postanalytics/analytics/ip_list_state.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

TEST_CASE("ip list state: every change bumps the version, a no-op does not") {
  IpListState state;
  CHECK(state.version() == 0);
  CHECK(state.put(IpList::grey, {"10.0.0.1", "brute_force", 1000, 2000}));
  CHECK(state.version() == 1);
  CHECK_FALSE(state.put(IpList::grey, {"10.0.0.1", "brute_force", 1000, 2000}));
  CHECK(state.version() == 1);
  CHECK(state.put(IpList::grey, {"10.0.0.1", "flood", 1000, 2000}));
  CHECK(state.put(IpList::deny, {"10.0.0.0/8", "manual", 1000, std::nullopt}));
  CHECK(state.version() == 3);
  CHECK_FALSE(state.remove(IpList::deny, "10.0.0.1"));
  CHECK(state.remove(IpList::grey, "10.0.0.1"));
  CHECK(state.version() == 4);
}

TEST_CASE("ip list state: expired entries leave snapshots, then the state") {
  IpListState state;
  state.put(IpList::grey, {"10.0.0.2", "flood", 0, 5000});
  state.put(IpList::grey, {"10.0.0.1", "brute_force", 0, 3000});
  state.put(IpList::deny, {"192.0.2.0/24", "manual", 0, std::nullopt});
  CHECK(state.next_expiry() == 3000);
  auto snap = state.snapshot(2999);
  REQUIRE(snap.grey.size() == 2);
  CHECK(snap.grey[0].ip == "10.0.0.1");  // sorted by ip
  CHECK(state.contains(IpList::grey, "10.0.0.1", 2999));
  CHECK_FALSE(state.contains(IpList::grey, "10.0.0.1", 3000));
  snap = state.snapshot(3000);
  REQUIRE(snap.grey.size() == 1);
  CHECK(snap.grey[0].ip == "10.0.0.2");
  CHECK(snap.deny.size() == 1);
  const auto before = state.version();
  CHECK(state.expire(3000));
  CHECK(state.version() == before + 1);
  CHECK(state.next_expiry() == 5000);
  CHECK_FALSE(state.expire(3000));
}

TEST_CASE("ip list state: replace bumps the version only when the content differs") {
  IpListState state;
  state.put(IpList::deny, {"10.0.0.1", "manual", 1, std::nullopt});
  CHECK_FALSE(state.replace({}, {{"10.0.0.1", "manual", 1, std::nullopt}}));
  CHECK(state.version() == 1);
  CHECK(state.replace({{"10.0.0.3", "flood", 1, 9}}, {}));
  CHECK(state.version() == 2);
  CHECK(state.snapshot(0).deny.empty());
  CHECK(state.snapshot(0).grey.size() == 1);
}

TEST_CASE("normalize_ip_or_cidr: canonical text, errors say why") {
  CHECK(*normalize_ip_or_cidr("10.0.0.1") == "10.0.0.1");
  CHECK(*normalize_ip_or_cidr("198.51.100.0/24") == "198.51.100.0/24");
  CHECK(*normalize_ip_or_cidr("2001:DB8:0:0::1") == "2001:db8::1");
  CHECK(*normalize_ip_or_cidr("[2001:db8::1]") == "2001:db8::1");
  CHECK(*normalize_ip_or_cidr("2001:db8::/32") == "2001:db8::/32");
  CHECK(normalize_ip_or_cidr("10.0.0.0/33").error().message.find("0..32") != std::string::npos);
  CHECK(normalize_ip_or_cidr("10.0.0.0/").error().message.find("prefix") != std::string::npos);
  CHECK(normalize_ip_or_cidr("example.com").error().message == "'example.com' is not an IP address or CIDR");
  CHECK_FALSE(normalize_ip_or_cidr("10.0.0.1/8x").ok());
}

TEST_CASE("lists json: golden text and round trip") {
  IpLists lists;
  lists.version = 7;
  lists.grey = {{"203.0.113.7", "brute_force", 1000, 601000}};
  lists.deny = {{"198.51.100.0/24", "scanner \"x\"", 5, std::nullopt}};
  const auto text = lists_to_json(lists);
  CHECK(text ==
        R"({"version":1,"grey":[{"ip":"203.0.113.7","reason":"brute_force","added_ms":1000,"expires_ms":601000}],)"
        R"("deny":[{"ip":"198.51.100.0/24","reason":"scanner \"x\"","added_ms":5,"expires_ms":null}]})"
        "\n");
  const auto back = lists_from_json(text);
  REQUIRE(back.ok());
  REQUIRE(back->grey.size() == 1);
  CHECK(back->grey[0].expires_ms == 601000);
  REQUIRE(back->deny.size() == 1);
  CHECK(back->deny[0].reason == "scanner \"x\"");
  CHECK_FALSE(back->deny[0].expires_ms.has_value());
}

TEST_CASE("lists json: a damaged file is an error naming the part") {
  CHECK_FALSE(lists_from_json("{").ok());
  CHECK(lists_from_json(R"({"version":2,"grey":[],"deny":[]})").error().message == "unknown format version");
  CHECK(lists_from_json(R"({"version":1,"grey":[{"ip":"nope"}],"deny":[]})").error().message.starts_with("\"grey\""));
  CHECK(entry_from_json(R"({"ip":"10.0.0.1","reason":"r","added_ms":1,"expires_ms":null})")->ip == "10.0.0.1");
}
