#pragma once
// The point between a parsed request and the upstream where the engine decides. The session
// calls on_request_head() once the head is parsed; if that asks for the body, the session holds up
// to --inspect-body-limit bytes of it and calls on_request_body() before anything is forwarded.
// A decision that found an attack hands the session an AttackReport, which goes back through
// on_exchange_end() when the response is finished.
#include <memory>
#include <string>
#include <string_view>

#include "proxy/attack_report.hpp"
#include "proxy/http1_codec.hpp"

namespace waf::proxy {

struct RequestContext {
  const MessageHead& head;
  std::string_view client_ip;
  std::string_view request_id;
};

enum class HookAction {
  forward,       // send it upstream now
  inspect_body,  // hold the body (up to the limit) and ask again
  block,         // answer with the hook's response and close
};

struct HookDecision {
  HookAction action = HookAction::forward;
  std::size_t hold_bytes = 0;  // for inspect_body: how much of the body to hold
  int status = 403;           // for block
  std::string content_type;   // for block
  std::string body;           // for block
  std::unique_ptr<AttackReport> attack;  // an attack was found: report it once the response is sent
};

class InspectionHook {
 public:
  virtual ~InspectionHook() = default;
  virtual HookDecision on_request_head(const RequestContext& request) noexcept = 0;
  // `body` is the held prefix; `truncated` when the body was longer than the limit.
  virtual HookDecision on_request_body(const RequestContext& request, std::string_view body, bool truncated) noexcept = 0;
  // The exchange of a request that carried an attack ended; `status` is what the client got (0:
  // the connection ended before any response).
  virtual void on_exchange_end(std::unique_ptr<AttackReport> attack, int status) noexcept = 0;
};

}  // namespace waf::proxy
