#pragma once
// Counter, Gauge and Histogram with Prometheus text output. Each role declares all of its metrics
// in one struct (e.g. proxy/proxy_metrics.hpp) that registers them here. Values are atomics, so
// every worker thread updates the same series without locks. Labels come from small fixed enums,
// never from paths or IPs, and are given once at registration.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace waf::metrics {

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void inc(std::int64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  void dec(std::int64_t n = 1) noexcept { value_.fetch_sub(n, std::memory_order_relaxed); }
  void set(std::int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Buckets are upper bounds in the histogram's unit (seconds for latencies).
class Histogram {
 public:
  static constexpr std::size_t kMaxBuckets = 16;
  explicit Histogram(std::vector<double> bounds);
  void observe(double v) noexcept;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum() const noexcept;
  const std::vector<double>& bounds() const noexcept { return bounds_; }
  std::uint64_t bucket(std::size_t i) const noexcept { return buckets_[i].load(std::memory_order_relaxed); }
  // The smallest bucket bound below which at least q of the observations lie (for /status).
  double quantile_upper_bound(double q) const noexcept;

 private:
  std::vector<double> bounds_;
  std::array<std::atomic<std::uint64_t>, kMaxBuckets> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micro_{0};  // sum in millionths of the unit, for lock-free adds
};

// Latency buckets from 100 us to 10 s: a sidecar adds microseconds, an app takes milliseconds.
std::vector<double> latency_buckets_seconds();

class Registry {
 public:
  Counter& counter(std::string_view name, std::string_view help, std::string_view labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, std::string_view labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       std::string_view labels = {});
  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  enum class Kind { counter, gauge, histogram };
  struct Series {
    std::string name, help, labels;  // labels rendered as a="x",b="y"
    Kind kind;
    std::unique_ptr<Counter> c;
    std::unique_ptr<Gauge> g;
    std::unique_ptr<Histogram> h;
  };
  Series& add(std::string_view name, std::string_view help, std::string_view labels, Kind kind);
  mutable std::mutex mutex_;  // guards registration and rendering only, never updates
  std::vector<std::unique_ptr<Series>> series_;
};

}  // namespace waf::metrics
