#pragma once
// Delay before retrying postanalytics after consecutive failures: 100 ms doubling to 10 s, with
// jitter so that hundreds of proxies that lost postanalytics together do not return in step.
#include <chrono>

namespace waf::proxy::report {

inline constexpr std::chrono::milliseconds kBackoffInitial{100};
inline constexpr std::chrono::milliseconds kBackoffMax{10'000};

// `failures` >= 1; `unit_random` in [0, 1) (the caller's randomness, so tests pick it). The result
// lies in [d/2, d) for d = min(initial * 2^(failures-1), max).
std::chrono::milliseconds backoff_delay(unsigned failures, double unit_random) noexcept;

}  // namespace waf::proxy::report
