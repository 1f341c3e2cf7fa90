#include "common/options.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <fstream>

using namespace waf;

namespace {
// Runs options::parse on a tiny app with one option and returns (exit code, value).
std::pair<int, std::string> parse_upstream(std::vector<const char*> args) {
  CLI::App app{"test", "waf test"};
  options::CommonOptions common;
  std::string upstream = "default:1";
  app.add_option("--upstream", upstream)->check(options::kHostPort);
  options::add_common_options(app, common);
  args.insert(args.begin(), "waf test");
  const int rc = options::parse(app, common, static_cast<int>(args.size()), args.data());
  return {rc, upstream};
}
}  // namespace

TEST_CASE("options: flag beats environment beats config file beats default") {
  const std::string cfg = "/tmp/waf_options_test.toml";
  std::ofstream(cfg) << "upstream = \"file:3\"\n";
  unsetenv("WAF_UPSTREAM");
  CHECK(parse_upstream({}).second == "default:1");
  CHECK(parse_upstream({"--config", cfg.c_str()}).second == "file:3");
  setenv("WAF_UPSTREAM", "env:2", 1);
  CHECK(parse_upstream({"--config", cfg.c_str()}).second == "env:2");
  CHECK(parse_upstream({"--config", cfg.c_str(), "--upstream", "flag:1"}).second == "flag:1");
  unsetenv("WAF_UPSTREAM");
}

TEST_CASE("options: a bad value or unknown key exits 2") {
  CHECK(parse_upstream({"--upstream", "nocolon"}).first == 2);
  CHECK(parse_upstream({"--nope"}).first == 2);
  const std::string cfg = "/tmp/waf_options_test_bad.toml";
  std::ofstream(cfg) << "upstrem = \"x:1\"\n";
  CHECK(parse_upstream({"--config", cfg.c_str()}).first == 2);
  CHECK(parse_upstream({"--upstream", "a:1"}).first == -1);
}

TEST_CASE("options: env names and value parsers") {
  CHECK(options::env_name("--upstream-connect-timeout") == "WAF_UPSTREAM_CONNECT_TIMEOUT");
  CHECK(*options::parse_duration_ms("250ms") == 250);
  CHECK(*options::parse_duration_ms("10") == 10000);
  CHECK(*options::parse_duration_ms("2m") == 120000);
  CHECK_FALSE(options::parse_duration_ms("ten").ok());
  CHECK(*options::parse_byte_size("64KiB") == 65536);
  CHECK(*options::parse_byte_size("1m") == 1048576);
  CHECK_FALSE(options::parse_byte_size("1xb").ok());
}
