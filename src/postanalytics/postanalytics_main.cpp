#include "common/options.hpp"
#include "roles.hpp"

namespace waf::postanalytics {

int run(int argc, const char* const* argv) {
  CLI::App app{"Collects attack events from every proxy, detects behavioural attacks, serves the console", argv[0]};
  options::CommonOptions common;
  std::string listen = ":7000", http_listen = ":8080", memory = "256MiB", data_dir, token_file;
  app.add_option("--listen", listen, "Ingest address for proxies")->check(options::kHostPort)->capture_default_str();
  app.add_option("--http-listen", http_listen, "API and console address")->check(options::kHostPort)->capture_default_str();
  app.add_option("--memory", memory, "Memory budget for stored events")->check(options::kByteSize)->capture_default_str();
  app.add_option("--data-dir", data_dir, "Directory for the append-only event log");
  app.add_option("--token-file", token_file, "File holding the API bearer token");
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;
  return options::not_built_yet(app);
}

}  // namespace waf::postanalytics
