#include "engine/decode/plus.hpp"

#include <algorithm>

namespace waf::engine {

bool PlusDecoder::decode(std::string_view in, std::string& out) const {
  if (in.find('+') == std::string_view::npos) return false;
  out.assign(in);
  std::replace(out.begin(), out.end(), '+', ' ');
  return true;
}

}  // namespace waf::engine
