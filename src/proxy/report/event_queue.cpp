#include "proxy/report/event_queue.hpp"

namespace waf::proxy::report {

std::optional<std::size_t> EventQueue::push(std::string line) noexcept {
  std::lock_guard lock(mutex_);
  if (items_.size() >= capacity_) return std::nullopt;
  try {
    items_.push_back(std::move(line));
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
  return items_.size();
}

std::size_t EventQueue::take(std::vector<std::string>& out, std::size_t max) {
  std::lock_guard lock(mutex_);
  const std::size_t n = std::min(max, items_.size());
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(std::move(items_.front()));
    items_.pop_front();
  }
  return n;
}

std::size_t EventQueue::size() const {
  std::lock_guard lock(mutex_);
  return items_.size();
}

}  // namespace waf::proxy::report
