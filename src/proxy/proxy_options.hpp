#pragma once
// Every option of `waf proxy`, parsed once at startup into typed values.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/net/cidr.hpp"
#include "common/net/endpoint.hpp"
#include "common/options.hpp"
#include "engine/policy/mode.hpp"

namespace waf::proxy {

struct ProxyOptions {
  net::HostPort listen{"", 8000};
  net::HostPort upstream{"127.0.0.1", 8080};
  net::HostPort admin_listen{"", 9901};
  unsigned workers = 0;  // 0: the CPUs the cgroup allows
  engine::Mode mode = engine::Mode::monitoring;
  bool mode_explicit = false;  // --mode (or WAF_MODE, or the config file) given: it beats the policy file's mode
  std::string policy_file;
  std::string postanalytics;  // "" reporting off, else HOST:PORT
  std::uint64_t report_queue = 10000;
  std::chrono::milliseconds stats_interval{10'000};
  std::chrono::milliseconds lists_interval{5'000};
  std::optional<std::uint64_t> inspect_body_limit;  // given: overrides the policy's inspect_body_limit
  std::uint64_t max_header_bytes = 32 * 1024;
  std::uint64_t max_connections = 10000;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds client_body_timeout{60'000};
  std::chrono::milliseconds upstream_connect_timeout{5'000};
  std::chrono::milliseconds upstream_response_timeout{60'000};
  std::chrono::milliseconds tunnel_idle_timeout{3'600'000};
  std::chrono::milliseconds drain_timeout{25'000};
  std::uint64_t upstream_max_idle = 32;
  net::CidrSet trusted_proxies;
  std::string access_log;  // "" off, "-" stdout, else a file path
  bool original_dst = true;  // forward a redirected connection to the port the client dialled
};

// Declares the options on `app`; `finish` converts the parsed text into `out` after parsing.
class ProxyOptionParser {
 public:
  ProxyOptionParser(CLI::App& app, options::CommonOptions& common);
  // Returns -1 to run, otherwise the exit code (errors already printed, one line naming the option).
  int parse(int argc, const char* const* argv, ProxyOptions& out);

 private:
  CLI::App& app_;
  options::CommonOptions& common_;
  std::string listen_ = ":8000", upstream_ = "127.0.0.1:8080", admin_listen_ = ":9901", mode_ = "monitoring";
  unsigned workers_ = 0;
  std::string policy_, postanalytics_;
  std::string inspect_body_limit_ = "64KiB", max_header_bytes_ = "32KiB";
  std::uint64_t max_connections_ = 10000, upstream_max_idle_ = 32;
  std::string header_timeout_ = "10s", idle_timeout_ = "60s", client_body_timeout_ = "60s";
  std::string upstream_connect_timeout_ = "5s", upstream_response_timeout_ = "60s";
  std::string tunnel_idle_timeout_ = "1h", drain_timeout_ = "25s";
  std::uint64_t report_queue_ = 10000;
  std::string stats_interval_ = "10s", lists_interval_ = "5s";
  std::string trusted_proxies_, access_log_;
  bool original_dst_ = true;
};

}  // namespace waf::proxy
