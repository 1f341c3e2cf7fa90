#include "postanalytics/event_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/log.hpp"
#include "postanalytics/batch.hpp"

namespace waf::postanalytics {
namespace {

namespace fs = std::filesystem;

std::string errno_text() { return std::strerror(errno); }

std::optional<std::uint64_t> segment_number(const std::string& name) {
  if (name.size() != 4 + 20 + 4 || name.rfind("seg-", 0) != 0 || name.substr(24) != ".log") return std::nullopt;
  std::uint64_t n = 0;
  for (std::size_t i = 4; i < 24; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return n;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(fmt::format("{}: cannot read", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_fd(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

SendersRecord senders_record(const std::unordered_map<std::string, std::uint64_t>& senders, std::uint64_t next_id) {
  SendersRecord record;
  record.next_id = next_id;
  record.senders.assign(senders.begin(), senders.end());
  std::sort(record.senders.begin(), record.senders.end());
  return record;
}

void merge_seq(std::unordered_map<std::string, std::uint64_t>& senders, const std::string& sender, std::uint64_t seq) {
  auto& known = senders[sender];
  known = std::max(known, seq);
}

}  // namespace

EventLog::EventLog(LogOptions options, PostanalyticsMetrics& metrics) : options_(std::move(options)), metrics_(metrics) {}

EventLog::~EventLog() {
  stop();
  if (fd_ >= 0) ::close(fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string EventLog::path_of(std::uint64_t number) const {
  return fmt::format("{}/seg-{:020}.log", options_.dir, number);
}

Result<std::unique_ptr<EventLog>> EventLog::open(const LogOptions& options, const ReplayBatch& replay,
                                                 ReplayResult& result, PostanalyticsMetrics& metrics) {
  std::unique_ptr<EventLog> log(new EventLog(options, metrics));
  const std::string& dir = options.dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(fmt::format("--data-dir {}: {}", dir, ec.message()));
  log->lock_fd_ = ::open((dir + "/LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (log->lock_fd_ < 0) return make_error(fmt::format("--data-dir {}: {}", dir, errno_text()));
  if (::flock(log->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return make_error(fmt::format("--data-dir {}: in use by another waf postanalytics", dir));
  }
  log->dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (log->dir_fd_ < 0) return make_error(fmt::format("--data-dir {}: {}", dir, errno_text()));

  std::vector<std::uint64_t> numbers;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.size() > 4 && name.substr(name.size() - 4) == ".tmp") {
      fs::remove(entry.path(), ec);  // a compaction rewrite cut short: the original is still there
    } else if (const auto n = segment_number(name)) {
      numbers.push_back(*n);
    }
  }
  if (ec) return make_error(fmt::format("--data-dir {}: {}", dir, ec.message()));
  std::sort(numbers.begin(), numbers.end());

  for (const std::uint64_t number : numbers) {
    const std::string path = log->path_of(number);
    auto data = read_file(path);
    if (!data) return data.error();
    Segment segment{number, data->size(), 0, std::nullopt};
    std::size_t offset = 0;
    if (data->size() >= kSegmentMagic.size() && std::string_view(*data).substr(0, kSegmentMagic.size()) == kSegmentMagic) {
      offset = kSegmentMagic.size();
    } else if (data->size() >= kSegmentMagic.size()) {
      return make_error(fmt::format("{}: not a waf postanalytics log segment", path));
    }
    while (offset < data->size() && offset >= kSegmentMagic.size()) {
      auto decoded = decode_record(std::string_view(*data).substr(offset));
      if (decoded.status != DecodeStatus::ok) break;
      offset += decoded.consumed;
      ++result.records;
      if (auto* batch = std::get_if<BatchRecord>(&decoded.record)) {
        const auto minute = replay(*batch);
        if (batch->event_count > 0) {
          segment.end_id = std::max(segment.end_id, batch->first_id + batch->event_count);
          result.next_id = std::max(result.next_id, batch->first_id + batch->event_count);
        }
        if (minute) segment.newest_stats_minute = std::max(segment.newest_stats_minute.value_or(*minute), *minute);
        merge_seq(result.senders, batch->sender, batch->seq);
      } else {
        const auto& senders = std::get<SendersRecord>(decoded.record);
        result.next_id = std::max(result.next_id, senders.next_id);
        for (const auto& [sender, seq] : senders.senders) merge_seq(result.senders, sender, seq);
      }
    }
    const std::size_t keep = data->size() < kSegmentMagic.size() ? 0 : offset;
    if (keep < data->size()) {
      // A crash mid-write leaves a partial record (or a partial header of a new segment). Only the
      // acknowledged prefix counts: cut the rest so the next append starts on a record boundary.
      result.truncated_bytes += data->size() - keep;
      log::warn("log_tail_truncated", {{"segment", path}, {"offset", keep}, {"bytes", data->size() - keep}});
      if (::truncate(path.c_str(), static_cast<off_t>(keep)) != 0) {
        return make_error(fmt::format("{}: cannot truncate the torn tail: {}", path, errno_text()));
      }
      const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd >= 0) {
        ::fdatasync(fd);
        ::close(fd);
      }
      segment.bytes = keep;
    }
    if (segment.bytes == 0) {
      fs::remove(path, ec);
      continue;
    }
    log->segments_[number] = segment;
  }

  log->senders_ = result.senders;
  log->next_id_ = result.next_id;
  if (auto started = log->start_segment(numbers.empty() ? 1 : numbers.back() + 1); !started) return started.error();
  log->update_gauges();
  log->thread_ = std::thread([raw = log.get()] { raw->run(); });
  return log;
}

Status EventLog::start_segment(std::uint64_t number) {
  const std::string path = path_of(number);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(fmt::format("{}: {}", path, errno_text()));
  std::string head(kSegmentMagic);
  encode_record(senders_record(senders_, next_id_), head);
  if (!write_fd(fd, head) || ::fdatasync(fd) != 0 || ::fsync(dir_fd_) != 0) {
    const auto message = fmt::format("{}: {}", path, errno_text());
    ::close(fd);
    return make_error(message);
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  segments_[number] = Segment{number, head.size(), 0, std::nullopt};
  return Ok{};
}

void EventLog::append(BatchRecord record, std::optional<std::int64_t> newest_stats_minute,
                      std::function<void(bool)> done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Pending{std::move(record), newest_stats_minute, std::move(done)});
  }
  wake_.notify_one();
}

void EventLog::compact(LiveRange live) {
  {
    std::lock_guard lock(mutex_);
    compact_request_ = live;
  }
  wake_.notify_one();
}

void EventLog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool EventLog::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void EventLog::run() {
  for (;;) {
    std::deque<Pending> group;
    std::optional<LiveRange> compaction;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return !queue_.empty() || compact_request_ || stopping_; });
      group.swap(queue_);
      compaction.swap(compact_request_);
      if (group.empty() && !compaction && stopping_) return;
    }
    if (!group.empty()) write_group(group);
    if (compaction && !failed()) run_compaction(*compaction);
  }
}

void EventLog::write_group(std::deque<Pending>& group) {
  const auto started = std::chrono::steady_clock::now();
  bool ok = !failed();
  std::string buffer;
  const auto flush = [&] {
    ok = ok && write_fd(fd_, buffer) && ::fdatasync(fd_) == 0;
    if (ok) segments_.rbegin()->second.bytes += buffer.size();
    buffer.clear();
  };
  for (Pending& p : group) {
    if (!ok) break;
    std::string framed;
    encode_record(p.record, framed);
    Segment& current = segments_.rbegin()->second;
    // A record larger than a whole segment still goes somewhere: only seal a segment holding batches.
    if (current.bytes + buffer.size() + framed.size() > options_.segment_bytes &&
        (!buffer.empty() || current.end_id != 0 || current.newest_stats_minute)) {
      flush();
      if (ok) {
        if (auto next = start_segment(segments_.rbegin()->first + 1); !next) {
          log::error("log_segment_failed", {{"error", next.error().message}});
          ok = false;
        }
      }
      if (!ok) break;
    }
    buffer += framed;
    merge_seq(senders_, p.record.sender, p.record.seq);
    Segment& segment = segments_.rbegin()->second;
    if (p.record.event_count > 0) {
      next_id_ = std::max(next_id_, p.record.first_id + p.record.event_count);
      segment.end_id = std::max(segment.end_id, p.record.first_id + p.record.event_count);
    }
    if (p.newest_stats_minute) {
      segment.newest_stats_minute = std::max(segment.newest_stats_minute.value_or(*p.newest_stats_minute),
                                             *p.newest_stats_minute);
    }
  }
  if (ok) flush();
  if (!ok) {
    {
      std::lock_guard lock(mutex_);
      if (!failed_) log::error("log_write_failed", {{"dir", options_.dir}, {"error", errno_text()}});
      failed_ = true;
    }
    metrics_.log_errors.inc();
  }
  metrics_.log_fsync.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  update_gauges();
  for (Pending& p : group) p.done(ok);
}

void EventLog::run_compaction(const LiveRange& live) {
  std::vector<std::uint64_t> sealed;
  for (const auto& [number, segment] : segments_) {
    if (number != segments_.rbegin()->first) sealed.push_back(number);
  }
  for (const std::uint64_t number : sealed) {
    Segment& segment = segments_[number];
    const bool events_gone = segment.end_id <= live.oldest_live_id;
    const bool stats_gone = !segment.newest_stats_minute ||
                            (!live.oldest_stats_minute || *segment.newest_stats_minute < *live.oldest_stats_minute);
    if (events_gone && stats_gone) {
      std::error_code ec;
      fs::remove(path_of(number), ec);
      ::fsync(dir_fd_);
      segments_.erase(number);
      metrics_.log_compactions.inc();
    } else if (events_gone && segment.end_id != 0) {
      if (auto rewritten = rewrite_stats_only(segment); !rewritten) {
        log::warn("log_compaction_failed", {{"error", rewritten.error().message}});
      } else {
        metrics_.log_compactions.inc();
      }
    }
  }
  update_gauges();
}

Status EventLog::rewrite_stats_only(Segment& segment) {
  const std::string path = path_of(segment.number);
  auto data = read_file(path);
  if (!data) return data.error();
  std::string out(kSegmentMagic);
  std::size_t offset = kSegmentMagic.size();
  while (offset < data->size()) {
    auto decoded = decode_record(std::string_view(*data).substr(offset));
    if (decoded.status != DecodeStatus::ok) break;
    offset += decoded.consumed;
    auto* batch = std::get_if<BatchRecord>(&decoded.record);
    if (batch == nullptr) continue;  // the current segment's senders record covers this one's
    auto parsed = parse_batch(batch->body);
    if (!parsed || parsed->stats.empty()) continue;
    BatchRecord kept{0, 0, batch->seq, batch->sender, {}};
    for (const auto& stats : parsed->stats) kept.body += stats.json + "\n";
    encode_record(kept, out);
  }
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(fmt::format("{}: {}", tmp, errno_text()));
  const bool written = write_fd(fd, out) && ::fdatasync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path.c_str()) != 0 || ::fsync(dir_fd_) != 0) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return make_error(fmt::format("{}: {}", path, errno_text()));
  }
  segment.bytes = out.size();
  segment.end_id = 0;
  return Ok{};
}

void EventLog::update_gauges() {
  std::uint64_t bytes = 0;
  for (const auto& [number, segment] : segments_) bytes += segment.bytes;
  metrics_.log_bytes.set(static_cast<std::int64_t>(bytes));
  metrics_.log_segments.set(static_cast<std::int64_t>(segments_.size()));
}

}  // namespace waf::postanalytics
