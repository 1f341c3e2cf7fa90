#include "postanalytics/api_query.hpp"

#include <fmt/format.h>

#include <charconv>

#include "http/http_message.hpp"
#include "common/time_text.hpp"

namespace waf::postanalytics {
namespace {

// A parameter's decoded value; an undecodable one is an error, an empty one counts as absent.
Result<std::optional<std::string>> param(std::string_view query, std::string_view name) {
  bool present = false;
  for (std::string_view rest = query; !rest.empty();) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.substr(0, pair.find('=')) == name) present = true;
  }
  if (!present) return std::optional<std::string>();
  auto value = http::query_param(query, name);
  if (!value) return make_error(fmt::format("{}: malformed %-escape", name));
  if (value->empty()) return std::optional<std::string>();
  return value;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Result<std::optional<std::int64_t>> time_param(std::string_view query, std::string_view name) {
  auto text = param(query, name);
  if (!text) return text.error();
  if (!*text) return std::optional<std::int64_t>();
  const auto ms = parse_time_param_ms(**text);
  if (!ms) return make_error(fmt::format("{}: not an RFC 3339 time or unix milliseconds", name));
  return std::optional<std::int64_t>(*ms);
}

Result<std::optional<std::uint64_t>> number_param(std::string_view query, std::string_view name) {
  auto text = param(query, name);
  if (!text) return text.error();
  if (!*text) return std::optional<std::uint64_t>();
  std::uint64_t n = 0;
  const auto& s = **text;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size()) return make_error(fmt::format("{}: not a number", name));
  return std::optional<std::uint64_t>(n);
}

}  // namespace

Result<EventQuery> parse_event_query(std::string_view q) {
  EventQuery query;
  auto since = time_param(q, "since");
  if (!since) return since.error();
  auto until = time_param(q, "until");
  if (!until) return until.error();
  query.since_ms = *since;
  query.until_ms = *until;
  for (const auto& [name, list] : {std::pair{"class", &query.classes}, std::pair{"action", &query.actions}}) {
    auto value = param(q, name);
    if (!value) return value.error();
    if (*value) *list = split_list(**value);
  }
  for (const auto& [name, field] : {std::pair{"namespace", &query.namespace_name}, std::pair{"app", &query.app}}) {
    auto value = param(q, name);
    if (!value) return value.error();
    *field = std::move(*value);
  }
  auto ip = param(q, "ip");
  if (!ip) return ip.error();
  if (*ip) {
    net::CidrSet set;
    if (auto added = set.add(**ip); !added) return make_error("ip: " + added.error().message);
    query.ip = std::move(set);
  }
  auto path = param(q, "path");
  if (!path) return path.error();
  if (*path) query.path_glob = std::move(**path);
  return query;
}

Result<EventsRequest> parse_events_request(std::string_view q) {
  EventsRequest request;
  auto query = parse_event_query(q);
  if (!query) return query.error();
  request.query = std::move(*query);
  auto limit = number_param(q, "limit");
  if (!limit) return limit.error();
  if (*limit) {
    if (**limit < 1 || **limit > kMaxLimit) return make_error(fmt::format("limit: must be 1..{}", kMaxLimit));
    request.limit = static_cast<std::size_t>(**limit);
  }
  auto cursor = number_param(q, "cursor");
  if (!cursor) return cursor.error();
  request.cursor = *cursor;
  return request;
}

Result<StatsRequest> parse_stats_request(std::string_view q, std::int64_t now_ms) {
  StatsRequest request;
  auto query = parse_event_query(q);
  if (!query) return query.error();
  request.query = std::move(*query);
  request.until_ms = request.query.until_ms.value_or(now_ms);
  request.since_ms = request.query.since_ms.value_or(request.until_ms - 3'600'000);
  if (request.since_ms >= request.until_ms) return make_error("since: must be before until");
  auto bucket = number_param(q, "bucket");
  if (!bucket) return bucket.error();
  if (*bucket) {
    if (**bucket < 1 || **bucket > 366 * 86400) return make_error("bucket: must be 1..31622400 seconds");
    request.bucket_ms = static_cast<std::int64_t>(**bucket) * 1000;
  }
  if ((request.until_ms - request.since_ms) / request.bucket_ms >= kMaxBuckets) {
    return make_error(fmt::format("bucket: more than {} buckets in [since, until); use a larger bucket", kMaxBuckets));
  }
  return request;
}

}  // namespace waf::postanalytics
