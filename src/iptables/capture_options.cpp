#include "iptables/capture_options.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace waf::iptables {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool contains(const std::vector<Port>& ports, Port port) {
  return std::find(ports.begin(), ports.end(), port) != ports.end();
}

std::string quote(std::string_view s) {
  std::string out(1, '\'');
  out.append(s).push_back('\'');
  return out;
}

}  // namespace

Result<std::vector<Port>> parse_port_list(std::string_view text, std::string_view flag) {
  std::vector<Port> ports;
  if (trim(text).empty()) return ports;
  const std::string name(flag);
  while (true) {
    const auto comma = text.find(',');
    const auto entry = trim(text.substr(0, comma));
    unsigned value = 0;
    const auto* end = entry.data() + entry.size();
    const auto [ptr, ec] = std::from_chars(entry.data(), end, value);
    if (entry.empty()) return make_error(name + ": empty entry in the port list");
    if (ec != std::errc{} || ptr != end || value < 1 || value > 65535) {
      return make_error(name + ": " + quote(entry) + " is not a port (1..65535)");
    }
    const auto port = static_cast<Port>(value);
    if (contains(ports, port)) return make_error(name + ": port " + std::to_string(port) + " is listed twice");
    ports.push_back(port);
    if (comma == std::string_view::npos) return ports;
    text.remove_prefix(comma + 1);
  }
}

Status parse_application_ports(std::string_view text, CaptureOptions& out) {
  if (trim(text) == "*") {
    out.all_application_ports = true;
    out.application_ports.clear();
    return Ok{};
  }
  auto ports = parse_port_list(text, "--application-ports");
  if (!ports) return ports.error();
  out.all_application_ports = false;
  out.application_ports = std::move(*ports);
  return Ok{};
}

Status validate(const CaptureOptions& options) {
  const auto proxy = std::to_string(options.proxy_port);
  if (options.proxy_port == 0) return make_error("--proxy-port: 0 is not a port (1..65535)");
  if (!options.all_application_ports && options.application_ports.empty()) {
    return make_error("--application-ports: empty; list the ports to protect (8080,8443) or '*' for all");
  }
  if (contains(options.application_ports, options.proxy_port)) {
    return make_error("--application-ports: " + proxy + " is the proxy port; redirecting it would loop");
  }
  if (options.admin_port) {
    const auto admin = std::to_string(*options.admin_port);
    if (*options.admin_port == 0) return make_error("--admin-port: 0 is not a port (1..65535)");
    if (*options.admin_port == options.proxy_port) {
      return make_error("--admin-port: " + admin + " is also the proxy port");
    }
    if (contains(options.application_ports, *options.admin_port)) {
      return make_error("--application-ports: " + admin + " is the proxy's admin port; probes must reach it directly");
    }
  }
  if (!options.all_application_ports &&
      std::all_of(options.application_ports.begin(), options.application_ports.end(),
                  [&](Port p) { return contains(options.exclude_ports, p); })) {
    return make_error("--exclude-ports: excludes every application port, nothing would be protected");
  }
  return Ok{};
}

}  // namespace waf::iptables
