#include "postanalytics/console/assets.hpp"

#include "embedded/console_files.hpp"

namespace waf::postanalytics::console {
namespace {

std::string_view content_type_of(std::string_view name) noexcept {
  struct Type {
    std::string_view suffix, content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
  };
  for (const Type& type : kTypes) {
    if (name.ends_with(type.suffix)) return type.content_type;
  }
  return "application/octet-stream";
}

}  // namespace

std::optional<Asset> find_console_asset(std::string_view path) noexcept {
  constexpr std::string_view kPrefix = "/console/";
  std::string_view name;
  if (path == "/" || path == kPrefix) {
    name = "index.html";
  } else if (path.starts_with(kPrefix)) {
    name = path.substr(kPrefix.size());
  } else {
    return std::nullopt;
  }
  for (const embedded::EmbeddedFile& file : embedded::console_files()) {
    if (file.name == name) return Asset{content_type_of(name), file.data};
  }
  return std::nullopt;
}

}  // namespace waf::postanalytics::console
