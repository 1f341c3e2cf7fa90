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

bool ValueCollector::add(LocationKind kind, std::string_view location, std::string_view raw) {
  if (raw.empty()) return !exhausted_;
  const std::size_t keep = admit(raw.size());
  if (keep == 0) return false;
  values_.push_back(CollectedValue{kind, std::string(location.substr(0, kMaxLocationBytes)), raw.substr(0, keep), {}, false});
  return true;
}

bool ValueCollector::add_copy(LocationKind kind, std::string_view location, std::string_view raw) {
  if (raw.empty()) return !exhausted_;
  const std::size_t keep = admit(raw.size());
  if (keep == 0) return false;
  const std::string& stored = storage_.emplace_back(raw.substr(0, keep));
  values_.push_back(CollectedValue{kind, std::string(location.substr(0, kMaxLocationBytes)), stored, {}, false});
  return true;
}

void append_location(std::string& path, std::string_view name) {
  if (path.size() >= kMaxLocationBytes) return;
  if (!path.empty()) path.push_back('.');
  path.append(name.substr(0, kMaxLocationBytes - std::min(path.size(), kMaxLocationBytes)));
}

}  // namespace waf::engine
