#include <doctest/doctest.h>

#include "../table_file.hpp"
#include "common/net/cidr.hpp"
#include "engine/policy/glob.hpp"
#include "engine/policy/policy_file.hpp"

using namespace waf::engine;
using namespace waf::engine::test;

TEST_CASE("policy: a file using every key loads with its values") {
  auto policy = load_policy(read_file(testdata("policy/full.json")));
  REQUIRE_MESSAGE(policy.ok(), (policy.ok() ? "" : policy.error().message));
  CHECK(policy->mode == Mode::block);
  CHECK(policy->inspect_body_limit == 131072);
  CHECK(policy->score_threshold == 40);
  CHECK(policy->block_status == 406);
  CHECK(policy->block_page == BlockPage::html);
  CHECK(policy->disabled_classes == class_bit(AttackClass::scanner));
  CHECK(policy->allow_ips.contains(*waf::net::parse_ip("10.2.3.4")));
  CHECK(policy->allow_ips.contains(*waf::net::parse_ip("2001:db8:1:2::1")));
  CHECK(policy->deny_ips.contains(*waf::net::parse_ip("198.51.100.9")));
  CHECK(policy->grey_ips.contains(*waf::net::parse_ip("192.0.2.1")));
  REQUIRE(policy->paths.size() == 2);
  CHECK(policy->paths[0].pattern == "/api/upload*");
  CHECK(policy->paths[0].mode == Mode::monitoring);
  CHECK(policy->paths[0].disabled_classes == class_bit(AttackClass::xss));
  REQUIRE(policy->exceptions.size() == 2);
  CHECK(policy->exceptions[0].cls == AttackClass::sqli);
  CHECK_FALSE(policy->exceptions[1].cls.has_value());
  CHECK(policy->exceptions[1].path == "*");
  REQUIRE(policy->custom_rules.size() == 2);
  CHECK(policy->custom_rules[0].method == "POST");
  CHECK(policy->custom_rules[0].header->name == "user-agent");
  CHECK(policy->custom_rules[0].header->regex.matches("CURL/8"));
  CHECK(policy->custom_rules[1].action == RuleAction::monitor);
  CHECK(policy->limits.max_depth == 16);
  CHECK(policy->limits.max_values == 512);
  CHECK(policy->limits.max_bytes == 262144);
  CHECK(policy->limits.max_value_bytes == 8192);
  CHECK(policy->detectors.size() == detector_registry().size());
}

TEST_CASE("policy: the built-in default is monitoring with every detector") {
  const CompiledPolicy policy = default_policy();
  CHECK(policy.mode == Mode::monitoring);
  CHECK(policy.disabled_classes == 0);
  CHECK(policy.block_status == 403);
  CHECK(policy.detectors.size() == detector_registry().size());
}

TEST_CASE("policy: errors name the JSON path at fault (testdata/policy/errors.txt)") {
  const auto rows = read_table(testdata("policy/errors.txt"), "\t");
  REQUIRE(rows.size() >= 20);
  for (const auto& row : rows) {
    REQUIRE(row.size() == 2);
    INFO(row[0]);
    const auto policy = load_policy(row[0]);
    REQUIRE_FALSE(policy.ok());
    CHECK(policy.error().message == row[1]);
  }
}

TEST_CASE("cidr: IPv4, IPv6 and mapped addresses (testdata/policy/cidr.txt)") {
  const auto rows = read_table(testdata("policy/cidr.txt"), "\t");
  REQUIRE(rows.size() >= 15);
  for (const auto& row : rows) {
    REQUIRE(row.size() == 3);
    INFO(row[0] << " " << row[1]);
    waf::net::CidrSet set;
    REQUIRE(set.add(row[0]).ok());
    const auto ip = waf::net::parse_ip(row[1]);
    CHECK((ip && set.contains(*ip)) == (row[2] == "match"));
  }
}

TEST_CASE("glob: path and location patterns (testdata/policy/glob.txt)") {
  const auto rows = read_table(testdata("policy/glob.txt"), "\t");
  REQUIRE(rows.size() >= 10);
  for (const auto& row : rows) {
    REQUIRE(row.size() == 3);
    INFO(row[0] << " " << row[1]);
    CHECK(path_pattern_match(row[0], row[1]) == (row[2] == "match"));
  }
}

TEST_CASE("glob: a hostile text cannot make matching exponential") {
  const std::string text(100000, 'a');
  CHECK_FALSE(waf::glob_match("*a*a*a*a*a*a*a*b", text));
}
