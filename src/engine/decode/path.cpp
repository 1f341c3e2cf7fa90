#include "engine/decode/path.hpp"

#include <string>
#include <vector>

namespace waf::engine {

bool PathDecoder::decode(std::string_view in, std::string& out) const {
  if (in.empty()) return false;
  std::string slashed(in);
  for (char& c : slashed) {
    if (c == '\\') c = '/';
  }
  const bool absolute = slashed.front() == '/';
  const bool trailing = slashed.back() == '/';
  std::vector<std::string_view> stack;
  std::string_view rest = slashed;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    // Servlet containers drop ";params" before resolving dots: "/..;/" is "/../". Other segments
    // keep theirs: what follows a ';' ("1;DROP TABLE t") is for the detectors to see.
    if (const auto semi = seg.find(';'); semi != std::string_view::npos) {
      if (const auto dots = seg.substr(0, semi); dots == "." || dots == "..") seg = dots;
    }
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." && !stack.empty() && stack.back() != "..") {
      stack.pop_back();
      continue;
    }
    stack.push_back(seg);
  }
  out.clear();
  if (absolute) out.push_back('/');
  for (std::size_t k = 0; k < stack.size(); ++k) {
    if (k > 0) out.push_back('/');
    out.append(stack[k]);
  }
  if (trailing && !stack.empty()) out.push_back('/');
  return out != in;
}

}  // namespace waf::engine
