#include "proxy/report/backoff.hpp"

#include <algorithm>

namespace waf::proxy::report {

std::chrono::milliseconds backoff_delay(unsigned failures, double unit_random) noexcept {
  auto d = kBackoffInitial;
  for (unsigned i = 1; i < failures && d < kBackoffMax; ++i) d *= 2;
  d = std::min(d, kBackoffMax);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  const auto half = d.count() / 2;
  const auto jitter = static_cast<std::chrono::milliseconds::rep>(static_cast<double>(d.count() - half) * r);
  return std::chrono::milliseconds(std::min<std::chrono::milliseconds::rep>(half + jitter, d.count() - 1));
}

}  // namespace waf::proxy::report
