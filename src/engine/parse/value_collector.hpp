#pragma once
// Where parsers put the values they find, within the request's budgets (Limits). Parsers stop
// walking as soon as add() returns false; the collector remembers that the inspection is partial.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/limits.hpp"
#include "engine/value.hpp"

namespace waf::engine {

// A location path longer than this is cut: keys are client-controlled, and a 10 KB JSON key
// must not become a 10 KB location in every event.
inline constexpr std::size_t kMaxLocationBytes = 128;

struct CollectedValue {
  LocationKind kind;
  std::string_view location;  // into the collector's storage
  std::string_view raw;       // into the request, or into the collector's storage
  std::string decoded;   // filled by the decode chain; empty when decoding changed nothing
  bool decoded_differs = false;
};

class ValueCollector {
 public:
  explicit ValueCollector(const Limits& limits) : limits_(limits) { values_.reserve(64); }
  ValueCollector(const ValueCollector&) = delete;
  ValueCollector& operator=(const ValueCollector&) = delete;

  // Adds a value whose bytes outlive the collector (a view into the request). Empty values are
  // skipped. Returns false once a budget is exhausted: the caller stops walking.
  bool add(LocationKind kind, std::string_view location, std::string_view raw);
  // Same, for bytes that the parser produced (an unescaped JSON string): copied into storage.
  bool add_copy(LocationKind kind, std::string_view location, std::string_view raw);

  void mark_partial() noexcept { partial_ = true; }
  bool partial() const noexcept { return partial_; }
  bool exhausted() const noexcept { return exhausted_; }
  const Limits& limits() const noexcept { return limits_; }
  std::vector<CollectedValue>& values() noexcept { return values_; }
  const std::vector<CollectedValue>& values() const noexcept { return values_; }

 private:
  // Checks the budgets for one more value of `size` bytes; returns the bytes to keep (0 = stop).
  std::size_t admit(std::size_t size);
  // Copies `bytes` into storage that never moves: blocks are only ever added, so views into
  // them stay valid for the collector's lifetime. One allocation per block instead of one or two
  // per value, which is most of the parsing cost of a JSON body.
  std::string_view store(std::string_view bytes);

  static constexpr std::size_t kBlockBytes = 4096;
  const Limits& limits_;
  std::vector<CollectedValue> values_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* block_free_ = nullptr;
  std::size_t block_left_ = 0;
  std::size_t bytes_ = 0;
  bool partial_ = false;
  bool exhausted_ = false;
};

// Appends ".name" (or "name" to an empty path) cut at kMaxLocationBytes.
void append_location(std::string& path, std::string_view name);

}  // namespace waf::engine
