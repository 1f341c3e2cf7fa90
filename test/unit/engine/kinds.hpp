#pragma once
// LocationKind names as written in the engine's testdata files.
#include <optional>
#include <string_view>
#include <utility>

#include "engine/value.hpp"

namespace waf::engine::test {

inline constexpr std::pair<std::string_view, LocationKind> kKindNames[] = {
    {"method", LocationKind::method},
    {"path", LocationKind::path},
    {"query_name", LocationKind::query_name},
    {"query_value", LocationKind::query_value},
    {"header", LocationKind::header},
    {"cookie", LocationKind::cookie},
    {"form_value", LocationKind::form_value},
    {"multipart_value", LocationKind::multipart_value},
    {"multipart_filename", LocationKind::multipart_filename},
    {"json_key", LocationKind::json_key},
    {"json_value", LocationKind::json_value},
    {"xml_text", LocationKind::xml_text},
    {"xml_doctype", LocationKind::xml_doctype},
    {"body_text", LocationKind::body_text},
};

inline std::optional<LocationKind> kind_from_name(std::string_view name) {
  for (const auto& [n, k] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

inline std::string_view kind_name(LocationKind kind) {
  for (const auto& [n, k] : kKindNames) {
    if (k == kind) return n;
  }
  return "?";
}

}  // namespace waf::engine::test
