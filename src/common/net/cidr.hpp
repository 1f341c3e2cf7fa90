#pragma once
// CIDR lists for trusted proxies and IP allow/deny lists: IPv4 and IPv6, with IPv4-mapped IPv6
// addresses (::ffff:a.b.c.d, what a dual-stack socket reports) matched against IPv4 ranges.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace waf::net {

struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 stored as IPv4-mapped IPv6
  static Result<IpAddress> parse(std::string_view text);
};

struct Cidr {
  IpAddress base;
  unsigned prefix_bits = 128;  // in the IPv6 space (IPv4 /24 is stored as /120)
  static Result<Cidr> parse(std::string_view text);  // "10.0.0.0/8", "fd00::/8", "1.2.3.4"
  bool contains(const IpAddress& ip) const noexcept;
};

class CidrList {
 public:
  // Comma- or whitespace-separated CIDRs; the error names the entry at fault.
  static Result<CidrList> parse(std::string_view text);
  void add(const Cidr& c) { entries_.push_back(c); }
  bool contains(const IpAddress& ip) const noexcept;
  bool contains(std::string_view ip_text) const noexcept;
  bool empty() const noexcept { return entries_.empty(); }
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  std::vector<Cidr> entries_;
};

}  // namespace waf::net
