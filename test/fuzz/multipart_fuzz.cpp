// libFuzzer: the multipart/form-data parser. The first line of the input is the boundary.
#include <cstddef>
#include <cstdint>

#include "engine/parse/multipart.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto eol = input.find('\n');
  if (eol == std::string_view::npos || eol == 0 || eol > 70) return 0;  // RFC 2046: 1..70 chars
  const Limits limits = fuzz::small_limits();
  ValueCollector values(limits);
  parse_multipart(input.substr(eol + 1), input.substr(0, eol), values);
  fuzz::check_budgets(values);
  return 0;
}
