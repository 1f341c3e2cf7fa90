// libFuzzer: HTML character references and JS escapes, which must never grow their input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/decode/html_entity.hpp"
#include "engine/decode/js_escape.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string out;
  if (HtmlEntityDecoder{}.decode(input, out)) fuzz::require(out.size() <= input.size(), "html_entity grew its input");
  if (JsEscapeDecoder{}.decode(input, out)) fuzz::require(out.size() <= input.size(), "js_escape grew its input");
  return 0;
}
