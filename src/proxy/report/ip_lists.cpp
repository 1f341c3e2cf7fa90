#include "proxy/report/ip_lists.hpp"

#include <simdjson.h>
#include <fmt/format.h>

#include <algorithm>

#include "common/time_text.hpp"

namespace waf::proxy::report {
namespace {

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
