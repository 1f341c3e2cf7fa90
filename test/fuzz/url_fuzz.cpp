// libFuzzer: request-target splitting, query parsing and the URL decoders (percent, %uXXXX, '+',
// path normalisation), which must never grow their input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/decode/path.hpp"
#include "engine/decode/percent.hpp"
#include "engine/decode/percent_u.hpp"
#include "engine/decode/plus.hpp"
#include "engine/parse/target.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Limits limits = fuzz::small_limits();
  ValueCollector values(limits);
  parse_target(input, values);
  fuzz::check_budgets(values);
  const PercentDecoder percent;
  const PercentUDecoder percent_u;
  const PlusDecoder plus;
  const PathDecoder path;
  const Decoder* decoders[] = {&percent, &percent_u, &plus, &path};
  std::string out;
  for (const Decoder* d : decoders) {
    if (d->decode(input, out)) fuzz::require(out.size() <= input.size(), "URL decoder grew its input");
  }
  return 0;
}
