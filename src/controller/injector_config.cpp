#include "controller/injector_config.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cctype>

#include "build_info.hpp"

namespace waf::controller {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

Result<std::string> get_string(element e, std::string_view key) {
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) return make_error(fmt::format("{}: expected a string", key));
  return std::string(s);
}

Result<bool> get_bool(element e, std::string_view key) {
  bool b = false;
  if (e.get(b) != simdjson::SUCCESS) return make_error(fmt::format("{}: expected true or false", key));
  return b;
}

Result<std::int64_t> get_int(element e, std::string_view key, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  if (e.get(n) != simdjson::SUCCESS) return make_error(fmt::format("{}: expected an integer", key));
  if (n < min || n > max) return make_error(fmt::format("{}: {} is out of range [{}, {}]", key, n, min, max));
  return n;
}

// Applies each member of `obj` through `apply(key, value) -> Status`; unknown keys are errors.
template <typename Apply>
Status for_each_member(element e, std::string_view where, Apply apply) {
  object obj;
  if (e.get(obj) != simdjson::SUCCESS) return make_error(fmt::format("{}: expected an object", where.empty() ? "config" : where));
  for (auto field : obj) {
    const std::string key = where.empty() ? std::string(field.key) : fmt::format("{}.{}", where, std::string_view(field.key));
    auto status = apply(std::string_view(field.key), key, field.value);
    if (!status) return status;
  }
  return Ok{};
}

// Assigns a validated string, or says what is wrong with it.
template <typename Valid>
Status set_string(std::string& target, element e, std::string_view key, Valid valid, std::string_view expected) {
  auto s = get_string(e, key);
  if (!s) return s.error();
  if (!valid(*s)) return make_error(fmt::format("{}: '{}' is not {}", key, *s, expected));
  target = std::move(*s);
  return Ok{};
}

bool any(std::string_view) { return true; }
bool quantity_or_empty(std::string_view s) { return s.empty() || is_quantity(s); }

Status apply_proxy(ProxyConfig& p, std::string_view name, const std::string& key, element value) {
  if (name == "image") {
    return set_string(p.image, value, key, [](std::string_view s) { return !s.empty(); }, "an image reference");
  }
  if (name == "imagePullPolicy") {
    return set_string(p.image_pull_policy, value, key,
                      [](std::string_view s) { return s == "Always" || s == "IfNotPresent" || s == "Never"; },
                      "one of Always, IfNotPresent, Never");
  }
  if (name == "port" || name == "adminPort") {
    auto n = get_int(value, key, 1, 65535);
    if (!n) return n.error();
    (name == "port" ? p.port : p.admin_port) = static_cast<std::uint16_t>(*n);
    return Ok{};
  }
  if (name == "logLevel") return set_string(p.log_level, value, key, is_log_level, "one of debug, info, warn, error");
  if (name == "postanalytics") return set_string(p.postanalytics, value, key, any, "");
  if (name == "runAsUser") {
    auto n = get_int(value, key, 1, 2147483647);
    if (!n) return n.error();
    p.run_as_user = *n;
    return Ok{};
  }
  if (name == "cpu") return set_string(p.cpu, value, key, quantity_or_empty, "a quantity");
  if (name == "memory") return set_string(p.memory, value, key, quantity_or_empty, "a quantity");
  if (name == "cpuLimit") return set_string(p.cpu_limit, value, key, quantity_or_empty, "a quantity");
  if (name == "memoryLimit") return set_string(p.memory_limit, value, key, quantity_or_empty, "a quantity");
  return make_error(fmt::format("{}: unknown key", key));
}

bool is_namespace_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-')) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

Status apply_top(InjectorConfig& c, std::string_view name, const std::string& key, element value) {
  if (name == "mode") return set_string(c.mode, value, key, is_mode, "one of off, monitoring, safe_blocking, block");
  if (name == "annotationPrefix") {
    // A prefix is a DNS subdomain followed by "/", so "<prefix>mode" is a valid annotation key.
    return set_string(c.annotation_prefix, value, key,
                      [](std::string_view s) { return s.size() > 1 && s.size() <= 200 && s.back() == '/'; },
                      "a prefix ending in '/'");
  }
  if (name == "onInvalid") {
    std::string v;
    auto status = set_string(v, value, key, [](std::string_view s) { return s == "deny" || s == "allow"; },
                             "one of deny, allow");
    if (status) c.on_invalid_allow = v == "allow";
    return status;
  }
  if (name == "excludedNamespaces") {
    simdjson::dom::array items;
    if (value.get(items) != simdjson::SUCCESS) return make_error(fmt::format("{}: expected a list", key));
    c.excluded_namespaces.clear();
    for (element item : items) {
      auto s = get_string(item, key);
      if (!s) return s.error();
      if (!is_namespace_name(*s)) return make_error(fmt::format("{}: '{}' is not a namespace name", key, *s));
      c.excluded_namespaces.push_back(std::move(*s));
    }
    return Ok{};
  }
  if (name == "applicationPort") {
    auto n = get_int(value, key, 1, 65535);
    if (!n) return n.error();
    c.application_port = static_cast<std::uint16_t>(*n);
    return Ok{};
  }
  if (name == "iptables" || name == "nativeSidecar") {
    auto b = get_bool(value, key);
    if (!b) return b.error();
    (name == "iptables" ? c.iptables : c.native_sidecar) = *b;
    return Ok{};
  }
  if (name == "proxy") {
    return for_each_member(value, key, [&c](std::string_view n, const std::string& k, element v) {
      return apply_proxy(c.proxy, n, k, v);
    });
  }
  return make_error(fmt::format("{}: unknown key", key));
}

}  // namespace

InjectorConfig default_injector_config() {
  InjectorConfig c;
  c.proxy.image = fmt::format("ghcr.io/waf-project/waf:{}", build::kVersion);
  return c;
}

Result<InjectorConfig> parse_injector_config(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  if (auto err = parser.parse(simdjson::padded_string(json)).get(doc); err != simdjson::SUCCESS) {
    return make_error(fmt::format("config: not valid JSON ({})", simdjson::error_message(err)));
  }
  InjectorConfig c = default_injector_config();
  auto status = for_each_member(doc, "", [&c](std::string_view n, const std::string& k, element v) {
    return apply_top(c, n, k, v);
  });
  if (!status) return status.error();
  if (c.proxy.port == c.proxy.admin_port) {
    return make_error(fmt::format("proxy.adminPort: {} is also proxy.port", c.proxy.admin_port));
  }
  return c;
}

bool is_mode(std::string_view s) {
  return s == "off" || s == "monitoring" || s == "safe_blocking" || s == "block";
}

bool is_log_level(std::string_view s) {
  return s == "debug" || s == "info" || s == "warn" || s == "error";
}

bool is_quantity(std::string_view s) {
  // <sign><digits>[.<digits>]<suffix>, suffix one of the binary (Ki..Ei), decimal (n,u,m,k,M..E) or
  // exponent (e3, E-2) forms accepted by k8s.io/apimachinery resource.ParseQuantity.
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  std::size_t i = 0, digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  const auto suffix = s.substr(i);
  static constexpr std::string_view kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m",
                                                   "k", "M", "G", "T", "P", "E"};
  for (auto k : kSuffixes) {
    if (suffix == k) return true;
  }
  if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    auto exp = suffix.substr(1);
    if (exp.front() == '+' || exp.front() == '-') exp.remove_prefix(1);
    if (exp.empty()) return false;
    for (char ch : exp) {
      if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
    }
    return true;
  }
  return false;
}

}  // namespace waf::controller
