// `waf init-iptables`: the init container that makes inbound TCP for the application ports reach
// the proxy. Options -> plan_rules -> render (--dry-run prints it) -> apply through the programs of
// the node's iptables back end.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "common/log.hpp"
#include "common/options.hpp"
#include "iptables/apply.hpp"
#include "iptables/capture_options.hpp"
#include "iptables/render.hpp"
#include "iptables/rule_plan.hpp"
#include "roles.hpp"

namespace waf::iptables {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr unsigned kCapNetAdmin = 12;  // linux/capability.h

// Whether this process holds CAP_NET_ADMIN, from /proc/self/status; nullopt when unreadable.
// Checked up front so the error names the missing capability rather than an iptables symptom.
std::optional<bool> has_net_admin() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    try {
      const auto caps = std::stoull(line.substr(7), nullptr, 16);
      return ((caps >> kCapNetAdmin) & 1U) != 0;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// A kernel booted with ipv6.disable=1 (or built without IPv6) has no if_inet6 in any netns, and
// ip6tables would fail there; /proc/net is the reading process's own network namespace.
bool ipv6_available() { return std::ifstream("/proc/net/if_inet6").good(); }

// iptables-legacy takes a lock file (/run/xtables.lock) and exits when it cannot create it, which
// is the case in our read-only root file system. The lock only serializes iptables programs that
// share this mount namespace (nobody but us in an init container), so any writable place will do;
// /dev/shm is a tmpfs in every container. XTABLES_LOCKFILE is iptables' own override (>= 1.8.5).
void ensure_xtables_lock_file() {
  if (std::getenv("XTABLES_LOCKFILE") != nullptr) return;
  const char* const candidates[] = {"/run/xtables.lock", "/dev/shm/xtables.lock", "/tmp/xtables.lock"};
  for (const char* path : candidates) {
    const int fd = ::open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) continue;
    ::close(fd);
    if (path != candidates[0]) {
      ::setenv("XTABLES_LOCKFILE", path, 1);
      log::info("xtables_lock_moved", {{"path", path}, {"reason", "/run is not writable"}});
    }
    return;
  }
}

int usage_error(const CLI::App& app, const Error& error) {
  std::cerr << app.get_name() << ": " << error.message << "\n";
  return kExitUsage;
}

int fail(const Error& error) {
  log::error("capture_failed", {{"error", error.message}});
  return kExitFailure;
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{"Redirects inbound TCP for the application ports to the proxy port", argv[0]};
  options::CommonOptions common;
  int proxy_port = 8000;  // the proxy's default --listen port
  int admin_port = 0;
  std::string application_ports, exclude_ports, ipv6 = "auto", backend_name_opt = "auto";
  bool dry_run = false, cleanup = false;
  app.add_option("--proxy-port", proxy_port, "Port the proxy listens on")->check(CLI::Range(1, 65535))->capture_default_str();
  app.add_option("--application-ports", application_ports, "Comma-separated application ports, or '*' for all inbound TCP");
  app.add_option("--exclude-ports", exclude_ports, "Comma-separated inbound ports never redirected");
  app.add_option("--admin-port", admin_port, "The proxy's admin (health, metrics) port, never redirected")->check(CLI::Range(1, 65535));
  app.add_option("--ipv6", ipv6, "Capture IPv6 too: auto (when the network namespace has IPv6), on, off")
      ->check(CLI::IsMember({"auto", "on", "off"}))->capture_default_str();
  app.add_option("--backend", backend_name_opt, "iptables back end: auto (detect, as kube-proxy does), nft, legacy")
      ->check(CLI::IsMember({"auto", "nft", "legacy"}))->capture_default_str();
  app.add_flag("--dry-run", dry_run, "Print the rules (iptables-restore input) and change nothing");
  app.add_flag("--cleanup", cleanup, "Remove exactly the rules a previous run added");
  options::add_common_options(app, common);
  if (const int rc = options::parse(app, common, argc, argv); rc >= 0) return rc;

  CaptureOptions capture;
  capture.proxy_port = static_cast<Port>(proxy_port);
  if (admin_port != 0) capture.admin_port = static_cast<Port>(admin_port);
  if (auto s = parse_application_ports(application_ports, capture); !s) return usage_error(app, s.error());
  auto excluded = parse_port_list(exclude_ports, "--exclude-ports");
  if (!excluded) return usage_error(app, excluded.error());
  capture.exclude_ports = std::move(*excluded);
  // --cleanup only needs the chain and hook names, so it works without the original port list.
  if (!cleanup) {
    if (auto s = validate(capture); !s) return usage_error(app, s.error());
  }
  capture.ipv6 = ipv6 == "on" || (ipv6 == "auto" && ipv6_available());
  if (ipv6 == "auto" && !capture.ipv6) {
    log::info("ipv6_skipped", {{"reason", "no IPv6 in this network namespace (/proc/net/if_inet6 is missing)"}});
  }

  const RulePlan plan = plan_rules(capture);
  if (dry_run) {
    std::cout << (cleanup ? render_cleanup(plan) : render(plan));
    return 0;
  }
  if (has_net_admin() == false) {
    return fail(make_error("missing the NET_ADMIN capability: cannot redirect traffic to the proxy, refusing to let "
                           "the Pod start unprotected (add NET_ADMIN and NET_RAW to the init container)"));
  }

  ProcessExecutor executor;
  Backend backend = backend_name_opt == "legacy" ? Backend::legacy : Backend::nft;
  if (backend_name_opt == "auto") {
    auto detected = detect_backend(executor);
    if (!detected) return fail(detected.error());
    backend = *detected;
  }
  if (backend == Backend::legacy) ensure_xtables_lock_file();
  auto changes = cleanup ? remove(plan, backend, executor) : apply(plan, backend, executor);
  if (!changes) return fail(changes.error());
  for (const auto& change : *changes) {
    const auto family = family_name(change.family);
    if (cleanup) {
      log::info("capture_removed", {{"family", family}, {"backend", backend_name(backend)}, {"chain", plan.chain},
                                    {"changed", change.changed}});
    } else {
      log::info("capture_applied", {{"family", family}, {"backend", backend_name(backend)}, {"chain", plan.chain},
                                    {"changed", change.changed}, {"proxy_port", capture.proxy_port}});
    }
  }
  return 0;
}

}  // namespace waf::iptables
