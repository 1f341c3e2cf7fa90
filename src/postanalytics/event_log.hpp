#pragma once
// The append-only log of --data-dir: what was acknowledged survives kill -9.
//
// Segment files seg-<20 digit number>.log hold framed records (log_record.hpp). One writer thread
// appends: it takes every queued batch, writes them with one write(2), fdatasyncs once (group
// commit) and only then reports each batch done, so an acknowledgement always follows the fsync.
// A segment past `segment_bytes` is sealed; the next starts with the dedupe table (senders record).
// On open, every segment is replayed in order; a torn tail (incomplete or bad-CRC record at the end
// of the last segment, from a crash mid-write) is truncated away. Compaction deletes sealed
// segments whose events and minutes have all left memory, and rewrites those that only still hold
// request statistics, keeping just their stats lines.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/result.hpp"
#include "postanalytics/log_record.hpp"
#include "postanalytics/postanalytics_metrics.hpp"

namespace waf::postanalytics {

struct LogOptions {
  std::string dir;
  std::uint64_t segment_bytes = 64 * 1024 * 1024;
};

// What a replayed batch held, for compaction: the newest stats minute (nullopt: no stats line).
using ReplayBatch = std::function<std::optional<std::int64_t>(const BatchRecord& record)>;

struct ReplayResult {
  std::uint64_t next_id = 1;  // the first id never used
  std::unordered_map<std::string, std::uint64_t> senders;
  std::uint64_t records = 0;
  std::uint64_t truncated_bytes = 0;  // torn tail removed
};

// What compaction may drop: events below oldest_live_id, stats minutes below oldest_stats_minute
// (nullopt: no minute is held, every stats line may go).
struct LiveRange {
  std::uint64_t oldest_live_id = 0;
  std::optional<std::int64_t> oldest_stats_minute;
};

class EventLog {
 public:
  // Locks the directory (one server per --data-dir), replays it through `replay`, and starts the
  // writer thread on a fresh segment.
  static Result<std::unique_ptr<EventLog>> open(const LogOptions& options, const ReplayBatch& replay,
                                                ReplayResult& result, PostanalyticsMetrics& metrics);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Queues the batch; `done(ok)` runs on the writer thread once it is on disk (ok) or the write
  // failed (then the log refuses everything after it: an fsync error leaves the file unknown).
  void append(BatchRecord record, std::optional<std::int64_t> newest_stats_minute, std::function<void(bool ok)> done);
  // Asks the writer thread to compact sealed segments once it is idle.
  void compact(LiveRange live);
  // Writes what is queued, syncs and joins the writer thread; idempotent.
  void stop();
  bool failed() const;

 private:
  struct Segment {
    std::uint64_t number = 0;
    std::uint64_t bytes = 0;
    std::uint64_t end_id = 0;  // one past the highest event id in it; 0: no events
    std::optional<std::int64_t> newest_stats_minute;
  };
  struct Pending {
    BatchRecord record;
    std::optional<std::int64_t> newest_stats_minute;
    std::function<void(bool)> done;
  };

  EventLog(LogOptions options, PostanalyticsMetrics& metrics);
  std::string path_of(std::uint64_t number) const;
  Status start_segment(std::uint64_t number);
  bool write_all(std::string_view data);
  void run();
  void write_group(std::deque<Pending>& group);
  void run_compaction(const LiveRange& live);
  Status rewrite_stats_only(Segment& segment);
  void update_gauges();

  LogOptions options_;
  PostanalyticsMetrics& metrics_;
  int lock_fd_ = -1;
  int fd_ = -1;          // the current segment, writer thread only after open
  int dir_fd_ = -1;
  std::map<std::uint64_t, Segment> segments_;  // by number; the last one is current
  std::unordered_map<std::string, std::uint64_t> senders_;
  std::uint64_t next_id_ = 1;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  std::optional<LiveRange> compact_request_;
  bool stopping_ = false;
  bool failed_ = false;
  std::thread thread_;
};

}  // namespace waf::postanalytics
