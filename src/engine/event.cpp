#include "engine/event.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "common/json_writer.hpp"
#include "common/time_text.hpp"
#include "engine/parse/target.hpp"

namespace waf::engine {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view host_of(const Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "host")) return value;
  }
  return {};
}

// The longest prefix of `s` of at most `max` bytes that does not end inside a UTF-8 sequence.
std::size_t utf8_cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  // s[max] is the first byte left out: if it continues a sequence (10xxxxxx), step back to the
  // sequence's lead byte and leave the whole sequence out. Not UTF-8 at all: cut at max.
  const auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; };
  std::size_t lead = max;
  while (lead > 0 && max - lead < 3 && continuation(lead)) --lead;
  return continuation(lead) ? max : lead;
}

}  // namespace

Excerpt render_excerpt(const Request& request, std::string_view http_version) {
  Excerpt out;
  std::string& t = out.text;
  t.reserve(512);
  t.append(request.method).append(" ").append(request.target).append(" ").append(http_version).append("\r\n");
  for (const auto& [name, value] : request.headers) {
    t.append(name).append(": ");
    t.append(iequals(name, "authorization") || iequals(name, "proxy-authorization") ? std::string_view("[redacted]") : value);
    t.append("\r\n");
    if (t.size() > kExcerptBytes) break;  // the rest is cut anyway
  }
  t.append("\r\n");
  t.append(request.body.substr(0, utf8_cut(request.body, kExcerptBodyBytes)));
  out.truncated = request.body.size() > kExcerptBodyBytes || request.body_truncated;
  if (t.size() > kExcerptBytes) {
    t.resize(utf8_cut(t, kExcerptBytes));
    out.truncated = true;
  }
  return out;
}

std::string_view event_action(Action action) noexcept {
  switch (action) {
    case Action::allow: return "allowed";
    case Action::monitor: return "monitored";
    case Action::block: return "blocked";
    case Action::deny_ip: return "denied";
  }
  return "unknown";
}

std::string format_time(std::chrono::system_clock::time_point time) {
  return format_time_ms(std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

std::string render_event(const Request& request, const Verdict& verdict, const EventContext& context) {
  std::string classes = "[";
  for (const AttackClass cls : verdict.classes) {
    if (classes.size() > 1) classes.push_back(',');
    json::append_string(classes, name(cls));
  }
  classes.push_back(']');
  std::string findings = "[";
  for (const Finding& f : verdict.findings) {
    if (findings.size() > 1) findings.push_back(',');
    json::ObjectWriter o(findings);
    o.field("class", name(f.cls)).field("location", f.location).field("evidence", f.evidence).field("score", f.score);
    o.close();
  }
  findings.push_back(']');

  std::string out;
  json::ObjectWriter o(out);
  o.field("schema", kEventSchema).field("time", format_time(context.time)).field("request_id", context.request_id);
  if (!context.namespace_name.empty()) o.field("namespace", context.namespace_name);
  if (!context.pod.empty()) o.field("pod", context.pod);
  if (!context.app.empty()) o.field("app", context.app);
  o.field("client_ip", request.client_ip).field("method", request.method).field("host", host_of(request));
  o.field("path", split_target(request.target).path);
  o.raw("classes", classes).raw("findings", findings);
  o.field("action", event_action(verdict.action)).field("status", context.response_status);
  o.field("partial_inspection", verdict.partial_inspection);
  if (context.excerpt != nullptr) {
    o.field("excerpt", context.excerpt->text).field("excerpt_truncated", context.excerpt->truncated);
  }
  o.close();
  return out;
}

}  // namespace waf::engine
