#include "common/net/endpoint.hpp"

#include <fmt/format.h>
#include <netdb.h>
#include <sched.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

namespace waf::net {

std::string HostPort::to_string() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

Result<HostPort> parse_host_port(std::string_view text) {
  HostPort out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return make_error(fmt::format("'{}' is not [IPV6]:PORT", text));
    }
    out.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return make_error(fmt::format("'{}' has no port (want HOST:PORT)", text));
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) {
      return make_error(fmt::format("'{}': write IPv6 addresses as [ADDR]:PORT", text));
    }
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return make_error(fmt::format("'{}': port '{}' is not a number from 0 to 65535", text, port_text));
  }
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

Result<std::vector<std::string>> resolve(const HostPort& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string host = endpoint.host.empty() ? "0.0.0.0" : endpoint.host;
  if (const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res); rc != 0) {
    return make_error(fmt::format("cannot resolve '{}': {}", host, gai_strerror(rc)));
  }
  std::vector<std::string> v4, v6;
  for (auto* p = res; p != nullptr; p = p->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (p->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, buf, sizeof buf);
      v4.emplace_back(buf);
    } else if (p->ai_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr, buf, sizeof buf);
      v6.emplace_back(buf);
    }
  }
  freeaddrinfo(res);
  std::vector<std::string> out;
  for (auto& a : v4) if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  for (auto& a : v6) if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  if (out.empty()) return make_error(fmt::format("'{}' resolved to no address", host));
  return out;
}

unsigned cpus_from_cgroup_v2(std::string_view cpu_max, unsigned affinity_cpus) {
  std::istringstream in{std::string(cpu_max)};
  std::string quota;
  double period = 0;
  if (!(in >> quota >> period) || quota == "max" || period <= 0) return affinity_cpus;
  const double q = std::atof(quota.c_str());
  if (q <= 0) return affinity_cpus;
  const auto cpus = static_cast<unsigned>(std::ceil(q / period));
  return std::max(1u, std::min(cpus, affinity_cpus));
}

unsigned available_cpus() {
  unsigned affinity = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) affinity = static_cast<unsigned>(std::max(1, CPU_COUNT(&set)));
  std::ifstream v2("/sys/fs/cgroup/cpu.max");
  if (v2) {
    std::string content((std::istreambuf_iterator<char>(v2)), std::istreambuf_iterator<char>());
    return cpus_from_cgroup_v2(content, affinity);
  }
  std::ifstream quota_file("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), period_file("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  long long quota = -1, period = 0;
  if (quota_file >> quota && period_file >> period && quota > 0 && period > 0) {
    return cpus_from_cgroup_v2(fmt::format("{} {}", quota, period), affinity);
  }
  return affinity;
}

}  // namespace waf::net
