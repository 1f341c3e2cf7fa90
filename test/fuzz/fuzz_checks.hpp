#pragma once
// Invariants every fuzz target checks on top of "no crash, no sanitizer report": the budgets the
// engine promises (values, bytes, value size, location length) and decoders never growing input.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "engine/limits.hpp"
#include "engine/parse/value_collector.hpp"

namespace waf::engine::fuzz {

// Small budgets so that the fuzzer reaches them often.
inline Limits small_limits() {
  Limits limits;
  limits.max_depth = 8;
  limits.max_values = 64;
  limits.max_bytes = 4096;
  limits.max_value_bytes = 512;
  return limits;
}

inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

inline void check_budgets(const ValueCollector& values) {
  const Limits& limits = values.limits();
  require(values.values().size() <= limits.max_values, "more values than max_values");
  std::size_t bytes = 0;
  for (const auto& v : values.values()) {
    require(!v.raw.empty(), "empty value collected");
    require(v.raw.size() <= limits.max_value_bytes, "value longer than max_value_bytes");
    require(v.location.size() <= kMaxLocationBytes, "location longer than kMaxLocationBytes");
    bytes += v.raw.size();
  }
  require(bytes <= limits.max_bytes, "more bytes than max_bytes");
  if (values.exhausted()) require(values.partial(), "exhausted but not partial");
}

}  // namespace waf::engine::fuzz
