#include "common/net/cidr.hpp"

#include <doctest/doctest.h>

using waf::net::CidrList;

TEST_CASE("cidr: IPv4, IPv6 and IPv4-mapped addresses") {
  auto list = CidrList::parse("10.0.0.0/8, 192.168.1.7 fd00::/8");
  REQUIRE(list.ok());
  CHECK(list->size() == 3);
  CHECK(list->contains("10.1.2.3"));
  CHECK(list->contains("::ffff:10.9.9.9"));
  CHECK(list->contains("192.168.1.7"));
  CHECK_FALSE(list->contains("192.168.1.8"));
  CHECK(list->contains("fd12::1"));
  CHECK_FALSE(list->contains("fe80::1"));
  CHECK_FALSE(list->contains("not-an-ip"));
  CHECK(CidrList::parse("0.0.0.0/0")->contains("8.8.8.8"));
}

TEST_CASE("cidr: errors name the entry") {
  auto bad = CidrList::parse("10.0.0.0/33");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("10.0.0.0/33") != std::string::npos);
  CHECK_FALSE(CidrList::parse("10.0.0/8").ok());
}
