#include "engine/decode/js_escape.hpp"

#include <algorithm>
#include <cstdint>

#include "engine/decode/hex.hpp"

namespace waf::engine {
namespace {

// Reads `count` hex digits at in[i]; returns the value or -1.
long read_hex(std::string_view in, std::size_t i, std::size_t count) {
  if (i + count > in.size()) return -1;
  long v = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const int d = hex_value(in[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Decodes the escape at in[i] (a backslash); returns the bytes consumed or 0.
std::size_t decode_escape(std::string_view in, std::size_t i, std::string& out) {
  if (i + 1 >= in.size()) return 0;
  const char kind = in[i + 1];
  if (kind == 'x') {
    const long v = read_hex(in, i + 2, 2);
    if (v < 0) return 0;
    out.push_back(static_cast<char>(v));
    return 4;
  }
  if (kind != 'u') return 0;
  if (i + 2 < in.size() && in[i + 2] == '{') {
    // ES2015 \u{1F600}: one to six hex digits.
    std::size_t k = i + 3;
    std::uint32_t cp = 0;
    while (k < in.size() && k - (i + 3) < 6 && hex_value(in[k]) >= 0) cp = cp * 16 + static_cast<std::uint32_t>(hex_value(in[k++]));
    if (k == i + 3 || k >= in.size() || in[k] != '}') return 0;
    append_utf8(out, cp);
    return k + 1 - i;
  }
  const long hi = read_hex(in, i + 2, 4);
  if (hi < 0) return 0;
  auto cp = static_cast<std::uint32_t>(hi);
  std::size_t used = 6;
  if (cp >= 0xD800 && cp <= 0xDBFF && i + 7 < in.size() && in[i + 6] == '\\' && in[i + 7] == 'u') {
    if (const long lo = read_hex(in, i + 8, 4); lo >= 0xDC00 && lo <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(lo) - 0xDC00);
      used = 12;
    }
  }
  append_utf8(out, cp);
  return used;
}

}  // namespace

bool JsEscapeDecoder::decode(std::string_view in, std::string& out) const {
  std::size_t i = in.find('\\');
  if (i == std::string_view::npos) return false;
  out.assign(in.substr(0, i));
  bool changed = false;
  while (i < in.size()) {
    // in[i] is a backslash; the text up to the next one is copied in one piece.
    if (const std::size_t used = decode_escape(in, i, out); used > 0) {
      i += used;
      changed = true;
    } else {
      out.push_back(in[i++]);
    }
    const std::size_t next = std::min(in.find('\\', i), in.size());
    out.append(in.substr(i, next - i));
    i = next;
  }
  return changed;
}

}  // namespace waf::engine
