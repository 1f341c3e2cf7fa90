#include "proxy/engine_hook.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <chrono>

#include "common/log.hpp"
#include "engine/block_page.hpp"
#include "engine/engine.hpp"
#include "engine/header_memo.hpp"
#include "engine/event.hpp"

namespace waf::proxy {
namespace {

constexpr std::string_view kAttackActions[] = {"monitored", "blocked", "denied"};

std::size_t action_index(engine::Action action) {
  switch (action) {
    case engine::Action::block: return 1;
    case engine::Action::deny_ip: return 2;
    default: return 0;
  }
}

}  // namespace

InspectionMetrics::InspectionMetrics(metrics::Registry& r)
    : duration(r.histogram("waf_inspection_duration_seconds", "Time spent in the detection engine per request",
                           {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05})),
      partial(r.counter("waf_inspection_partial_total", "Requests whose inspection stopped at a budget or the body limit")) {
  for (auto cls : engine::kAllAttackClasses) {
    for (auto action : kAttackActions) {
      attacks.push_back(&r.counter("waf_attacks_total", "Attacks detected, by class and action",
                                   fmt::format("class=\"{}\",action=\"{}\"", engine::name(cls), action)));
    }
  }
}

void InspectionMetrics::count_attack(engine::AttackClass cls, engine::Action action) noexcept {
  const auto i = static_cast<std::size_t>(cls) * std::size(kAttackActions) + action_index(action);
  if (i < attacks.size()) attacks[i]->inc();
}

HookDecision EngineInspectionHook::on_request_head(const RequestContext& request) noexcept {
  const auto policy = policies_.current();
  if (policy->mode == engine::Mode::off && policy->paths.empty()) return {};
  const auto& head = request.head;
  const bool has_body = head.chunked || (head.has_content_length && head.content_length > 0);
  if (!has_body || policy->inspect_body_limit == 0) return inspect(policy, request, {}, has_body);
  // A client that sent Expect: 100-continue waits before sending its body: if the head alone is
  // enough to refuse the request (a custom rule, a deny-listed IP, an attack in the query), refuse
  // it now and the body is never sent. Otherwise the head is inspected again with the body, and
  // only that verdict is reported.
  if (const auto* expect = head.find("expect"); expect != nullptr && strcasecmp(expect->value.c_str(), "100-continue") == 0) {
    const auto req = engine_request(*policy, request, {}, true);
    const auto verdict = timed_inspect(policy, req);
    if (verdict.action == engine::Action::block || verdict.action == engine::Action::deny_ip) {
      return report(*policy, request, req, verdict);
    }
  }
  return {HookAction::inspect_body, policy->inspect_body_limit, 0, {}, {}, nullptr};
}

HookDecision EngineInspectionHook::on_request_body(const RequestContext& request, std::string_view body, bool truncated) noexcept {
  return inspect(policies_.current(), request, body, truncated);
}

engine::Request EngineInspectionHook::engine_request(const engine::CompiledPolicy& policy, const RequestContext& request,
                                                     std::string_view body, bool truncated) {
  engine::Request req;
  req.method = request.head.method;
  req.target = request.head.target;
  req.headers.reserve(request.head.headers.size());
  for (const auto& h : request.head.headers) req.headers.emplace_back(h.name, h.value);
  req.body = body.substr(0, policy.inspect_body_limit);
  req.body_truncated = truncated || body.size() > policy.inspect_body_limit;
  req.client_ip = request.client_ip;
  return req;
}

engine::Verdict EngineInspectionHook::timed_inspect(const PolicyPtr& policy, const engine::Request& req) noexcept {
  // One per worker thread, so it needs no lock; a reload rebinds it to the new policy.
  thread_local engine::HeaderMemo memo;
  memo.bind(policy);
  const auto started = std::chrono::steady_clock::now();
  // Held for the call: the reporter thread may publish new lists meanwhile.
  const auto lists = lists_ != nullptr ? lists_->current() : nullptr;
  auto verdict = engine::inspect(req, *policy, lists ? lists->shared() : engine::SharedIpLists{}, &memo);
  metrics_.duration.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return verdict;
}

HookDecision EngineInspectionHook::inspect(const PolicyPtr& policy, const RequestContext& request,
                                           std::string_view body, bool truncated) noexcept {
  const auto req = engine_request(*policy, request, body, truncated);
  const auto verdict = timed_inspect(policy, req);
  if (verdict.partial_inspection) metrics_.partial.inc();
  if (verdict.action == engine::Action::allow) return {};
  return report(*policy, request, req, verdict);
}

HookDecision EngineInspectionHook::report(const engine::CompiledPolicy& policy, const RequestContext& request,
                                          const engine::Request& req, const engine::Verdict& verdict) noexcept {
  for (auto cls : verdict.classes) metrics_.count_attack(cls, verdict.action);
  const bool refuse = verdict.action == engine::Action::block || verdict.action == engine::Action::deny_ip;
  const int status = refuse ? (verdict.status != 0 ? verdict.status : policy.block_status) : 0;
  std::unique_ptr<AttackReport> attack;
  try {
    attack = std::make_unique<AttackReport>(AttackReport{std::chrono::system_clock::now(), std::string(request.request_id),
                                                         std::string(req.client_ip), std::string(req.method),
                                                         std::string(req.target), {}, verdict, {}});
    if (const auto* host = request.head.find("host")) attack->host = host->value;
    if (reporter_ != nullptr) attack->excerpt = engine::render_excerpt(req, request.head.is_http10() ? "HTTP/1.0" : "HTTP/1.1");
  } catch (const std::bad_alloc&) {
    log::error("attack_event_dropped", {{"request_id", request.request_id}});
    attack.reset();
  }
  if (!refuse) return {HookAction::forward, 0, 403, {}, {}, std::move(attack)};
  auto page = engine::render_block_page(policy.block_page, status, request.request_id);
  return {HookAction::block, 0, status, std::string(page.content_type), std::move(page.body), std::move(attack)};
}

void EngineInspectionHook::on_exchange_end(std::unique_ptr<AttackReport> attack, int status) noexcept {
  try {
    engine::Request req;
    req.method = attack->method;
    req.target = attack->target;
    req.client_ip = attack->client_ip;
    if (!attack->host.empty()) req.headers.emplace_back("host", attack->host);
    engine::EventContext context{attack->time, attack->request_id, pod_.namespace_name, pod_.pod, pod_.app, status, nullptr};
    // The log line leaves the excerpt out: request bodies do not belong in container logs.
    log::write_line(engine::render_event(req, attack->verdict, context));
    if (reporter_ != nullptr) {
      context.excerpt = &attack->excerpt;
      reporter_->submit(engine::render_event(req, attack->verdict, context));
    }
  } catch (const std::bad_alloc&) {
    log::error("attack_event_dropped", {{"request_id", attack->request_id}});
  }
}

}  // namespace waf::proxy
