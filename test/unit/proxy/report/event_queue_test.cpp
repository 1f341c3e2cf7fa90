#include "proxy/report/event_queue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>

using waf::proxy::report::EventQueue;

TEST_CASE("event queue: bounded, oldest first, full refuses") {
  EventQueue q(3);
  CHECK(q.push("a") == 1u);
  CHECK(q.push("b") == 2u);
  CHECK(q.push("c") == 3u);
  CHECK_FALSE(q.push("d").has_value());
  std::vector<std::string> out;
  CHECK(q.take(out, 2) == 2);
  CHECK(out == std::vector<std::string>{"a", "b"});
  CHECK(q.push("e") == 2u);
  CHECK(q.take(out, 10) == 2);
  CHECK(out == std::vector<std::string>{"a", "b", "c", "e"});
  CHECK(q.size() == 0);
}

TEST_CASE("event queue: many producers, nothing lost or duplicated") {
  EventQueue q(100000);
  std::atomic<int> refused{0};
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t) {
    producers.emplace_back([&q, &refused, t] {
      for (int i = 0; i < 1000; ++i) {
        if (!q.push(std::to_string(t * 1000 + i))) ++refused;
      }
    });
  }
  for (auto& p : producers) p.join();
  std::vector<std::string> out;
  q.take(out, 100000);
  CHECK(refused == 0);
  CHECK(out.size() == 4000);
  std::sort(out.begin(), out.end());
  CHECK(std::unique(out.begin(), out.end()) == out.end());
}
