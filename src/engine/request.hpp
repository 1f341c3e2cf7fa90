#pragma once
// The input of the engine, built by the proxy (or `waf inspect`) from one HTTP request. Every
// string_view points into the caller's buffers and must outlive the call to inspect().
#include <string_view>
#include <utility>
#include <vector>

namespace waf::engine {

struct Request {
  std::string_view method, target;  // target = raw request-target ("/a/b?x=1")
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // as received, in order
  std::string_view body;            // the inspected body prefix (may be empty)
  bool body_truncated = false;      // body longer than the inspection limit
  std::string_view client_ip;       // real client IP as text
};

}  // namespace waf::engine
