#include "controller/injection_patch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace waf::controller {
namespace {

// The annotation names the contract fixes (PRODUCT.md), after the configurable prefix.
constexpr std::string_view kStatusKey = "status";
constexpr std::string_view kStatusInjected = "injected";
constexpr std::string_view kKnownKeys[] = {
    "mode", "application-port", "iptables-enable", "exclude-inbound-ports", "proxy-cpu", "proxy-memory",
    "proxy-cpu-limit", "proxy-memory-limit", "log-level", "policy", "native-sidecar", kStatusKey};
// A Pod has a handful of ports; a longer list is a mistake, not a configuration.
constexpr std::size_t kMaxPortsPerList = 64;

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

Result<std::vector<std::uint16_t>> parse_port_list(std::string_view text, std::string_view annotation) {
  std::vector<std::uint16_t> ports;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    const auto item = trim(text.substr(start, end - start));
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || value < 1 || value > 65535) {
      return make_error(fmt::format("{}: '{}' is not a port (1-65535)", annotation, item));
    }
    const auto port = static_cast<std::uint16_t>(value);
    if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
    start = end + 1;
  }
  if (ports.size() > kMaxPortsPerList) return make_error(fmt::format("{}: more than {} ports", annotation, kMaxPortsPerList));
  return ports;
}

Result<bool> parse_bool(std::string_view text, std::string_view annotation) {
  if (text == "true") return true;
  if (text == "false") return false;
  return make_error(fmt::format("{}: '{}' is not true or false", annotation, text));
}

// DNS-1123 subdomain: the rule for ConfigMap names.
bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
      return false;
    }
  }
  auto alnum = [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); };
  return alnum(s.front()) && alnum(s.back());
}

std::string join_ports(const std::vector<std::uint16_t>& ports) {
  return fmt::format("{}", fmt::join(ports, ","));
}

// Application ports without the annotation: a port named http (any container), else the first
// port of the first container, else the chart default.
std::vector<std::uint16_t> default_application_ports(const Pod& pod, const InjectorConfig& config) {
  for (const auto& c : pod.containers) {
    for (const auto& p : c.ports) {
      if (p.name == "http" && p.container_port >= 1 && p.container_port <= 65535) {
        return {static_cast<std::uint16_t>(p.container_port)};
      }
    }
  }
  if (!pod.containers.empty() && !pod.containers.front().ports.empty()) {
    const auto port = pod.containers.front().ports.front().container_port;
    if (port >= 1 && port <= 65535) return {static_cast<std::uint16_t>(port)};
  }
  return {config.application_port};
}

JsonValue string_array(std::initializer_list<std::string> items) {
  auto a = JsonValue::array();
  for (const auto& s : items) a.push(s);
  return a;
}

JsonValue resources(const std::string& cpu, const std::string& memory, const std::string& cpu_limit,
                    const std::string& memory_limit) {
  auto requests = JsonValue::object();
  if (!cpu.empty()) requests.set("cpu", cpu);
  if (!memory.empty()) requests.set("memory", memory);
  auto limits = JsonValue::object();
  if (!cpu_limit.empty()) limits.set("cpu", cpu_limit);
  if (!memory_limit.empty()) limits.set("memory", memory_limit);
  auto r = JsonValue::object();
  if (requests.as_object() != nullptr && !requests.as_object()->empty()) r.set("requests", std::move(requests));
  if (limits.as_object() != nullptr && !limits.as_object()->empty()) r.set("limits", std::move(limits));
  return r;
}

JsonValue http_probe(std::string_view path, int period_seconds, int failure_threshold) {
  auto get = JsonValue::object();
  get.set("path", path).set("port", "waf-admin");
  auto probe = JsonValue::object();
  probe.set("httpGet", std::move(get)).set("periodSeconds", period_seconds).set("failureThreshold", failure_threshold);
  return probe;
}

JsonValue proxy_container(const PodSettings& s, const InjectorConfig& config) {
  const auto& p = config.proxy;
  // With iptables the proxy forwards each redirected connection to the app port the client dialled
  // (its --original-dst, on by default), so every application port is served; --upstream is for
  // connections made to the proxy port itself (Services with targetPort: proxy): the first port.
  auto args = JsonValue::array();
  for (auto arg : {std::string("proxy"), std::string("--listen"), fmt::format(":{}", p.port), std::string("--upstream"),
                   fmt::format("127.0.0.1:{}", s.application_ports.front()), std::string("--admin-listen"),
                   fmt::format(":{}", p.admin_port), std::string("--mode"), s.mode, std::string("--log-level"),
                   s.log_level}) {
    args.push(std::move(arg));
  }
  if (!p.postanalytics.empty()) args.push("--postanalytics").push(p.postanalytics);
  if (!s.policy.empty()) args.push("--policy").push(fmt::format("{}/{}", kPolicyMountPath, kPolicyKey));

  auto ports = JsonValue::array();
  for (auto [name, number] : {std::pair{"proxy", p.port}, std::pair{"waf-admin", p.admin_port}}) {
    auto port = JsonValue::object();
    port.set("name", name).set("containerPort", static_cast<int>(number)).set("protocol", "TCP");
    ports.push(std::move(port));
  }

  // Who the events and statistics sent to postanalytics come from.
  auto env = JsonValue::array();
  for (auto [name, field] : {std::pair{"WAF_POD_NAMESPACE", "metadata.namespace"}, std::pair{"WAF_POD_NAME", "metadata.name"}}) {
    auto field_ref = JsonValue::object();
    field_ref.set("fieldPath", field);
    auto source = JsonValue::object();
    source.set("fieldRef", std::move(field_ref));
    auto var = JsonValue::object();
    var.set("name", name).set("valueFrom", std::move(source));
    env.push(std::move(var));
  }
  if (!s.app.empty()) {
    auto var = JsonValue::object();
    var.set("name", "WAF_APP").set("value", s.app);
    env.push(std::move(var));
  }

  auto capabilities = JsonValue::object();
  capabilities.set("drop", string_array({"ALL"}));
  auto seccomp = JsonValue::object();
  seccomp.set("type", "RuntimeDefault");
  auto security = JsonValue::object();
  security.set("runAsUser", p.run_as_user)
      .set("runAsGroup", p.run_as_user)
      .set("runAsNonRoot", true)
      .set("allowPrivilegeEscalation", false)
      .set("privileged", false)
      .set("readOnlyRootFilesystem", true)
      .set("capabilities", std::move(capabilities))
      .set("seccompProfile", std::move(seccomp));

  auto c = JsonValue::object();
  c.set("name", kProxyContainerName).set("image", p.image).set("imagePullPolicy", p.image_pull_policy);
  c.set("args", std::move(args));
  c.set("env", std::move(env));
  c.set("ports", std::move(ports));
  c.set("resources", resources(s.cpu, s.memory, s.cpu_limit, s.memory_limit));
  c.set("securityContext", std::move(security));
  c.set("readinessProbe", http_probe("/readyz", 5, 3));
  c.set("livenessProbe", http_probe("/healthz", 10, 3));
  if (s.native_sidecar) {
    // The kubelet starts the app containers only once this passes: the proxy listens first.
    c.set("startupProbe", http_probe("/healthz", 1, 30));
    c.set("restartPolicy", "Always");
  }
  if (!s.policy.empty()) {
    auto mount = JsonValue::object();
    mount.set("name", kPolicyVolumeName).set("mountPath", kPolicyMountPath).set("readOnly", true);
    auto mounts = JsonValue::array();
    mounts.push(std::move(mount));
    c.set("volumeMounts", std::move(mounts));
  }
  return c;
}

JsonValue init_container(const PodSettings& s, const InjectorConfig& config) {
  auto args = JsonValue::array();
  args.push("init-iptables").push("--proxy-port").push(fmt::format("{}", config.proxy.port));
  args.push("--application-ports").push(join_ports(s.application_ports));
  // Never redirected, so the kubelet's probes reach the proxy's admin port whatever the app ports.
  args.push("--admin-port").push(fmt::format("{}", config.proxy.admin_port));
  if (!s.exclude_inbound_ports.empty()) args.push("--exclude-ports").push(join_ports(s.exclude_inbound_ports));

  auto capabilities = JsonValue::object();
  capabilities.set("drop", string_array({"ALL"})).set("add", string_array({"NET_ADMIN", "NET_RAW"}));
  // Root inside the container, because a non-root user does not get added capabilities in its
  // effective set; the capabilities, not privileged, are what make iptables work.
  auto security = JsonValue::object();
  security.set("runAsUser", 0)
      .set("runAsNonRoot", false)
      .set("allowPrivilegeEscalation", false)
      .set("privileged", false)
      .set("readOnlyRootFilesystem", true)
      .set("capabilities", std::move(capabilities));

  auto c = JsonValue::object();
  c.set("name", kInitContainerName).set("image", config.proxy.image).set("imagePullPolicy", config.proxy.image_pull_policy);
  c.set("args", std::move(args));
  c.set("resources", resources("10m", "16Mi", "", "64Mi"));
  c.set("securityContext", std::move(security));
  return c;
}

// Every port the Pod declares must stay clear of the proxy's two ports: both share the Pod's
// network namespace, so a clash would keep one of them from binding.
Status check_port_clashes(const Pod& pod, const PodSettings& s, const InjectorConfig& config) {
  const auto& p = config.proxy;
  for (const auto* list : {&pod.containers, &pod.init_containers}) {
    for (const auto& c : *list) {
      for (const auto& port : c.ports) {
        if (port.container_port == p.port || port.container_port == p.admin_port) {
          return make_error(fmt::format("container '{}' port {} clashes with the waf proxy (proxy port {}, admin port {})",
                                        c.name, port.container_port, p.port, p.admin_port));
        }
      }
    }
  }
  for (auto port : s.application_ports) {
    if (port == p.port || port == p.admin_port) {
      return make_error(fmt::format("{}application-port: {} is also the waf proxy's {} port", config.annotation_prefix,
                                    port, port == p.port ? "listening" : "admin"));
    }
  }
  return Ok{};
}

bool has_container(const Pod& pod, std::string_view name) {
  auto named = [name](const Container& c) { return c.name == name; };
  return std::any_of(pod.containers.begin(), pod.containers.end(), named) ||
         std::any_of(pod.init_containers.begin(), pod.init_containers.end(), named);
}

}  // namespace

Result<PodSettings> resolve_settings(const Pod& pod, const InjectorConfig& config) {
  PodSettings s;
  s.mode = config.mode;
  s.iptables = config.iptables;
  s.native_sidecar = config.native_sidecar;
  s.cpu = config.proxy.cpu;
  s.memory = config.proxy.memory;
  s.cpu_limit = config.proxy.cpu_limit;
  s.memory_limit = config.proxy.memory_limit;
  s.log_level = config.proxy.log_level;
  bool ports_from_annotation = false;

  const auto& prefix = config.annotation_prefix;
  for (const auto& annotation : pod.annotations) {
    const std::string& key = annotation.first;  // a plain reference: lambdas cannot capture bindings in clang 14
    if (!key.starts_with(prefix)) continue;
    const std::string_view name = std::string_view(key).substr(prefix.size());
    const std::string value = trim(annotation.second);
    auto string_setting = [&](std::string& target, bool valid, std::string_view expected) -> Status {
      if (!valid) return make_error(fmt::format("{}: '{}' is not {}", key, value, expected));
      target = value;
      return Ok{};
    };
    Status status = Ok{};
    if (name == "mode") {
      status = string_setting(s.mode, is_mode(value), "one of off, monitoring, safe_blocking, block");
    } else if (name == "log-level") {
      status = string_setting(s.log_level, is_log_level(value), "one of debug, info, warn, error");
    } else if (name == "proxy-cpu") {
      status = string_setting(s.cpu, is_quantity(value), "a CPU quantity (e.g. 100m)");
    } else if (name == "proxy-memory") {
      status = string_setting(s.memory, is_quantity(value), "a memory quantity (e.g. 128Mi)");
    } else if (name == "proxy-cpu-limit") {
      status = string_setting(s.cpu_limit, is_quantity(value), "a CPU quantity (e.g. 500m)");
    } else if (name == "proxy-memory-limit") {
      status = string_setting(s.memory_limit, is_quantity(value), "a memory quantity (e.g. 256Mi)");
    } else if (name == "policy") {
      status = string_setting(s.policy, is_dns_subdomain(value), "a ConfigMap name");
    } else if (name == "application-port" || name == "exclude-inbound-ports") {
      auto ports = parse_port_list(value, key);
      if (!ports) return ports.error();
      if (name == "application-port") {
        s.application_ports = std::move(*ports);
        ports_from_annotation = true;
      } else {
        s.exclude_inbound_ports = std::move(*ports);
      }
    } else if (name == "iptables-enable" || name == "native-sidecar") {
      auto b = parse_bool(value, key);
      if (!b) return b.error();
      (name == "iptables-enable" ? s.iptables : s.native_sidecar) = *b;
    } else if (std::find(std::begin(kKnownKeys), std::end(kKnownKeys), name) == std::end(kKnownKeys)) {
      // A typo ("sidecar.waf.io/mod") would otherwise be silently ignored.
      return make_error(fmt::format("{}: unknown annotation (known: {})", key, fmt::join(kKnownKeys, ", ")));
    }
    if (!status) return status.error();
  }
  if (!ports_from_annotation) s.application_ports = default_application_ports(pod, config);
  s.app = app_name(pod);
  if (auto clash = check_port_clashes(pod, s, config); !clash) return clash.error();
  return s;
}

std::string app_name(const Pod& pod) {
  for (const std::string_view key : {"app.kubernetes.io/name", "app", "k8s-app"}) {
    if (const auto* value = pod.label(key); value != nullptr && !value->empty()) return *value;
  }
  // "shop-7d9f8c6b5d-" (Deployment) -> "shop"; "worker-" (Job, StatefulSet-less) -> "worker".
  std::string_view name = pod.generate_name.empty() ? pod.name : pod.generate_name;
  while (name.ends_with('-')) name.remove_suffix(1);
  if (const auto* hash = pod.label("pod-template-hash"); hash != nullptr && name.ends_with("-" + *hash)) {
    name.remove_suffix(hash->size() + 1);
  }
  return std::string(name);
}

std::string skip_reason(const AdmissionRequest& request, const InjectorConfig& config) {
  if (request.kind != "Pod" || !request.sub_resource.empty()) return "not a Pod";
  if (request.operation != "CREATE") return "not a CREATE";
  if (!request.has_object) return "no Pod in the request";
  const auto& pod = request.pod;
  const auto* label = pod.label(kInjectLabel);
  if (label == nullptr || *label != kInjectLabelValue) return "not labelled waf-sidecar=enabled";
  const auto& ns = request.namespace_.empty() ? pod.namespace_ : request.namespace_;
  const auto& excluded = config.excluded_namespaces;
  if (std::find(excluded.begin(), excluded.end(), ns) != excluded.end()) return "namespace is excluded";
  const auto* status = pod.annotation(config.annotation_prefix + std::string(kStatusKey));
  if (status != nullptr && *status == kStatusInjected) return "already injected";
  if (has_container(pod, kProxyContainerName)) return "already has a waf-proxy container";
  return {};
}

Result<JsonPatch> build_injection_patch(const AdmissionRequest& request, const InjectorConfig& config) {
  if (!skip_reason(request, config).empty()) return JsonPatch{};
  const auto& pod = request.pod;
  auto settings = resolve_settings(pod, config);
  if (!settings) return settings.error();
  const auto& s = *settings;

  JsonPatch patch;
  const auto status_key = config.annotation_prefix + std::string(kStatusKey);
  if (pod.has_annotations) {
    patch.push_back({"add", "/metadata/annotations/" + json_pointer_token(status_key), kStatusInjected});
  } else {
    auto annotations = JsonValue::object();
    annotations.set(status_key, kStatusInjected);
    patch.push_back({"add", "/metadata/annotations", std::move(annotations)});
  }

  // The init containers go first, in this order: iptables rules, then the proxy as a native
  // sidecar, so the proxy runs before any of the Pod's own init containers and its app.
  std::vector<JsonValue> init;
  if (s.iptables) init.push_back(init_container(s, config));
  if (s.native_sidecar) init.push_back(proxy_container(s, config));
  if (!pod.has_init_containers && !init.empty()) {
    patch.push_back({"add", "/spec/initContainers", JsonValue(JsonValue::Array(std::move(init)))});
  } else {
    for (std::size_t i = 0; i < init.size(); ++i) {
      patch.push_back({"add", fmt::format("/spec/initContainers/{}", i), std::move(init[i])});
    }
  }
  if (!s.native_sidecar) patch.push_back({"add", "/spec/containers/-", proxy_container(s, config)});

  if (!s.policy.empty()) {
    auto config_map = JsonValue::object();
    config_map.set("name", s.policy);
    auto volume = JsonValue::object();
    volume.set("name", kPolicyVolumeName).set("configMap", std::move(config_map));
    if (pod.has_volumes) {
      patch.push_back({"add", "/spec/volumes/-", std::move(volume)});
    } else {
      auto volumes = JsonValue::array();
      volumes.push(std::move(volume));
      patch.push_back({"add", "/spec/volumes", std::move(volumes)});
    }
  }
  return patch;
}

AdmissionResponse admit(const AdmissionRequest& request, const InjectorConfig& config) {
  auto patch = build_injection_patch(request, config);
  if (!patch) {
    if (config.on_invalid_allow) {
      return complete(allowed().with_warning(fmt::format("{}; the Pod is admitted without the waf sidecar",
                                                         patch.error().message)),
                      request.uid);
    }
    return complete(denied(fmt::format("waf sidecar injection: {}", patch.error().message)), request.uid);
  }
  if (patch->empty()) return complete(allowed(), request.uid);
  return complete(patched(std::move(*patch)), request.uid);
}

}  // namespace waf::controller
