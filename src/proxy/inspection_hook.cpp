#include "proxy/inspection_hook.hpp"

namespace waf::proxy {

HookDecision ForwardAllHook::on_request_head(const RequestContext& request) noexcept {
  const bool has_body = request.head.chunked || (request.head.has_content_length && request.head.content_length > 0);
  return {inspect_bodies_ && has_body ? HookAction::inspect_body : HookAction::forward, 0, {}, {}};
}

HookDecision ForwardAllHook::on_request_body(const RequestContext&, std::string_view, bool) noexcept {
  return {HookAction::forward, 0, {}, {}};
}

}  // namespace waf::proxy
