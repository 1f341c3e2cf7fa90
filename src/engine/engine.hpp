#pragma once
// The engine's entry point: one request and a compiled policy in, a verdict out. Pure: no I/O, no
// clock, no globals, no exceptions; safe to call from many threads with one shared policy.
//
// Steps: effective mode for the path (policy "paths"), IP lists, values collected by the parsers
// within the policy's limits; headers whose value matches their grammar (parse/header_grammar.hpp)
// skip the detectors, and so do header values the caller's memo has seen; each other value is decoded to its fixpoint, plain values (letters, digits,
// '_', '-', '.'; not "..", "__" or a '.' before a letter) skip the detectors, and every enabled
// detector whose prefilter (detect/prefilter.hpp) admits the value scans it (raw and decoded);
// then score threshold and exceptions, custom rules, and the action.
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

class HeaderMemo;

// `memo` (header_memo.hpp), when bound to `policy`, spares the detectors header values they have
// seen; the verdict is the same with it or without it.
Verdict inspect(const Request& request, const CompiledPolicy& policy, const SharedIpLists& shared = {},
                HeaderMemo* memo = nullptr) noexcept;

}  // namespace waf::engine
