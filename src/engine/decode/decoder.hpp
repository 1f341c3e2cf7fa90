#pragma once
// One decoder per file (decode/<registry key>.cpp), all behind this interface, all listed once in
// decode/registry.cpp. A decoder is pure and never makes its input longer, so a chain of them
// applied until nothing changes always ends and never needs more memory than the value itself.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace waf::engine {

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Writes the decoded form of `in` to `out` (replacing its contents) and returns true if it
  // differs from `in`. When it returns false, `out` is unspecified.
  virtual bool decode(std::string_view in, std::string& out) const = 0;
  // Values shorter than this are never changed: the decode chain skips them without a call.
  virtual std::size_t min_size() const noexcept { return 0; }
};

}  // namespace waf::engine
