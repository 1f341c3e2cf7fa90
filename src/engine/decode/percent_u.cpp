#include "engine/decode/percent_u.hpp"

#include <algorithm>

#include "engine/decode/hex.hpp"

namespace waf::engine {
namespace {

// The code point of "%uXXXX" at in[i], or -1.
long read_percent_u(std::string_view in, std::size_t i) {
  if (i + 6 > in.size() || in[i] != '%' || (in[i + 1] != 'u' && in[i + 1] != 'U')) return -1;
  long cp = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    const int d = hex_value(in[i + k]);
    if (d < 0) return -1;
    cp = cp * 16 + d;
  }
  return cp;
}

}  // namespace

bool PercentUDecoder::decode(std::string_view in, std::string& out) const {
  std::size_t i = in.find('%');
  // Most values with a '%' hold only %XX escapes: copy nothing before the first %uXXXX.
  while (i != std::string_view::npos && read_percent_u(in, i) < 0) i = in.find('%', i + 1);
  if (i == std::string_view::npos) return false;
  out.assign(in.substr(0, i));
  bool changed = false;
  while (i < in.size()) {
    if (const long cp = read_percent_u(in, i); cp >= 0) {
      auto code = static_cast<std::uint32_t>(cp);
      std::size_t used = 6;
      // A UTF-16 surrogate pair written as two escapes (%uD83D%uDE00) is one character.
      if (code >= 0xD800 && code <= 0xDBFF) {
        if (const long lo = read_percent_u(in, i + 6); lo >= 0xDC00 && lo <= 0xDFFF) {
          code = 0x10000 + ((code - 0xD800) << 10) + (static_cast<std::uint32_t>(lo) - 0xDC00);
          used = 12;
        }
      }
      append_utf8(out, code);
      i += used;
      changed = true;
    } else {
      out.push_back(in[i++]);
    }
    // The text up to the next '%' is copied in one piece.
    const std::size_t next = std::min(in.find('%', i), in.size());
    out.append(in.substr(i, next - i));
    i = next;
  }
  return changed;
}

}  // namespace waf::engine
