#include "engine/decode/whitespace.hpp"

namespace waf::engine {
namespace {

bool has_trick(std::string_view in) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\0' || c == '\v' || c == '\f') return true;
    if (c == '\xC2' && i + 1 < in.size() && in[i + 1] == '\xA0') return true;
  }
  return false;
}

}  // namespace

bool WhitespaceDecoder::decode(std::string_view in, std::string& out) const {
  if (!has_trick(in)) return false;
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\0') continue;
    if (c == '\v' || c == '\f') {
      out.push_back(' ');
    } else if (c == '\xC2' && i + 1 < in.size() && in[i + 1] == '\xA0') {
      out.push_back(' ');
      ++i;
    } else {
      out.push_back(c);
    }
  }
  return true;
}

}  // namespace waf::engine
