#pragma once
// HOST:PORT parsing for every listen and peer address, and name resolution at startup.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace waf::net {

struct HostPort {
  std::string host;  // empty for ":8080" (all interfaces); IPv6 without brackets
  std::uint16_t port = 0;
  std::string to_string() const;
};

// "127.0.0.1:8080", "localhost:80", "[::1]:8080", ":8080". Port 0 is allowed (tests bind port 0).
Result<HostPort> parse_host_port(std::string_view text);

// Resolves through getaddrinfo: /etc/hosts, then DNS from /etc/resolv.conf. Static glibc does both
// without NSS modules (checked in a FROM scratch container). Blocking: call at startup or off the
// event loop, never on the request path. Returns numeric addresses, IPv4 first.
Result<std::vector<std::string>> resolve(const HostPort& endpoint);

// The number of CPUs this process may use: the cgroup CPU quota (v2 cpu.max, v1 cfs quota),
// rounded up, capped by the affinity mask. Containers with a CPU limit get one worker per CPU.
unsigned available_cpus();
// Pure core of available_cpus for tests: cgroup v2 "cpu.max" content and the affinity count.
unsigned cpus_from_cgroup_v2(std::string_view cpu_max, unsigned affinity_cpus);

}  // namespace waf::net
