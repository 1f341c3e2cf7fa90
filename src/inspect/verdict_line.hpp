#pragma once
// One JSON line per inspected request, the output of `waf inspect`:
//   {"file":"req/001.http","action":"block","status":403,"mode":"block","classes":["sqli"],
//    "findings":[{"class":"sqli","location":"query.id","evidence":"1' or 1=1","score":90,
//                 "detail":"s&1c"}],"partial_inspection":false}
// and, for a file that is not an HTTP request: {"file":"x","error":"..."}.
#include <string>
#include <string_view>

#include "engine/verdict.hpp"

namespace waf::inspect {

std::string render_verdict_line(std::string_view file, const engine::Verdict& verdict);
std::string render_error_line(std::string_view file, std::string_view error);

}  // namespace waf::inspect
