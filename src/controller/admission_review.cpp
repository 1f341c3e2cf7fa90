#include "controller/admission_review.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "common/json_writer.hpp"

namespace waf::controller {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Reads an optional string member: absent or null is "", any other type is an error.
Result<std::string> optional_string(const object& obj, std::string_view key, std::string_view where) {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS || e.is_null()) return std::string();
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) return make_error(fmt::format("{}.{} is not a string", where, key));
  return std::string(s);
}

Result<std::vector<std::pair<std::string, std::string>>> string_map(const element& e, std::string_view where) {
  std::vector<std::pair<std::string, std::string>> out;
  object obj;
  if (e.get(obj) != simdjson::SUCCESS) return make_error(fmt::format("{} is not an object", where));
  for (auto field : obj) {
    std::string_view value;
    if (field.value.get(value) != simdjson::SUCCESS) {
      return make_error(fmt::format("{}.{} is not a string", where, std::string_view(field.key)));
    }
    out.emplace_back(std::string(field.key), std::string(value));
  }
  return out;
}

Result<std::vector<Container>> containers(const element& e, std::string_view where) {
  std::vector<Container> out;
  array items;
  if (e.get(items) != simdjson::SUCCESS) return make_error(fmt::format("{} is not an array", where));
  for (element item : items) {
    object obj;
    if (item.get(obj) != simdjson::SUCCESS) return make_error(fmt::format("{}[] is not an object", where));
    Container c;
    auto name = optional_string(obj, "name", where);
    if (!name) return name.error();
    c.name = std::move(*name);
    array ports;
    if (obj["ports"].get(ports) == simdjson::SUCCESS) {
      for (element p : ports) {
        object port;
        if (p.get(port) != simdjson::SUCCESS) return make_error(fmt::format("{}.ports[] is not an object", where));
        ContainerPort cp;
        auto port_name = optional_string(port, "name", where);
        if (!port_name) return port_name.error();
        cp.name = std::move(*port_name);
        if (port["containerPort"].get(cp.container_port) != simdjson::SUCCESS) {
          return make_error(fmt::format("{}.ports[].containerPort is not an integer", where));
        }
        c.ports.push_back(std::move(cp));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<Pod> decode_pod(const object& pod_obj) {
  Pod pod;
  object meta;
  if (pod_obj["metadata"].get(meta) == simdjson::SUCCESS) {
    for (auto [key, target] : {std::pair{"name", &pod.name}, std::pair{"generateName", &pod.generate_name},
                               std::pair{"namespace", &pod.namespace_}}) {
      auto s = optional_string(meta, key, "object.metadata");
      if (!s) return s.error();
      *target = std::move(*s);
    }
    element e;
    if (meta["labels"].get(e) == simdjson::SUCCESS && !e.is_null()) {
      auto labels = string_map(e, "object.metadata.labels");
      if (!labels) return labels.error();
      pod.labels = std::move(*labels);
    }
    if (meta["annotations"].get(e) == simdjson::SUCCESS && !e.is_null()) {
      auto annotations = string_map(e, "object.metadata.annotations");
      if (!annotations) return annotations.error();
      pod.annotations = std::move(*annotations);
      pod.has_annotations = true;
    }
  }
  object spec;
  if (pod_obj["spec"].get(spec) != simdjson::SUCCESS) return make_error("object.spec is missing");
  element e;
  if (spec["containers"].get(e) != simdjson::SUCCESS) return make_error("object.spec.containers is missing");
  auto main = containers(e, "object.spec.containers");
  if (!main) return main.error();
  pod.containers = std::move(*main);
  if (spec["initContainers"].get(e) == simdjson::SUCCESS && !e.is_null()) {
    auto init = containers(e, "object.spec.initContainers");
    if (!init) return init.error();
    pod.init_containers = std::move(*init);
    pod.has_init_containers = true;
  }
  array volumes;
  if (spec["volumes"].get(volumes) == simdjson::SUCCESS) {
    pod.has_volumes = true;
    for (element v : volumes) {
      std::string_view name;
      if (v["name"].get(name) == simdjson::SUCCESS) pod.volume_names.emplace_back(name);
    }
  }
  return pod;
}

const std::string* find(const std::vector<std::pair<std::string, std::string>>& kv, std::string_view key) {
  for (const auto& [k, v] : kv) {
    if (k == key) return &v;
  }
  return nullptr;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += {kBase64[(n >> 18) & 63], kBase64[(n >> 12) & 63], kBase64[(n >> 6) & 63], kBase64[n & 63]};
  }
  if (i + 1 == in.size()) {
    const auto n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
    out += {kBase64[(n >> 18) & 63], kBase64[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8);
    out += {kBase64[(n >> 18) & 63], kBase64[(n >> 12) & 63], kBase64[(n >> 6) & 63], '='};
  }
  return out;
}

std::string_view reason_for(int code) {
  switch (code) {
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 413: return "RequestEntityTooLarge";
    default: return "InternalError";
  }
}

// The response object's fields before the patch, shared by the wire and the golden rendering.
void response_head(json::ObjectWriter& w, const AdmissionResponse& r) {
  w.field("uid", r.uid).field("allowed", r.allowed);
  if (!r.allowed || r.code != 200 || !r.message.empty()) {
    std::string status;
    json::ObjectWriter s(status);
    s.field("code", r.code);
    if (!r.allowed) s.field("reason", reason_for(r.code));
    if (!r.message.empty()) s.field("message", r.message);
    s.close();
    w.raw("status", status);
  }
  if (!r.warnings.empty()) {
    std::string warnings = "[";
    for (std::size_t i = 0; i < r.warnings.size(); ++i) {
      if (i > 0) warnings.push_back(',');
      json::append_string(warnings, r.warnings[i]);
    }
    warnings.push_back(']');
    w.raw("warnings", warnings);
  }
}

}  // namespace

const std::string* Pod::label(std::string_view key) const { return find(labels, key); }
const std::string* Pod::annotation(std::string_view key) const { return find(annotations, key); }

Result<AdmissionRequest> decode_admission_review(std::string_view body, std::string& uid) {
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(simdjson::padded_string(body)).get(doc) != simdjson::SUCCESS) {
    return make_error("the body is not valid JSON");
  }
  object review;
  if (doc.get(review) != simdjson::SUCCESS) return make_error("the body is not a JSON object");
  std::string_view api_version, kind;
  if (review["apiVersion"].get(api_version) != simdjson::SUCCESS || api_version != "admission.k8s.io/v1" ||
      review["kind"].get(kind) != simdjson::SUCCESS || kind != "AdmissionReview") {
    return make_error("expected an admission.k8s.io/v1 AdmissionReview");
  }
  object req;
  if (review["request"].get(req) != simdjson::SUCCESS) return make_error("request is missing");
  std::string_view uid_view;
  if (req["uid"].get(uid_view) != simdjson::SUCCESS || uid_view.empty()) return make_error("request.uid is missing");
  uid = std::string(uid_view);

  AdmissionRequest out;
  out.uid = uid;
  object kind_obj;
  if (req["kind"].get(kind_obj) == simdjson::SUCCESS) {
    auto k = optional_string(kind_obj, "kind", "request.kind");
    if (!k) return k.error();
    out.kind = std::move(*k);
  }
  for (auto [key, target] : {std::pair{"operation", &out.operation}, std::pair{"namespace", &out.namespace_},
                             std::pair{"subResource", &out.sub_resource}}) {
    auto s = optional_string(req, key, "request");
    if (!s) return s.error();
    *target = std::move(*s);
  }
  object pod_obj;
  if (req["object"].get(pod_obj) == simdjson::SUCCESS && out.kind == "Pod") {
    auto pod = decode_pod(pod_obj);
    if (!pod) return pod.error();
    out.pod = std::move(*pod);
    out.has_object = true;
  }
  return out;
}

std::string json_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string render_patch(const JsonPatch& patch) {
  std::string out = "[";
  for (std::size_t i = 0; i < patch.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += R"({"op":)";
    json::append_string(out, patch[i].op);
    out += R"(,"path":)";
    json::append_string(out, patch[i].path);
    out += R"(,"value":)";
    patch[i].value.dump_to(out);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

AdmissionResponse allowed(std::string message) {
  AdmissionResponse r;
  r.message = std::move(message);
  return r;
}

AdmissionResponse denied(std::string message) {
  AdmissionResponse r;
  r.allowed = false;
  r.code = 403;
  r.message = std::move(message);
  return r;
}

AdmissionResponse patched(JsonPatch ops) {
  AdmissionResponse r;
  r.patch = std::move(ops);
  return r;
}

AdmissionResponse errored(int code, std::string message) {
  AdmissionResponse r;
  r.allowed = false;
  r.code = code;
  r.message = std::move(message);
  return r;
}

AdmissionResponse complete(AdmissionResponse response, std::string_view uid) {
  response.uid = std::string(uid);
  return response;
}

std::string encode_admission_review(const AdmissionResponse& response) {
  std::string body;
  std::string resp;
  json::ObjectWriter w(resp);
  response_head(w, response);
  if (!response.patch.empty()) {
    w.field("patchType", "JSONPatch").field("patch", base64(render_patch(response.patch)));
  }
  w.close();
  json::ObjectWriter review(body);
  review.field("apiVersion", "admission.k8s.io/v1").field("kind", "AdmissionReview").raw("response", resp);
  review.close();
  return body;
}

std::string describe_response(const AdmissionResponse& response) {
  std::string out;
  json::ObjectWriter w(out);
  response_head(w, response);
  if (!response.patch.empty()) {
    auto ops = JsonValue::array();
    for (const auto& op : response.patch) {
      auto o = JsonValue::object();
      o.set("op", op.op).set("path", op.path).set("value", op.value);
      ops.push(std::move(o));
    }
    std::string rendered;
    ops.dump_pretty_to(rendered, 0);
    w.raw("patch", rendered);
  }
  w.close();
  out.push_back('\n');
  return out;
}

}  // namespace waf::controller
