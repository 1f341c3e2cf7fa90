#pragma once
// Counters and IP lists shared by replicas through Redis.
//   waf:count:<kind>:<ip>:<bucket>  INCRBY + EXPIRE per window bucket; a window total is an MGET
//                                   of the bucket keys of the last kWindowBuckets buckets
//   waf:grey, waf:deny              hashes ip -> entry JSON (entry_to_json)
//   waf:lists:version               INCR on every list change; replicas reload the hashes when it moves
// The command builders and reply readers are pure (tested without a server); RedisState runs them
// over a RedisClient on the analytics thread.
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "postanalytics/analytics/behaviour.hpp"
#include "postanalytics/analytics/ip_list_state.hpp"
#include "postanalytics/analytics/redis_client.hpp"

namespace waf::postanalytics {

inline constexpr std::string_view kRedisGreyKey = "waf:grey";
inline constexpr std::string_view kRedisDenyKey = "waf:deny";
inline constexpr std::string_view kRedisVersionKey = "waf:lists:version";

std::string redis_counter_key(BehaviourKind kind, std::string_view ip, std::int64_t bucket);

// Three commands per increment: INCRBY, EXPIRE (the window plus a bucket, so a key outlives its
// use and no longer), MGET of the window's bucket keys.
std::vector<RedisClient::Command> counter_commands(const BehaviourConfig& config,
                                                   std::span<const CounterIncrement> increments);
// The window total of each increment from the replies of counter_commands.
Result<std::vector<std::uint64_t>> window_totals(std::span<const RespValue> replies);

// A change of a list to write to Redis: put (HSET) or remove (HDEL), then INCR of the version.
struct ListChange {
  IpList list;
  bool put = true;
  IpListEntry entry;  // remove: only ip is used
};
std::vector<RedisClient::Command> list_change_commands(std::span<const ListChange> changes);
// The entries of an HGETALL reply; values that are not entries are skipped.
std::vector<IpListEntry> entries_from_hgetall(const RespValue& reply);

struct SharedLists {
  std::vector<IpListEntry> grey, deny;
};

class RedisState {
 public:
  RedisState(RedisEndpoint endpoint, const BehaviourConfig& config, std::chrono::milliseconds timeout);
  // Adds the increments and returns the window total of each.
  Result<std::vector<std::uint64_t>> add(std::span<const CounterIncrement> increments);
  Status apply(std::span<const ListChange> changes);
  // Both lists when the version key moved since the last successful load (or on the first call),
  // nullopt when nothing changed.
  Result<std::optional<SharedLists>> load_if_changed();

 private:
  RedisClient client_;
  const BehaviourConfig& config_;
  std::optional<std::string> loaded_version_;
};

}  // namespace waf::postanalytics
