#include "engine/parse/value_collector.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>

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

void ValueCollector::add_block(std::size_t size) {
  const std::size_t block = std::max(kBlockBytes, size);
  // Uninitialised: every byte handed out is written first (zeroing 4 KB per block was a tenth
  // of a small request's parsing).
  blocks_.push_back(std::unique_ptr<char[]>(new char[block]));
  block_free_ = blocks_.back().get();
  block_left_ = block;
}

std::string_view ValueCollector::store(std::string_view bytes) {
  char* at = reserve(bytes.size());
  std::copy(bytes.begin(), bytes.end(), at);
  return {at, bytes.size()};
}

std::string_view ValueCollector::joined_location(std::string_view head, std::string_view separator,
                                                 std::string_view tail) {
  const std::size_t size = std::min(head.size() + separator.size() + tail.size(), kMaxLocationBytes);
  char* const at = reserve(size);
  char* const end = at + size;
  char* p = at;
  for (const std::string_view part : {head, separator, tail}) {
    const std::size_t n = std::min(part.size(), static_cast<std::size_t>(end - p));
    p = std::copy_n(part.data(), n, p);
  }
  last_location_ = {at, size};
  return last_location_;
}

std::string_view ValueCollector::location(std::string_view prefix, std::string_view name) {
  return joined_location(prefix, prefix.empty() ? std::string_view{} : ".", name);
}

std::string_view ValueCollector::location(std::string_view prefix, std::size_t index) {
  char text[24] = {'['};
  char* end = std::to_chars(text + 1, text + sizeof text - 1, index).ptr;
  *end++ = ']';
  return joined_location(prefix, {}, std::string_view(text, static_cast<std::size_t>(end - text)));
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
  // A view from location() is the stored copy itself: no call, no compare.
  const bool stored = location.data() == last_location_.data() && location.size() == last_location_.size();
  const std::string_view at = stored ? last_location_ : stored_location(location);
  // Field by field into the vector: a temporary built on the stack and copied in 16-byte moves
  // stalled on store forwarding, which made this the hottest function of a GET's inspection.
  CollectedValue& value = values_.emplace_back();
  value.kind = kind;
  value.location = at;
  value.raw = raw.substr(0, keep);
  return true;
}

void append_location(std::string& path, std::string_view name) {
  if (path.size() >= kMaxLocationBytes) return;
  if (!path.empty()) path.push_back('.');
  path.append(name.substr(0, kMaxLocationBytes - std::min(path.size(), kMaxLocationBytes)));
}

}  // namespace waf::engine
