// libFuzzer over the decoder registry: every decoder on its own and the whole chain for every
// location kind. A new decoder is fuzzed as soon as it is registered.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/decode/decode_chain.hpp"
#include "engine/decode/registry.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  static const DecodeChain chain;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string out;
  for (const auto& entry : decoder_registry()) {
    const auto decoder = entry.make();
    if (decoder->decode(input, out)) fuzz::require(out.size() <= input.size(), "a decoder grew its input");
  }
  for (unsigned kind = 0; kind <= static_cast<unsigned>(LocationKind::body_text); ++kind) {
    if (chain.decode(static_cast<LocationKind>(kind), input, out)) {
      fuzz::require(out.size() <= input.size(), "the decode chain grew its input");
    }
  }
  return 0;
}
