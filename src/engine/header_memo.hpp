#pragma once
// What the detectors found in header values seen before, so that a worker scans a given
// User-Agent or Host once rather than on every request. Header values repeat far more than
// arguments do: the clients of a service send a handful of User-Agents, one Host and a few
// Referers, and those two headers alone were a quarter of a browser GET's inspection.
//
// Owned by one thread (a proxy worker): no locks. Bound to one compiled policy, which it keeps
// alive so that its address cannot be reused by another; binding another forgets everything.
// Only header values are remembered (cookies and arguments are per user or per request), up to
// kMaxValueBytes each, in kSlots slots chosen by hash: an unseen value replaces what its slot held,
// so memory stays bounded whatever clients send.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/finding.hpp"
#include "engine/policy/compiled_policy.hpp"

namespace waf::engine {

class HeaderMemo {
 public:
  static constexpr std::size_t kSlots = 64;
  static constexpr std::size_t kMaxValueBytes = 512;

  // Forgets everything unless `policy` is the one already bound.
  // Called on every request: the pointer is copied only when it changes.
  void bind(const std::shared_ptr<const CompiledPolicy>& policy) noexcept;
  const CompiledPolicy* policy() const noexcept { return policy_.get(); }

  // The findings remembered for this header value, or null when it was not seen (or was evicted).
  // The findings are every enabled-or-not detector's: the caller applies its own policy view.
  const Findings* find(std::string_view location, std::string_view value) const noexcept;
  // Remembers `findings` for the value; values over kMaxValueBytes are not kept. May throw
  // std::bad_alloc, which leaves the slot empty.
  void remember(std::string_view location, std::string_view value, const Findings& findings);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    bool used = false;
    std::string location, value;
    Findings findings;
  };
  static std::uint64_t hash_of(std::string_view location, std::string_view value) noexcept;

  std::shared_ptr<const CompiledPolicy> policy_;
  std::array<Slot, kSlots> slots_{};
};

}  // namespace waf::engine
