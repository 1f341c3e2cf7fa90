#pragma once
// A value that is entirely base64 (standard or URL-safe alphabet) and decodes to printable text is replaced by that text: payloads hidden in base64 cookies and parameters that the application decodes.
#include "engine/decode/decoder.hpp"

namespace waf::engine {

class Base64Decoder final : public Decoder {
 public:
  bool decode(std::string_view in, std::string& out) const override;
  // Shorter values are left alone: short words ("test", "admin") are valid base64 by accident.
  // From 6 characters before the padding (4 bytes, room for "| id") an ordinary word ("orders",
  // "password") decodes to bytes that fail the text check.
  static constexpr std::size_t kMinChars = 6;
  std::size_t min_size() const noexcept override { return kMinChars; }
};

}  // namespace waf::engine
