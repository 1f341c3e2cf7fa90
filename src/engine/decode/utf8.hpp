#pragma once
// Overlong UTF-8 (C0 AE = '.', E0 80 AF = '/') and full-width ASCII (U+FF0E = '.') become plain ASCII: decoders that accept them (old IIS, best-fit mappings) turn them into the characters a filter looks for.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class Utf8Decoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
};

}  // namespace waf::engine
