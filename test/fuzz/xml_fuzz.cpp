// libFuzzer: the XML tokenizer (elements, attributes, DOCTYPE/ENTITY, CDATA) within budgets.
#include <cstddef>
#include <cstdint>

#include "engine/parse/xml.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  const Limits limits = fuzz::small_limits();
  ValueCollector values(limits);
  parse_xml(std::string_view(reinterpret_cast<const char*>(data), size), "xml", values);
  fuzz::check_budgets(values);
  return 0;
}
