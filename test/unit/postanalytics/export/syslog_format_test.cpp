#include "postanalytics/export/syslog_format.hpp"

#include <doctest/doctest.h>

using namespace waf::postanalytics;

namespace {

const SyslogIdentity kIdentity{"shop-7d9", "42"};
constexpr std::string_view kNow = "2026-11-22T16:00:00.000Z";

}  // namespace

TEST_CASE("syslog: a blocked event is a warning of local0 with the event's time and JSON as MSG") {
  const std::string event =
      R"({"schema":"waf.event/v1","time":"2026-11-22T15:45:56.123Z","client_ip":"203.0.113.7","action":"blocked"})";
  CHECK(format_syslog(event, kIdentity, kNow) == "<132>1 2026-11-22T15:45:56.123Z shop-7d9 waf 42 attack - " + event);
}

TEST_CASE("syslog: monitored events are notices; unreadable or timeless ones use the fallback time") {
  const std::string monitored = R"({"time":"2026-11-22T15:45:56.123Z","action":"monitored"})";
  CHECK(format_syslog(monitored, kIdentity, kNow).starts_with("<133>1 2026-11-22T15:45:56.123Z "));
  CHECK(format_syslog("not json", kIdentity, kNow) == "<133>1 2026-11-22T16:00:00.000Z shop-7d9 waf 42 attack - not json");
  CHECK(format_syslog(R"({"time":"yesterday","action":"denied"})", kIdentity, kNow)
            .starts_with("<132>1 2026-11-22T16:00:00.000Z "));
}

TEST_CASE("syslog: header fields are printable ASCII or the NILVALUE") {
  CHECK(format_syslog("{}", {"my host\n", ""}, kNow) == "<133>1 2026-11-22T16:00:00.000Z myhost waf - attack - {}");
  CHECK(format_syslog("{}", {"", "1"}, kNow) == "<133>1 2026-11-22T16:00:00.000Z - waf 1 attack - {}");
}

TEST_CASE("syslog: octet counting frames count bytes, not characters") {
  CHECK(frame_octet_counting("<133>1 - - waf - attack - x") == "27 <133>1 - - waf - attack - x");
  CHECK(frame_octet_counting("\xc3\xa9") == "2 \xc3\xa9");
}

TEST_CASE("syslog url: udp or tcp with host and port") {
  const auto udp = parse_syslog_url("udp://127.0.0.1:514");
  REQUIRE(udp.ok());
  CHECK(udp->transport == SyslogTarget::Transport::udp);
  CHECK(udp->host == "127.0.0.1");
  CHECK(udp->port == 514);
  const auto tcp = parse_syslog_url("tcp://[::1]:6514");
  REQUIRE(tcp.ok());
  CHECK(tcp->transport == SyslogTarget::Transport::tcp);
  CHECK(tcp->host == "::1");
  CHECK(parse_syslog_url("syslog://x:1").error().message.starts_with("--export-syslog: 'syslog://x:1' must be"));
  CHECK_FALSE(parse_syslog_url("udp://:514").ok());
  CHECK_FALSE(parse_syslog_url("udp://host").ok());
}
