#include "common/options.hpp"
#include "roles.hpp"

namespace waf::controller {

int run(int argc, const char* const* argv) {
  CLI::App app{"Mutating admission webhook that injects the waf sidecar into labelled Pods", argv[0]};
  options::CommonOptions common;
  std::string listen = ":8443", admin_listen = ":9090", tls_cert, tls_key;
  app.add_option("--listen", listen, "HTTPS webhook address")->check(options::kHostPort)->capture_default_str();
  app.add_option("--admin-listen", admin_listen, "Health and metrics address")->check(options::kHostPort)->capture_default_str();
  app.add_option("--tls-cert", tls_cert, "Webhook certificate (PEM)");
  app.add_option("--tls-key", tls_key, "Webhook private key (PEM)");
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;
  return options::not_built_yet(app);
}

}  // namespace waf::controller
