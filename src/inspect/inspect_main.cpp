#include "common/options.hpp"
#include "roles.hpp"

namespace waf::inspect {

int run(int argc, const char* const* argv) {
  CLI::App app{"Runs the detection engine on raw HTTP requests and prints one JSON verdict per request", argv[0]};
  options::CommonOptions common;
  std::string policy;
  std::vector<std::string> inputs;
  app.add_option("--policy", policy, "Policy file (JSON)")->check(CLI::ExistingFile);
  app.add_option("inputs", inputs, "Files or directories of raw HTTP requests (default: stdin)");
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;
  return options::not_built_yet(app);
}

}  // namespace waf::inspect
