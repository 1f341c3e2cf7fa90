#pragma once
// The in-memory store of postanalytics: attack events and per-minute request counts within a
// byte budget, oldest evicted first. Pure (no clock, no I/O, one thread): the ingest shell adds
// what was acknowledged, the API asks questions.
//
// Events are kept in arrival order in one deque (ids increase with arrival), each with compact
// index fields (interned namespace/app, class bits, action, binary IP, path) beside its JSON
// text, so a filtered scan of 100,000 events is a tight loop over small records (a few ms,
// measured by the unit test and bench/postanalytics_bench.py).
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/net/cidr.hpp"
#include "postanalytics/batch.hpp"

namespace waf::postanalytics {

enum class EventAction : std::uint8_t { blocked, monitored, denied, other };
inline constexpr std::array<std::string_view, 3> kActionNames = {"blocked", "monitored", "denied"};

struct StoredEvent {
  std::uint64_t id = 0;
  std::int64_t time_ms = 0;
  std::string json;  // the minified waf.event/v1 object as received
  std::string path;
  net::IpAddress ip{};
  bool has_ip = false;
  EventAction action = EventAction::other;
  std::uint32_t namespace_id = 0, app_id = 0;  // interned; 0: absent
  std::uint64_t classes = 0;                   // bits of the store's class table
};

// Filters of /api/v1/events and /api/v1/stats, as the API read them. Lists mean "any of".
struct EventQuery {
  std::optional<std::int64_t> since_ms, until_ms;  // since inclusive, until exclusive
  std::vector<std::string> classes, actions;
  std::optional<std::string> namespace_name, app;
  std::optional<net::CidrSet> ip;
  std::string path_glob;  // empty: any path
};

struct EventPage {
  std::vector<const StoredEvent*> events;  // newest first; valid until the store changes
  std::uint64_t matched = 0;               // every match, not only this page
  std::optional<std::uint64_t> next_cursor;
};

struct NamedCount {
  std::string name;
  std::uint64_t count = 0;
};

struct StatsResult {
  struct Bucket {
    std::int64_t time_ms = 0;
    std::uint64_t total = 0;
    std::vector<NamedCount> by_class;
  };
  struct AppCount {
    std::string namespace_name, app, path;  // path empty in top_apps
    std::uint64_t count = 0;
  };
  std::vector<Bucket> timeline;
  std::vector<NamedCount> top_ips, by_class;
  std::vector<AppCount> top_paths, top_apps;
  std::array<std::uint64_t, 3> by_action{};  // in kActionNames order
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 5> requests_by_status{};  // 1xx..5xx
};

inline constexpr std::size_t kTopEntries = 10;

class EventStore {
 public:
  explicit EventStore(std::uint64_t budget_bytes) : budget_(budget_bytes) {}

  // Ids must increase; an id at or below the newest one is ignored (false), so a replay that
  // meets a record twice stores it once.
  bool add_event(std::uint64_t id, IngestEvent&& event);
  // Adds a stats record's deltas to its (minute, namespace, app) counts.
  void add_stats(const IngestStats& stats);

  const StoredEvent* find(std::uint64_t id) const noexcept;
  // Newest first, ids below `before_id` when given (the cursor of the previous page).
  EventPage query(const EventQuery& query, std::size_t limit, std::optional<std::uint64_t> before_id) const;
  // Aggregates of the events matching `query` in [since_ms, until_ms), timeline buckets of
  // bucket_ms aligned to the epoch; request counts of the minutes in range (namespace/app filters).
  StatsResult stats(const EventQuery& query, std::int64_t since_ms, std::int64_t until_ms, std::int64_t bucket_ms) const;

  std::size_t events() const noexcept { return events_.size(); }
  std::uint64_t bytes() const noexcept { return bytes_; }
  std::uint64_t evicted_events() const noexcept { return evicted_; }
  std::uint64_t last_id() const noexcept { return last_id_; }
  // Every event below this id is gone from memory (the log may drop them).
  std::uint64_t oldest_live_id() const noexcept { return events_.empty() ? last_id_ + 1 : events_.front().id; }
  // Every stats minute below this one is gone from memory; nullopt when none is held.
  std::optional<std::int64_t> oldest_stats_minute() const noexcept;

  // Bytes one event costs: its record plus each heap block with the allocator's overhead.
  static std::uint64_t event_bytes(const StoredEvent& event) noexcept;
  static constexpr std::uint64_t kMinuteBytes = 96;  // a map node of MinuteKey + RequestCounts

 private:
  struct MinuteKey {
    std::int64_t minute_ms;
    std::uint32_t namespace_id, app_id;
    auto operator<=>(const MinuteKey&) const = default;
  };
  struct RequestCounts {
    std::uint64_t total = 0;
    std::array<std::uint64_t, 5> by_status{};
  };
  struct Compiled;

  std::uint32_t intern(std::string_view name);
  std::optional<std::uint32_t> lookup(std::string_view name) const;
  Compiled compile(const EventQuery& query) const;
  void evict();

  std::uint64_t budget_;
  std::uint64_t bytes_ = 0;
  std::uint64_t evicted_ = 0;
  std::uint64_t last_id_ = 0;
  std::deque<StoredEvent> events_;
  std::map<MinuteKey, RequestCounts> minutes_;
  std::vector<std::string> names_{std::string()};  // namespaces and apps; 0 is "absent"
  std::unordered_map<std::string, std::uint32_t> name_ids_;
  std::vector<std::string> class_names_;  // at most 64: one bit each
  std::unordered_map<std::string, std::uint32_t> class_ids_;
};

// "203.0.113.7" for an IPv4-mapped address, RFC 5952 text for IPv6.
std::string ip_text(const net::IpAddress& ip);

}  // namespace waf::postanalytics
