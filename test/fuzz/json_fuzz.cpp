// libFuzzer: the JSON body parser (simdjson walk, truncation repair) within budgets.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/parse/json.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  if (size == 0) return 0;
  const bool truncated = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Limits limits = fuzz::small_limits();
  ValueCollector values(limits);
  parse_json(text, "json", values, truncated);
  fuzz::check_budgets(values);
  const std::string closed = close_truncated_json(text);
  // Only brackets are added, at most one per byte of input.
  fuzz::require(closed.size() <= 2 * text.size(), "close_truncated_json grew too much");
  return 0;
}
