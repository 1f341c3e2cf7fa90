#include "engine/engine.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <new>
#include <string>

#include "engine/decode/byte_set.hpp"
#include "engine/detect/text.hpp"
#include "engine/header_memo.hpp"
#include "engine/parse/header_grammar.hpp"
#include "engine/parse/request_parser.hpp"
#include "engine/parse/target.hpp"
#include "engine/policy/glob.hpp"

namespace waf::engine {
namespace {

constexpr ByteSet make_plain_bytes() {
  ByteSet s("_-.");
  s.add_range('a', 'z');
  s.add_range('A', 'Z');
  s.add_range('0', '9');
  return s;
}
constexpr ByteSet kPlainBytes = make_plain_bytes();

// A '.' before a letter means a member access ("window.location", "process.env",
// "constructor.prototype") and "__" a dunder name ("__proto__"): script, template and
// prototype-pollution payloads made only of plain bytes, so those values stay visible.
bool member_access(std::string_view value) {
  for (std::size_t dot = value.find('.'); dot != std::string_view::npos; dot = value.find('.', dot + 1)) {
    if (dot + 1 < value.size() && text::is_alpha(value[dot + 1])) return true;
  }
  return false;
}

// The searches only run for values that have the byte they look for.
// A serialized Java object in base64 ("rO0AB...") or hex ("aced0005...") is made of plain bytes
// only, and is a deserialization payload whole.
bool java_stream(std::string_view value) {
  return text::istarts_with(value, "ro0ab") || text::istarts_with(value, "aced0005");
}

// The checks of a value made of plain bytes; `dot` and `underscore`: whether it has those.
bool plain_shape(std::string_view value, bool dot, bool underscore) {
  if (java_stream(value)) return false;
  if (dot && (value.find("..") != std::string_view::npos || member_access(value))) return false;
  return !underscore || value.find("__") == std::string_view::npos;
}

bool plain(std::string_view value, const ByteSet& bytes) {
  return bytes.subset_of(kPlainBytes) && plain_shape(value, bytes.contains('.'), bytes.contains('_'));
}

// The same answer from the text alone, one table lookup per byte: for names and keys, which no
// decoder changes while they are plain, so that they need neither a byte set nor the chain.
constexpr std::uint8_t kNotPlain = 1, kDot = 2, kUnderscore = 4;
constexpr std::array<std::uint8_t, 256> kPlainClasses = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned b = 0; b < 256; ++b) t[b] = kPlainBytes.contains(static_cast<char>(b)) ? 0 : kNotPlain;
  t['.'] = kDot;
  t['_'] = kUnderscore;
  return t;
}();

bool plain(std::string_view value) {
  std::uint8_t seen = 0;
  for (const char c : value) seen |= kPlainClasses[static_cast<unsigned char>(c)];
  return (seen & kNotPlain) == 0 && plain_shape(value, (seen & kDot) != 0, (seen & kUnderscore) != 0);
}

constexpr ByteSet kEncodingBytes("%+");

// Header locations are "header.<lower-case name>" (request_parser.cpp).
constexpr std::string_view kHeaderPrefix = "header.";

constexpr KindMask kArgumentKinds = kind_bit(LocationKind::query_value) | kind_bit(LocationKind::form_value) |
                                    kind_bit(LocationKind::cookie) | kind_bit(LocationKind::multipart_value) |
                                    kind_bit(LocationKind::json_value) | kind_bit(LocationKind::xml_text);

std::string truncate_evidence(std::string_view s) { return std::string(s.substr(0, kMaxEvidenceBytes)); }

// A finding the policy accepted, and whether it may block (a "monitor" custom rule never does).
struct Accepted {
  Finding finding;
  bool can_block;
};

class Inspection {
 public:
  Inspection(const Request& request, const CompiledPolicy& policy, std::string_view path, ClassMask disabled,
             HeaderMemo* memo)
      : request_(request), policy_(policy), path_(path), disabled_(disabled), memo_(memo) {}

  void scan(ValueCollector& values) {
    // A remembered header value holds every detector's findings, whatever this path disables:
    // accept() drops the disabled classes, so the next path sees what it enables.
    PrefilterIndex::Mask all = 0;
    PrefilterIndex::Mask enabled = 0;
    for (std::size_t i = 0; i < policy_.detectors.size(); ++i) {
      all |= PrefilterIndex::Mask{1} << i;
      if ((disabled_ & class_bit(policy_.detectors[i]->attack_class())) == 0) enabled |= PrefilterIndex::Mask{1} << i;
    }
    // Plain values that no decoder of their kind changes (names and keys; values too short for
    // base64) are known plain from their text, before the byte set and the chain.
    std::array<std::size_t, kLocationKinds> plain_is_final_below{};
    for (std::size_t k = 0; k < kLocationKinds; ++k) {
      const auto kind = static_cast<LocationKind>(k);
      if (kind != LocationKind::header) plain_is_final_below[k] = policy_.decoders.unchanged_below(kind, kPlainBytes);
    }
    Findings found;
    // Reused across values: decoding allocates only while these grow.
    std::string decoded_buffer;
    std::string scratch;
    for (CollectedValue& cv : values.values()) {
      // Headers are exempt: scanner fingerprints hide in plain values ("X-Scanner: Netsparker").
      if (cv.kind == LocationKind::header && cv.location.starts_with(kHeaderPrefix) &&
          benign_header(cv.location.substr(kHeaderPrefix.size()), cv.raw))
        continue;
      const bool memoised = memo_ != nullptr && cv.kind == LocationKind::header;
      if (memoised) {
        if (const Findings* known = memo_->find(cv.location, cv.raw)) {
          for (const Finding& f : *known) accept(Finding(f), true);
          if (accepted_.size() >= kMaxFindings) return;
          continue;
        }
      }
      if (cv.raw.size() < plain_is_final_below[static_cast<std::size_t>(cv.kind)] && plain(cv.raw)) continue;
      ByteSet bytes(cv.raw);
      ByteSet decoded_bytes;  // the decoded view's, when decoding changed the value
      cv.decoded_differs = policy_.decoders.decode(cv.kind, cv.raw, bytes, decoded_buffer, decoded_bytes, scratch);
      // Kept for the custom rules, which run once every value has been scanned.
      if (cv.decoded_differs) cv.decoded = values.store(decoded_buffer);
      const std::string_view decoded = cv.decoded_differs ? cv.decoded : cv.raw;
      if (cv.kind != LocationKind::header && plain(cv.raw, bytes) &&
          (!cv.decoded_differs || plain(decoded, decoded_bytes))) {
        continue;
      }
      // The prefilters see the bytes of both views, but not the '%' and '+' of an encoding that
      // was decoded: what they encoded is in the decoded view, and a literal '%' or '+' stays there.
      if (cv.decoded_differs) {
        bytes.remove(kEncodingBytes);
        bytes.add(decoded_bytes);
      }
      const PrefilterInput input{cv.kind, cv.raw, decoded, bytes};
      // (A superset of the decoded view's bytes, which is what the detectors search.)
      const Value value{cv.raw, decoded, cv.location, cv.kind, &bytes};
      found.clear();
      for (PrefilterIndex::Mask scan = policy_.prefilters.admitted(input) & (memoised ? all : enabled); scan != 0;
           scan &= scan - 1) {
        policy_.detectors[static_cast<std::size_t>(std::countr_zero(scan))]->scan(value, found);
      }
      if (memoised) remember(cv, found);
      for (Finding& f : found) accept(std::move(f), true);
      if (accepted_.size() >= kMaxFindings) return;
    }
  }

  void apply_custom_rules(const ValueCollector& values) {
    if ((disabled_ & class_bit(AttackClass::custom_rule)) != 0) return;
    for (const CustomRule& rule : policy_.custom_rules) {
      if (accepted_.size() >= kMaxFindings) return;
      if (auto f = match_rule(rule, values)) accept(std::move(*f), rule.action == RuleAction::block);
    }
  }

  std::vector<Accepted>& accepted() { return accepted_; }

 private:
  // A memo that cannot grow is skipped, not a reason to lose the verdict.
  void remember(const CollectedValue& cv, const Findings& found) noexcept {
    try {
      memo_->remember(cv.location, cv.raw, found);
    } catch (const std::bad_alloc&) {
    }
  }

  void accept(Finding f, bool can_block) {
    if (f.score < policy_.score_threshold || (disabled_ & class_bit(f.cls)) != 0) return;
    for (const PolicyException& e : policy_.exceptions) {
      if ((!e.cls || *e.cls == f.cls) && glob_match(e.location, f.location) && path_pattern_match(e.path, path_)) return;
    }
    // One finding per class and location: raw and decoded views often match the same payload.
    for (Accepted& a : accepted_) {
      if (a.finding.cls == f.cls && a.finding.location == f.location) {
        if (f.score > a.finding.score) a.finding = std::move(f);
        a.can_block = a.can_block || can_block;
        return;
      }
    }
    if (accepted_.size() < kMaxFindings) accepted_.push_back(Accepted{std::move(f), can_block});
  }

  std::optional<Finding> match_rule(const CustomRule& rule, const ValueCollector& values) const {
    Finding f{AttackClass::custom_rule, "path", truncate_evidence(path_), 100, "rule:" + rule.id};
    if (!rule.method.empty() && !text::iequals(rule.method, request_.method)) return std::nullopt;
    if (!rule.method.empty()) {
      f.location = "method";
      f.evidence = truncate_evidence(request_.method);
    }
    if (rule.path && !rule.path->matches(path_)) return std::nullopt;
    if (rule.path) {
      f.location = "path";
      f.evidence = truncate_evidence(path_);
    }
    if (rule.header) {
      const auto it = std::find_if(request_.headers.begin(), request_.headers.end(), [&](const auto& h) {
        return text::iequals(h.first, rule.header->name) && rule.header->regex.matches(h.second);
      });
      if (it == request_.headers.end()) return std::nullopt;
      f.location = "header." + rule.header->name;
      f.evidence = truncate_evidence(it->second);
    }
    if (rule.argument) {
      const CollectedValue* hit = nullptr;
      for (const CollectedValue& cv : values.values()) {
        if ((kind_bit(cv.kind) & kArgumentKinds) == 0) continue;
        const auto dot = cv.location.find('.');
        const std::string_view arg_name = dot == std::string_view::npos ? std::string_view{} : cv.location.substr(dot + 1);
        if (!rule.argument->name.empty() && arg_name != rule.argument->name) continue;
        const std::string_view decoded = cv.decoded_differs ? cv.decoded : cv.raw;
        if (rule.argument->regex.matches(decoded) || (cv.decoded_differs && rule.argument->regex.matches(cv.raw))) {
          hit = &cv;
          break;
        }
      }
      if (hit == nullptr) return std::nullopt;
      f.location = std::string(hit->location);
      f.evidence = truncate_evidence(hit->decoded_differs ? hit->decoded : hit->raw);
    }
    return f;
  }

  const Request& request_;
  const CompiledPolicy& policy_;
  std::string_view path_;
  ClassMask disabled_;
  HeaderMemo* memo_;
  std::vector<Accepted> accepted_;
};

}  // namespace

Verdict inspect(const Request& request, const CompiledPolicy& policy, const SharedIpLists& shared, HeaderMemo* memo) noexcept {
  Verdict verdict;
  const SplitTarget split = split_target(request.target);
  std::string normalised;
  const std::string_view path =
      policy.decoders.decode(LocationKind::path, split.path, normalised) ? std::string_view(normalised) : split.path;

  verdict.mode = policy.mode;
  ClassMask disabled = policy.disabled_classes;
  for (const PathOverride& o : policy.paths) {
    if (!path_pattern_match(o.pattern, path)) continue;
    if (o.mode) verdict.mode = *o.mode;
    disabled |= o.disabled_classes;
    break;
  }
  if (verdict.mode == Mode::off) return verdict;

  const auto ip = net::parse_ip(request.client_ip);
  const bool allow_listed = ip && policy.allow_ips.contains(*ip);
  if (ip && !allow_listed && (policy.deny_ips.contains(*ip) || (shared.deny != nullptr && shared.deny->contains(*ip)))) {
    verdict.action = Action::deny_ip;
    verdict.status = policy.block_status;
    return verdict;
  }

  ValueCollector values(policy.limits);
  collect_request_values(request, policy.inspect_body_limit, values);
  verdict.partial_inspection = values.partial();
  Inspection inspection(request, policy, path, disabled, memo != nullptr && memo->policy() == &policy ? memo : nullptr);
  inspection.scan(values);
  inspection.apply_custom_rules(values);
  if (inspection.accepted().empty()) return verdict;

  bool can_block = false;
  for (Accepted& a : inspection.accepted()) {
    can_block = can_block || a.can_block;
    if (std::find(verdict.classes.begin(), verdict.classes.end(), a.finding.cls) == verdict.classes.end()) {
      verdict.classes.push_back(a.finding.cls);
    }
    verdict.findings.push_back(std::move(a.finding));
  }
  const bool grey = ip && (policy.grey_ips.contains(*ip) || (shared.grey != nullptr && shared.grey->contains(*ip)));
  const bool block = can_block && !allow_listed &&
                     (verdict.mode == Mode::block || (verdict.mode == Mode::safe_blocking && grey));
  verdict.action = block ? Action::block : Action::monitor;
  if (block) verdict.status = policy.block_status;
  return verdict;
}

}  // namespace waf::engine
