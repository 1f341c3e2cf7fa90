#pragma once
// JavaScript and JSON string escapes: \uXXXX (with surrogate pairs), \u{X...} and \xXX, which reach eval() and innerHTML sinks undecoded by the server.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class JsEscapeDecoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
