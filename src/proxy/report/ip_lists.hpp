#pragma once
// The grey and deny lists pulled from postanalytics (GET /ingest/v1/lists), and the store that
// hands the current ones to every worker. Workers load a shared_ptr per request (no lock); the
// reporter thread swaps in a new snapshot after a pull, and whenever an entry expires.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/cidr.hpp"
#include "common/result.hpp"
#include "engine/engine.hpp"

namespace waf::proxy::report {

struct PulledEntry {
  std::string ip;                         // an address or a CIDR
  std::optional<std::int64_t> expires_ms;  // unix ms; none: no expiry
};

struct PulledLists {
  std::uint64_t version = 0;
  std::vector<PulledEntry> grey, deny;
};

// The body of GET /ingest/v1/lists. The error names what is wrong; entries whose "ip" is not an
// address or a CIDR are an error too (a list the proxy cannot enforce as sent).
Result<PulledLists> parse_lists(std::string_view json);

// The entries in force at `now_ms`, ready for engine::inspect.
struct ActiveIpLists {
  std::uint64_t version = 0;
  net::CidrSet grey, deny;
  std::optional<std::int64_t> next_expiry_ms;  // the earliest expiry still ahead
  engine::SharedIpLists shared() const noexcept { return {&grey, &deny}; }
};

ActiveIpLists active_lists(const PulledLists& lists, std::int64_t now_ms);

class IpListStore {
 public:
  IpListStore() : current_(std::make_shared<const ActiveIpLists>()) {}
  std::shared_ptr<const ActiveIpLists> current() const noexcept { return current_.load(std::memory_order_acquire); }
  void set(std::shared_ptr<const ActiveIpLists> lists) noexcept { current_.store(std::move(lists), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const ActiveIpLists>> current_;
};

}  // namespace waf::proxy::report
