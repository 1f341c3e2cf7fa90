#include "engine/header_memo.hpp"

#include <functional>

namespace waf::engine {

void HeaderMemo::bind(const std::shared_ptr<const CompiledPolicy>& policy) noexcept {
  if (policy == policy_) return;
  policy_ = policy;
  for (Slot& slot : slots_) slot.used = false;
}

std::uint64_t HeaderMemo::hash_of(std::string_view location, std::string_view value) noexcept {
  const std::hash<std::string_view> h;
  return h(value) * 31 + h(location);
}

const Findings* HeaderMemo::find(std::string_view location, std::string_view value) const noexcept {
  if (value.size() > kMaxValueBytes) return nullptr;
  const std::uint64_t hash = hash_of(location, value);
  const Slot& slot = slots_[hash % kSlots];
  if (!slot.used || slot.hash != hash || slot.value != value || slot.location != location) return nullptr;
  return &slot.findings;
}

void HeaderMemo::remember(std::string_view location, std::string_view value, const Findings& findings) {
  if (value.size() > kMaxValueBytes) return;
  const std::uint64_t hash = hash_of(location, value);
  Slot& slot = slots_[hash % kSlots];
  slot.used = false;
  slot.location.assign(location);
  slot.value.assign(value);
  slot.findings = findings;
  slot.hash = hash;
  slot.used = true;
}

}  // namespace waf::engine
