#pragma once
// The webhook's request handler: HTTP body -> AdmissionReview -> admit() -> HTTP response, with
// the admission metrics. Bad bodies become a well-formed AdmissionReview error, never a throw.
#include <memory>
#include <string_view>

#include "controller/controller_metrics.hpp"
#include "controller/injector_config.hpp"
#include "http/http_message.hpp"

namespace waf::controller {

class Webhook {
 public:
  Webhook(std::shared_ptr<const InjectorConfig> config, ControllerMetrics& metrics)
      : config_(std::move(config)), metrics_(metrics) {}

  // Swapped by the config reloader; reviews after the swap use the new config.
  void set_config(std::shared_ptr<const InjectorConfig> config) { config_ = std::move(config); }

  http::HttpResponse handle(const http::HttpRequest& request) noexcept;
  // The answer to a request that could not be read (the UID is unknown then).
  http::HttpResponse error(int status, std::string_view message) noexcept;

 private:
  std::shared_ptr<const InjectorConfig> config_;
  ControllerMetrics& metrics_;
};

}  // namespace waf::controller
