#pragma once
#include <string>
#include <vector>

#include "engine/attack_class.hpp"

namespace waf::engine {

// Evidence is truncated to this many bytes: enough to recognise the payload in an event, small
// enough that a 1 MB attack does not become a 1 MB log line.
inline constexpr std::size_t kMaxEvidenceBytes = 128;

struct Finding {
  AttackClass cls;
  std::string location;  // "query.id"
  std::string evidence;  // the matching part of the value, at most kMaxEvidenceBytes
  int score;             // 1..100: how sure the detector is; the policy's threshold decides
  std::string detail;    // detector-specific: the SQL fingerprint, the matched rule id, ...
};
using Findings = std::vector<Finding>;

}  // namespace waf::engine
