#include "common/options.hpp"
#include "roles.hpp"

namespace waf::iptables {

int run(int argc, const char* const* argv) {
  CLI::App app{"Redirects inbound TCP for the application ports to the proxy port", argv[0]};
  options::CommonOptions common;
  int proxy_port = 8000;
  std::string application_ports, exclude_ports;
  bool dry_run = false, cleanup = false;
  app.add_option("--proxy-port", proxy_port, "Port the proxy listens on")->check(CLI::Range(1, 65535))->capture_default_str();
  app.add_option("--application-ports", application_ports, "Comma-separated application ports");
  app.add_option("--exclude-ports", exclude_ports, "Comma-separated inbound ports never redirected");
  app.add_flag("--dry-run", dry_run, "Print the rule plan and change nothing");
  app.add_flag("--cleanup", cleanup, "Remove exactly the rules a previous run added");
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;
  return options::not_built_yet(app);
}

}  // namespace waf::iptables
