#pragma once
// Path normalisation: backslashes become slashes, '//' and '/./' collapse, ';params' are cut from segments (Tomcat '..;/'), and '..' is resolved, except where it climbs above the start, which is kept so that traversal stays visible.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class PathDecoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
