#include "common/net/cidr.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <string>

namespace waf::net {

Result<IpAddress> IpAddress::parse(std::string_view text) {
  IpAddress ip;
  const std::string s(text);
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ip.bytes[10] = 0xff;
    ip.bytes[11] = 0xff;
    std::memcpy(&ip.bytes[12], &v4, 4);
    return ip;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(ip.bytes.data(), &v6, 16);
    return ip;
  }
  return make_error(fmt::format("'{}' is not an IP address", text));
}

Result<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto ip = IpAddress::parse(text.substr(0, slash));
  if (!ip) return ip.error();
  const bool is_v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  Cidr c{*ip, 128};
  if (slash != std::string_view::npos) {
    const auto bits_text = text.substr(slash + 1);
    unsigned bits = 0;
    const auto [end, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (ec != std::errc() || end != bits_text.data() + bits_text.size() || bits > (is_v4 ? 32u : 128u)) {
      return make_error(fmt::format("'{}' has an invalid prefix length", text));
    }
    c.prefix_bits = is_v4 ? bits + 96 : bits;
  }
  return c;
}

bool Cidr::contains(const IpAddress& ip) const noexcept {
  unsigned bits = prefix_bits;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i) {
    const unsigned take = bits >= 8 ? 8 : bits;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
    if ((ip.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

Result<CidrList> CidrList::parse(std::string_view text) {
  CidrList list;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ',' || text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ',' && text[j] != ' ' && text[j] != '\t' && text[j] != '\n') ++j;
    if (j > i) {
      auto c = Cidr::parse(text.substr(i, j - i));
      if (!c) return c.error();
      list.add(*c);
    }
    i = j;
  }
  return list;
}

bool CidrList::contains(const IpAddress& ip) const noexcept {
  for (const auto& c : entries_) {
    if (c.contains(ip)) return true;
  }
  return false;
}

bool CidrList::contains(std::string_view ip_text) const noexcept {
  if (entries_.empty()) return false;
  auto ip = IpAddress::parse(ip_text);
  return ip.ok() && contains(*ip);
}

}  // namespace waf::net
