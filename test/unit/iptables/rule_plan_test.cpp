#include "iptables/rule_plan.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "golden.hpp"
#include "iptables/render.hpp"

using namespace waf::iptables;

namespace {

// The options the controller passes for a typical Pod; each case changes a few of them.
CaptureOptions default_options() {
  CaptureOptions o;
  o.proxy_port = 8000;
  o.application_ports = {8080};
  o.admin_port = 9901;
  o.ipv6 = true;
  return o;
}

struct GoldenCase {
  const char* name;
  std::function<void(CaptureOptions&)> change;
  bool cleanup = false;
};

const GoldenCase kCases[] = {
    {"default", [](CaptureOptions&) {}},
    {"several_app_ports", [](CaptureOptions& o) { o.application_ports = {8080, 8443, 9000}; }},
    {"exclusions",
     [](CaptureOptions& o) {
       o.application_ports = {8080, 8443, 9090};
       o.exclude_ports = {9090, 22};
     }},
    {"all_ports",
     [](CaptureOptions& o) {
       o.application_ports.clear();
       o.all_application_ports = true;
       o.exclude_ports = {22};
     }},
    {"ipv6_off", [](CaptureOptions& o) { o.ipv6 = false; }},
    {"no_admin_port", [](CaptureOptions& o) { o.admin_port.reset(); }},
    {"cleanup", [](CaptureOptions&) {}, true},
};

}  // namespace

TEST_CASE("rule plan: each named case renders its golden iptables-restore text") {
  for (const auto& c : kCases) {
    INFO("case: " << c.name);
    auto options = default_options();
    c.change(options);
    REQUIRE(validate(options).ok());
    const auto plan = plan_rules(options);
    waf::testing::check_golden(std::string(c.name) + ".rules", c.cleanup ? render_cleanup(plan) : render(plan));
  }
}

TEST_CASE("rule plan: loopback guard first, exceptions before redirects") {
  auto options = default_options();
  options.application_ports = {8080, 8443};
  options.exclude_ports = {8443};
  const auto plan = plan_rules(options);
  REQUIRE(plan.rules.size() == 5);
  CHECK(plan.rules[0].spec == "-i lo -j RETURN");
  CHECK(plan.rules[1].spec == "-p tcp -m tcp --dport 8000 -j RETURN");
  CHECK(plan.rules[2].spec == "-p tcp -m tcp --dport 9901 -j RETURN");
  CHECK(plan.rules[3].spec == "-p tcp -m tcp --dport 8443 -j RETURN");
  // 8443 is excluded, so only 8080 is redirected.
  CHECK(plan.rules[4].spec == "-p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 8000");
  CHECK(plan.hook.chain == "PREROUTING");
  CHECK(plan.hook.spec == "-p tcp -j WAF_INBOUND");
}

TEST_CASE("rule plan: an excluded port equal to the proxy or admin port is not listed twice") {
  auto options = default_options();
  options.exclude_ports = {8000, 9901};
  const auto plan = plan_rules(options);
  CHECK(plan.rules.size() == 4);
}

TEST_CASE("rule plan: only the nat PREROUTING hook is added outside our chain (nothing in OUTPUT)") {
  const auto text = render(plan_rules(default_options()));
  CHECK(text.find("OUTPUT") == std::string::npos);
  CHECK(text.find("-A PREROUTING ") != std::string::npos);
}
