#include "postanalytics/api.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>

#include "common/options.hpp"
#include "postanalytics/api_json.hpp"
#include "postanalytics/api_query.hpp"
#include "postanalytics/console/assets.hpp"
#include "postanalytics/openapi.hpp"

namespace waf::postanalytics {
namespace {

http::HttpResponse json_error(int status, std::string_view message) { return http::make_response(status, error_json(message)); }

http::HttpResponse no_content() {
  http::HttpResponse r;
  r.status = 204;
  return r;
}

// PUT /api/v1/denylist body: {"ip":"..","reason":"..","ttl":"1h"}.
struct DenyRequest {
  std::string ip, reason = "manual";
  std::optional<std::chrono::seconds> ttl;
};

Result<DenyRequest> parse_deny_request(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(body.data(), body.size()).get(o) != simdjson::SUCCESS) {
    return make_error("body: expected a JSON object {\"ip\":..,\"reason\":..,\"ttl\":..}");
  }
  DenyRequest request;
  std::string_view value;
  if (o["ip"].get(value) != simdjson::SUCCESS || value.empty()) return make_error("ip: required, an address or CIDR");
  request.ip = value;
  if (auto reason = o["reason"]; reason.error() != simdjson::NO_SUCH_FIELD) {
    if (reason.get(value) != simdjson::SUCCESS) return make_error("reason: must be a string");
    if (!value.empty()) request.reason = value;
  }
  if (auto ttl = o["ttl"]; ttl.error() != simdjson::NO_SUCH_FIELD && !ttl.is_null()) {
    if (ttl.get(value) != simdjson::SUCCESS) return make_error("ttl: must be a duration such as \"1h\"");
    const auto ms = options::parse_duration_ms(value);
    if (!ms || *ms < 1000) return make_error("ttl: must be a duration of at least 1s, such as \"1h\"");
    request.ttl = std::chrono::seconds(*ms / 1000);
  }
  return request;
}

}  // namespace

Api::Api(const EventStore& store, Analytics& analytics, std::optional<TokenFile> token,
         const metrics::Registry& registry, PostanalyticsMetrics& metrics, std::function<std::int64_t()> now_ms,
         std::function<bool()> ready)
    : store_(store), analytics_(analytics), token_(std::move(token)), registry_(registry), metrics_(metrics),
      now_ms_(std::move(now_ms)), ready_(std::move(ready)) {}

http::HttpResponse Api::error(int status, std::string_view message) const { return json_error(status, message); }

http::HttpResponse Api::handle(const http::HttpRequest& request) {
  const auto path = request.path();
  if (path.rfind("/api/v1/", 0) == 0 && path != "/api/v1/openapi.yaml") return api(request, path);
  if (request.method != "GET") return json_error(405, "GET only");
  if (path == "/healthz") return http::text_response(200, "ok\n");
  if (path == "/readyz") return ready_() ? http::text_response(200, "ok\n") : http::text_response(503, "not ready\n");
  if (path == "/metrics") return http::make_response(200, registry_.render(), "text/plain; version=0.0.4");
  if (path == "/api/v1/openapi.yaml") return http::make_response(200, std::string(openapi_yaml()), "application/yaml");
  if (path == "/" || path.rfind("/console/", 0) == 0) return console(path);
  return json_error(404, "not found");
}

http::HttpResponse Api::console(std::string_view path) const {
  const auto found = console::find_console_asset(path);
  if (!found) return json_error(404, "not found");
  auto r = http::make_response(200, std::string(found->body), std::string(found->content_type));
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", std::string(console::kContentSecurityPolicy));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

http::HttpResponse Api::api(const http::HttpRequest& request, std::string_view path) {
  metrics_.api_requests.inc();
  if (token_ && !token_->accepts(request.header("Authorization"))) {
    metrics_.api_unauthorized.inc();
    auto r = json_error(401, "missing or wrong bearer token");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  auto r = [&] {
    if (path == "/api/v1/events") return events(request);
    if (path.rfind("/api/v1/events/", 0) == 0) {
      if (request.method != "GET") return json_error(405, "GET only");
      return event(path.substr(15));
    }
    if (path == "/api/v1/stats") return stats(request);
    if (path == "/api/v1/denylist") return denylist(request);
    if (path == "/api/v1/greylist") return greylist(request);
    return json_error(404, "not found");
  }();
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::HttpResponse Api::events(const http::HttpRequest& request) {
  if (request.method != "GET") return json_error(405, "GET only");
  auto parsed = parse_events_request(request.query());
  if (!parsed) return json_error(400, parsed.error().message);
  return http::make_response(200, render_events_page(store_.query(parsed->query, parsed->limit, parsed->cursor)));
}

http::HttpResponse Api::event(std::string_view id_text) {
  std::uint64_t id = 0;
  const auto [ptr, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (id_text.empty() || ec != std::errc() || ptr != id_text.data() + id_text.size()) {
    return json_error(404, "no such event");
  }
  const StoredEvent* found = store_.find(id);
  if (found == nullptr) return json_error(404, "no such event (unknown or evicted)");
  return http::make_response(200, render_event(found->id, found->json));
}

http::HttpResponse Api::stats(const http::HttpRequest& request) {
  if (request.method != "GET") return json_error(405, "GET only");
  auto parsed = parse_stats_request(request.query(), now_ms_());
  if (!parsed) return json_error(400, parsed.error().message);
  const auto result = store_.stats(parsed->query, parsed->since_ms, parsed->until_ms, parsed->bucket_ms);
  return http::make_response(200, render_stats(result, *parsed));
}

http::HttpResponse Api::denylist(const http::HttpRequest& request) {
  if (request.method == "GET") {
    const auto lists = analytics_.lists();
    return http::make_response(200, render_list(lists->version, lists->deny, now_ms_()));
  }
  if (request.method == "PUT") {
    auto parsed = parse_deny_request(request.body);
    if (!parsed) return json_error(400, parsed.error().message);
    auto entry = analytics_.deny(parsed->ip, parsed->reason, parsed->ttl);
    if (!entry) return json_error(400, entry.error().message);
    return http::make_response(200, render_list_entry(*entry));
  }
  if (request.method == "DELETE") {
    const auto ip = http::query_param(request.query(), "ip");
    if (!ip || ip->empty()) return json_error(400, "ip: required");
    return analytics_.undeny(*ip) ? no_content() : json_error(404, "not in the deny list");
  }
  return json_error(405, "GET, PUT or DELETE");
}

http::HttpResponse Api::greylist(const http::HttpRequest& request) {
  if (request.method == "GET") {
    const auto lists = analytics_.lists();
    return http::make_response(200, render_list(lists->version, lists->grey, now_ms_()));
  }
  if (request.method == "DELETE") {
    const auto ip = http::query_param(request.query(), "ip");
    if (!ip || ip->empty()) return json_error(400, "ip: required");
    return analytics_.ungrey(*ip) ? no_content() : json_error(404, "not in the grey list");
  }
  return json_error(405, "GET or DELETE");
}

}  // namespace waf::postanalytics
