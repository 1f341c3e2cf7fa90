#include "postanalytics/api_json.hpp"

#include <fmt/format.h>

#include "common/json_writer.hpp"
#include "common/time_text.hpp"

namespace waf::postanalytics {
namespace {

bool expired(const IpListEntry& entry, std::int64_t now_ms) { return entry.expires_ms && *entry.expires_ms <= now_ms; }

void append_expires(std::string& out, const IpListEntry& entry) {
  out += ",\"expires\":";
  if (entry.expires_ms) json::append_string(out, format_time_ms(*entry.expires_ms));
  else out += "null";
}

void append_counts(std::string& out, const std::vector<NamedCount>& counts, std::string_view key_name) {
  out.push_back('[');
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) out.push_back(',');
    json::ObjectWriter o(out);
    o.field(key_name, counts[i].name).field("count", counts[i].count);
    o.close();
  }
  out.push_back(']');
}

}  // namespace

void append_event(std::string& out, std::uint64_t id, std::string_view event_json) {
  out += fmt::format("{{\"id\":\"{}\"", id);
  const std::string_view rest = event_json.substr(1);
  if (rest.size() > 1) out.push_back(',');
  out += rest;
}

std::string render_event(std::uint64_t id, std::string_view event_json) {
  std::string out;
  out.reserve(event_json.size() + 32);
  append_event(out, id, event_json);
  return out;
}

std::string render_events_page(const EventPage& page) {
  std::string out = "{\"events\":[";
  for (std::size_t i = 0; i < page.events.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_event(out, page.events[i]->id, page.events[i]->json);
  }
  out += fmt::format("],\"matched\":{},\"next_cursor\":", page.matched);
  out += page.next_cursor ? fmt::format("\"{}\"", *page.next_cursor) : "null";
  out.push_back('}');
  return out;
}

std::string render_stats(const StatsResult& stats, const StatsRequest& request) {
  std::string out;
  out.reserve(256 + stats.timeline.size() * 48);
  out += "{\"since\":";
  json::append_string(out, format_time_ms(request.since_ms));
  out += ",\"until\":";
  json::append_string(out, format_time_ms(request.until_ms));
  out += fmt::format(",\"bucket_seconds\":{},\"timeline\":[", request.bucket_ms / 1000);
  for (std::size_t i = 0; i < stats.timeline.size(); ++i) {
    const auto& bucket = stats.timeline[i];
    if (i > 0) out.push_back(',');
    out += "{\"time\":";
    json::append_string(out, format_time_ms(bucket.time_ms));
    out += fmt::format(",\"total\":{},\"by_class\":{{", bucket.total);
    for (std::size_t c = 0; c < bucket.by_class.size(); ++c) {
      if (c > 0) out.push_back(',');
      json::append_string(out, bucket.by_class[c].name);
      out += fmt::format(":{}", bucket.by_class[c].count);
    }
    out += "}}";
  }
  out += "],\"top_ips\":";
  append_counts(out, stats.top_ips, "ip");
  out += ",\"top_paths\":[";
  for (std::size_t i = 0; i < stats.top_paths.size(); ++i) {
    if (i > 0) out.push_back(',');
    const auto& p = stats.top_paths[i];
    json::ObjectWriter o(out);
    o.field("namespace", p.namespace_name).field("app", p.app).field("path", p.path).field("count", p.count);
    o.close();
  }
  out += "],\"top_apps\":[";
  for (std::size_t i = 0; i < stats.top_apps.size(); ++i) {
    if (i > 0) out.push_back(',');
    const auto& a = stats.top_apps[i];
    json::ObjectWriter o(out);
    o.field("namespace", a.namespace_name).field("app", a.app).field("count", a.count);
    o.close();
  }
  out += "],\"by_class\":";
  append_counts(out, stats.by_class, "class");
  out += fmt::format(",\"by_action\":{{\"blocked\":{},\"monitored\":{},\"denied\":{}}}", stats.by_action[0],
                     stats.by_action[1], stats.by_action[2]);
  const auto& s = stats.requests_by_status;
  out += fmt::format(
      ",\"requests\":{{\"total\":{},\"by_status\":{{\"1xx\":{},\"2xx\":{},\"3xx\":{},\"4xx\":{},\"5xx\":{}" "}}}}}}",
      stats.requests, s[0], s[1], s[2], s[3], s[4]);
  return out;
}

std::string render_list_entry(const IpListEntry& entry) {
  std::string out = "{\"ip\":";
  json::append_string(out, entry.ip);
  out += ",\"reason\":";
  json::append_string(out, entry.reason);
  out += ",\"added\":";
  json::append_string(out, format_time_ms(entry.added_ms));
  append_expires(out, entry);
  out.push_back('}');
  return out;
}

std::string render_list(std::uint64_t version, const std::vector<IpListEntry>& entries, std::int64_t now_ms) {
  std::string out = fmt::format("{{\"version\":{},\"entries\":[", version);
  bool first = true;
  for (const auto& entry : entries) {
    if (expired(entry, now_ms)) continue;
    if (!first) out.push_back(',');
    first = false;
    out += render_list_entry(entry);
  }
  out += "]}";
  return out;
}

std::string render_lists_for_proxies(const IpLists& lists, std::int64_t now_ms) {
  std::string out = fmt::format("{{\"version\":{}", lists.version);
  for (const auto& [name, entries] : {std::pair{"grey", &lists.grey}, std::pair{"deny", &lists.deny}}) {
    out += fmt::format(",\"{}\":[", name);
    bool first = true;
    for (const auto& entry : *entries) {
      if (expired(entry, now_ms)) continue;
      if (!first) out.push_back(',');
      first = false;
      out += "{\"ip\":";
      json::append_string(out, entry.ip);
      out += ",\"reason\":";
      json::append_string(out, entry.reason);
      append_expires(out, entry);
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

std::string error_json(std::string_view message) {
  std::string out;
  json::ObjectWriter o(out);
  o.field("error", message);
  o.close();
  return out;
}

}  // namespace waf::postanalytics
