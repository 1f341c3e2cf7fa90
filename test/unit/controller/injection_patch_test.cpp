#include "controller/injection_patch.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace waf::controller;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The config the goldens are written with: the built-in defaults with a fixed image, so a version
// bump does not rewrite every golden. Cases whose name says so change one setting.
InjectorConfig config_for(const std::string& name) {
  auto config = default_injector_config();
  config.proxy.image = "registry.example/waf:test";
  if (name.find("on_invalid_allow") != std::string::npos) config.on_invalid_allow = true;
  if (name.find("postanalytics") != std::string::npos) config.proxy.postanalytics = "waf-postanalytics.waf.svc:9400";
  if (name.find("custom_prefix") != std::string::npos) config.annotation_prefix = "waf.example.com/";
  if (name.find("no_native_default") != std::string::npos) config.native_sidecar = false;
  return config;
}

// True when some line of `text`, without its indentation and trailing comment, is `expected`.
bool has_line(const std::string& text, const std::string& expected) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    auto content = line.substr(start);
    if (const auto comment = content.find(" #"); comment != std::string::npos) content.resize(comment);
    if (content == expected) return true;
  }
  return false;
}

AdmissionResponse respond(const std::string& body, const InjectorConfig& config) {
  std::string uid;
  auto request = decode_admission_review(body, uid);
  if (!request) return complete(errored(400, request.error().message), uid);
  return admit(*request, config);
}

}  // namespace

TEST_CASE("injection: every testdata review matches its golden response") {
  const fs::path dir = WAF_TESTDATA_DIR;
  const bool update = std::getenv("WAF_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto path = entry.path().string();
    const std::string suffix = ".review.json";
    if (!path.ends_with(suffix)) continue;
    const auto name = entry.path().filename().string();
    const auto golden = fs::path(path.substr(0, path.size() - suffix.size()) + ".response.json");
    const auto actual = describe_response(respond(read_file(entry.path()), config_for(name)));
    if (update) std::ofstream(golden, std::ios::binary) << actual;
    INFO("case: " << name);
    CHECK(actual == read_file(golden));
    ++cases;
  }
  CHECK(cases >= 10);
}

TEST_CASE("injection: the wire response carries the UID and a base64 JSON Patch") {
  const std::string body =
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",)"
      R"("kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"default",)"
      R"("object":{"metadata":{"labels":{"waf-sidecar":"enabled"}},"spec":{"containers":[{"name":"app"}]}}}})";
  auto config = default_injector_config();
  const auto wire = encode_admission_review(respond(body, config));
  CHECK(wire.starts_with(R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u-1","allowed":true,"patchType":"JSONPatch","patch":"W3sib3Ai)"));
}

TEST_CASE("injection: a denial names the annotation, with its UID") {
  const std::string body =
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-2",)"
      R"("kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"default",)"
      R"("object":{"metadata":{"labels":{"waf-sidecar":"enabled"},"annotations":{"sidecar.waf.io/mode":"blok"}},)"
      R"("spec":{"containers":[{"name":"app"}]}}}})";
  const auto wire = encode_admission_review(respond(body, default_injector_config()));
  CHECK(wire == R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u-2","allowed":false,)"
                R"("status":{"code":403,"reason":"Forbidden","message":"waf sidecar injection: sidecar.waf.io/mode: 'blok' )"
                R"(is not one of off, monitoring, safe_blocking, block"}}})");
}

TEST_CASE("injection: re-running on the patched Pod injects nothing") {
  AdmissionRequest request;
  request.uid = "u";
  request.kind = "Pod";
  request.operation = "CREATE";
  request.namespace_ = "default";
  request.has_object = true;
  request.pod.labels = {{"waf-sidecar", "enabled"}};
  request.pod.containers = {{"app", {{"http", 8080}}}};
  const auto config = default_injector_config();
  auto first = build_injection_patch(request, config);
  REQUIRE(first.ok());
  CHECK_FALSE(first->empty());
  request.pod.annotations = {{"sidecar.waf.io/status", "injected"}};
  request.pod.has_annotations = true;
  auto second = build_injection_patch(request, config);
  REQUIRE(second.ok());
  CHECK(second->empty());
}

TEST_CASE("injection: application ports resolve annotation > port named http > first port > default") {
  Pod pod;
  auto config = default_injector_config();
  config.application_port = 81;
  CHECK(resolve_settings(pod, config)->application_ports == std::vector<std::uint16_t>{81});
  pod.containers = {{"app", {{"metrics", 9100}, {"web", 8081}}}, {"side", {{"http", 8080}}}};
  CHECK(resolve_settings(pod, config)->application_ports == std::vector<std::uint16_t>{8080});
  pod.containers[1].ports[0].name = "other";
  CHECK(resolve_settings(pod, config)->application_ports == std::vector<std::uint16_t>{9100});
  pod.annotations = {{"sidecar.waf.io/application-port", "8081, 8080,8081"}};
  CHECK(resolve_settings(pod, config)->application_ports == std::vector<std::uint16_t>{8081, 8080});
}

TEST_CASE("injection: the app a Pod reports as comes from its labels, else its name without hashes") {
  Pod pod;
  pod.generate_name = "shop-7d9f8c6b5d-";
  pod.labels = {{"pod-template-hash", "7d9f8c6b5d"}};
  CHECK(app_name(pod) == "shop");
  pod.generate_name.clear();
  pod.name = "batch-import";
  CHECK(app_name(pod) == "batch-import");
  pod.labels.emplace_back("app", "legacy");
  CHECK(app_name(pod) == "legacy");
  pod.labels.emplace_back("app.kubernetes.io/name", "checkout");
  CHECK(app_name(pod) == "checkout");
}

TEST_CASE("injection: every annotation rejects a bad value and names itself") {
  const std::pair<const char*, const char*> bad[] = {
      {"mode", "blok"},          {"application-port", "0"},  {"application-port", "80,x"},
      {"iptables-enable", "yes"}, {"exclude-inbound-ports", "70000"}, {"proxy-cpu", "lots"},
      {"proxy-memory", "1.2.3Mi"}, {"proxy-cpu-limit", "m"},  {"proxy-memory-limit", "12XB"},
      {"log-level", "trace"},     {"policy", "Bad_Name"},     {"native-sidecar", "1"},
      {"moed", "block"}};
  for (const auto& entry : bad) {
    Pod pod;
    const std::string key = std::string("sidecar.waf.io/") + entry.first;
    const std::string value = entry.second;
    pod.annotations = {{key, value}};
    auto s = resolve_settings(pod, default_injector_config());
    INFO(key << "=" << value);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.starts_with(key + ":"));
  }
}

TEST_CASE("config: quantities as the API server accepts them") {
  for (auto q : {"100m", "0.5", "1", "128Mi", "1Gi", "1e3", "2E-2", "+1k", ".5"}) CHECK_MESSAGE(is_quantity(q), q);
  for (auto q : {"", "m", "1.2.3", "12XB", "1e", "Mi", "1 Mi"}) CHECK_FALSE_MESSAGE(is_quantity(q), q);
}

TEST_CASE("config: JSON keys override defaults, unknown keys and bad values are named") {
  auto c = parse_injector_config(R"({"mode":"block","proxy":{"port":8100,"cpuLimit":"1"},"excludedNamespaces":["x"]})");
  REQUIRE(c.ok());
  CHECK(c->mode == "block");
  CHECK(c->proxy.port == 8100);
  CHECK(c->proxy.cpu_limit == "1");
  CHECK(c->proxy.memory == "64Mi");
  CHECK(c->excluded_namespaces == std::vector<std::string>{"x"});
  CHECK(parse_injector_config(R"({"proxy":{"prot":1}})").error().message == "proxy.prot: unknown key");
  CHECK(parse_injector_config(R"({"proxy":{"port":70000}})").error().message.starts_with("proxy.port:"));
  CHECK(parse_injector_config(R"({"mode":"blok"})").error().message.starts_with("mode:"));
  CHECK(parse_injector_config(R"({"onInvalid":"allow"})")->on_invalid_allow);
  CHECK_FALSE(parse_injector_config("{").ok());
}

TEST_CASE("config: built-in defaults equal the chart's values.yaml") {
  // The chart is the documented source of the defaults; the binary must agree with it.
  const auto values = read_file(fs::path(WAF_SOURCE_DIR) / "chart" / "values.yaml");
  const auto c = default_injector_config();
  for (const auto& expected : {"mode: " + c.mode, "annotationPrefix: " + c.annotation_prefix,
                               "applicationPort: " + std::to_string(c.application_port),
                               "port: " + std::to_string(c.proxy.port), "adminPort: " + std::to_string(c.proxy.admin_port),
                               "cpu: " + c.proxy.cpu, "memory: " + c.proxy.memory,
                               "memory: " + c.proxy.memory_limit, "runAsUser: " + std::to_string(c.proxy.run_as_user),
                               std::string("onInvalid: deny"), std::string("iptables: true")}) {
    CHECK_MESSAGE(has_line(values, expected), expected);
  }
}
