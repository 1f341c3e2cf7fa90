#include "common/time_text.hpp"

#include <doctest/doctest.h>

using namespace waf;

TEST_CASE("time: RFC 3339 forms, to the millisecond") {
  CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339_ms("2026-11-22T15:45:00Z") == 1795362300000);
  CHECK(parse_rfc3339_ms("2026-11-22T15:45:00.123Z") == 1795362300123);
  CHECK(parse_rfc3339_ms("2026-11-22T15:45:00.1234567Z") == 1795362300123);
  CHECK(parse_rfc3339_ms("2026-11-22t15:45:00.5z") == 1795362300500);
  CHECK(parse_rfc3339_ms("2026-11-22T16:45:00+01:00") == 1795362300000);
  CHECK(parse_rfc3339_ms("2026-11-22T14:15:00-01:30") == 1795362300000);
  CHECK(parse_rfc3339_ms("2024-02-29T00:00:00Z").has_value());
}

TEST_CASE("time: impossible or malformed times are refused") {
  for (const char* bad : {"", "2026-11-22", "2026-11-22T15:45:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
                          "2026-11-22T24:00:00Z", "2026-11-22T15:60:00Z", "2026-11-22T15:45:60Z",
                          "2026-11-22T15:45:00.Z", "2026-11-22T15:45:00Zjunk", "2026-11-22 15:45:00Z",
                          "2026-11-22T15:45:00+1:00"}) {
    CHECK_MESSAGE(!parse_rfc3339_ms(bad).has_value(), bad);
  }
}

TEST_CASE("time: API parameters take unix milliseconds too; formatting round-trips") {
  CHECK(parse_time_param_ms("1795362300123") == 1795362300123);
  CHECK(parse_time_param_ms("2026-11-22T15:45:00Z") == 1795362300000);
  CHECK_FALSE(parse_time_param_ms("-5").has_value());
  CHECK_FALSE(parse_time_param_ms("99999999999999999999999").has_value());
  CHECK(format_time_ms(1795362300123) == "2026-11-22T15:45:00.123Z");
  CHECK(parse_rfc3339_ms(format_time_ms(1795362300123)) == 1795362300123);
}
