#include "iptables/capture_options.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace waf::iptables;

namespace {

CaptureOptions valid() {
  CaptureOptions o;
  o.proxy_port = 15001;
  o.application_ports = {8080};
  o.admin_port = 15000;
  return o;
}

std::string error_of(const waf::Status& s) { return s.ok() ? "(ok)" : s.error().message; }

}  // namespace

TEST_CASE("capture options: port lists parse with spaces and reject junk with the flag named") {
  auto ok = parse_port_list(" 8080, 8443 ,9000", "--application-ports");
  REQUIRE(ok.ok());
  CHECK(*ok == std::vector<Port>{8080, 8443, 9000});
  CHECK(parse_port_list("", "--exclude-ports")->empty());

  struct Bad {
    const char* text;
    const char* message;
  };
  const Bad bad[] = {
      {"0", "--x: '0' is not a port (1..65535)"},
      {"65536", "--x: '65536' is not a port (1..65535)"},
      {"80a", "--x: '80a' is not a port (1..65535)"},
      {"-1", "--x: '-1' is not a port (1..65535)"},
      {"80,,81", "--x: empty entry in the port list"},
      {"80,", "--x: empty entry in the port list"},
      {"80,80", "--x: port 80 is listed twice"},
  };
  for (const auto& b : bad) {
    INFO(b.text);
    auto r = parse_port_list(b.text, "--x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == b.message);
  }
}

TEST_CASE("capture options: '*' means every inbound TCP port") {
  CaptureOptions o = valid();
  REQUIRE(parse_application_ports(" * ", o).ok());
  CHECK(o.all_application_ports);
  CHECK(o.application_ports.empty());
  CHECK(validate(o).ok());
}

TEST_CASE("capture options: validation names the option at fault in one line") {
  CHECK(validate(valid()).ok());

  auto empty = valid();
  empty.application_ports.clear();
  CHECK(error_of(validate(empty)) == "--application-ports: empty; list the ports to protect (8080,8443) or '*' for all");

  auto proxy_captured = valid();
  proxy_captured.application_ports = {8080, 15001};
  CHECK(error_of(validate(proxy_captured)) == "--application-ports: 15001 is the proxy port; redirecting it would loop");

  auto admin_is_proxy = valid();
  admin_is_proxy.admin_port = 15001;
  CHECK(error_of(validate(admin_is_proxy)) == "--admin-port: 15001 is also the proxy port");

  auto admin_captured = valid();
  admin_captured.application_ports = {15000};
  CHECK(error_of(validate(admin_captured)) ==
        "--application-ports: 15000 is the proxy's admin port; probes must reach it directly");

  auto all_excluded = valid();
  all_excluded.exclude_ports = {8080};
  CHECK(error_of(validate(all_excluded)) == "--exclude-ports: excludes every application port, nothing would be protected");
}
