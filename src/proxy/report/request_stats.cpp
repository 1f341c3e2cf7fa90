#include "proxy/report/request_stats.hpp"

#include <algorithm>
#include <functional>
#include <vector>

#include "common/json_writer.hpp"
#include "engine/event.hpp"
#include "proxy/report/path_template.hpp"

namespace waf::proxy::report {

std::size_t StatsKeyHash::operator()(const StatsKey& k) const noexcept {
  const std::hash<std::string_view> h;
  std::size_t seed = h(k.ip);
  for (const std::size_t v : {h(k.method), h(k.path), std::hash<int>{}(k.status)}) {
    seed ^= v + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  }
  return seed;
}

void MinuteStats::add(const StatsKey& key, std::uint64_t count, std::size_t max_rows) {
  if (key.status < 100 || key.status > 599) return;
  requests_ += count;
  by_class_[static_cast<std::size_t>(key.status / 100 - 1)] += count;
  add_row(key, count, max_rows);
}

void MinuteStats::merge(const MinuteStats& other, std::size_t max_rows) {
  requests_ += other.requests_;
  for (std::size_t i = 0; i < by_class_.size(); ++i) by_class_[i] += other.by_class_[i];
  rows_dropped_ += other.rows_dropped_;
  for (const auto& [key, count] : other.rows_) add_row(key, count, max_rows);
}

void MinuteStats::add_row(const StatsKey& key, std::uint64_t count, std::size_t max_rows) {
  if (const auto it = rows_.find(key); it != rows_.end()) {
    it->second += count;
  } else if (rows_.size() < max_rows) {
    rows_.emplace(key, count);
  } else {
    rows_dropped_ += count;
  }
}

std::int64_t minute_of(std::chrono::system_clock::time_point t) noexcept {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return ms - ((ms % 60000) + 60000) % 60000;
}

RenderedStats render_stats(std::int64_t minute_ms, const MinuteStats& stats, const PodIdentity& pod, std::size_t max_rows) {
  using Row = std::pair<const StatsKey*, std::uint64_t>;
  std::vector<Row> rows;
  rows.reserve(stats.rows().size());
  for (const auto& [key, count] : stats.rows()) rows.emplace_back(&key, count);
  const auto larger = [](const Row& a, const Row& b) {
    if (a.second != b.second) return a.second > b.second;
    return std::tie(a.first->ip, a.first->method, a.first->path, a.first->status) <
           std::tie(b.first->ip, b.first->method, b.first->path, b.first->status);
  };
  std::sort(rows.begin(), rows.end(), larger);
  RenderedStats out;
  out.rows_dropped = stats.rows_dropped();
  std::string rendered_rows = "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i >= max_rows) {
      out.rows_dropped += rows[i].second;
      continue;
    }
    if (i > 0) rendered_rows.push_back(',');
    const StatsKey& k = *rows[i].first;
    json::ObjectWriter(rendered_rows)
        .field("ip", k.ip).field("method", k.method).field("path", k.path).field("status", k.status)
        .field("count", rows[i].second).close();
  }
  rendered_rows.push_back(']');

  std::string classes;
  json::ObjectWriter c(classes);
  constexpr const char* kClassNames[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  for (std::size_t i = 0; i < stats.by_class().size(); ++i) c.field(kClassNames[i], stats.by_class()[i]);
  c.close();

  json::ObjectWriter o(out.json);
  o.field("schema", "waf.stats/v1")
      .field("minute", engine::format_time(std::chrono::system_clock::time_point(std::chrono::milliseconds(minute_ms))));
  if (!pod.namespace_name.empty()) o.field("namespace", pod.namespace_name);
  if (!pod.pod.empty()) o.field("pod", pod.pod);
  if (!pod.app.empty()) o.field("app", pod.app);
  o.field("requests", stats.requests()).raw("status", classes).raw("rows", rendered_rows).field("rows_dropped", out.rows_dropped);
  o.close();
  return out;
}

void WorkerStats::record(std::chrono::system_clock::time_point now, std::string_view ip, std::string_view method,
                         std::string_view target, int status) {
  StatsKey key{std::string(ip), std::string(method), path_template(target), status};
  const auto minute = minute_of(now);
  std::lock_guard lock(mutex_);
  minutes_[minute].add(key, 1, kMaxWorkerRows);
}

StatsByMinute WorkerStats::take() {
  StatsByMinute out;
  std::lock_guard lock(mutex_);
  out.swap(minutes_);
  return out;
}

}  // namespace waf::proxy::report
