#include "postanalytics/openapi.hpp"

#include "embedded/openapi_files.hpp"

namespace waf::postanalytics {

std::string_view openapi_yaml() noexcept { return waf::embedded::openapi_files().front().data; }

}  // namespace waf::postanalytics
