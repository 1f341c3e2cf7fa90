#include "controller/webhook.hpp"

#include <chrono>

#include "common/log.hpp"
#include "controller/admission_review.hpp"
#include "controller/injection_patch.hpp"

namespace waf::controller {

http::HttpResponse Webhook::handle(const http::HttpRequest& request) noexcept {
  const auto start = std::chrono::steady_clock::now();
  http::HttpResponse http;
  if (request.method != "POST") {
    http.status = 405;
    http.body = encode_admission_review(errored(405, "POST an admission.k8s.io/v1 AdmissionReview"));
    metrics_.errored.inc();
    return http;
  }
  std::string uid;
  auto review = decode_admission_review(request.body, uid);
  AdmissionResponse response;
  if (!review) {
    response = complete(errored(400, review.error().message), uid);
    metrics_.errored.inc();
    log::warn("admission_review_invalid", {{"uid", uid}, {"error", review.error().message}});
  } else {
    response = admit(*review, *config_);
    const auto& pod = review->pod;
    const auto& name = pod.name.empty() ? pod.generate_name : pod.name;
    if (!response.allowed) {
      metrics_.denied.inc();
      log::info("pod_denied", {{"uid", uid}, {"namespace", review->namespace_}, {"pod", name}, {"reason", response.message}});
    } else if (!response.patch.empty()) {
      metrics_.injected.inc();
      log::info("pod_injected", {{"uid", uid}, {"namespace", review->namespace_}, {"pod", name}});
    } else if (!response.warnings.empty()) {
      metrics_.unprotected.inc();
      log::warn("pod_admitted_unprotected", {{"uid", uid}, {"namespace", review->namespace_}, {"pod", name},
                                             {"reason", response.warnings.front()}});
    } else {
      metrics_.skipped.inc();
      log::debug("pod_skipped", {{"uid", uid}, {"namespace", review->namespace_}, {"pod", name},
                                 {"reason", skip_reason(*review, *config_)}});
    }
  }
  http.body = encode_admission_review(response);
  metrics_.duration.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return http;
}

http::HttpResponse Webhook::error(int status, std::string_view message) noexcept {
  metrics_.errored.inc();
  log::warn("admission_request_unreadable", {{"status", status}, {"error", message}});
  http::HttpResponse http;
  http.status = status;
  http.body = encode_admission_review(errored(status, std::string(message)));
  return http;
}

}  // namespace waf::controller
