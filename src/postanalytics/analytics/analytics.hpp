#pragma once
// Behavioural detection and the IP lists of postanalytics (issue 6): per-IP window counters of
// failing logins, 404s, requests and attack events grey-list an IP for --grey-ttl when one crosses
// its threshold; the deny list is managed through the API. Single replica: everything in memory
// (lists persisted to <data_dir>/lists.json). With --redis: counters and lists live in Redis, shared
// by every replica. Ingest only queues observations; the analytics thread does all I/O.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics.hpp"
#include "common/result.hpp"

namespace waf::postanalytics {

struct IpListEntry {
  std::string ip;  // an address or a CIDR
  std::string reason;
  std::int64_t added_ms = 0;
  std::optional<std::int64_t> expires_ms;  // nullopt: no expiry
};

struct IpLists {
  std::uint64_t version = 0;  // increases on every change of either list
  std::vector<IpListEntry> grey, deny;  // sorted by ip, expired entries removed
};

struct AnalyticsOptions {
  std::string redis_url;  // redis://host:port[/db]; empty: single replica, local state
  std::string data_dir;   // set by core from --data-dir: lists.json lives there
  std::string grey_ttl = "10m";
  std::string login_paths = "*login*,*signin*,*auth*,*token*,*password*";
  std::uint64_t brute_force_threshold = 20;
  std::uint64_t forced_browsing_threshold = 50;
  std::uint64_t flood_threshold = 3000;
  std::uint64_t attack_threshold = 10;
  std::string behaviour_window = "60s";
};

// Registers --redis, --grey-ttl, --login-paths, --*-threshold and --behaviour-window.
void add_analytics_options(CLI::App& app, AnalyticsOptions& options);

struct AttackSeen {
  std::string client_ip;
  std::int64_t time_ms = 0;
};

// One row of a waf.stats/v1 record: count responses of status to (ip, method, path template).
struct StatsRow {
  std::string ip, method, path;
  int status = 0;
  std::uint64_t count = 0;
};

class Analytics {
 public:
  // Validates the options (durations, globs, redis URL) and starts the analytics thread.
  static Result<std::unique_ptr<Analytics>> start(const AnalyticsOptions& options, metrics::Registry& registry);
  ~Analytics();
  Analytics(const Analytics&) = delete;
  Analytics& operator=(const Analytics&) = delete;

  // Queued for the analytics thread; never waits on Redis. A full queue drops the observation
  // and counts it in waf_postanalytics_analytics_dropped_total.
  void observe(std::vector<AttackSeen> attacks, std::vector<StatsRow> rows);
  // The current snapshot; entries past their expiry are never in it.
  std::shared_ptr<const IpLists> lists() const;
  // Adds or replaces a deny entry (an address or CIDR; the error names a bad one).
  Result<IpListEntry> deny(std::string ip_or_cidr, std::string reason, std::optional<std::chrono::seconds> ttl);
  // False when the entry was not listed.
  bool undeny(std::string_view ip_or_cidr);
  bool ungrey(std::string_view ip);
  // Stops the thread and persists the lists; idempotent (the destructor calls it).
  void stop();

 private:
  class Impl;
  explicit Analytics(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace waf::postanalytics
