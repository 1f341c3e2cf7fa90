#pragma once
// IP lists in CIDR notation (trusted proxies, policy allow/deny/grey lists), IPv4 and IPv6 in one representation: an IPv4 address is kept as its
// IPv4-mapped IPv6 form (::ffff:a.b.c.d) and an IPv4 prefix /n as /(96+n), so that a client seen
// as ::ffff:10.1.2.3 on a dual-stack socket matches "10.0.0.0/8".
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace waf::net {

using IpAddress = std::array<std::uint8_t, 16>;

// Parses "10.1.2.3", "2001:db8::1", "[2001:db8::1]" and "fe80::1%eth0"; nullopt otherwise.
std::optional<IpAddress> parse_ip(std::string_view text) noexcept;

class CidrSet {
 public:
  // Adds "10.0.0.0/8", "2001:db8::/32" or a single address; the error names the problem.
  Status add(std::string_view cidr);
  bool contains(const IpAddress& ip) const noexcept;
  bool contains(std::string_view ip_text) const noexcept;
  bool empty() const noexcept { return ranges_.empty(); }
  std::size_t size() const noexcept { return ranges_.size(); }
  // A comma- or space-separated list ("10.0.0.0/8, fd00::/8"); the error names the entry at fault.
  static Result<CidrSet> parse_list(std::string_view text);

 private:
  struct Range {
    IpAddress network;
    unsigned prefix;  // 0..128, in the IPv6 space
  };
  std::vector<Range> ranges_;
};

}  // namespace waf::net
