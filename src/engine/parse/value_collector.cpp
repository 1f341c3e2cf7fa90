#include "engine/parse/value_collector.hpp"

#include <algorithm>

namespace waf::engine {

std::size_t ValueCollector::admit(std::size_t size) {
  if (exhausted_) return 0;
  if (values_.size() >= limits_.max_values || bytes_ >= limits_.max_bytes) {
    exhausted_ = true;
    partial_ = true;
    return 0;
  }
  std::size_t keep = std::min({size, limits_.max_value_bytes, limits_.max_bytes - bytes_});
  if (keep < size) partial_ = true;
  bytes_ += keep;
  return keep;
}

std::string_view ValueCollector::store(std::string_view bytes) {
  if (bytes.size() > block_left_) {
    const std::size_t size = std::max(kBlockBytes, bytes.size());
    // Uninitialised: every byte handed out is written first (zeroing 4 KB per block was a tenth
    // of a small request's parsing).
    blocks_.push_back(std::unique_ptr<char[]>(new char[size]));
    block_free_ = blocks_.back().get();
    block_left_ = size;
  }
  char* at = block_free_;
  std::copy(bytes.begin(), bytes.end(), at);
  block_free_ += bytes.size();
  block_left_ -= bytes.size();
  return {at, bytes.size()};
}

std::string_view ValueCollector::stored_location(std::string_view location) {
  location = location.substr(0, kMaxLocationBytes);
  if (location != last_location_) last_location_ = store(location);
  return last_location_;
}

bool ValueCollector::add(LocationKind kind, std::string_view location, std::string_view raw) {
  if (raw.empty()) return !exhausted_;
  const std::size_t keep = admit(raw.size());
  if (keep == 0) return false;
  values_.push_back(CollectedValue{kind, stored_location(location), raw.substr(0, keep), {}, false});
  return true;
}

void append_location(std::string& path, std::string_view name) {
  if (path.size() >= kMaxLocationBytes) return;
  if (!path.empty()) path.push_back('.');
  path.append(name.substr(0, kMaxLocationBytes - std::min(path.size(), kMaxLocationBytes)));
}

}  // namespace waf::engine
