#include "engine/policy/policy_file.hpp"

#include <simdjson.h>

#include <cctype>
#include <cstdint>
#include <string>

namespace waf::engine {
namespace {

using simdjson::dom::element;

// Upper bounds that catch unit mistakes ("inspect_body_limit": 64000000000) early.
constexpr std::uint64_t kMaxBodyLimitBytes = 64ULL * 1024 * 1024;
constexpr std::uint64_t kMaxLimitValue = 1ULL << 30;

Error at(const std::string& path, const std::string& message) { return make_error("policy: " + path + ": " + message); }

std::string index_path(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string key_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Result<std::string_view> get_string(element e, const std::string& path) {
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) return at(path, "expected a string");
  return s;
}

Result<std::uint64_t> get_uint(element e, const std::string& path, std::uint64_t min, std::uint64_t max) {
  std::uint64_t v = 0;
  if (e.get_uint64().get(v) != simdjson::SUCCESS) return at(path, "expected a non-negative integer");
  if (v < min || v > max) return at(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return v;
}

Result<simdjson::dom::array> get_array(element e, const std::string& path) {
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return at(path, "expected an array");
  return a;
}

Result<simdjson::dom::object> get_object(element e, const std::string& path) {
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return at(path, "expected an object");
  return o;
}

Result<Mode> get_mode(element e, const std::string& path) {
  auto s = get_string(e, path);
  if (!s) return s.error();
  if (auto m = mode_from_name(*s)) return *m;
  return at(path, "unknown mode '" + std::string(*s) + "' (expected off, monitoring, safe_blocking or block)");
}

Result<AttackClass> get_class(element e, const std::string& path) {
  auto s = get_string(e, path);
  if (!s) return s.error();
  if (auto c = attack_class_from_name(*s)) return *c;
  std::string names;
  for (const auto cls : kAllAttackClasses) names += (names.empty() ? "" : ", ") + std::string(name(cls));
  return at(path, "unknown attack class '" + std::string(*s) + "' (expected one of " + names + ")");
}

Result<ClassMask> get_classes(element e, const std::string& path) {
  auto a = get_array(e, path);
  if (!a) return a.error();
  ClassMask mask = 0;
  std::size_t i = 0;
  for (element item : *a) {
    auto c = get_class(item, index_path(path, i++));
    if (!c) return c.error();
    mask |= class_bit(*c);
  }
  return mask;
}

Status get_cidrs(element e, const std::string& path, net::CidrSet& out) {
  auto a = get_array(e, path);
  if (!a) return a.error();
  std::size_t i = 0;
  for (element item : *a) {
    const std::string item_path = index_path(path, i++);
    auto s = get_string(item, item_path);
    if (!s) return s.error();
    if (auto added = out.add(*s); !added) return at(item_path, added.error().message);
  }
  return Ok{};
}

Result<Regex> get_regex(element e, const std::string& path) {
  auto s = get_string(e, path);
  if (!s) return s.error();
  auto r = Regex::compile(*s);
  if (!r) return at(path, r.error().message);
  return std::move(*r);
}

// Calls on_field(key, value, path) for each member; an unknown key makes it return an error.
template <typename OnField>
Status for_each_field(element e, const std::string& path, OnField&& on_field) {
  auto o = get_object(e, path.empty() ? "(top level)" : path);
  if (!o) return o.error();
  for (const simdjson::dom::key_value_pair field : *o) {
    const std::string field_path = key_path(path, field.key);
    Result<bool> known = on_field(field.key, field.value, field_path);
    if (!known) return known.error();
    if (!*known) return at(field_path, "unknown key");
  }
  return Ok{};
}

Result<PathOverride> get_path_override(element e, const std::string& path) {
  PathOverride out;
  bool has_path = false;
  auto status = for_each_field(e, path, [&](std::string_view key, element value, const std::string& p) -> Result<bool> {
    if (key == "path") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      if (s->empty()) return at(p, "must not be empty");
      out.pattern = std::string(*s);
      has_path = true;
    } else if (key == "mode") {
      auto m = get_mode(value, p);
      if (!m) return m.error();
      out.mode = *m;
    } else if (key == "disabled_classes") {
      auto c = get_classes(value, p);
      if (!c) return c.error();
      out.disabled_classes = *c;
    } else {
      return false;
    }
    return true;
  });
  if (!status) return status.error();
  if (!has_path) return at(path, "missing key 'path'");
  return out;
}

Result<PolicyException> get_exception(element e, const std::string& path) {
  PolicyException out;
  auto status = for_each_field(e, path, [&](std::string_view key, element value, const std::string& p) -> Result<bool> {
    if (key == "class") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      if (*s == "*") return true;
      auto c = get_class(value, p);
      if (!c) return c.error();
      out.cls = *c;
    } else if (key == "location" || key == "path") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      (key == "location" ? out.location : out.path) = std::string(*s);
    } else {
      return false;
    }
    return true;
  });
  if (!status) return status.error();
  return out;
}

Result<CustomRule::Condition> get_condition(element e, const std::string& path, bool lower_name) {
  std::string name;
  std::optional<Regex> regex;
  auto status = for_each_field(e, path, [&](std::string_view key, element value, const std::string& p) -> Result<bool> {
    if (key == "name") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      name = std::string(*s);
      if (lower_name) {
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    } else if (key == "regex") {
      auto r = get_regex(value, p);
      if (!r) return r.error();
      regex = std::move(*r);
    } else {
      return false;
    }
    return true;
  });
  if (!status) return status.error();
  if (!regex) return at(path, "missing key 'regex'");
  if (lower_name && name.empty()) return at(path, "missing key 'name'");
  return CustomRule::Condition{std::move(name), std::move(*regex)};
}

Result<CustomRule> get_custom_rule(element e, const std::string& path) {
  CustomRule out;
  auto status = for_each_field(e, path, [&](std::string_view key, element value, const std::string& p) -> Result<bool> {
    if (key == "id") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      out.id = std::string(*s);
    } else if (key == "action") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      if (*s == "block") out.action = RuleAction::block;
      else if (*s == "monitor") out.action = RuleAction::monitor;
      else return at(p, "unknown action '" + std::string(*s) + "' (expected block or monitor)");
    } else if (key == "method") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      out.method = std::string(*s);
      for (char& c : out.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (key == "path") {
      auto r = get_regex(value, p);
      if (!r) return r.error();
      out.path = std::move(*r);
    } else if (key == "header" || key == "argument") {
      auto c = get_condition(value, p, key == "header");
      if (!c) return c.error();
      (key == "header" ? out.header : out.argument) = std::move(*c);
    } else {
      return false;
    }
    return true;
  });
  if (!status) return status.error();
  if (out.id.empty()) return at(path, "missing key 'id'");
  if (out.method.empty() && !out.path && !out.header && !out.argument) {
    return at(path, "needs at least one of method, path, header, argument");
  }
  return out;
}

// Reads an array of objects with `read` into `out`.
template <typename T, typename Read>
Status get_list(element e, const std::string& path, std::vector<T>& out, Read&& read) {
  auto a = get_array(e, path);
  if (!a) return a.error();
  std::size_t i = 0;
  for (element item : *a) {
    auto v = read(item, index_path(path, i++));
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
  return Ok{};
}

Status get_limits(element e, const std::string& path, Limits& out) {
  return for_each_field(e, path, [&](std::string_view key, element value, const std::string& p) -> Result<bool> {
    std::size_t* target = key == "max_depth" ? &out.max_depth
                          : key == "max_values" ? &out.max_values
                          : key == "max_bytes" ? &out.max_bytes
                          : key == "max_value_bytes" ? &out.max_value_bytes
                                                     : nullptr;
    if (target == nullptr) return false;
    auto v = get_uint(value, p, 1, kMaxLimitValue);
    if (!v) return v.error();
    *target = static_cast<std::size_t>(*v);
    return true;
  });
}

Status read_top_level(element root, CompiledPolicy& policy) {
  return for_each_field(root, "", [&](std::string_view key, element value, const std::string& p) -> Result<bool> {
    if (key == "mode") {
      auto m = get_mode(value, p);
      if (!m) return m.error();
      policy.mode = *m;
    } else if (key == "inspect_body_limit") {
      auto v = get_uint(value, p, 0, kMaxBodyLimitBytes);
      if (!v) return v.error();
      policy.inspect_body_limit = static_cast<std::size_t>(*v);
    } else if (key == "score_threshold") {
      auto v = get_uint(value, p, 1, 100);
      if (!v) return v.error();
      policy.score_threshold = static_cast<int>(*v);
    } else if (key == "block_status") {
      auto v = get_uint(value, p, 400, 599);
      if (!v) return v.error();
      policy.block_status = static_cast<int>(*v);
    } else if (key == "block_page") {
      auto s = get_string(value, p);
      if (!s) return s.error();
      if (*s == "json") policy.block_page = BlockPage::json;
      else if (*s == "html") policy.block_page = BlockPage::html;
      else return at(p, "unknown block page '" + std::string(*s) + "' (expected json or html)");
    } else if (key == "disabled_classes") {
      auto c = get_classes(value, p);
      if (!c) return c.error();
      policy.disabled_classes = *c;
    } else if (key == "allow_ips" || key == "deny_ips" || key == "grey_ips") {
      net::CidrSet& set = key == "allow_ips" ? policy.allow_ips : key == "deny_ips" ? policy.deny_ips : policy.grey_ips;
      if (auto s = get_cidrs(value, p, set); !s) return s.error();
    } else if (key == "paths") {
      if (auto s = get_list(value, p, policy.paths, get_path_override); !s) return s.error();
    } else if (key == "exceptions") {
      if (auto s = get_list(value, p, policy.exceptions, get_exception); !s) return s.error();
    } else if (key == "custom_rules") {
      if (auto s = get_list(value, p, policy.custom_rules, get_custom_rule); !s) return s.error();
    } else if (key == "limits") {
      if (auto s = get_limits(value, p, policy.limits); !s) return s.error();
    } else {
      return false;
    }
    return true;
  });
}

}  // namespace

Result<CompiledPolicy> load_policy(std::string_view text, std::span<const DetectorEntry> detectors) {
  simdjson::dom::parser parser;
  element root;
  if (const auto error = parser.parse(text.data(), text.size()).get(root); error != simdjson::SUCCESS) {
    return make_error(std::string("policy: not valid JSON: ") + simdjson::error_message(error));
  }
  CompiledPolicy policy;
  if (auto status = read_top_level(root, policy); !status) return status.error();
  std::vector<const Prefilter*> prefilters;
  for (const auto& entry : detectors) {
    if (entry.make == nullptr) continue;
    policy.detectors.push_back(entry.make());
    prefilters.push_back(entry.prefilter);
  }
  policy.prefilters = PrefilterIndex(prefilters);
  return policy;
}

CompiledPolicy default_policy(std::span<const DetectorEntry> detectors) {
  auto policy = load_policy(kDefaultPolicyJson, detectors);
  return std::move(*policy);
}

}  // namespace waf::engine
