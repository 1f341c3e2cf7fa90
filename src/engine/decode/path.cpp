#include "engine/decode/path.hpp"

#include <string>

namespace waf::engine {

// `out` is the stack of kept segments itself, joined by '/': every path value passes here, and a
// copy of the path plus a vector of segments were two allocations each time.
bool PathDecoder::decode(std::string_view in, std::string& out) const {
  if (in.empty()) return false;
  const auto is_slash = [](char c) { return c == '/' || c == '\\'; };
  const bool absolute = is_slash(in.front());
  const bool trailing = is_slash(in.back());
  const std::size_t base = absolute ? 1 : 0;
  out.assign(base, '/');
  std::size_t kept = 0;    // segments in `out`
  std::size_t climbs = 0;  // how many of the first ones are "..": those are never resolved
  std::size_t start = 0;
  while (start < in.size()) {
    std::size_t end = start;
    while (end < in.size() && !is_slash(in[end])) ++end;
    std::string_view seg = in.substr(start, end - start);
    start = end + 1;
    // Servlet containers drop ";params" before resolving dots: "/..;/" is "/../". Other segments
    // keep theirs: what follows a ';' ("1;DROP TABLE t") is for the detectors to see.
    if (const auto semi = seg.find(';'); semi != std::string_view::npos) {
      if (const auto dots = seg.substr(0, semi); dots == "." || dots == "..") seg = dots;
    }
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." && kept > climbs) {
      out.resize(kept == 1 ? base : out.rfind('/'));
      --kept;
      continue;
    }
    if (seg == "..") ++climbs;
    if (kept > 0) out.push_back('/');
    out.append(seg);
    ++kept;
  }
  if (trailing && kept > 0) out.push_back('/');
  return out != in;
}

}  // namespace waf::engine
