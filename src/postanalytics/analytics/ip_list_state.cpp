#include "postanalytics/analytics/ip_list_state.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "common/json_writer.hpp"

namespace waf::postanalytics {
namespace {

bool live(const IpListEntry& entry, std::int64_t now_ms) { return !entry.expires_ms || *entry.expires_ms > now_ms; }

bool same(const IpListEntry& a, const IpListEntry& b) {
  return a.ip == b.ip && a.reason == b.reason && a.added_ms == b.added_ms && a.expires_ms == b.expires_ms;
}

Result<IpListEntry> entry_from_object(simdjson::dom::object object) {
  IpListEntry entry;
  std::string_view ip, reason;
  if (object["ip"].get(ip) != simdjson::SUCCESS) return make_error("entry without \"ip\"");
  auto normalized = normalize_ip_or_cidr(ip);
  if (!normalized) return normalized.error();
  entry.ip = std::move(*normalized);
  if (object["reason"].get(reason) == simdjson::SUCCESS) entry.reason = reason;
  std::int64_t n = 0;
  if (object["added_ms"].get(n) == simdjson::SUCCESS) entry.added_ms = n;
  if (object["expires_ms"].get(n) == simdjson::SUCCESS) entry.expires_ms = n;
  return entry;
}

void append_entries(std::string& out, const std::vector<IpListEntry>& entries) {
  out.push_back('[');
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += entry_to_json(entries[i]);
  }
  out.push_back(']');
}

}  // namespace

bool IpListState::put(IpList list, IpListEntry entry) {
  auto& map = entries(list);
  auto it = map.find(entry.ip);
  if (it != map.end() && same(it->second, entry)) return false;
  std::string key = entry.ip;
  map.insert_or_assign(std::move(key), std::move(entry));
  ++version_;
  return true;
}

bool IpListState::remove(IpList list, std::string_view ip) {
  auto& map = entries(list);
  auto it = map.find(ip);
  if (it == map.end()) return false;
  map.erase(it);
  ++version_;
  return true;
}

bool IpListState::expire(std::int64_t now_ms) {
  const auto erased = std::erase_if(grey_, [&](const auto& e) { return !live(e.second, now_ms); }) +
                      std::erase_if(deny_, [&](const auto& e) { return !live(e.second, now_ms); });
  if (erased == 0) return false;
  ++version_;
  return true;
}

bool IpListState::replace(std::vector<IpListEntry> grey, std::vector<IpListEntry> deny) {
  const auto build = [](std::vector<IpListEntry>& from) {
    Entries map;
    for (auto& e : from) {
      std::string key = e.ip;
      map.insert_or_assign(std::move(key), std::move(e));
    }
    return map;
  };
  auto new_grey = build(grey), new_deny = build(deny);
  const auto equal = [](const Entries& a, const Entries& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const auto& x, const auto& y) { return same(x.second, y.second); });
  };
  if (equal(new_grey, grey_) && equal(new_deny, deny_)) return false;
  grey_ = std::move(new_grey);
  deny_ = std::move(new_deny);
  ++version_;
  return true;
}

bool IpListState::contains(IpList list, std::string_view ip, std::int64_t now_ms) const {
  const auto& map = entries(list);
  auto it = map.find(ip);
  return it != map.end() && live(it->second, now_ms);
}

std::optional<std::int64_t> IpListState::next_expiry() const {
  std::optional<std::int64_t> earliest;
  for (const auto* map : {&grey_, &deny_}) {
    for (const auto& [ip, e] : *map) {
      if (e.expires_ms && (!earliest || *e.expires_ms < *earliest)) earliest = e.expires_ms;
    }
  }
  return earliest;
}

IpLists IpListState::snapshot(std::int64_t now_ms) const {
  IpLists out;
  out.version = version_;
  for (const auto& [ip, e] : grey_) {
    if (live(e, now_ms)) out.grey.push_back(e);
  }
  for (const auto& [ip, e] : deny_) {
    if (live(e, now_ms)) out.deny.push_back(e);
  }
  return out;
}

Result<std::string> normalize_ip_or_cidr(std::string_view text) {
  const auto slash = text.find('/');
  std::string address(text.substr(0, slash));
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
  unsigned char bytes[16];
  int family = AF_INET;
  if (inet_pton(AF_INET, address.c_str(), bytes) != 1) {
    family = AF_INET6;
    if (inet_pton(AF_INET6, address.c_str(), bytes) != 1) {
      return make_error(fmt::format("'{}' is not an IP address or CIDR", text));
    }
  }
  char canonical[INET6_ADDRSTRLEN];
  inet_ntop(family, bytes, canonical, sizeof canonical);
  std::string out = canonical;
  if (slash == std::string_view::npos) return out;
  const auto prefix_text = text.substr(slash + 1);
  unsigned prefix = 0;
  const auto [end, ec] = std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), prefix);
  const unsigned max_prefix = family == AF_INET ? 32 : 128;
  if (ec != std::errc{} || end != prefix_text.data() + prefix_text.size() || prefix_text.empty() || prefix > max_prefix) {
    return make_error(fmt::format("'{}': the prefix length must be 0..{}", text, max_prefix));
  }
  return fmt::format("{}/{}", out, prefix);
}

std::string entry_to_json(const IpListEntry& entry) {
  std::string out;
  json::ObjectWriter w(out);
  w.field("ip", entry.ip).field("reason", entry.reason).field("added_ms", entry.added_ms);
  if (entry.expires_ms) {
    w.field("expires_ms", *entry.expires_ms);
  } else {
    w.raw("expires_ms", "null");
  }
  w.close();
  return out;
}

Result<IpListEntry> entry_from_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(simdjson::padded_string(json)).get(object) != simdjson::SUCCESS) {
    return make_error("an IP list entry is not a JSON object");
  }
  return entry_from_object(object);
}

std::string lists_to_json(const IpLists& lists) {
  std::string out = R"({"version":1,"grey":)";
  append_entries(out, lists.grey);
  out += R"(,"deny":)";
  append_entries(out, lists.deny);
  out += "}\n";
  return out;
}

Result<IpLists> lists_from_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(simdjson::padded_string(json)).get(root) != simdjson::SUCCESS) {
    return make_error("not a JSON object");
  }
  std::int64_t format = 0;
  if (root["version"].get(format) != simdjson::SUCCESS || format != 1) return make_error("unknown format version");
  IpLists out;
  for (auto [key, target] : {std::pair{"grey", &out.grey}, std::pair{"deny", &out.deny}}) {
    simdjson::dom::array array;
    if (root[key].get(array) != simdjson::SUCCESS) return make_error(fmt::format("\"{}\" is not an array", key));
    for (auto element : array) {
      simdjson::dom::object object;
      if (element.get(object) != simdjson::SUCCESS) return make_error(fmt::format("\"{}\": an entry is not an object", key));
      auto entry = entry_from_object(object);
      if (!entry) return make_error(fmt::format("\"{}\": {}", key, entry.error().message));
      target->push_back(std::move(*entry));
    }
  }
  return out;
}

}  // namespace waf::postanalytics
