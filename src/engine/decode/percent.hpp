#pragma once
// %XX percent-decoding (RFC 3986). Applied until nothing changes, so double encoding (%2527) unwraps too; malformed escapes stay as they are, as most servers leave them.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class PercentDecoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
