#pragma once
// The bounded queue between the workers (many producers) and the reporter thread (one consumer).
// A push holds the mutex for one deque append and never waits for I/O; a full queue refuses the
// event, and the caller counts it as dropped.
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace waf::proxy::report {

class EventQueue {
 public:
  explicit EventQueue(std::size_t capacity) : capacity_(capacity) {}
  // The queue's length after the push, or nullopt when it is full (the event is not queued).
  std::optional<std::size_t> push(std::string line) noexcept;
  // Moves up to `max` events (oldest first) to the end of `out`; returns how many.
  std::size_t take(std::vector<std::string>& out, std::size_t max);
  std::size_t size() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<std::string> items_;
};

}  // namespace waf::proxy::report
