#include "common/net/cidr.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <string>

namespace waf::net {
namespace {

std::optional<IpAddress> parse_v4(const std::string& text) {
  std::uint8_t v4[4];
  if (inet_pton(AF_INET, text.c_str(), v4) != 1) return std::nullopt;
  IpAddress ip{};
  ip[10] = ip[11] = 0xFF;
  for (std::size_t i = 0; i < 4; ++i) ip[12 + i] = v4[i];
  return ip;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) noexcept {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (const auto zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  if (text.empty() || text.size() > 45) return std::nullopt;  // longest IPv6 text form
  const std::string s(text);
  if (text.find(':') == std::string_view::npos) return parse_v4(s);
  IpAddress ip{};
  if (inet_pton(AF_INET6, s.c_str(), ip.data()) != 1) return std::nullopt;
  return ip;
}

Status CidrSet::add(std::string_view cidr) {
  const auto slash = cidr.find('/');
  const std::string_view address = cidr.substr(0, slash);
  const auto ip = parse_ip(address);
  if (!ip) return make_error("'" + std::string(cidr) + "' is not an IP address or CIDR range");
  // The prefix counts in the notation's own family: "::ffff:10.0.0.0/104" is "10.0.0.0/8".
  const bool v4 = address.find(':') == std::string_view::npos;
  const unsigned max_prefix = v4 ? 32 : 128;
  unsigned prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = cidr.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty() || prefix > max_prefix) {
      return make_error("'" + std::string(cidr) + "': prefix length must be 0.." + std::to_string(max_prefix));
    }
  }
  if (v4) prefix += 96;
  Range range{*ip, prefix};
  // Clear host bits so that "10.1.2.3/8" means 10.0.0.0/8, as ip(8) reads it.
  for (unsigned bit = prefix; bit < 128; ++bit) range.network[bit / 8] &= static_cast<std::uint8_t>(~(0x80U >> (bit % 8)));
  ranges_.push_back(range);
  return Ok{};
}

bool CidrSet::contains(std::string_view ip_text) const noexcept {
  if (ranges_.empty()) return false;
  const auto ip = parse_ip(ip_text);
  return ip && contains(*ip);
}

Result<CidrSet> CidrSet::parse_list(std::string_view text) {
  CidrSet set;
  const auto separator = [](char c) { return c == ',' || c == ' ' || c == '\t' || c == '\n'; };
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && separator(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !separator(text[j])) ++j;
    if (j > i) {
      if (auto added = set.add(text.substr(i, j - i)); !added) return added.error();
    }
    i = j;
  }
  return set;
}

bool CidrSet::contains(const IpAddress& ip) const noexcept {
  for (const auto& r : ranges_) {
    const unsigned full = r.prefix / 8;
    bool match = true;
    for (unsigned i = 0; i < full && match; ++i) match = ip[i] == r.network[i];
    if (match && r.prefix % 8 != 0) {
      const auto mask = static_cast<std::uint8_t>(0xFF00U >> (r.prefix % 8));
      match = (ip[full] & mask) == r.network[full];
    }
    if (match) return true;
  }
  return false;
}

}  // namespace waf::net
