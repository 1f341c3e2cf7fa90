#include "postanalytics/event_store.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <functional>
#include <limits>

#include "common/glob.hpp"

namespace waf::postanalytics {
namespace {

constexpr std::size_t kMaxClasses = 64;
// glibc malloc (and mimalloc's size classes) add about this much to each heap block.
constexpr std::uint64_t kAllocationOverhead = 16;

std::uint64_t heap_bytes(const std::string& s) noexcept {
  // Short strings live inside the object (libstdc++ keeps up to 15 characters inline).
  return s.capacity() > 15 ? s.capacity() + 1 + kAllocationOverhead : 0;
}

EventAction parse_action(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kActionNames.size(); ++i) {
    if (text == kActionNames[i]) return static_cast<EventAction>(i);
  }
  return EventAction::other;
}

struct IpHash {
  std::size_t operator()(const net::IpAddress& ip) const noexcept {
    std::uint64_t a = 0, b = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      a = a << 8 | ip[i];
      b = b << 8 | ip[8 + i];
    }
    return std::hash<std::uint64_t>()(a * 0x9E3779B97F4A7C15ULL ^ b);
  }
};

// The n largest counts, ties broken by key so answers are stable.
template <typename Map, typename Make>
auto top_n(const Map& counts, std::size_t n, Make make) {
  using Entry = std::pair<typename Map::key_type, std::uint64_t>;
  std::vector<Entry> entries(counts.begin(), counts.end());
  const auto by_count = [](const Entry& a, const Entry& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const auto keep = std::min(n, entries.size());
  std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(keep), entries.end(), by_count);
  std::vector<decltype(make(entries.front()))> out;
  for (std::size_t i = 0; i < keep; ++i) out.push_back(make(entries[i]));
  return out;
}

using PathKey = std::pair<std::uint64_t, std::string_view>;  // ((namespace << 32) | app, path)
struct PathKeyHash {
  std::size_t operator()(const PathKey& k) const noexcept {
    return std::hash<std::string_view>()(k.second) ^ (k.first * 0x9E3779B97F4A7C15ULL);
  }
};

std::int64_t floor_to(std::int64_t t, std::int64_t step) noexcept {
  const std::int64_t r = t % step;
  return r < 0 ? t - r - step : t - r;
}

}  // namespace

std::string ip_text(const net::IpAddress& ip) {
  char text[INET6_ADDRSTRLEN] = {};
  const bool v4 = std::all_of(ip.begin(), ip.begin() + 10, [](std::uint8_t b) { return b == 0; }) && ip[10] == 0xFF &&
                  ip[11] == 0xFF;
  if (v4) inet_ntop(AF_INET, ip.data() + 12, text, sizeof text);
  else inet_ntop(AF_INET6, ip.data(), text, sizeof text);
  return text;
}

// A query with every name resolved to the store's ids: the scan compares integers only.
struct EventStore::Compiled {
  bool never = false;  // a filter names something the store has never seen
  std::int64_t since = std::numeric_limits<std::int64_t>::min();
  std::int64_t until = std::numeric_limits<std::int64_t>::max();
  std::uint64_t classes = 0;   // 0: any
  unsigned actions = 0;        // bits of EventAction; 0: any
  std::optional<std::uint32_t> namespace_id, app_id;
  const net::CidrSet* ip = nullptr;
  std::string_view path_glob;

  bool matches(const StoredEvent& e) const noexcept {
    if (e.time_ms < since || e.time_ms >= until) return false;
    if (classes != 0 && (e.classes & classes) == 0) return false;
    if (actions != 0 && (actions & (1U << static_cast<unsigned>(e.action))) == 0) return false;
    if (namespace_id && e.namespace_id != *namespace_id) return false;
    if (app_id && e.app_id != *app_id) return false;
    if (ip != nullptr && (!e.has_ip || !ip->contains(e.ip))) return false;
    if (!path_glob.empty() && !glob_match(path_glob, e.path)) return false;
    return true;
  }
};

std::uint32_t EventStore::intern(std::string_view name) {
  if (name.empty()) return 0;
  if (const auto found = name_ids_.find(std::string(name)); found != name_ids_.end()) return found->second;
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(name);
  name_ids_.emplace(name, id);
  return id;
}

std::optional<std::uint32_t> EventStore::lookup(std::string_view name) const {
  if (name.empty()) return 0;
  const auto found = name_ids_.find(std::string(name));
  if (found == name_ids_.end()) return std::nullopt;
  return found->second;
}

std::uint64_t EventStore::event_bytes(const StoredEvent& event) noexcept {
  return sizeof(StoredEvent) + heap_bytes(event.json) + heap_bytes(event.path);
}

bool EventStore::add_event(std::uint64_t id, IngestEvent&& in) {
  if (id <= last_id_) return false;
  last_id_ = id;
  StoredEvent& e = events_.emplace_back();
  e.id = id;
  e.time_ms = in.time_ms;
  e.json = std::move(in.json);
  e.json.shrink_to_fit();
  e.path = std::move(in.path);
  e.path.shrink_to_fit();
  if (const auto ip = net::parse_ip(in.client_ip)) {
    e.ip = *ip;
    e.has_ip = true;
  }
  e.action = parse_action(in.action);
  e.namespace_id = intern(in.namespace_name);
  e.app_id = intern(in.app);
  for (const auto& cls : in.classes) {
    auto found = class_ids_.find(cls);
    if (found == class_ids_.end()) {
      // Names past the 64th are stored in the JSON but not indexed: only a buggy or hostile
      // sender invents that many classes.
      if (class_names_.size() >= kMaxClasses) continue;
      found = class_ids_.emplace(cls, static_cast<std::uint32_t>(class_names_.size())).first;
      class_names_.push_back(cls);
    }
    e.classes |= std::uint64_t{1} << found->second;
  }
  bytes_ += event_bytes(e);
  evict();
  return true;
}

void EventStore::add_stats(const IngestStats& stats) {
  const MinuteKey key{floor_to(stats.minute_ms, 60'000), intern(stats.namespace_name), intern(stats.app)};
  auto [it, inserted] = minutes_.try_emplace(key);
  if (inserted) bytes_ += kMinuteBytes;
  it->second.total += stats.requests;
  for (std::size_t i = 0; i < 5; ++i) it->second.by_status[i] += stats.by_status[i];
  evict();
}

// Oldest first across both kinds: whichever of the oldest event and the oldest minute is older.
void EventStore::evict() {
  while (bytes_ > budget_ && (!events_.empty() || !minutes_.empty())) {
    const bool event_first =
        !events_.empty() && (minutes_.empty() || events_.front().time_ms <= minutes_.begin()->first.minute_ms);
    if (event_first) {
      bytes_ -= event_bytes(events_.front());
      events_.pop_front();
      ++evicted_;
    } else {
      bytes_ -= kMinuteBytes;
      minutes_.erase(minutes_.begin());
    }
  }
}

std::optional<std::int64_t> EventStore::oldest_stats_minute() const noexcept {
  if (minutes_.empty()) return std::nullopt;
  return minutes_.begin()->first.minute_ms;
}

const StoredEvent* EventStore::find(std::uint64_t id) const noexcept {
  const auto it = std::lower_bound(events_.begin(), events_.end(), id,
                                   [](const StoredEvent& e, std::uint64_t wanted) { return e.id < wanted; });
  return it != events_.end() && it->id == id ? &*it : nullptr;
}

EventStore::Compiled EventStore::compile(const EventQuery& q) const {
  Compiled c;
  if (q.since_ms) c.since = *q.since_ms;
  if (q.until_ms) c.until = *q.until_ms;
  for (const auto& name : q.classes) {
    if (const auto found = class_ids_.find(name); found != class_ids_.end()) c.classes |= std::uint64_t{1} << found->second;
  }
  if (!q.classes.empty() && c.classes == 0) c.never = true;
  for (const auto& name : q.actions) {
    const auto action = parse_action(name);
    if (action != EventAction::other) c.actions |= 1U << static_cast<unsigned>(action);
  }
  if (!q.actions.empty() && c.actions == 0) c.never = true;
  if (q.namespace_name) {
    c.namespace_id = lookup(*q.namespace_name);
    if (!c.namespace_id) c.never = true;
  }
  if (q.app) {
    c.app_id = lookup(*q.app);
    if (!c.app_id) c.never = true;
  }
  if (q.ip) c.ip = &*q.ip;
  c.path_glob = q.path_glob;
  return c;
}

EventPage EventStore::query(const EventQuery& query, std::size_t limit, std::optional<std::uint64_t> before_id) const {
  EventPage page;
  const Compiled c = compile(query);
  if (c.never) return page;
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    if (!c.matches(*it)) continue;
    ++page.matched;
    if (before_id && it->id >= *before_id) continue;
    if (page.events.size() < limit) {
      page.events.push_back(&*it);
    } else if (!page.next_cursor) {
      page.next_cursor = page.events.back()->id;
    }
  }
  return page;
}

StatsResult EventStore::stats(const EventQuery& query, std::int64_t since_ms, std::int64_t until_ms,
                              std::int64_t bucket_ms) const {
  StatsResult result;
  EventQuery ranged = query;
  ranged.since_ms = since_ms;
  ranged.until_ms = until_ms;
  const Compiled c = compile(ranged);

  const std::int64_t first_bucket = floor_to(since_ms, bucket_ms);
  const auto buckets = static_cast<std::size_t>(until_ms > since_ms ? (until_ms - 1 - first_bucket) / bucket_ms + 1 : 0);
  std::vector<std::uint64_t> totals(buckets, 0);
  std::vector<std::array<std::uint32_t, kMaxClasses>> bucket_classes;  // grown only for busy buckets
  std::vector<std::uint32_t> bucket_class_index(buckets, 0);           // 0: none yet, else index + 1
  std::array<std::uint64_t, kMaxClasses> class_totals{};
  std::unordered_map<net::IpAddress, std::uint64_t, IpHash> ips;
  std::unordered_map<PathKey, std::uint64_t, PathKeyHash> paths;
  std::unordered_map<std::uint64_t, std::uint64_t> apps;

  if (!c.never) {
    for (const StoredEvent& e : events_) {
      if (!c.matches(e)) continue;
      const auto b = static_cast<std::size_t>((e.time_ms - first_bucket) / bucket_ms);
      ++totals[b];
      if (e.classes != 0) {
        if (bucket_class_index[b] == 0) {
          bucket_classes.emplace_back();
          bucket_classes.back().fill(0);
          bucket_class_index[b] = static_cast<std::uint32_t>(bucket_classes.size());
        }
        auto& per_class = bucket_classes[bucket_class_index[b] - 1];
        for (std::uint64_t bits = e.classes; bits != 0; bits &= bits - 1) {
          const auto bit = static_cast<std::size_t>(__builtin_ctzll(bits));
          ++per_class[bit];
          ++class_totals[bit];
        }
      }
      if (e.action != EventAction::other) ++result.by_action[static_cast<std::size_t>(e.action)];
      if (e.has_ip) ++ips[e.ip];
      const std::uint64_t app_key = std::uint64_t{e.namespace_id} << 32 | e.app_id;
      ++paths[{app_key, std::string_view(e.path)}];
      ++apps[app_key];
    }
  }

  result.timeline.reserve(buckets);
  for (std::size_t b = 0; b < buckets; ++b) {
    StatsResult::Bucket& bucket = result.timeline.emplace_back();
    bucket.time_ms = first_bucket + static_cast<std::int64_t>(b) * bucket_ms;
    bucket.total = totals[b];
    if (bucket_class_index[b] != 0) {
      const auto& per_class = bucket_classes[bucket_class_index[b] - 1];
      for (std::size_t i = 0; i < class_names_.size(); ++i) {
        if (per_class[i] != 0) bucket.by_class.push_back({class_names_[i], per_class[i]});
      }
    }
  }
  for (std::size_t i = 0; i < class_names_.size(); ++i) {
    if (class_totals[i] != 0) result.by_class.push_back({class_names_[i], class_totals[i]});
  }
  std::sort(result.by_class.begin(), result.by_class.end(),
            [](const NamedCount& a, const NamedCount& b) { return a.count != b.count ? a.count > b.count : a.name < b.name; });
  result.top_ips = top_n(ips, kTopEntries, [](const auto& entry) { return NamedCount{ip_text(entry.first), entry.second}; });
  result.top_paths = top_n(paths, kTopEntries, [this](const auto& entry) {
    return StatsResult::AppCount{names_[entry.first.first >> 32], names_[entry.first.first & 0xFFFFFFFFU],
                                 std::string(entry.first.second), entry.second};
  });
  result.top_apps = top_n(apps, kTopEntries, [this](const auto& entry) {
    return StatsResult::AppCount{names_[entry.first >> 32], names_[entry.first & 0xFFFFFFFFU], {}, entry.second};
  });

  // Request counts come from the stats records, which know only namespace, app and time.
  std::optional<std::uint32_t> ns, app;
  if (query.namespace_name && !(ns = lookup(*query.namespace_name))) return result;
  if (query.app && !(app = lookup(*query.app))) return result;
  for (auto it = minutes_.lower_bound(MinuteKey{since_ms, 0, 0}); it != minutes_.end() && it->first.minute_ms < until_ms;
       ++it) {
    if ((ns && it->first.namespace_id != *ns) || (app && it->first.app_id != *app)) continue;
    result.requests += it->second.total;
    for (std::size_t i = 0; i < 5; ++i) result.requests_by_status[i] += it->second.by_status[i];
  }
  return result;
}

}  // namespace waf::postanalytics
