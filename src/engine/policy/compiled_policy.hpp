#pragma once
// A policy file after validation: everything inspect() needs, ready to use, immutable and safe to
// share between worker threads. Built only by load_policy() (policy_file.hpp).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/attack_class.hpp"
#include "engine/decode/decode_chain.hpp"
#include "engine/detect/detector.hpp"
#include "engine/detect/prefilter.hpp"
#include "engine/limits.hpp"
#include "common/net/cidr.hpp"
#include "engine/policy/mode.hpp"
#include "engine/policy/regex.hpp"

namespace waf::engine {

using ClassMask = std::uint32_t;
constexpr ClassMask class_bit(AttackClass cls) noexcept { return ClassMask{1} << static_cast<unsigned>(cls); }

enum class BlockPage { json, html };
enum class RuleAction { block, monitor };

// "paths": the first entry whose pattern matches the request path applies.
struct PathOverride {
  std::string pattern;  // glob, or a prefix when it has no wildcard (glob.hpp)
  std::optional<Mode> mode;
  ClassMask disabled_classes = 0;  // added to the global ones
};

// "exceptions": a finding of `cls` at a location matching `location` on a path matching `path`
// is dropped: the policy's answer to a known false positive.
struct PolicyException {
  std::optional<AttackClass> cls;  // nullopt: every class
  std::string location = "*";      // glob over the location ("query.q", "json.comment*")
  std::string path = "*";          // glob or prefix over the normalised path
};

// "custom_rules": every condition present must match; a match is a custom_rule finding.
struct CustomRule {
  struct Condition {
    std::string name;  // header name (lower case) or argument name; empty: any argument
    Regex regex;
  };
  std::string id;
  RuleAction action = RuleAction::block;
  std::string method;               // exact, upper case; empty: any
  std::optional<Regex> path;        // over the normalised path
  std::optional<Condition> header;
  std::optional<Condition> argument;  // over decoded query, form, cookie, JSON, XML, multipart values
};

struct CompiledPolicy {
  Mode mode = Mode::monitoring;
  std::size_t inspect_body_limit = 64 * 1024;
  int score_threshold = 50;
  int block_status = 403;
  BlockPage block_page = BlockPage::json;
  ClassMask disabled_classes = 0;
  net::CidrSet allow_ips, deny_ips, grey_ips;
  std::vector<PathOverride> paths;
  std::vector<PolicyException> exceptions;
  std::vector<CustomRule> custom_rules;
  Limits limits;
  std::vector<std::unique_ptr<Detector>> detectors;  // every registered detector, enabled or not
  // The registry's prefilters, bit i for detectors[i]; default-constructed: every detector sees every value.
  PrefilterIndex prefilters;
  DecodeChain decoders;
};

}  // namespace waf::engine
