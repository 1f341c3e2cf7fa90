#include "common/net/endpoint.hpp"

#include <doctest/doctest.h>

using waf::net::parse_host_port;

TEST_CASE("endpoint: host:port forms") {
  CHECK(parse_host_port("127.0.0.1:8080")->port == 8080);
  CHECK(parse_host_port("[::1]:80")->host == "::1");
  CHECK(parse_host_port(":9000")->host.empty());
  CHECK(parse_host_port("localhost:0")->port == 0);
  CHECK_FALSE(parse_host_port("localhost").ok());
  CHECK_FALSE(parse_host_port("host:70000").ok());
  CHECK_FALSE(parse_host_port("::1:80").ok());
  CHECK_FALSE(parse_host_port("host:8x").ok());
}

TEST_CASE("endpoint: cgroup v2 cpu.max rounds the quota up and respects affinity") {
  CHECK(waf::net::cpus_from_cgroup_v2("max 100000\n", 8) == 8);
  CHECK(waf::net::cpus_from_cgroup_v2("150000 100000\n", 8) == 2);
  CHECK(waf::net::cpus_from_cgroup_v2("50000 100000\n", 8) == 1);
  CHECK(waf::net::cpus_from_cgroup_v2("800000 100000\n", 2) == 2);
  CHECK(waf::net::cpus_from_cgroup_v2("garbage", 3) == 3);
}

TEST_CASE("endpoint: resolve reads /etc/hosts") {
  auto r = waf::net::resolve({"localhost", 80});
  REQUIRE(r.ok());
  CHECK(!r->empty());
}
