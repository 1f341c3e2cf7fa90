#pragma once
// %uXXXX, the non-standard Unicode escape IIS and old JavaScript escape() accept (%u003c = '<'); attackers use it because many WAFs do not.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class PercentUDecoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
