// Role dispatch only: `waf <role> ...` or a symlink named `waf-<role>`.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "build_info.hpp"
#include "common/log.hpp"
#include "roles.hpp"

namespace {

struct Role {
  std::string_view name;
  std::string_view summary;
  int (*run)(int, const char* const*);
};

constexpr Role kRoles[] = {
    {"proxy", "sidecar reverse proxy: inspects each request, blocks or forwards it to the app", waf::proxy::run},
    {"controller", "mutating admission webhook that injects the sidecar into labelled Pods", waf::controller::run},
    {"init-iptables", "init container: redirects the app's inbound ports to the proxy", waf::iptables::run},
    {"postanalytics", "collects attack events, detects behavioural attacks, serves the console", waf::postanalytics::run},
    {"inspect", "runs the engine offline on raw HTTP requests and prints verdicts as JSON", waf::inspect::run},
    {"demo-app", "a tiny HTTP app to put behind the proxy (make run, quickstarts)", waf::demo::run},
};

void print_usage(FILE* out) {
  std::fprintf(out, "waf %s: a web application firewall sidecar for Kubernetes\n\n", waf::build::kVersion);
  std::fprintf(out, "Usage: waf <role> [options]   (or run a symlink named waf-<role>)\n\nRoles:\n");
  for (const auto& r : kRoles) std::fprintf(out, "  %-14s %.*s\n", std::string(r.name).c_str(), static_cast<int>(r.summary.size()), r.summary.data());
  std::fprintf(out, "  %-14s %s\n", "version", "prints version, git commit, architecture and build type");
  std::fprintf(out, "\n'waf <role> --help' lists the options of a role. Every option is also an environment\n"
                    "variable (--upstream: WAF_UPSTREAM) and a key of the --config file.\n");
}

int print_version() {
  std::printf("waf %s\ncommit: %s\narch: %s\nbuild: %s%s\n", waf::build::kVersion, waf::build::kGitCommit,
              waf::build::kArch, waf::build::kBuildType, waf::build::kSanitized ? " (asan+ubsan)" : "");
  return 0;
}

int run_role(const Role& role, int argc, const char* const* argv) {
  // The role's own argv: argv[0] names the role so CLI11's messages say "waf proxy: ...".
  const std::string program = "waf " + std::string(role.name);
  std::vector<const char*> args{program.c_str()};
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  waf::log::set_role(role.name);
  return role.run(static_cast<int>(args.size()), args.data());
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view self = argv[0];
  if (const auto slash = self.rfind('/'); slash != std::string_view::npos) self.remove_prefix(slash + 1);
  if (self.starts_with("waf-")) {
    const auto name = self.substr(4);
    for (const auto& r : kRoles) {
      if (r.name == name) return run_role(r, argc, argv);
    }
    if (name == "version") return print_version();
    std::fprintf(stderr, "waf: unknown role '%.*s' from program name '%s'\n", static_cast<int>(name.size()), name.data(), argv[0]);
    return 2;
  }
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    print_usage(stdout);
    return 0;
  }
  if (cmd == "version" || cmd == "--version") return print_version();
  for (const auto& r : kRoles) {
    if (r.name == cmd) return run_role(r, argc - 1, argv + 1);
  }
  std::fprintf(stderr, "waf: unknown role '%s' (see 'waf --help')\n", argv[1]);
  return 2;
}
