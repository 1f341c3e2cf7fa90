#pragma once
// Every metric of `waf controller`, registered in one place. Labels come from fixed enums.
#include "common/metrics.hpp"

namespace waf::controller {

struct ControllerMetrics {
  explicit ControllerMetrics(metrics::Registry& r)
      : injected(admissions(r, "injected")),
        skipped(admissions(r, "skipped")),
        denied(admissions(r, "denied")),
        unprotected(admissions(r, "unprotected")),
        errored(admissions(r, "error")),
        duration(r.histogram("waf_controller_admission_duration_seconds",
                             "Time to decode, decide and encode one AdmissionReview",
                             {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1})),
        cert_reloads_ok(reloads(r, "certificate", "ok")),
        cert_reloads_failed(reloads(r, "certificate", "failed")),
        config_reloads_ok(reloads(r, "config", "ok")),
        config_reloads_failed(reloads(r, "config", "failed")) {}

  metrics::Counter &injected, &skipped, &denied, &unprotected, &errored;
  metrics::Histogram& duration;
  metrics::Counter &cert_reloads_ok, &cert_reloads_failed, &config_reloads_ok, &config_reloads_failed;

 private:
  static metrics::Counter& admissions(metrics::Registry& r, const char* result) {
    return r.counter("waf_controller_admissions_total",
                     "AdmissionReviews answered, by result: injected, skipped (left untouched), denied "
                     "(invalid settings), unprotected (invalid settings admitted with a warning), error",
                     std::string("result=\"") + result + "\"");
  }
  static metrics::Counter& reloads(metrics::Registry& r, const char* kind, const char* result) {
    return r.counter("waf_controller_reloads_total", "Reloads of the webhook certificate and the injector config",
                     std::string("kind=\"") + kind + "\",result=\"" + result + "\"");
  }
};

}  // namespace waf::controller
