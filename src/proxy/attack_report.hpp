#pragma once
// An attack found while inspecting a request. The session holds it until the client has its
// response, so that the event carries the status the client actually got (the block status, or
// whatever the app answered to a monitored attack). It owns copies: the request's buffers are
// gone by then.
#include <chrono>
#include <string>

#include "engine/event.hpp"
#include "engine/verdict.hpp"

namespace waf::proxy {

struct AttackReport {
  std::chrono::system_clock::time_point time;
  std::string request_id, client_ip, method, target, host;
  engine::Verdict verdict;
  engine::Excerpt excerpt;  // empty unless events go to postanalytics
};

}  // namespace waf::proxy
