#include "common/options.hpp"
#include "roles.hpp"

namespace waf::proxy {
int run(int argc, const char* const* argv) {
  CLI::App app{"proxy", argv[0]};
  options::CommonOptions common;
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;
  return options::not_built_yet(app);
}
}  // namespace waf::proxy
