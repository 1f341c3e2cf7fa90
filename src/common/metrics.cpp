#include "common/metrics.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace waf::metrics {

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  if (bounds_.size() + 1 > kMaxBuckets) throw std::invalid_argument("histogram: too many buckets");
}

void Histogram::observe(double v) noexcept {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);  // index bounds_.size() is +Inf
  count_.fetch_add(1, std::memory_order_relaxed);
  if (v > 0) sum_micro_.fetch_add(static_cast<std::uint64_t>(std::llround(v * 1e6)), std::memory_order_relaxed);
}

double Histogram::sum() const noexcept { return static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6; }

double Histogram::quantile_upper_bound(double q) const noexcept {
  const auto total = count();
  if (total == 0) return 0;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    seen += bucket(i);
    if (static_cast<double>(seen) >= q * static_cast<double>(total)) return bounds_[i];
  }
  return INFINITY;
}

std::vector<double> latency_buckets_seconds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
}

Registry::Series& Registry::add(std::string_view name, std::string_view help, std::string_view labels, Kind kind) {
  std::lock_guard lock(mutex_);
  auto s = std::make_unique<Series>();
  s->name = name;
  s->help = help;
  s->labels = labels;
  s->kind = kind;
  series_.push_back(std::move(s));
  return *series_.back();
}

Counter& Registry::counter(std::string_view name, std::string_view help, std::string_view labels) {
  auto& s = add(name, help, labels, Kind::counter);
  s.c = std::make_unique<Counter>();
  return *s.c;
}
Gauge& Registry::gauge(std::string_view name, std::string_view help, std::string_view labels) {
  auto& s = add(name, help, labels, Kind::gauge);
  s.g = std::make_unique<Gauge>();
  return *s.g;
}
Histogram& Registry::histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                               std::string_view labels) {
  auto& s = add(name, help, labels, Kind::histogram);
  s.h = std::make_unique<Histogram>(std::move(bounds));
  return *s.h;
}

namespace {
std::string braces(std::string_view labels, std::string_view extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  if (labels.empty()) return fmt::format("{{{}}}", extra);
  if (extra.empty()) return fmt::format("{{{}}}", labels);
  return fmt::format("{{{},{}}}", labels, extra);
}
}  // namespace

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  std::string_view last_family;
  for (const auto& s : series_) {
    if (s->name != last_family) {  // series of one family are registered next to each other
      static constexpr std::string_view kTypes[] = {"counter", "gauge", "histogram"};
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", s->name, s->help, s->name,
                         kTypes[static_cast<int>(s->kind)]);
      last_family = s->name;
    }
    switch (s->kind) {
      case Kind::counter: out += fmt::format("{}{} {}\n", s->name, braces(s->labels), s->c->value()); break;
      case Kind::gauge: out += fmt::format("{}{} {}\n", s->name, braces(s->labels), s->g->value()); break;
      case Kind::histogram: {
        std::uint64_t cumulative = 0;
        const auto& b = s->h->bounds();
        for (std::size_t i = 0; i < b.size(); ++i) {
          cumulative += s->h->bucket(i);
          out += fmt::format("{}_bucket{} {}\n", s->name, braces(s->labels, fmt::format("le=\"{}\"", b[i])), cumulative);
        }
        cumulative += s->h->bucket(b.size());
        out += fmt::format("{}_bucket{} {}\n", s->name, braces(s->labels, "le=\"+Inf\""), cumulative);
        out += fmt::format("{}_sum{} {}\n", s->name, braces(s->labels), s->h->sum());
        out += fmt::format("{}_count{} {}\n", s->name, braces(s->labels), s->h->count());
        break;
      }
    }
  }
  return out;
}

}  // namespace waf::metrics
