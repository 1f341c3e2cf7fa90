// libFuzzer over the whole engine: a raw HTTP request through the `waf inspect` reader, inspect()
// with every registered detector (the registry) in block mode, and the attack event.
#include <cstddef>
#include <cstdint>

#include "engine/engine.hpp"
#include "engine/event.hpp"
#include "engine/policy/policy_file.hpp"
#include "fuzz_checks.hpp"
#include "inspect/raw_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace waf::engine;
  static const CompiledPolicy policy = [] {
    auto p = load_policy(R"({"mode": "block", "limits": {"max_values": 64, "max_bytes": 4096, "max_depth": 8}})");
    fuzz::require(p.ok(), "fuzz policy does not load");
    return std::move(*p);
  }();
  const auto raw = waf::inspect::parse_raw_request(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!raw) return 0;
  const Request request = waf::inspect::to_engine_request(*raw, "192.0.2.1", 4096);
  const Verdict verdict = inspect(request, policy);
  fuzz::require(verdict.findings.size() <= kMaxFindings, "more findings than kMaxFindings");
  for (const auto& f : verdict.findings) fuzz::require(f.evidence.size() <= kMaxEvidenceBytes, "evidence too long");
  fuzz::require(verdict.findings.empty() == (verdict.action == Action::allow), "action disagrees with findings");
  render_event(request, verdict, EventContext{});
  return 0;
}
