#include "engine/decode/utf8.hpp"

#include <cstdint>

namespace waf::engine {
namespace {

constexpr bool is_continuation(unsigned char c) noexcept { return (c & 0xC0) == 0x80; }

// If in[i] starts an overlong encoding of an ASCII character or a full-width form of one, returns
// its length and sets `ascii`; otherwise 0.
std::size_t ascii_lookalike(std::string_view in, std::size_t i, char& ascii) {
  const auto b0 = static_cast<unsigned char>(in[i]);
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(in[i + k]); };
  if ((b0 == 0xC0 || b0 == 0xC1) && i + 1 < in.size() && is_continuation(at(1))) {
    ascii = static_cast<char>(((b0 & 0x1F) << 6) | (at(1) & 0x3F));
    return 2;
  }
  if (b0 == 0xE0 && i + 2 < in.size() && is_continuation(at(1)) && is_continuation(at(2))) {
    const std::uint32_t cp = ((at(1) & 0x3FU) << 6) | (at(2) & 0x3FU);
    if (cp >= 0x80) return 0;
    ascii = static_cast<char>(cp);
    return 3;
  }
  if (b0 == 0xF0 && i + 3 < in.size() && is_continuation(at(1)) && is_continuation(at(2)) && is_continuation(at(3))) {
    const std::uint32_t cp = ((at(1) & 0x3FU) << 12) | ((at(2) & 0x3FU) << 6) | (at(3) & 0x3FU);
    if (cp >= 0x80) return 0;
    ascii = static_cast<char>(cp);
    return 4;
  }
  // Full-width forms U+FF01..U+FF5E (EF BC 81 .. EF BD 9E) map to ASCII 0x21..0x7E.
  if (b0 == 0xEF && i + 2 < in.size() && (at(1) == 0xBC || at(1) == 0xBD) && is_continuation(at(2))) {
    const std::uint32_t cp = 0xF000U | ((at(1) & 0x3FU) << 6) | (at(2) & 0x3FU);
    if (cp < 0xFF01 || cp > 0xFF5E) return 0;
    ascii = static_cast<char>(cp - 0xFF01 + 0x21);
    return 3;
  }
  return 0;
}

}  // namespace

bool Utf8Decoder::decode(std::string_view in, std::string& out) const {
  std::size_t i = 0;
  while (i < in.size() && static_cast<unsigned char>(in[i]) < 0xC0) ++i;
  if (i == in.size()) return false;
  out.assign(in.substr(0, i));
  bool changed = false;
  for (; i < in.size(); ++i) {
    char ascii = 0;
    if (const std::size_t used = ascii_lookalike(in, i, ascii); used > 0) {
      out.push_back(ascii);
      i += used - 1;
      changed = true;
      continue;
    }
    out.push_back(in[i]);
  }
  return changed;
}

}  // namespace waf::engine
