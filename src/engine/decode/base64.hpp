#pragma once
// A value that is entirely base64 (standard or URL-safe alphabet) and decodes to printable text is replaced by that text: payloads hidden in base64 cookies and parameters that the application decodes.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class Base64Decoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
