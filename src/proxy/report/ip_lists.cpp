#include "proxy/report/ip_lists.hpp"

#include <simdjson.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace waf::proxy::report {
namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, unsigned& out) {
  if (at + n > s.size()) return false;
  const auto r = std::from_chars(s.data() + at, s.data() + at + n, out);
  return r.ec == std::errc() && r.ptr == s.data() + at + n;
}

Result<std::vector<PulledEntry>> parse_entries(simdjson::dom::element root, const char* list) {
  std::vector<PulledEntry> out;
  simdjson::dom::array entries;
  if (root[list].get_array().get(entries) != simdjson::SUCCESS) return make_error(fmt::format("\"{}\": expected an array", list));
  for (const simdjson::dom::element entry : entries) {
    std::string_view ip;
    if (entry["ip"].get_string().get(ip) != simdjson::SUCCESS) return make_error(fmt::format("\"{}\": an entry without \"ip\"", list));
    net::CidrSet check;
    if (!check.add(ip)) return make_error(fmt::format("\"{}\": not an address or CIDR: {}", list, ip));
    PulledEntry e{std::string(ip), std::nullopt};
    simdjson::dom::element expires;
    if (entry["expires"].get(expires) == simdjson::SUCCESS && !expires.is_null()) {
      std::string_view text;
      std::optional<std::int64_t> ms;
      if (expires.get_string().get(text) == simdjson::SUCCESS) ms = parse_rfc3339_ms(text);
      if (!ms) return make_error(fmt::format("\"{}\": bad \"expires\" for {}", list, ip));
      e.expires_ms = ms;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view t) noexcept {
  // YYYY-MM-DDTHH:MM:SS[.fff...](Z|+00:00|-00:00)
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(t, 0, 4, y) || t.size() < 20 || t[4] != '-' || !digits(t, 5, 2, mo) || t[7] != '-' || !digits(t, 8, 2, d) ||
      (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2, h) || t[13] != ':' || !digits(t, 14, 2, mi) ||
      t[16] != ':' || !digits(t, 17, 2, s)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t ms = 0;
  if (i < t.size() && t[i] == '.') {
    std::int64_t scale = 100;
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      ms += (t[i] - '0') * scale;
      scale /= 10;
    }
  }
  std::int64_t offset_min = 0;
  const std::string_view zone = t.substr(i);
  if (zone == "Z" || zone == "z") {
    offset_min = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    unsigned oh = 0, om = 0;
    if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om)) return std::nullopt;
    offset_min = (zone[0] == '-' ? -1 : 1) * static_cast<std::int64_t>(oh * 60 + om);
  } else {
    return std::nullopt;
  }
  const std::int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset_min * 60;
  return seconds * 1000 + ms;
}

Result<PulledLists> parse_lists(std::string_view json) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS || !root.is_object()) return make_error("lists: not a JSON object");
  PulledLists out;
  if (root["version"].get_uint64().get(out.version) != simdjson::SUCCESS) return make_error("lists: \"version\": expected a non-negative integer");
  auto grey = parse_entries(root, "grey");
  if (!grey) return make_error("lists: " + grey.error().message);
  auto deny = parse_entries(root, "deny");
  if (!deny) return make_error("lists: " + deny.error().message);
  out.grey = std::move(*grey);
  out.deny = std::move(*deny);
  return out;
}

ActiveIpLists active_lists(const PulledLists& lists, std::int64_t now_ms) {
  ActiveIpLists out;
  out.version = lists.version;
  const auto fill = [&](const std::vector<PulledEntry>& entries, net::CidrSet& set) {
    for (const auto& e : entries) {
      if (e.expires_ms && *e.expires_ms <= now_ms) continue;
      if (e.expires_ms) out.next_expiry_ms = std::min(out.next_expiry_ms.value_or(*e.expires_ms), *e.expires_ms);
      (void)set.add(e.ip);  // validated by parse_lists
    }
  };
  fill(lists.grey, out.grey);
  fill(lists.deny, out.deny);
  return out;
}

}  // namespace waf::proxy::report
