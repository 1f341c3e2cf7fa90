// libFuzzer over the whole engine: a raw HTTP request through the `waf inspect` reader, inspect()
// with every registered detector (the registry) in block mode, and the attack event. The same
// request through a header memo kept across inputs, as a proxy worker keeps one, must get the
// same verdict as without it.
#include <cstddef>
#include <cstdint>

#include "engine/engine.hpp"
#include "engine/event.hpp"
#include "engine/header_memo.hpp"
#include "engine/policy/policy_file.hpp"
#include "fuzz_checks.hpp"
#include "inspect/raw_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  static const auto shared_policy = [] {
    auto p = load_policy(R"({"mode": "block", "limits": {"max_values": 64, "max_bytes": 4096, "max_depth": 8}})");
    fuzz::require(p.ok(), "fuzz policy does not load");
    return std::make_shared<const CompiledPolicy>(std::move(*p));
  }();
  static HeaderMemo memo;
  memo.bind(shared_policy);
  const CompiledPolicy& policy = *shared_policy;
  const auto raw = waf::inspect::parse_raw_request(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!raw) return 0;
  const Request request = waf::inspect::to_engine_request(*raw, "192.0.2.1", 4096);
  const Verdict verdict = inspect(request, policy);
  fuzz::require(verdict.findings.size() <= kMaxFindings, "more findings than kMaxFindings");
  for (const auto& f : verdict.findings) fuzz::require(f.evidence.size() <= kMaxEvidenceBytes, "evidence too long");
  fuzz::require(verdict.findings.empty() == (verdict.action == Action::allow), "action disagrees with findings");
  render_event(request, verdict, EventContext{});
  for (int pass = 0; pass < 2; ++pass) {  // the first may fill the memo, the second reads it
    const Verdict memoised = inspect(request, policy, {}, &memo);
    fuzz::require(memoised.action == verdict.action && memoised.classes == verdict.classes &&
                      memoised.findings.size() == verdict.findings.size(),
                  "the header memo changed the verdict");
    for (std::size_t i = 0; i < verdict.findings.size(); ++i) {
      const Finding& a = verdict.findings[i];
      const Finding& b = memoised.findings[i];
      fuzz::require(a.cls == b.cls && a.location == b.location && a.evidence == b.evidence && a.score == b.score,
                    "the header memo changed a finding");
    }
  }
  return 0;
}
