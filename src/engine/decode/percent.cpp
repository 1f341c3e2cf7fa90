#include "engine/decode/percent.hpp"

#include "engine/decode/hex.hpp"

namespace waf::engine {

bool PercentDecoder::decode(std::string_view in, std::string& out) const {
  std::size_t i = in.find('%');
  if (i == std::string_view::npos) return false;
  out.assign(in.substr(0, i));
  bool changed = false;
  for (; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        changed = true;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return changed;
}

}  // namespace waf::engine
