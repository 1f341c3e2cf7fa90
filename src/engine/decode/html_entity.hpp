#pragma once
// HTML character references: named (&lt; &colon; &Tab;), decimal (&#60;) and hex (&#x3c;), with or without the final semicolon and with leading zeros, as browsers decode them in attribute values and text.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class HtmlEntityDecoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
