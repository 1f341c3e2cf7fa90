#pragma once
// Polls a result of a background thread (the analytics or exporter thread): bounded to 5 s, so a
// test waits on the condition rather than on a fixed sleep.
#include <chrono>
#include <thread>

namespace waf::postanalytics::test {

template <typename Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

}  // namespace waf::postanalytics::test
