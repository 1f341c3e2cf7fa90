#include "engine/decode/percent.hpp"

#include <algorithm>

#include "engine/decode/hex.hpp"

namespace waf::engine {

bool PercentDecoder::decode(std::string_view in, std::string& out) const {
  std::size_t i = in.find('%');
  if (i == std::string_view::npos) return false;
  out.assign(in.substr(0, i));
  bool changed = false;
  while (i < in.size()) {
    // in[i] is '%'; the text up to the next '%' is copied in one piece.
    const int hi = i + 2 < in.size() ? hex_value(in[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_value(in[i + 2]) : -1;
    if (lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 3;
      changed = true;
    } else {
      out.push_back('%');
      ++i;
    }
    const std::size_t next = std::min(in.find('%', i), in.size());
    out.append(in.substr(i, next - i));
    i = next;
  }
  return changed;
}

}  // namespace waf::engine
