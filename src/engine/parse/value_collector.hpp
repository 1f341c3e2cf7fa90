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

// Trivially copyable: the engine collects hundreds per request, so no member owns memory.
struct CollectedValue {
  LocationKind kind;
  std::string_view location;  // into the collector's storage
  std::string_view raw;       // into the request, the collector's storage or an owner it keeps
  std::string_view decoded;   // set by the engine (collector storage); empty when decoding changed nothing
  bool decoded_differs = false;
};

class ValueCollector {
 public:
  explicit ValueCollector(const Limits& limits) : limits_(limits) { values_.reserve(128); }
  ValueCollector(const ValueCollector&) = delete;
  ValueCollector& operator=(const ValueCollector&) = delete;

  // Adds a value whose bytes outlive the collector (a view into the request, or into an owner
  // given to keep()). Empty values are skipped. Returns false once a budget is exhausted: the caller stops walking.
  bool add(LocationKind kind, std::string_view location, std::string_view raw);
  // Keeps `owner` alive as long as the collector, so that add() may take views into it: a JSON
  // parser's unescaped strings are collected without a copy each.
  void keep(std::shared_ptr<const void> owner) { owners_.push_back(std::move(owner)); }
  // Copies `bytes` into storage that lives as long as the collector (a decoded view).
  std::string_view store(std::string_view bytes);
  // The stored location "prefix.name" ("name" under an empty prefix) or "prefix[index]", cut at
  // kMaxLocationBytes: built once in storage, where a location assembled in a std::string is
  // compared and copied again by each add() (a tenth of collecting a query or a JSON body).
  // add() takes the view as is, and a parser may use it as the prefix of nested locations.
  std::string_view location(std::string_view prefix, std::string_view name);
  std::string_view location(std::string_view prefix, std::size_t index);

  void mark_partial() noexcept { partial_ = true; }
  bool partial() const noexcept { return partial_; }
  bool exhausted() const noexcept { return exhausted_; }
  const Limits& limits() const noexcept { return limits_; }
  std::vector<CollectedValue>& values() noexcept { return values_; }
  const std::vector<CollectedValue>& values() const noexcept { return values_; }

 private:
  // Checks the budgets for one more value of `size` bytes; returns the bytes to keep (0 = stop).
  std::size_t admit(std::size_t size);
  // The stored copy of `location` (cut at kMaxLocationBytes). Parsers add a name and its value,
  // or a JSON key and its value, at the same location one after the other: they share one copy.
  std::string_view stored_location(std::string_view location);
  // Room for `size` bytes of storage, which the caller then fills.
  char* reserve(std::size_t size) {
    if (size > block_left_) add_block(size);
    char* at = block_free_;
    block_free_ += size;
    block_left_ -= size;
    return at;
  }
  void add_block(std::size_t size);
  // Stores head + separator + tail, cut at kMaxLocationBytes, as the last location.
  std::string_view joined_location(std::string_view head, std::string_view separator, std::string_view tail);

  // Storage never moves: blocks are only ever added, so views into them stay valid for the
  // collector's lifetime. One allocation per block instead of one or two per value.
  static constexpr std::size_t kBlockBytes = 4096;
  const Limits& limits_;
  std::vector<CollectedValue> values_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::shared_ptr<const void>> owners_;
  std::string_view last_location_;
  char* block_free_ = nullptr;
  std::size_t block_left_ = 0;
  std::size_t bytes_ = 0;
  bool partial_ = false;
  bool exhausted_ = false;
};

// Appends ".name" (or "name" to an empty path) cut at kMaxLocationBytes.
void append_location(std::string& path, std::string_view name);

}  // namespace waf::engine
