#pragma once
// Per-minute request statistics (waf.stats/v1): totals by status class, and rows counted by
// (client IP, method, path template, status). Every worker fills its own WorkerStats; the
// reporter takes them all every --stats-interval, merges them and renders one record per minute.
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "proxy/report/pod_identity.hpp"

namespace waf::proxy::report {

inline constexpr std::size_t kMaxRecordRows = 1000;   // per rendered record (contract)
inline constexpr std::size_t kMaxWorkerRows = 10000;  // per worker and minute: bounds memory under a scan

struct StatsKey {
  std::string ip, method, path;
  int status = 0;
  bool operator==(const StatsKey&) const = default;
};

struct StatsKeyHash {
  std::size_t operator()(const StatsKey& k) const noexcept;
};

// The counts of one minute. `rows_dropped` counts requests that are in the totals but in no row,
// so that requests == sum of row counts + rows_dropped, always.
class MinuteStats {
 public:
  // Status outside 100..599 is not counted (the client got no response).
  void add(const StatsKey& key, std::uint64_t count, std::size_t max_rows);
  void merge(const MinuteStats& other, std::size_t max_rows);
  std::uint64_t requests() const noexcept { return requests_; }
  const std::array<std::uint64_t, 5>& by_class() const noexcept { return by_class_; }
  const std::unordered_map<StatsKey, std::uint64_t, StatsKeyHash>& rows() const noexcept { return rows_; }
  std::uint64_t rows_dropped() const noexcept { return rows_dropped_; }

 private:
  void add_row(const StatsKey& key, std::uint64_t count, std::size_t max_rows);
  std::uint64_t requests_ = 0;
  std::array<std::uint64_t, 5> by_class_{};  // 1xx .. 5xx
  std::unordered_map<StatsKey, std::uint64_t, StatsKeyHash> rows_;
  std::uint64_t rows_dropped_ = 0;
};

// Keyed by the minute's start, unix milliseconds.
using StatsByMinute = std::map<std::int64_t, MinuteStats>;

std::int64_t minute_of(std::chrono::system_clock::time_point t) noexcept;

struct RenderedStats {
  std::string json;
  std::uint64_t rows_dropped = 0;  // in this record, including what the row limit cut here
};

// One waf.stats/v1 line: at most `max_rows` rows, the largest counts first (a brute force is a
// large row); the rest go to rows_dropped.
RenderedStats render_stats(std::int64_t minute_ms, const MinuteStats& stats, const PodIdentity& pod,
                           std::size_t max_rows = kMaxRecordRows);

// One worker's statistics. The worker adds one request at a time; the reporter takes the whole
// map. The mutex is only ever contended by that take, every --stats-interval.
class WorkerStats {
 public:
  void record(std::chrono::system_clock::time_point now, std::string_view ip, std::string_view method,
              std::string_view target, int status);
  StatsByMinute take();

 private:
  std::mutex mutex_;
  StatsByMinute minutes_;
};

}  // namespace waf::proxy::report
