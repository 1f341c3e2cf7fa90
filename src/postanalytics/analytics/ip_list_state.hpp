#pragma once
// The grey and deny lists as plain data with a version that increases on every change. Pure: the
// time is a parameter. The analytics shell owns one behind a mutex and publishes its snapshots;
// lists.json is its serialisation.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "postanalytics/analytics/analytics.hpp"

namespace waf::postanalytics {

enum class IpList { grey, deny };

class IpListState {
 public:
  // Each mutation returns true (and bumps the version) when the content changed.
  bool put(IpList list, IpListEntry entry);
  bool remove(IpList list, std::string_view ip);
  // Drops entries whose expiry is at or before now_ms.
  bool expire(std::int64_t now_ms);
  // Replaces both lists (a refresh from Redis); bumps the version only if anything differs.
  bool replace(std::vector<IpListEntry> grey, std::vector<IpListEntry> deny);

  // Listed and not expired at now_ms.
  bool contains(IpList list, std::string_view ip, std::int64_t now_ms) const;
  std::uint64_t version() const noexcept { return version_; }
  // The earliest expiry of any entry, to know when the published snapshot goes stale.
  std::optional<std::int64_t> next_expiry() const;
  // Entries live at now_ms, sorted by ip.
  IpLists snapshot(std::int64_t now_ms) const;

 private:
  using Entries = std::map<std::string, IpListEntry, std::less<>>;
  Entries& entries(IpList list) noexcept { return list == IpList::grey ? grey_ : deny_; }
  const Entries& entries(IpList list) const noexcept { return list == IpList::grey ? grey_ : deny_; }
  Entries grey_, deny_;
  std::uint64_t version_ = 0;
};

// An address or a CIDR in canonical text ("10.0.0.1", "10.0.0.0/8", "2001:db8::/32"); the error
// says what is wrong with it.
Result<std::string> normalize_ip_or_cidr(std::string_view text);

// One entry as the JSON object of lists.json and of the Redis hashes:
// {"ip":"..","reason":"..","added_ms":N,"expires_ms":N|null}.
std::string entry_to_json(const IpListEntry& entry);
Result<IpListEntry> entry_from_json(std::string_view json);

// lists.json: {"version":1,"grey":[entry...],"deny":[entry...]} ("version" is the file format).
std::string lists_to_json(const IpLists& lists);
Result<IpLists> lists_from_json(std::string_view json);

}  // namespace waf::postanalytics
