#pragma once
// The inspection hook backed by the detection engine: builds an engine::Request from the parsed
// head (and the held body), calls engine::inspect with the current policy, turns the verdict into
// forward or block, and counts it. Once the exchange ends, it logs the attack event and hands it to
// the reporter (when --postanalytics is set). Pulled IP lists join the policy's own.
#include "common/metrics.hpp"
#include "engine/attack_class.hpp"
#include "engine/policy/compiled_policy.hpp"
#include "engine/request.hpp"
#include "engine/verdict.hpp"
#include "proxy/inspection_hook.hpp"
#include "proxy/policy_store.hpp"
#include "proxy/report/ip_lists.hpp"
#include "proxy/report/pod_identity.hpp"
#include "proxy/report/reporter.hpp"

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
  // `lists` and `reporter` may be null (reporting off).
  EngineInspectionHook(const PolicyStore& policies, InspectionMetrics& metrics, report::PodIdentity pod,
                       const report::IpListStore* lists, report::Reporter* reporter)
      : policies_(policies), metrics_(metrics), pod_(std::move(pod)), lists_(lists), reporter_(reporter) {}
  HookDecision on_request_head(const RequestContext& request) noexcept override;
  HookDecision on_request_body(const RequestContext& request, std::string_view body, bool truncated) noexcept override;
  void on_exchange_end(std::unique_ptr<AttackReport> attack, int status) noexcept override;

 private:
  static engine::Request engine_request(const engine::CompiledPolicy& policy, const RequestContext& request,
                                        std::string_view body, bool truncated);
  using PolicyPtr = std::shared_ptr<const engine::CompiledPolicy>;
  engine::Verdict timed_inspect(const PolicyPtr& policy, const engine::Request& req) noexcept;
  HookDecision inspect(const PolicyPtr& policy, const RequestContext& request, std::string_view body,
                       bool truncated) noexcept;
  // Counts the verdict, keeps what its event needs and turns a refusal into the block response.
  HookDecision report(const engine::CompiledPolicy& policy, const RequestContext& request, const engine::Request& req,
                      const engine::Verdict& verdict) noexcept;
  const PolicyStore& policies_;
  InspectionMetrics& metrics_;
  const report::PodIdentity pod_;
  const report::IpListStore* lists_;
  report::Reporter* reporter_;
};

}  // namespace waf::proxy
