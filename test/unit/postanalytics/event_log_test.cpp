#include "postanalytics/event_log.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "postanalytics/batch.hpp"

using namespace waf::postanalytics;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / fmt::format("waf-log-test-{}-{}", ::getpid(), ++counter);
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

std::string event_line(int n) {
  return fmt::format(R"({{"schema":"waf.event/v1","time":"2026-11-22T15:45:00Z","client_ip":"10.0.0.{}","path":"/{}"}})",
                     n % 250, n);
}

std::string stats_line() {
  return R"({"schema":"waf.stats/v1","minute":"2026-11-22T15:45:00Z","requests":5})";
}

// What a replay saw.
struct Replayed {
  std::vector<std::uint64_t> ids;
  std::size_t stats = 0;
  ReplayResult result;
};

struct Harness {
  waf::metrics::Registry registry;
  PostanalyticsMetrics metrics{registry};

  std::unique_ptr<EventLog> open(const fs::path& dir, Replayed& seen, std::uint64_t segment_bytes = 64 << 20) {
    auto log = EventLog::open(
        LogOptions{dir.string(), segment_bytes},
        [&seen](const BatchRecord& r) -> std::optional<std::int64_t> {
          auto batch = parse_batch(r.body);
          REQUIRE(batch.ok());
          for (std::size_t i = 0; i < batch->events.size(); ++i) seen.ids.push_back(r.first_id + i);
          seen.stats += batch->stats.size();
          if (batch->stats.empty()) return std::nullopt;
          return batch->stats.front().minute_ms;
        },
        seen.result, metrics);
    REQUIRE_MESSAGE(log.ok(), (log.ok() ? "" : log.error().message));
    return std::move(*log);
  }
};

// Appends and waits for the fsync, as ingest does before acknowledging.
bool append_sync(EventLog& log, BatchRecord record, std::optional<std::int64_t> minute = std::nullopt) {
  std::promise<bool> done;
  log.append(std::move(record), minute, [&done](bool ok) { done.set_value(ok); });
  return done.get_future().get();
}

BatchRecord batch_of(std::uint64_t first_id, int events, std::uint64_t seq, std::string sender = "pod:1:0") {
  BatchRecord r{first_id, static_cast<std::uint32_t>(events), seq, std::move(sender), {}};
  for (int i = 0; i < events; ++i) r.body += event_line(static_cast<int>(first_id) + i) + "\n";
  return r;
}

std::vector<fs::path> segments(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".log") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("event log: what was synced is replayed with its ids and the senders' seqs") {
  TempDir dir;
  Harness h;
  {
    Replayed seen;
    auto log = h.open(dir.path, seen);
    CHECK(seen.ids.empty());
    CHECK(seen.result.next_id == 1);
    CHECK(append_sync(*log, batch_of(1, 3, 1)));
    CHECK(append_sync(*log, batch_of(4, 2, 1, "pod:2:0")));
    CHECK(append_sync(*log, batch_of(6, 1, 2)));
  }
  Replayed seen;
  auto log = h.open(dir.path, seen);
  CHECK(seen.ids == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6});
  CHECK(seen.result.next_id == 7);
  CHECK(seen.result.senders.at("pod:1:0") == 2);
  CHECK(seen.result.senders.at("pod:2:0") == 1);
  CHECK(seen.result.truncated_bytes == 0);
}

TEST_CASE("event log: a torn tail is cut on open and appends continue after it") {
  TempDir dir;
  Harness h;
  {
    Replayed seen;
    auto log = h.open(dir.path, seen);
    CHECK(append_sync(*log, batch_of(1, 2, 1)));
  }
  // A crash in the middle of the next record's write: half a record at the end of the segment.
  std::string torn;
  encode_record(batch_of(3, 2, 2), torn);
  const auto last = segments(dir.path).back();
  {
    std::ofstream out(last, std::ios::binary | std::ios::app);
    out << torn.substr(0, torn.size() / 2);
  }
  const auto size_before = fs::file_size(last);
  {
    Replayed seen;
    auto log = h.open(dir.path, seen);
    CHECK(seen.ids == std::vector<std::uint64_t>{1, 2});
    CHECK(seen.result.truncated_bytes == torn.size() / 2);
    CHECK(fs::file_size(last) == size_before - torn.size() / 2);
    CHECK(seen.result.senders.at("pod:1:0") == 1);  // the torn batch was never acknowledged
    CHECK(append_sync(*log, batch_of(3, 2, 2)));
  }
  Replayed seen;
  auto log = h.open(dir.path, seen);
  CHECK(seen.ids == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK(seen.result.truncated_bytes == 0);
}

TEST_CASE("event log: a corrupted record at the tail is cut like a torn one") {
  TempDir dir;
  Harness h;
  {
    Replayed seen;
    auto log = h.open(dir.path, seen);
    CHECK(append_sync(*log, batch_of(1, 1, 1)));
    CHECK(append_sync(*log, batch_of(2, 1, 2)));
  }
  const auto last = segments(dir.path).back();
  {
    std::fstream f(last, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(fs::file_size(last)) - 3);
    f.put('#');
  }
  Replayed seen;
  auto log = h.open(dir.path, seen);
  CHECK(seen.ids == std::vector<std::uint64_t>{1});
  CHECK(seen.result.truncated_bytes > 0);
}

TEST_CASE("event log: compaction deletes evicted segments, rewrites stats-only ones, keeps dedupe") {
  TempDir dir;
  Harness h;
  {
    Replayed seen;
    // Small segments: every batch of 20 events seals one.
    auto log = h.open(dir.path, seen, 2048);
    std::uint64_t id = 1;
    for (std::uint64_t seq = 1; seq <= 6; ++seq) {
      auto record = batch_of(id, 20, seq);
      std::optional<std::int64_t> minute;
      if (seq == 3) {
        record.body += stats_line() + "\n";
        minute = 1795362300000;
      }
      CHECK(append_sync(*log, std::move(record), minute));
      id += 20;
    }
    const auto before = segments(dir.path).size();
    CHECK(before >= 6);
    // Events 1..80 left memory (batches 1-4); the stats minute of batch 3 is still held.
    log->compact(LiveRange{81, 1795362300000});
    // The writer compacts between two groups: once the second append is synced, it is done.
    CHECK(append_sync(*log, batch_of(121, 1, 7)));
    CHECK(append_sync(*log, batch_of(122, 1, 8)));
    CHECK(segments(dir.path).size() < before);
  }
  Replayed seen;
  auto log = h.open(dir.path, seen, 2048);
  CHECK(seen.ids.front() == 81);
  CHECK(seen.ids.back() == 122);
  CHECK(seen.stats == 1);                                // rewritten segment kept its stats line
  CHECK(seen.result.senders.at("pod:1:0") == 8);         // dedupe survives deleted segments
  CHECK(seen.result.next_id == 123);
}
