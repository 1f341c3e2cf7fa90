#include "proxy/report/backoff.hpp"

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using waf::proxy::report::backoff_delay;

TEST_CASE("backoff: 100 ms doubling to 10 s, jittered within [d/2, d)") {
  CHECK(backoff_delay(1, 0.0) == 50ms);
  CHECK(backoff_delay(1, 0.999) == 99ms);
  CHECK(backoff_delay(2, 0.0) == 100ms);
  CHECK(backoff_delay(3, 0.5) == 300ms);  // d = 400: 200 + 100
  CHECK(backoff_delay(8, 0.0) == 5000ms);  // 100 ms * 2^7 = 12.8 s, capped at 10 s
  CHECK(backoff_delay(7, 0.0) == 3200ms);
  CHECK(backoff_delay(100, 0.0) == 5000ms);
  CHECK(backoff_delay(100, 1.0) == 9999ms);
  CHECK(backoff_delay(4000000000u, 0.5) == 7500ms);
}
