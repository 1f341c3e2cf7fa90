#pragma once
// '+' means a space in query strings and form bodies (HTML form encoding); applied once, before percent-decoding, so that %2B stays a literal plus.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class PlusDecoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
