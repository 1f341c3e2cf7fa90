#pragma once
// NUL and whitespace tricks: NUL bytes are dropped (<scr\0ipt>, file.php%00.jpg) and vertical tab, form feed and no-break space become plain spaces. Tabs, CR and LF stay: they are payload for CRLF injection.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class WhitespaceDecoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
