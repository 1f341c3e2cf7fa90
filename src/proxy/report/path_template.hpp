#pragma once
// The path of a request as a template for per-minute statistics: ids become "{id}", so that
// /users/1 and /users/2 count as one row and a crawler cannot grow the table without bound.
#include <cstddef>
#include <string>
#include <string_view>

namespace waf::proxy::report {

inline constexpr std::size_t kMaxTemplateBytes = 256;

// From a request-target ("/users/42/orders?x=1" -> "/users/{id}/orders"): no query, and a segment
// that is all digits, a UUID, 16+ hex digits or a token of 24+ [A-Za-z0-9_-] becomes {id}. At most
// kMaxTemplateBytes, cut on a UTF-8 boundary.
std::string path_template(std::string_view target);

}  // namespace waf::proxy::report
