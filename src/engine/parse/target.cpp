#include "engine/parse/target.hpp"

#include "engine/parse/urlencoded.hpp"

namespace waf::engine {

SplitTarget split_target(std::string_view target) noexcept {
  if (const auto frag = target.find('#'); frag != std::string_view::npos) target = target.substr(0, frag);
  // Absolute form: drop "scheme://authority" so that the path is what the application routes on.
  if (const auto scheme = target.find("://"); scheme != std::string_view::npos && !target.starts_with("/")) {
    const auto path_start = target.find_first_of("/?", scheme + 3);
    target = path_start == std::string_view::npos ? std::string_view{} : target.substr(path_start);
  }
  const auto q = target.find('?');
  SplitTarget out{target.substr(0, q), q == std::string_view::npos ? std::string_view{} : target.substr(q + 1)};
  if (out.path.empty()) out.path = "/";
  return out;
}

void parse_target(std::string_view target, ValueCollector& out) {
  const SplitTarget split = split_target(target);
  if (!out.add(LocationKind::path, "path", split.path)) return;
  // Segments separately: a payload in one segment is evidence on its own, and detectors that
  // anchor at the start of a value (a URL, a file name) see it at the start.
  std::string_view rest = split.path;
  while (rest.starts_with('/')) rest.remove_prefix(1);
  if (rest.find('/') == std::string_view::npos) rest = {};  // one segment: "path" already has it
  std::size_t index = 0;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (seg.empty()) continue;
    if (!out.add(LocationKind::path, out.location("path", index++), seg)) return;
  }
  parse_urlencoded(split.query, "query", LocationKind::query_value, out);
}

}  // namespace waf::engine
