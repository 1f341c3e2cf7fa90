#pragma once
// The inspection hook backed by the detection engine: builds an engine::Request from the parsed
// head (and the held body), calls engine::inspect with the current policy, turns the verdict into
// forward or block, counts it and logs the attack event.
#include "common/metrics.hpp"
#include "engine/attack_class.hpp"
#include "engine/policy/compiled_policy.hpp"
#include "engine/request.hpp"
#include "engine/verdict.hpp"
#include "proxy/inspection_hook.hpp"
#include "proxy/policy_store.hpp"

namespace waf::proxy {

struct InspectionMetrics {
  explicit InspectionMetrics(metrics::Registry& r);
  void count_attack(engine::AttackClass cls, engine::Action action) noexcept;

  // waf_attacks_total{class, action}: one counter per class x {monitored, blocked, denied}.
  std::vector<metrics::Counter*> attacks;
  metrics::Histogram& duration;
  metrics::Counter& partial;
};

class EngineInspectionHook final : public InspectionHook {
 public:
  EngineInspectionHook(const PolicyStore& policies, InspectionMetrics& metrics) : policies_(policies), metrics_(metrics) {}
  HookDecision on_request_head(const RequestContext& request) noexcept override;
  HookDecision on_request_body(const RequestContext& request, std::string_view body, bool truncated) noexcept override;

 private:
  static engine::Request engine_request(const engine::CompiledPolicy& policy, const RequestContext& request,
                                        std::string_view body, bool truncated);
  engine::Verdict timed_inspect(const engine::CompiledPolicy& policy, const engine::Request& req) noexcept;
  HookDecision inspect(const engine::CompiledPolicy& policy, const RequestContext& request, std::string_view body,
                       bool truncated) noexcept;
  // Counts the verdict, logs its attack event and turns a refusal into the block response.
  HookDecision report(const engine::CompiledPolicy& policy, const RequestContext& request, const engine::Request& req,
                      const engine::Verdict& verdict) noexcept;
  const PolicyStore& policies_;
  InspectionMetrics& metrics_;
};

}  // namespace waf::proxy
