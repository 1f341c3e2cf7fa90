#pragma once
// The policy file: JSON, validated strictly (an unknown key is an error, not a silently ignored
// typo), every error naming the JSON path at fault ("policy: paths[1].mode: unknown mode 'blok'").
//
//   {
//     "mode": "off" | "monitoring" | "safe_blocking" | "block",
//     "inspect_body_limit": 65536,             bytes of body inspected
//     "score_threshold": 50,                   findings scoring lower are dropped (1..100)
//     "block_status": 403, "block_page": "json" | "html",
//     "disabled_classes": ["scanner"],
//     "allow_ips": ["10.0.0.0/8"], "deny_ips": [...], "grey_ips": [...],
//     "paths": [{"path": "/api/upload*", "mode": "monitoring", "disabled_classes": ["xss"]}],
//     "exceptions": [{"class": "sqli", "location": "query.q", "path": "/search"}],
//     "custom_rules": [{"id": "no-admin", "action": "block", "method": "POST", "path": "^/admin",
//                       "header": {"name": "user-agent", "regex": "curl"},
//                       "argument": {"name": "cmd", "regex": "."}}],
//     "limits": {"max_depth": 32, "max_values": 2048, "max_bytes": 1048576, "max_value_bytes": 65536}
//   }
#include <span>
#include <string_view>

#include "common/result.hpp"
#include "engine/detect/registry.hpp"
#include "engine/policy/compiled_policy.hpp"

namespace waf::engine {

// The built-in policy: monitoring, every detector on, default limits.
inline constexpr std::string_view kDefaultPolicyJson = R"({"mode": "monitoring"})";

// `detectors` is the registry; tests pass their own.
Result<CompiledPolicy> load_policy(std::string_view text, std::span<const DetectorEntry> detectors = detector_registry());

CompiledPolicy default_policy(std::span<const DetectorEntry> detectors = detector_registry());

}  // namespace waf::engine
