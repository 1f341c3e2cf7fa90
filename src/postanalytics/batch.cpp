#include "postanalytics/batch.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <optional>

#include "common/time_text.hpp"

namespace waf::postanalytics {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// Absent -> empty; present but not a string -> error.
bool optional_string(const object& o, std::string_view key, std::string& out) {
  auto field = o[key];
  if (field.error() == simdjson::NO_SUCH_FIELD) return true;
  std::string_view value;
  if (field.get(value) != simdjson::SUCCESS) return false;
  out.assign(value);
  return true;
}

bool optional_uint(const object& o, std::string_view key, std::uint64_t& out) {
  auto field = o[key];
  if (field.error() == simdjson::NO_SUCH_FIELD) return true;
  return field.get(out) == simdjson::SUCCESS;
}

std::optional<std::int64_t> required_time(const object& o, std::string_view key) {
  std::string_view text;
  if (o[key].get(text) != simdjson::SUCCESS) return std::nullopt;
  return parse_rfc3339_ms(text);
}

std::string minify(std::string_view line) {
  std::string out(line.size(), '\0');
  std::size_t length = 0;
  if (simdjson::minify(line.data(), line.size(), out.data(), length) != simdjson::SUCCESS) return std::string(line);
  out.resize(length);
  return out;
}

std::optional<std::string> parse_event(const object& o, std::string_view line, IngestEvent& event) {
  const auto time = required_time(o, "time");
  if (!time) return "\"time\" must be an RFC 3339 time";
  event.time_ms = *time;
  if (!optional_string(o, "client_ip", event.client_ip)) return "\"client_ip\" must be a string";
  if (!optional_string(o, "path", event.path)) return "\"path\" must be a string";
  if (!optional_string(o, "namespace", event.namespace_name)) return "\"namespace\" must be a string";
  if (!optional_string(o, "app", event.app)) return "\"app\" must be a string";
  if (!optional_string(o, "action", event.action)) return "\"action\" must be a string";
  auto classes = o["classes"];
  if (classes.error() != simdjson::NO_SUCH_FIELD) {
    simdjson::dom::array array;
    if (classes.get(array) != simdjson::SUCCESS) return "\"classes\" must be an array of strings";
    for (element cls : array) {
      std::string_view name;
      if (cls.get(name) != simdjson::SUCCESS) return "\"classes\" must be an array of strings";
      event.classes.emplace_back(name);
    }
  }
  event.json = minify(line);
  return std::nullopt;
}

std::optional<std::string> parse_stats(const object& o, std::string_view line, IngestStats& stats) {
  const auto minute = required_time(o, "minute");
  if (!minute) return "\"minute\" must be an RFC 3339 time";
  stats.minute_ms = *minute;
  if (!optional_string(o, "namespace", stats.namespace_name)) return "\"namespace\" must be a string";
  if (!optional_string(o, "app", stats.app)) return "\"app\" must be a string";
  if (!optional_uint(o, "requests", stats.requests)) return "\"requests\" must be a non-negative integer";
  auto status = o["status"];
  if (status.error() != simdjson::NO_SUCH_FIELD) {
    object classes;
    if (status.get(classes) != simdjson::SUCCESS) return "\"status\" must be an object";
    static constexpr std::string_view kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (std::size_t i = 0; i < 5; ++i) {
      if (!optional_uint(classes, kClasses[i], stats.by_status[i])) {
        return fmt::format("\"status.{}\" must be a non-negative integer", kClasses[i]);
      }
    }
  }
  auto rows = o["rows"];
  if (rows.error() != simdjson::NO_SUCH_FIELD) {
    simdjson::dom::array array;
    if (rows.get(array) != simdjson::SUCCESS) return "\"rows\" must be an array";
    std::size_t index = 0;
    for (element item : array) {
      object row_object;
      StatsRow row;
      std::uint64_t status_code = 0;
      if (item.get(row_object) != simdjson::SUCCESS || !optional_string(row_object, "ip", row.ip) ||
          !optional_string(row_object, "method", row.method) || !optional_string(row_object, "path", row.path) ||
          !optional_uint(row_object, "status", status_code) || status_code > 999 ||
          row_object["count"].get(row.count) != simdjson::SUCCESS) {
        return fmt::format("\"rows[{}]\" must be {{ip, method, path, status, count}}", index);
      }
      row.status = static_cast<int>(status_code);
      stats.rows.push_back(std::move(row));
      ++index;
    }
  }
  stats.json = minify(line);
  return std::nullopt;
}

}  // namespace

Result<Batch> parse_batch(std::string_view body) {
  Batch batch;
  // One padded copy for the whole body: every line then has readable padding after it (the rest
  // of the body), so simdjson parses each line in place.
  const simdjson::padded_string padded(body);
  const std::string_view text(padded.data(), body.size());
  // One parser per thread: it keeps its buffers between batches.
  thread_local simdjson::dom::parser parser;
  std::size_t line_number = 0, start = 0;
  while (start < text.size()) {
    ++line_number;
    const auto end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    element root;
    if (auto error = parser.parse(line.data(), line.size(), false).get(root); error != simdjson::SUCCESS) {
      return make_error(fmt::format("line {}: not JSON ({})", line_number, simdjson::error_message(error)));
    }
    object o;
    if (root.get(o) != simdjson::SUCCESS) return make_error(fmt::format("line {}: not a JSON object", line_number));
    std::string_view schema;
    if (o["schema"].get(schema) != simdjson::SUCCESS) {
      return make_error(fmt::format("line {}: no \"schema\"", line_number));
    }
    std::optional<std::string> problem;
    if (schema == kEventSchemaV1) {
      problem = parse_event(o, line, batch.events.emplace_back());
    } else if (schema == kStatsSchemaV1) {
      problem = parse_stats(o, line, batch.stats.emplace_back());
    } else {
      return make_error(fmt::format("line {}: unknown schema (expected {} or {})", line_number, kEventSchemaV1,
                                    kStatsSchemaV1));
    }
    if (problem) return make_error(fmt::format("line {}: {}", line_number, *problem));
  }
  return batch;
}

}  // namespace waf::postanalytics
