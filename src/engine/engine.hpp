#pragma once
// The engine's entry point: one request and a compiled policy in, a verdict out. Pure: no I/O, no
// clock, no globals, no exceptions; safe to call from many threads with one shared policy.
//
// Steps: effective mode for the path (policy "paths"), IP lists, values collected by the parsers
// within the policy's limits, each value decoded to its fixpoint, a prefilter that lets plain
// values (letters, digits, '_', '-', '.'; not "..", "__" or a '.' before a letter) skip the
// detectors, every enabled detector on the rest (they see raw and decoded), score threshold and
// exceptions, custom rules, and the action.
#include "engine/policy/compiled_policy.hpp"
#include "engine/request.hpp"
#include "engine/verdict.hpp"

namespace waf::engine {

// IP lists that change at run time (postanalytics shares grey and deny lists with every proxy),
// consulted in addition to the policy's own lists.
struct SharedIpLists {
  const net::CidrSet* grey = nullptr;
  const net::CidrSet* deny = nullptr;
};

Verdict inspect(const Request& request, const CompiledPolicy& policy, const SharedIpLists& shared = {}) noexcept;

// True if a value this plain cannot carry an attack any detector looks for (exposed for tests).
bool plain_value(std::string_view value) noexcept;

}  // namespace waf::engine
