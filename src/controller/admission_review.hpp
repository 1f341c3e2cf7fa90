#pragma once
// admission.k8s.io/v1 AdmissionReview: the request fields the injector reads, and the response
// constructors (one per outcome, as controller-runtime's response.go) with one complete() that
// fills in the UID. Decoding uses simdjson in its error-code form: a bad body is a Result, never a
// throw.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "controller/json_value.hpp"

namespace waf::controller {

struct ContainerPort {
  std::string name;
  std::int64_t container_port = 0;
};

struct Container {
  std::string name;
  std::vector<ContainerPort> ports;
};

// Only what injection depends on; the rest of the Pod is never re-serialised, so fields this
// struct does not know survive untouched (the patch only adds).
struct Pod {
  std::string name, generate_name, namespace_;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::string, std::string>> annotations;
  bool has_annotations = false;  // metadata.annotations present (JSON Patch "add" needs the parent)
  bool has_init_containers = false;
  bool has_volumes = false;
  std::vector<Container> containers;
  std::vector<Container> init_containers;
  std::vector<std::string> volume_names;

  const std::string* label(std::string_view key) const;
  const std::string* annotation(std::string_view key) const;
};

struct AdmissionRequest {
  std::string uid;
  std::string kind;       // request.kind.kind, "Pod" for us
  std::string operation;  // CREATE, UPDATE, ...
  std::string namespace_;
  std::string sub_resource;
  bool has_object = false;
  Pod pod;
};

// Decodes an AdmissionReview body. `uid` is set as soon as it is read, so a review that fails
// later can still be answered with its UID.
Result<AdmissionRequest> decode_admission_review(std::string_view body, std::string& uid);

struct PatchOp {
  std::string op;  // "add" or "replace": the injector never removes anything
  std::string path;
  JsonValue value;
};
using JsonPatch = std::vector<PatchOp>;
// Escapes one JSON Pointer token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string json_pointer_token(std::string_view token);
std::string render_patch(const JsonPatch& patch);

struct AdmissionResponse {
  std::string uid;
  bool allowed = true;
  int code = 200;
  std::string message;
  JsonPatch patch;
  std::vector<std::string> warnings;

  AdmissionResponse& with_warning(std::string warning) {
    warnings.push_back(std::move(warning));
    return *this;
  }
};

AdmissionResponse allowed(std::string message = {});
AdmissionResponse denied(std::string message);
AdmissionResponse patched(JsonPatch ops);
// For a review that could not be handled (bad body, internal error): code 400, 413, 500.
AdmissionResponse errored(int code, std::string message);
// The one place that ties a response to its request.
AdmissionResponse complete(AdmissionResponse response, std::string_view uid);

// The AdmissionReview the API server reads (patch base64-encoded, as the API requires).
std::string encode_admission_review(const AdmissionResponse& response);
// A readable rendering for golden files: the response with the patch as an indented array.
std::string describe_response(const AdmissionResponse& response);

}  // namespace waf::controller
