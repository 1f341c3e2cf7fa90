#pragma once
// docs/openapi.yaml, embedded at build time (CMakeLists.txt generates its definition), served by
// GET /api/v1/openapi.yaml so the document always matches the binary.
#include <string_view>

namespace waf::postanalytics {

std::string_view openapi_yaml() noexcept;

}  // namespace waf::postanalytics
